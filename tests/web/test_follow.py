"""The follow pages and the feeds they point to: how to follow explained in every language, and
feeds that stay Atom a reader parses, entries and all, while naming their browser stylesheet."""

import feedparser
import pytest
from django.urls import reverse

from programs.changelog.changes import record_public_changes
from programs.models import Programme

FEED = "/programmes/medical-data-science/changes.atom"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def changed(catalog):
    programme = Programme.objects.get(slug="medical-data-science")
    Programme.objects.filter(pk=programme.pk).update(ects=121)
    record_public_changes(programme)
    return programme


@pytest.mark.parametrize(
    ("prefix", "heading", "explains", "feed"),
    [
        ("", "Follow Medical Data Science", "A feed is a list of the latest changes", "/"),
        ("/de", "Medical Data Science folgen", "Ein Feed ist eine Liste", "/de/"),
        ("/it", "Segui Medical Data Science", "Un feed è un elenco", "/it/"),
        ("/sv", "Följ Medical Data Science", "Ett flöde är en lista", "/sv/"),
    ],
)
def test_the_follow_page_explains_feeds_and_alerts_in_each_language(
    client, changed, prefix, heading, explains, feed
):
    response = client.get(f"{prefix}/programmes/medical-data-science/follow/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert explains in html
    # The feed's address to copy, in the page's language, and the e-mail form.
    assert f'value="http://testserver{feed}programmes/medical-data-science/changes.atom"' in html
    assert 'type="email"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_programme_page_and_the_change_log_link_to_their_follow_pages(client, changed):
    detail = client.get("/programmes/medical-data-science/").content.decode()
    assert 'href="/programmes/medical-data-science/follow/"' in detail
    changes = client.get("/changes/?country=DE").content.decode()
    assert 'href="/changes/follow/?country=DE"' in changes


def test_a_search_follow_page_names_its_filters_and_marks_bad_ones(client, changed):
    html = client.get(reverse("programs:search-follow") + "?country=DE").content.decode()
    assert "Country: Germany" in html
    assert 'action="/changes/follow/?country=DE"' in html
    bad = client.get(reverse("programs:search-follow") + "?ects_min=lots")
    assert bad.status_code == 200
    assert "Some of what you asked for could not be used" in bad.content.decode()


def test_a_draft_has_no_follow_page(client, changed):
    Programme.objects.filter(pk=changed.pk).update(published=False)
    assert client.get("/programmes/medical-data-science/follow/").status_code == 404


@pytest.mark.parametrize("accept", ["application/atom+xml", BROWSER_ACCEPT, ""])
def test_the_feed_stays_atom_with_its_entries_and_names_its_stylesheet(client, changed, accept):
    response = client.get(FEED, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert "Accept" in response["Vary"]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == [
        "Medical Data Science: Changed: ECTS credits",
        "Medical Data Science: Published",
    ]
    assert "ECTS credits: 90 ECTS → 121 ECTS" in feed.entries[0].summary
    head = response.content.split(b"<feed", 1)[0].decode()
    assert '<?xml-stylesheet href="/static/feeds/atom.xsl" media="screen" type="text/xsl"?>' in head
    assert 'href="/static/css/feed.css"' in head


def test_a_feed_reader_gets_atom_and_a_browser_tab_gets_xml_it_can_style(client, changed):
    reader = client.get(FEED, HTTP_ACCEPT="application/atom+xml, application/xml;q=0.9")
    assert reader["Content-Type"].startswith("application/atom+xml")
    tab = client.get(FEED, HTTP_ACCEPT=BROWSER_ACCEPT)
    assert tab["Content-Type"] == "application/xml; charset=utf-8"
    assert tab.content == reader.content


def test_the_catalog_feed_names_its_stylesheet_too(client, changed):
    response = client.get(reverse("programs:change-feed") + "?country=DE")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert len(feed.entries) == 2
    assert b'type="text/xsl"' in response.content


def test_the_lists_changes_lead_to_following_its_search(client, changed):
    """The list's "What changed" keeps its filters, and that page offers to follow them."""
    html = client.get("/programmes/?country=DE").content.decode()
    assert 'href="/changes/?country=DE">What changed</a>' in html
    changes = client.get("/changes/?country=DE").content.decode()
    assert 'href="/changes/follow/?country=DE">Follow these changes' in changes
