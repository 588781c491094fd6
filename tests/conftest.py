"""Shared fixtures: factories as fixtures, and the live catalog loaded from fixtures/."""

import io

import pytest
from django.core.management import call_command

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


@pytest.fixture
def catalog(db):
    """The real catalog: the four transcribed programmes, loaded from fixtures/ by load_catalog."""
    call_command("load_catalog", stdout=io.StringIO())
