"""Shared fixtures: factories as fixtures, and the live catalog loaded from fixtures/."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from programs import facet_index, search
from programs.catalog_revision import PUBLIC_MODELS
from tests import factories

# The tables the public pages read, parents before children, so the snapshot loads in order.
CATALOG_MODELS = PUBLIC_MODELS


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache. The catalog revision keys every cached result, but
    a test's writes are rolled back with its transaction, so the next test counts the same
    revision numbers again over other data: outside tests a revision is never reused. The
    facet index each process keeps (programs/facet_index.py) is keyed the same way."""
    cache.clear()
    facet_index.forget()


def pytest_report_header(config):
    """Say which database this pass runs on, so the log shows both passes really ran."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {engine} ({database.get('HOST') or database['NAME']})"


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Each test starts and ends in English. A request to /de/... leaves German active in the
    thread (a server activates each request's language anew; a test's own reverse() would not)."""
    translation.deactivate()
    yield
    translation.deactivate()


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


@pytest.fixture(scope="session")
def catalog_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real catalog as a Django fixture file: loaded once per run by load_catalog, then undone.

    load_catalog validates every row and writes history, about a second per call; replaying its
    result with loaddata gives each test the same rows in a fraction of that.
    """
    path = tmp_path_factory.mktemp("catalog") / "catalog.json"
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_catalog", stdout=io.StringIO())
        labels = [f"programs.{model.__name__}" for model in CATALOG_MODELS]
        call_command("dumpdata", *labels, output=str(path), stdout=io.StringIO())
        transaction.set_rollback(True)
    return path


@pytest.fixture
def catalog(db, catalog_snapshot):
    """The real catalog: the four transcribed programmes as load_catalog loads them."""
    # Each programme's search words built once, not again after each of its rows.
    with search.refreshed_together():
        call_command("loaddata", str(catalog_snapshot), stdout=io.StringIO())
