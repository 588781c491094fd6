"""/sitemap.xml and /robots.txt: what search engines are told to index, and what to leave alone."""

import gzip
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programs.changelog.changes import record_public_changes
from programs.models import Programme, University
from programs.web.sitemaps import ProgrammeSitemap
from tests.support import factories

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def xml(client, address):
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def sitemap_entries(client):
    """{path: lastmod} of every address the sitemap index leads to, across its sitemaps."""
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    found = {}
    for sitemap in index.findall(f"{SITEMAP}sitemap"):
        section = urlsplit(sitemap.findtext(f"{SITEMAP}loc"))
        urlset = xml(client, section.path + (f"?{section.query}" if section.query else ""))
        for url in urlset.findall(f"{SITEMAP}url"):
            found[urlsplit(url.findtext(f"{SITEMAP}loc")).path] = url.findtext(f"{SITEMAP}lastmod")
    return found


@pytest.fixture
def draft_elsewhere(catalog):
    """A draft, offered by a university that offers nothing published: neither is public."""
    hidden = factories.UniversityFactory(slug="draft-only-university")
    return factories.ProgrammeFactory(slug="a-draft", published=False, universities=[hidden])


def test_the_sitemap_lists_exactly_the_published_programmes_and_universities(
    client, draft_elsewhere
):
    english = {programme.get_absolute_url() for programme in Programme.objects.published()}
    english |= {university.get_absolute_url() for university in University.objects.public()}
    # Each page in English (unprefixed) and in German, Italian and Swedish.
    expected = english | {f"/{lang}{path}" for path in english for lang in ("de", "it", "sv")}

    entries = sitemap_entries(client)

    assert set(entries) == expected
    assert len(english) == 4 + 5
    assert "/programmes/a-draft/" not in entries
    assert "/universities/draft-only-university/" not in entries


def test_lastmod_is_the_day_of_the_last_public_change(client, catalog):
    programme = Programme.objects.get(slug="medical-data-science")
    Programme.objects.filter(pk=programme.pk).update(ects=121)
    change = record_public_changes(programme)
    change.changed_at = datetime(2030, 5, 17, 12, tzinfo=UTC)
    change.save()

    entries = sitemap_entries(client)

    assert entries["/programmes/medical-data-science/"] == "2030-05-17"
    assert entries["/universities/rwth-aachen/"] == "2030-05-17"
    other = entries["/programmes/health-informatics/"]
    assert other is not None and other < "2030-05-17"
    assert (
        xml(client, "/sitemap.xml")
        .findtext(f"{SITEMAP}sitemap/{SITEMAP}lastmod")
        .startswith("2030-05-17")
    )


