"""Whole pages kept for visitors without a session (programs/web/page_cache.py): served again for
one query, never stale after a write, never someone else's, with forms that still work."""

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from programs.web import page_cache
from tests.support import factories
from tests.support.list_pages import get_list, html_of, shown_slugs

pytestmark = pytest.mark.django_db


def token_in(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html_of(response)).group(1)


def queries_of(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response, len(queries)


def test_a_page_is_served_again_for_one_query_and_its_forms_still_work(db):
    programme = factories.ProgrammeFactory()
    first = Client(enforce_csrf_checks=True)
    _, cold = queries_of(first, "/programmes/")
    visitor = Client(enforce_csrf_checks=True)
    response, warm = queries_of(visitor, "/programmes/")
    assert (cold, warm) == (8, 1)
    assert shown_slugs(response) == [programme.slug]
    # The stored page's token was replaced by one for this visitor, who can add to compare.
    assert visitor.cookies["csrftoken"].value
    added = visitor.post(
        "/compare/add/", {"p": programme.slug, "csrfmiddlewaretoken": token_in(response)}
    )
    assert added.status_code == 302
    # Two visitors never get the same token (each is masked anew, for each one's own secret).
    assert token_in(response) != token_in(Client().get("/programmes/"))


def test_a_write_shows_at_once(client):
    programme = factories.ProgrammeFactory(title="Before")
    assert "Before" in html_of(client.get(f"/programmes/{programme.slug}/"))
    programme.title = "After"
    programme.save()
    assert "After" in html_of(client.get(f"/programmes/{programme.slug}/"))
    assert "After" in html_of(get_list(client))


def test_a_visitor_with_a_choice_gets_their_own_page(db):
    chosen, _ = factories.ProgrammeFactory.create_batch(2)
    get_list(Client())  # the page without a choice is stored
    visitor = Client()
    visitor.post("/compare/add/", {"p": chosen.slug})
    response, queries = queries_of(visitor, "/programmes/")
    assert queries > 1
    assert 'class="compare-bar' in html_of(response)
    assert "compare/remove/" in html_of(response)
    # ...and the stored page stays the one without a choice for everyone else.
    assert "compare/remove/" not in html_of(get_list(Client()))


def test_the_fragment_and_the_page_are_kept_apart(client):
    factories.ProgrammeFactory()
    page = get_list(client)
    fragment = get_list(client, HX_Request="true")
    assert "<html" in html_of(page)
    assert "<html" not in html_of(fragment)
    assert "<html" in html_of(get_list(client))
    assert "<html" not in html_of(get_list(client, HX_Request="true"))


def test_each_language_keeps_its_own_page(client):
    factories.ProgrammeFactory()
    assert 'lang="en"' in html_of(client.get("/programmes/"))
    assert 'lang="de"' in html_of(client.get("/de/programmes/"))
    assert 'lang="en"' in html_of(client.get("/programmes/"))


def test_a_kept_page_has_the_headers_the_whole_stack_gave_it(db):
    programme = factories.ProgrammeFactory()
    for url in ("/programmes/", f"/programmes/{programme.slug}/", "/de/programmes/"):
        fresh = Client().get(url)
        kept, queries = queries_of(Client(), url)
        assert queries == 1
        for header in ("X-Frame-Options", "Content-Security-Policy", "Content-Language", "Vary"):
            assert kept.headers.get(header) == fresh.headers.get(header), (url, header)
        # The token differs (each visitor's own) but has the same length, and so must the page.
        assert int(kept["Content-Length"]) == len(kept.content) == len(fresh.content)
        assert kept.cookies["csrftoken"].value


def test_a_visitor_keeps_their_csrf_secret_on_a_kept_page(db):
    factories.ProgrammeFactory()
    get_list(Client())
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/compare/")  # any page that sets the visitor's CSRF cookie
    secret = visitor.cookies["csrftoken"].value
    response, queries = queries_of(visitor, "/programmes/")
    assert queries == 1
    # Their secret is kept (Django sends the same cookie again, renewing it), and the page's
    # token is valid for it.
    assert response.cookies["csrftoken"].value == secret
    slug = shown_slugs(response)[0]
    added = visitor.post("/compare/add/", {"p": slug, "csrfmiddlewaretoken": token_in(response)})
    assert added.status_code == 302


def test_a_host_not_allowed_is_refused_even_for_a_kept_page(db):
    factories.ProgrammeFactory()
    get_list(Client())
    assert Client().get("/programmes/", headers={"Host": "evil.example"}).status_code == 400


def test_a_signed_in_visitor_never_gets_a_kept_page(admin_client):
    factories.ProgrammeFactory()
    get_list(Client())
    _, queries = queries_of(admin_client, "/programmes/")
    assert queries > 1


# Addresses that ask what the list or a programme reads, and one thing more or different: each
# would be one more kept page (a junk `&zz=` was enough), so they are served but never kept.
NOT_KEPT = [
    "/programmes/?zz=1",
    "/programmes/?language=en&zz=1",
    "/programmes/?language=en&language=en",
    "/programmes/?q=data&q=health",
    "/programmes/?language=xx",
    "/programmes/?country=Germany",
    "/programmes/?q=" + "x" * 300,
    "/programmes/?page=abc",
    "/programmes/?page=99",
    "/programmes/?sort=drop",
    "/programmes/{slug}/?zz=1",
    "/programmes/{slug}/?from=language%3Den&from=language%3Dde",
    "/programmes/{slug}/?from=colour%3Dblue",
    "/programmes/{slug}/?from=",
]


def kept_pages():
    """The keys of the pages kept in any of the test's caches (each process's memory)."""
    keys = []
    for alias in settings.CACHES:
        store = caches[alias]
        held = store._cache if hasattr(store, "_cache") else store._store
        keys += [key for key in held if ":page:" in key]
    return keys


@pytest.mark.parametrize("address", NOT_KEPT)
def test_an_address_with_anything_the_page_does_not_read_is_served_but_not_kept(db, address):
    programme = factories.ProgrammeFactory(title="Health data")
    address = address.format(slug=programme.slug)
    for _ in range(2):
        assert Client().get(address).status_code == 200

    assert kept_pages() == []


@pytest.mark.parametrize(
    "address",
    [
        "/programmes/?language=en",
        "/programmes/?language=en&q=data&ects_min=60&country=SE&country=IT",
        "/programmes/?q=data&sort=title",
        "/programmes/{slug}/",
        "/programmes/{slug}/?from=language%3Den%26page%3D2",
    ],
)
def test_an_address_as_the_site_writes_it_is_kept(db, address):
    programme = factories.ProgrammeFactory(title="Health data")
    address = address.format(slug=programme.slug)
    queries_of(Client(), address)

    _, queries = queries_of(Client(), address)

    assert queries == 1
    assert len(kept_pages()) == 1


def test_a_page_above_the_size_limit_is_served_but_not_kept(db, monkeypatch):
    programme = factories.ProgrammeFactory()
    address = f"/programmes/{programme.slug}/"
    page_size = len(Client().get(address).content)
    caches["pages"].clear()
    monkeypatch.setattr(page_cache, "KEPT_PAGE_MAX_BYTES", page_size - 1)

    queries_of(Client(), address)

    assert kept_pages() == []


def test_the_kept_pages_take_at_most_their_bytes_however_many_addresses_are_asked(db):
    """200 kept pages grew one worker to 862 MB when the cache was bounded only in entries."""
    factories.ProgrammeFactory.create_batch(3)
    bound = 200 * 1024
    pages = {
        "BACKEND": "catalog.memory_cache.BytesBoundedMemoryCache",
        "LOCATION": "pages-bounded-test",
        "OPTIONS": {"MAX_BYTES": bound},
    }
    with override_settings(CACHES={**settings.CACHES, "pages": pages}):
        visitor = Client()
        for page in range(1, 60):
            for language in ("en", "de", "it", "sv"):
                get_list(visitor, {"language": language, "ects_min": page})
        assert 0 < caches["pages"].bytes_held() <= bound
        # The most recent page is still kept.
        _, queries = queries_of(Client(), "/programmes/?language=sv&ects_min=59")
        assert queries == 1
        caches["pages"].clear()
