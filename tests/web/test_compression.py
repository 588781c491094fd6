"""Pages travel gzip-compressed to browsers that ask for it, padded at random against BREACH."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_is_gzipped_when_the_browser_accepts_it(client, catalog):
    response = client.get("/programmes/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert page.startswith("<!doctype html>")
    assert "Medical Data Science" in page
    assert int(response["Content-Length"]) == len(response.content) < len(page.encode()) / 3


def test_a_browser_that_does_not_ask_gets_the_page_as_it_is(client, catalog):
    response = client.get("/programmes/")

    assert not response.has_header("Content-Encoding")
    assert "Medical Data Science" in response.content.decode()


def test_pages_with_a_csrf_token_vary_in_compressed_size(client, catalog):
    """BREACH guesses a secret from the compressed size of pages that echo the attacker's input
    next to it (here the search text beside the CSRF tokens of the shortlist buttons). Random
    padding makes the same request's size differ from one response to the next."""
    path = "/programmes/?q=data"
    first = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert 'name="csrfmiddlewaretoken"' in gzip.decompress(first.content).decode()

    sizes = {len(client.get(path, HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(12)}
    assert len(sizes) > 3


def test_a_detail_page_in_german_is_gzipped_too(client, catalog):
    response = client.get("/de/programmes/medical-data-science/", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert '<html lang="de">' in gzip.decompress(response.content).decode()
