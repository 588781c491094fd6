"""Browser tests: real Debian Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser download can't reach this network, so we launch the system Chromium
(`make browser` installs it). Without it the browser tests are skipped with a plain reason,
except under CI=true, where a missing browser fails the run.
"""

import io
import os
import shutil

import pytest
from django.core.management import call_command
from django.db import connections, transaction

from tests.conftest import load_snapshot

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (setting up rows) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        raise pytest.UsageError("Chromium is not installed; under CI the browser tests must run.")
    skip = pytest.mark.skip(reason="Chromium is not installed (run `make browser`)")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def loaded_catalog_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every row load_catalog writes (the catalog, its history, its search documents, the
    catalog revision), as a fixture file: load_catalog runs once per worker, then is undone.

    load_catalog validates every row, a second or more per call; the browser tests' live server
    needs the rows it leaves, which loaddata replays in a fraction of that.
    """
    path = tmp_path_factory.mktemp("loaded-catalog") / "catalog.json"
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_catalog", verbosity=0)
        # Not the modules' search documents: their text index is written beside them, not by
        # a trigger (programs/search/module_documents.py), so they are rebuilt when the rows are
        # loaded.
        call_command(
            "dumpdata",
            "programs",
            exclude=["programs.ModuleSearchDocument"],
            output=str(path),
            stdout=io.StringIO(),
        )
        transaction.set_rollback(True)
    return path


@pytest.fixture
def live_catalog(live_server, transactional_db, loaded_catalog_snapshot):
    """The live server, serving the real catalog as load_catalog loads it from fixtures/."""
    load_snapshot(loaded_catalog_snapshot)
    return live_server


@pytest.fixture(scope="session")
def playwright(playwright):
    """pytest-playwright's Playwright, closing the database connections it hid when it stops.

    While Playwright's sync API runs, its event loop counts as running in the test thread, so
    Django keeps that thread's connections in a separate, per-context store; every test after the
    first browser test (browser or not) uses a connection from there. The test runner closes only
    the ordinary one before dropping the test database, so without this PostgreSQL refuses the drop.
    """
    yield playwright
    connections.close_all()


@pytest.fixture(autouse=True)
def site_url_of_the_live_server(request, settings):
    """Absolute links (a shared shortlist's, the canonical) name SITE_URL, the site's public
    address: in browser tests that is the live server's, so a link the page gives can be opened."""
    if "live_server" in request.fixturenames:
        settings.SITE_URL = request.getfixturevalue("live_server").url
