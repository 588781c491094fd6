"""Shared fixtures: factories as fixtures, and the live catalog loaded from fixtures/."""

import pytest

from tests import factories


@pytest.fixture
def programme_factory(db):
    return factories.ProgrammeFactory


@pytest.fixture
def university_factory(db):
    return factories.UniversityFactory


@pytest.fixture
def language_factory(db):
    return factories.LanguageFactory


@pytest.fixture
def user_factory(db):
    return factories.UserFactory
