"""A gunicorn worker's start (catalog/gunicorn.py): it opens the pages visitors open first, so
the first visitor to each doesn't wait for its templates to be compiled."""

import datetime
import logging
from types import SimpleNamespace

import pytest
from django.core.wsgi import get_wsgi_application
from django.template import engines

from catalog import gunicorn as gunicorn_settings
from catalog.gunicorn import FIRST_PAGES, open_first_pages, post_worker_init
from programs.actions.editions import open_edition, publish_edition
from programs.models import Edition
from programs.search import edition_index
from tests.support import factories
from tests.support.list_pages import html_of

# Outside a test transaction: a worker's start closes its database connection afterwards, as
# gunicorn's workers do, which inside a transaction would end the test's (on PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True)

LIST_AND_PROGRAMME = ("programs/programme_list.html", "programs/programme_detail.html")


@pytest.fixture
def application():
    """The WSGI application a worker runs, loaded before a test's logs are captured (loading it
    sets up logging anew)."""
    return get_wsgi_application()


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


class Worker(SimpleNamespace):
    """What post_worker_init uses of a gunicorn worker, with the application it really runs."""

    def __init__(self, wsgi, timeout=30):
        super().__init__(
            wsgi=wsgi,
            timeout=timeout,
            log=logging.getLogger("gunicorn.error"),
            notified=0,
        )

    def notify(self):
        self.notified += 1


def test_a_worker_boots_even_when_opening_the_pages_fails(nothing_compiled, caplog):
    def broken_application(environ, start_response):
        raise RuntimeError("a page that can't be rendered")

    with caplog.at_level(logging.ERROR, logger="gunicorn.error"):
        post_worker_init(Worker(broken_application))  # returns: the worker goes on
    assert "Could not open the first pages" in caplog.text


def test_a_page_that_is_refused_is_logged_and_ends_the_opening(
    nothing_compiled, application, settings, caplog
):
    settings.ALLOWED_HOSTS = []  # DEBUG off: every address refused (400), a misconfigured site
    factories.ProgrammeFactory()
    with caplog.at_level(logging.WARNING, logger="gunicorn.error"):
        post_worker_init(Worker(application))
    assert "Opening the first pages ahead of visitors: {'/': 400}" in caplog.text


def test_a_worker_keeps_telling_gunicorn_it_is_alive_and_stops_at_its_time(
    nothing_compiled, application
):
    factories.ProgrammeFactory()
    ample, none_left = Worker(application), Worker(application, timeout=0)
    post_worker_init(ample)
    assert ample.notified == len(FIRST_PAGES) + 1
    assert set(LIST_AND_PROGRAMME) <= compiled_templates()
    (loader,) = engines["django"].engine.template_loaders
    loader.reset()
    post_worker_init(none_left)  # its time is up before the first page
    assert none_left.notified == 1
    assert not set(LIST_AND_PROGRAMME) & compiled_templates()


@pytest.mark.parametrize("hosts", [[".example.org"], ["*"], ["catalog.example.org"]])
@pytest.mark.parametrize("behind_a_proxy", [True, False], ids=["proxy", "gunicorn-tls"])
def test_on_an_https_site_the_pages_are_opened_as_https(hosts, behind_a_proxy, settings):
    """Not redirected to https:// (a 301 would open nothing), whatever the allowed hosts, and
    whether a proxy or gunicorn itself speaks TLS."""
    settings.ALLOWED_HOSTS = hosts
    settings.SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if behind_a_proxy else None
    )
    settings.SECURE_SSL_REDIRECT = True
    programme = factories.ProgrammeFactory()
    answered = open_first_pages(get_wsgi_application())
    assert answered == dict.fromkeys((*FIRST_PAGES, f"/programmes/{programme.slug}/"), 200)


def test_a_worker_on_an_empty_catalog_opens_the_pages_without_a_programme(nothing_compiled):
    assert open_first_pages(get_wsgi_application()) == dict.fromkeys(FIRST_PAGES, 200)


def archived_editions(years):
    """Editions of these academic years, each archived by publishing the next (with one
    programme)."""
    factories.ProgrammeFactory()
    editions = []
    for year in (*years, years[-1] + 1):
        edition = open_edition(year, datetime.date(year, 9, 1))
        publish_edition(edition, today=datetime.date(years[-1] + 1, 12, 1))
        editions.append(edition)
    edition_index.forget()
    return [Edition.objects.get(pk=edition.pk) for edition in editions[:-1]]


def test_a_worker_builds_the_archived_editions_indexes_before_taking_requests(
    application, django_assert_num_queries
):
    """So the first visitor of an old edition's list doesn't wait for its index (seconds at
    100,000 programmes): it is kept, and reading it asks the database nothing."""
    editions = archived_editions([2023, 2024])
    post_worker_init(Worker(application))
    for edition in editions:
        with django_assert_num_queries(0):
            edition_index.of_edition(edition)
    edition_index.forget()


def test_a_worker_whose_time_is_up_builds_no_edition_index(
    application, django_assert_num_queries, monkeypatch
):
    (edition,) = archived_editions([2024])
    monkeypatch.setattr(gunicorn_settings, "EDITION_INDEXES_SECONDS", 0)
    post_worker_init(Worker(application))
    with django_assert_num_queries(1):  # built now, for the first visitor
        edition_index.of_edition(edition)
    edition_index.forget()
