"""Every absolute link names the site's configured address (SITE_URL), whatever Host a request
carried: Django's host check lets `catalog.example.org:31337`, `CATALOG.example.org` and
`catalog.example.org.` through, and a kept page would hand what one request wrote on to every
later visitor and crawler (programs/core/site_address.py)."""

import json
import re

import pytest
from django.test import Client

from tests.support.list_pages import html_of

pytestmark = pytest.mark.django_db

SITE_URL = "https://catalog.example.org"
# Allowed by Django's host check as catalog.example.org, yet another address in a link.
ODD_HOSTS = ["catalog.example.org:31337", "CATALOG.Example.org", "catalog.example.org."]
SLUG = "medical-data-science"
PAGES = [
    "/programmes/",
    "/programmes/?country=SE",
    f"/programmes/{SLUG}/",
    f"/de/programmes/{SLUG}/",
    "/universities/",
    f"/compare/?p={SLUG}",
    "/changes/",
    "/changes/feed.atom",
    f"/programmes/{SLUG}/changes.atom",
    "/sitemap.xml",
    "/sitemap-programmes.xml",
    "/robots.txt",
]
# Any address on this site, in any spelling: its scheme and whatever follows the host name.
OUR_ADDRESSES = re.compile(r"(?i)([a-z]+:/*)?(catalog\.example\.org[^/\"'\s<,]*)")


@pytest.fixture
def production(settings):
    """The production settings that matter here: DEBUG off (as in every test), one allowed host,
    HTTPS=1 behind a proxy that says so with X-Forwarded-Proto."""
    settings.DEBUG = False
    settings.SITE_URL = SITE_URL
    settings.ALLOWED_HOSTS = ["catalog.example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True


def get(path, host="catalog.example.org"):
    response = Client().get(path, headers={"host": host, "x-forwarded-proto": "https"})
    assert response.status_code == 200, (path, host, response.status_code)
    return html_of(response)


def addresses_of_this_site(text):
    """Each mention of the site's host in `text`, as (scheme, host and what follows it)."""
    return {(scheme.lower(), host) for scheme, host in OUR_ADDRESSES.findall(text)}


@pytest.mark.parametrize("odd_host", ODD_HOSTS)
@pytest.mark.parametrize("path", PAGES)
def test_a_request_with_an_odd_host_changes_no_link_for_anyone(catalog, production, path, odd_host):
    answered_to_odd_host = get(path, host=odd_host)
    next_visitor = get(path)

    for text in (answered_to_odd_host, next_visitor):
        assert addresses_of_this_site(text) <= {
            ("https://", "catalog.example.org"),
            ("tag:", "catalog.example.org"),  # the feeds' entry ids
        }
        assert "31337" not in text


def test_the_canonical_og_url_hreflang_and_json_ld_name_site_url(catalog, production):
    path = f"/programmes/{SLUG}/"
    get(path, host="catalog.example.org:31337")

    html = get(path)

    assert f'<link rel="canonical" href="{SITE_URL}{path}">' in html
    assert f'<meta property="og:url" content="{SITE_URL}{path}">' in html
    hreflang = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert hreflang == {
        "en": f"{SITE_URL}{path}",
        "x-default": f"{SITE_URL}{path}",
        "de": f"{SITE_URL}/de{path}",
        "it": f"{SITE_URL}/it{path}",
        "sv": f"{SITE_URL}/sv{path}",
    }
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(jsonld.group(1))["url"] == f"{SITE_URL}{path}"


def test_the_sitemap_index_names_its_sitemaps_on_site_url(catalog, production):
    xml = get("/sitemap.xml", host="catalog.example.org:31337")

    assert re.findall(r"<loc>([^<]+)</loc>", xml) == [
        f"{SITE_URL}/sitemap-programmes.xml",
        f"{SITE_URL}/sitemap-universities.xml",
        f"{SITE_URL}/sitemap-editions.xml",
        f"{SITE_URL}/sitemap-edition-programmes.xml",
    ]
