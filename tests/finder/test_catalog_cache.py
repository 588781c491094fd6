"""The list's counts are cached under the catalog revision, and no page is ever stale: every
write bumps the revision in its own transaction, in this process or another one."""

import io
import os
import shutil
import subprocess
import tempfile
import urllib.request
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings

from programs.models import CatalogRevision, Module
from tests.support import factories
from tests.support.admin_pages import change_url, form_data
from tests.support.list_pages import facet_counts, get_list, shown_slugs
from tests.support.local_servers import free_port, gunicorn, wait_for_port
from tests.support.proposal_flow import approver_of, publish_after_review


def revision():
    return CatalogRevision.objects.current()


def build(count=3):
    english = factories.LanguageFactory(code="en", name="English")
    factories.LanguageFactory(code="de", name="German")
    university = factories.UniversityFactory(slug="uni-a")
    return [
        factories.ProgrammeFactory(
            slug=f"p{index}", languages=[english], universities=[university], published=True
        )
        for index in range(count)
    ]


def admin_save(client, programme, publish_now=True, **changes):
    """Save a programme through its admin change form, as staff do: by default ticking
    "publish at once" (the superuser may), so that the published programme changes now."""
    data = form_data(client.get(change_url(programme)), publish_now=publish_now)
    data.update(changes)
    response = client.post(change_url(programme), data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def test_an_admin_save_shows_at_once_on_the_cached_list(client, superuser_client):
    first, *_ = build()
    assert facet_counts(get_list(client), "language") == {"en": 3}
    assert facet_counts(get_list(client), "language") == {"en": 3}  # now from the cache

    # Saved as a proposal: the cached counts stay right, until it is published.
    admin_save(superuser_client, first, publish_now=False, languages=["de"])
    assert facet_counts(get_list(client), "language") == {"en": 3}
    publish_after_review(first, approver_of(first))
    assert facet_counts(get_list(client), "language") == {"de": 1, "en": 2}
    assert facet_counts(get_list(client, {"language": "de"}), "language") == {"de": 1, "en": 2}
    assert shown_slugs(get_list(client, {"language": "de"})) == ["p0"]

    admin_save(superuser_client, first, published="")
    response = get_list(client)
    assert "p0" not in shown_slugs(response)
    assert facet_counts(response, "language") == {"en": 2}


@pytest.mark.django_db
def test_every_kind_of_write_bumps_the_revision_and_a_rollback_takes_its_bump_back():
    (programme, *_) = build()
    seen = {revision()}

    def changed():
        now = revision()
        assert now not in seen
        seen.add(now)

    programme.title = "Renamed"
    programme.save()
    changed()
    module = factories.ModuleFactory(programme=programme)
    changed()
    module.delete()
    changed()
    programme.languages.add(factories.LanguageFactory(code="it", name="Italian"))
    changed()
    programme.offerings.first().university.save()
    changed()
    call_command("generate_catalog", programmes=3, force=True, stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    changed()
    call_command("load_catalog", stdout=io.StringIO())
    changed()

    before = revision()
    with pytest.raises(RuntimeError), transaction.atomic():
        Module.objects.filter(programme=programme).delete()
        factories.ModuleFactory(programme=programme)
        raise RuntimeError("the save failed half way")
    assert revision() == before


def test_two_databases_sharing_a_cache_never_share_entries(db):
    build()
    row = CatalogRevision.objects.get(pk=1)
    first = revision()
    # Another database (a restored copy, a staging site) has its own token and count.
    CatalogRevision.objects.filter(pk=1).update(database="0123456789abcdef")
    assert revision() != first
    assert revision().startswith("0123456789abcdef-") and revision().endswith(f"-{row.number}")


# ---------------------------------------------------------------------------------------------
# A real Redis server, as production shares one cache between app processes.


def redis_server_binary():
    found = shutil.which("redis-server")
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing; `make test` installs Debian's redis-server")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    return found


@pytest.fixture(scope="module")
def redis_url():
    """A throwaway Redis on 127.0.0.1, in a temporary directory, removed afterwards."""
    binary = redis_server_binary()
    workdir = tempfile.mkdtemp(prefix="catalog-redis-")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", workdir,
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, server)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def test_with_redis_the_counts_are_shared_and_never_stale(client, superuser_client, redis_url):
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    # As catalog/settings.py has it for CACHE_URL=redis://…: the kept pages in Redis too.
    redis_cache = {"default": redis, "pages": {**redis, "KEY_PREFIX": "pages"}}
    with override_settings(CACHES=redis_cache):
        cache.clear()
        first, *_ = build()
        assert facet_counts(get_list(client), "language") == {"en": 3}
        stored = cache._cache.get_client().keys("*catalog:*")
        assert stored, "the counts went to Redis"
        assert cache._cache.get_client().keys("pages:*"), "the kept page went to Redis"

        admin_save(superuser_client, first, languages=["de"])
        assert facet_counts(get_list(client), "language") == {"de": 1, "en": 2}
        cache.clear()


# ---------------------------------------------------------------------------------------------
# Two app processes on one PostgreSQL database, each with its own cache in memory.


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database another process can open (the SQLite test database is in memory)",
)
def test_an_admin_save_in_one_process_shows_at_once_in_another(transactional_db, client):
    (first, *_) = build()
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    staff = Client()
    staff.force_login(superuser)
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        ),
        "DJANGO_SETTINGS_MODULE": "catalog.settings",
        "DEBUG": "1",
        "CACHE_URL": "locmem://",
    }

    def language_counts_in_other_process(port):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/programmes/", timeout=30) as reply:
            return facet_counts(SimpleNamespace(content=reply.read()), "language")

    with gunicorn(env, workers=1) as (port, _pid):
        assert language_counts_in_other_process(port) == {"en": 3}
        assert language_counts_in_other_process(port) == {"en": 3}  # cached there now
        admin_save(staff, first, languages=["de"])
        assert language_counts_in_other_process(port) == {"de": 1, "en": 2}
        assert facet_counts(get_list(client), "language") == {"de": 1, "en": 2}