def test_robots_txt_names_the_sitemap_and_keeps_admin_shortlists_and_exports_out(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in ("/admin/", "/shortlist/", "/programmes/export.csv", "/*/export.csv"):
        assert f"Disallow: {path}" in lines
    assert not any(line.strip() == "Disallow: /" for line in lines)


XHTML = "{http://www.w3.org/1999/xhtml}"


def test_each_address_names_its_other_language_versions_and_english_as_x_default(client, catalog):
    urlset = xml(client, "/sitemap-programmes.xml")
    for url in urlset.findall(f"{SITEMAP}url"):
        if urlsplit(url.findtext(f"{SITEMAP}loc")).path == "/it/programmes/health-informatics/":
            break
    else:
        pytest.fail("the Italian page of Health Informatics is not in the sitemap")
    alternates = {
        link.get("hreflang"): urlsplit(link.get("href")).path
        for link in url.findall(f"{XHTML}link")
        if link.get("rel") == "alternate"
    }
    assert alternates == {
        "en": "/programmes/health-informatics/",
        "de": "/de/programmes/health-informatics/",
        "it": "/it/programmes/health-informatics/",
        "sv": "/sv/programmes/health-informatics/",
        "x-default": "/programmes/health-informatics/",
    }


# --- Kept per catalog revision (programs/web/downloads.py): the sitemap cost 9 s a page at
# 20,000 programmes and was made again for every request.


def queries_of(client, address, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, headers=headers)
    return response, len(queries)


# The queries of making each: the catalog revision (which names the kept body), then for the
# index each section's count of addresses and latest change (programmes, universities; the
# archived editions' lists and programmes one query each), for a section's page its addresses and
# their last changes, as values, in one query.
MADE_WITH_QUERIES = {
    "/sitemap.xml": 7,
    "/sitemap-programmes.xml": 2,
    "/sitemap-universities.xml": 2,
}


@pytest.mark.parametrize("address", MADE_WITH_QUERIES)
def test_a_second_request_is_served_kept_reading_only_the_revision(catalog, address):
    first, made = queries_of(Client(), address)
    again, kept = queries_of(Client(), address)
    assert (first.status_code, again.status_code) == (200, 200)
    assert made == MADE_WITH_QUERIES[address]
    assert kept == 1  # the catalog revision
    assert again.content == first.content
    for header in ("Content-Type", "X-Robots-Tag", "Last-Modified"):
        assert again[header] == first[header]


def test_a_write_shows_in_the_sitemap_at_once(client, catalog):
    assert "/programmes/a-new-programme/" not in sitemap_entries(client)  # now kept
    factories.ProgrammeFactory(slug="a-new-programme")
    assert "/de/programmes/a-new-programme/" in sitemap_entries(client)

    programme = Programme.objects.get(slug="health-informatics")
    programme.published = False
    programme.save()
    assert "/programmes/health-informatics/" not in sitemap_entries(client)


def test_a_crawler_that_accepts_gzip_gets_the_kept_bytes_compressed(client, catalog):
    plain = client.get("/sitemap-programmes.xml")
    for _ in range(2):  # made, then kept
        packed = client.get("/sitemap-programmes.xml", headers={"Accept-Encoding": "gzip, br"})
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == plain.content
        assert "Accept-Encoding" in packed["Vary"]
    assert "Content-Encoding" not in client.get("/sitemap-programmes.xml")


def test_every_kept_page_names_the_sites_address_whatever_the_request(client, catalog, settings):
    """The addresses are SITE_URL's: a request over another scheme or port makes no body of its
    own, and the kept one never names the requesting host."""
    settings.SITE_URL = "https://catalog.example.org"
    settings.ALLOWED_HOSTS = ["catalog.example.org", "testserver"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    odd = {"Host": "catalog.example.org:31337", "X-Forwarded-Proto": "http"}
    for headers in (odd, {}, {"X-Forwarded-Proto": "https"}):
        for address in ("/sitemap.xml", "/sitemap-programmes.xml"):
            body = client.get(address, headers=headers).content
            assert b"<loc>https://catalog.example.org/" in body
            assert b"31337" not in body and b"testserver" not in body


def test_pages_hold_a_fixed_number_of_programmes_and_the_index_lists_each(client, db, monkeypatch):
    monkeypatch.setattr(ProgrammeSitemap, "items_per_page", 2)
    programmes = factories.ProgrammeFactory.create_batch(5)

    index = xml(client, "/sitemap.xml")
    pages = [
        urlsplit(sitemap.findtext(f"{SITEMAP}loc"))
        for sitemap in index.findall(f"{SITEMAP}sitemap")
    ]
    programme_pages = [page for page in pages if page.path == "/sitemap-programmes.xml"]
    assert [page.query for page in programme_pages] == ["", "p=2", "p=3"]
    found = []
    for page in programme_pages:
        urlset = xml(client, page.path + (f"?{page.query}" if page.query else ""))
        found += [urlsplit(url.findtext(f"{SITEMAP}loc")).path for url in urlset]
    assert len(found) == len(set(found)) == 5 * 4  # each programme once in each language
    assert {programme.get_absolute_url() for programme in programmes} <= set(found)


@pytest.mark.parametrize("page", ["2", "0", "01", "abc", "1.0", "-1", "1000000", "\u0661"])
def test_a_page_that_isnt_there_is_a_404(client, catalog, page):
    assert client.get("/sitemap-programmes.xml", {"p": page}).status_code == 404
