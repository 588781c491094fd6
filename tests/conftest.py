"""Shared fixtures: factories as fixtures, and the live catalog loaded from fixtures/."""

import io

import pytest
from django.core.management import call_command

from tests import factories


def pytest_report_header(config):
    """Say which database this pass runs on, so the log shows both passes really ran."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {engine} ({database.get('HOST') or database['NAME']})"


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
