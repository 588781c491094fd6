"""Shared fixtures: factories as fixtures, and the live catalog loaded from fixtures/."""

import io
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, transaction
from django.db.models.signals import post_save
from django.utils import translation

from programs import facet_index, search
from programs.catalog_revision import PUBLIC_MODELS, catalog_changed
from programs.models import CatalogRevision
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


@pytest.fixture(scope="session", autouse=True)
def json_support_known(django_db_setup, django_db_blocker):
    """Django asks SQLite once per connection whether it reads JSON (the programme page reads
    its short lists as JSON): ask before any test, so no test's query count depends on order."""
    with django_db_blocker.unblock():
        for connection in connections.all():
            connection.features.supports_json_field  # noqa: B018 (read for its side effect)


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


@contextmanager
def one_revision_bump():
    """The catalog revision counted up once for a whole block of saves, not once per row.

    loaddata saves the snapshot's rows one by one, and each save of a public row bumps the
    revision (an UPDATE of its one row): some 300 bumps, half of loaddata's time, where the
    tests need only that the revision changed. Deletes and the languages' m2m still bump.
    """
    for model in CATALOG_MODELS:
        post_save.disconnect(sender=model, dispatch_uid=f"revision-save-{model}")
    try:
        yield
    finally:
        for model in CATALOG_MODELS:
            post_save.connect(catalog_changed, sender=model, dispatch_uid=f"revision-save-{model}")
    CatalogRevision.objects.bump()


def load_snapshot(path):
    """Replay a fixture file written by dumpdata, as fast as its rows allow."""
    # Each programme's search words built once, not again after each of its rows.
    with search.refreshed_together(), one_revision_bump():
        call_command("loaddata", str(path), stdout=io.StringIO())


@pytest.fixture
def catalog(db, catalog_snapshot):
    """The real catalog: the four transcribed programmes as load_catalog loads them."""
    load_snapshot(catalog_snapshot)
