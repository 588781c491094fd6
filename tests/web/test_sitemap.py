"""/sitemap.xml and /robots.txt: what search engines are told to index, and what to leave alone."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from programs.changelog.changes import record_public_changes
from programs.models import Programme, University
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
