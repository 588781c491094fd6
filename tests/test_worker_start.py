"""A gunicorn worker's start (catalog/gunicorn.py): it opens the pages visitors open first, so
the first visitor to each doesn't wait for its templates to be compiled."""

import logging
from types import SimpleNamespace

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.template import engines

from catalog.gunicorn import FIRST_PAGES, open_first_pages, post_worker_init
from tests import factories
from tests.list_pages import html_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def connection_kept_after_each_page():
    """The pages start and end as a server's requests do, which closes the database connection;
    inside a test's transaction keep it open, as Django's test client does for its requests."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


LIST_AND_PROGRAMME = ("programs/programme_list.html", "programs/programme_detail.html")


def compiled_templates():
    """The names of the templates this process has compiled and kept (Django's cached loader)."""
    (loader,) = engines["django"].engine.template_loaders
    return {key.split("-")[0] for key in loader.get_template_cache}


@pytest.fixture
def nothing_compiled():
    (loader,) = engines["django"].engine.template_loaders
    loader.reset()
    assert not set(LIST_AND_PROGRAMME) & compiled_templates()


def test_a_starting_worker_opens_the_first_pages_and_a_programme(nothing_compiled):
    programme = factories.ProgrammeFactory()
    answered = open_first_pages(get_wsgi_application())
    assert answered == dict.fromkeys((*FIRST_PAGES, f"/programmes/{programme.slug}/"), 200)
    assert set(LIST_AND_PROGRAMME) <= compiled_templates()


def test_the_opened_pages_are_not_served_to_visitors_with_the_workers_host(client, settings):
    """They were asked for under the first allowed host; a visitor's page names the visitor's."""
    settings.ALLOWED_HOSTS = ["catalog.example.org", "testserver"]
    programme = factories.ProgrammeFactory()
    open_first_pages(get_wsgi_application())
    for path in ("/programmes/", f"/programmes/{programme.slug}/"):
        html = html_of(client.get(path))
        assert f'<meta property="og:url" content="http://testserver{path}">' in html
        assert "catalog.example.org" not in html


def test_a_worker_boots_even_when_opening_the_pages_fails(nothing_compiled, caplog):
    def broken_application(environ, start_response):
        raise RuntimeError("a page that can't be rendered")

    worker = SimpleNamespace(wsgi=broken_application, log=logging.getLogger("gunicorn.error"))
    with caplog.at_level(logging.ERROR, logger="gunicorn.error"):
        post_worker_init(worker)  # returns: the worker goes on to take requests
    assert "Could not open the first pages" in caplog.text


def test_a_worker_on_an_empty_catalog_opens_the_pages_without_a_programme(nothing_compiled):
    assert open_first_pages(get_wsgi_application()) == dict.fromkeys(FIRST_PAGES, 200)
