"""Shared fixtures: factories as fixtures, and the live catalog loaded from fixtures/."""

import functools
import io

import pytest
from django.conf import settings
from django.core import serializers
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import translation

from programs.actions.revision import PUBLIC_MODELS
from programs.models import Programme
from programs.search import edition_index, facet_index
from programs.search import programme_documents as search
from tests.support import factories

# The tables the public pages read, parents before children, so the snapshot loads in order.
CATALOG_MODELS = PUBLIC_MODELS


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache. The catalog revision keys every cached result, but
    a test's writes are rolled back with its transaction, so the next test counts the same
    revision numbers again over other data: outside tests a revision is never reused. The
    facet index each process keeps (programs/search/facet_index.py) is keyed the same way."""
    for alias in settings.CACHES:  # the kept pages' own too
        caches[alias].clear()
    facet_index.forget()
    edition_index.forget()


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


@functools.cache
def snapshot_rows(path):
    """The rows of a fixture file written by dumpdata, read once per run: (model, instances)
    per model in the file's order (parents first), and the many-to-many links as rows of their
    through tables."""
    rows, links = {}, {}
    with open(path) as snapshot:
        for found in serializers.deserialize("json", snapshot):
            instance = found.object
            rows.setdefault(type(instance), []).append(instance)
            for name, target_ids in found.m2m_data.items():
                field = type(instance)._meta.get_field(name)
                through = field.remote_field.through
                source = field.m2m_field_name()
                target = field.m2m_reverse_field_name()
                links.setdefault(through, []).extend(
                    through(**{f"{source}_id": instance.pk, f"{target}_id": target_id})
                    for target_id in target_ids
                )
    return list(rows.items()) + list(links.items())


def load_snapshot(path):
    """Replay a fixture file written by dumpdata: its rows as they are, a bulk insert per table,
    then the programmes' search documents and the catalog revision, as the rows' saves would.

    loaddata saves the rows one by one, with every signal: a third of a second per test on
    PostgreSQL, where the tests need only the same rows, documents and a new revision.
    """
    tables = snapshot_rows(path)
    with transaction.atomic():
        for model, instances in tables:
            # Some rows (the languages) are there already, written by a data migration.
            fields = [field.name for field in model._meta.concrete_fields if not field.primary_key]
            model.objects.bulk_create(
                instances, update_conflicts=True, unique_fields=["pk"], update_fields=fields
            )
        search.refresh(programme.pk for programme in dict(tables)[Programme])


@pytest.fixture
def catalog(db, catalog_snapshot):
    """The real catalog: the four transcribed programmes as load_catalog loads them."""
    load_snapshot(catalog_snapshot)
