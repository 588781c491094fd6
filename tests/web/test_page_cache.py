"""Whole pages kept for visitors without a session (programs/web/page_cache.py): served again for
one query, never stale after a write, never someone else's, with forms that still work."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

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
    assert (cold, warm) == (7, 1)
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
