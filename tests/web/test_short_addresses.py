"""Addresses to share: a submitted form lands on the short address, a programme's page leads back
to the list it was opened from, and list, compare and programme pages offer "Copy link"."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.support.list_pages import html_of


def test_a_form_sent_without_javascript_lands_on_the_short_address(client, catalog):
    response = client.get(
        "/programmes/?q=&sort=&language=de&language=en&ects_min=&ects_max=&country=&page="
    )
    assert response.status_code == 302
    assert response["Location"] == "/programmes/?language=de&language=en"


def test_the_redirect_keeps_every_value_given_repeated_and_unknown_ones_too(client, catalog):
    response = client.get(
        "/programmes/?country=SE&q=&country=IT&sort=-ects&page=2&utm_source=mail&level="
    )
    assert response.status_code == 302
    assert parse_qsl(urlsplit(response["Location"]).query) == [
        ("country", "SE"),
        ("country", "IT"),
        ("sort", "-ects"),
        ("page", "2"),
        ("utm_source", "mail"),
    ]


@pytest.mark.parametrize(
    ("address", "short"),
    [
        ("/programmes/?q=&sort=", "/programmes/"),
        ("/?q=&sort=&language=de", "/?language=de"),
        ("/de/programmes/?q=&sort=&country=SE", "/de/programmes/?country=SE"),
    ],
)
def test_every_list_address_redirects_to_its_own_short_form(client, catalog, address, short):
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"] == short


def test_the_short_address_answers_at_once(client, catalog):
    assert client.get("/programmes/?language=de&country=DE").status_code == 200


def test_htmx_requests_are_answered_in_place_and_push_the_short_address(client, catalog):
    response = client.get(
        "/programmes/?q=&sort=&language=de&ects_min=", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/programmes/?language=de"


def card_links(response):
    return dict(
        re.findall(r'<h3 id="programme-([^"]+)"><a href="([^"]+)"', unescape(html_of(response)))
    )


def test_programme_links_carry_the_list_they_were_opened_from(client, catalog):
    response = client.get("/programmes/?country=SE&country=DE&sort=-ects")
    href = card_links(response)["data-driven-health"]
    path, query = href.split("?")
    assert path == "/programmes/data-driven-health/"
    assert parse_qsl(query) == [("from", "country=SE&country=DE&sort=-ects")]


def test_programme_links_from_the_unfiltered_list_are_the_bare_address(client, catalog):
    assert card_links(client.get("/programmes/"))["data-driven-health"] == (
        "/programmes/data-driven-health/"
    )


def back_link(response):
    html = unescape(html_of(response))
    return re.search(r'<p class="detail-kicker"><a href="([^"]+)">Programmes</a>', html).group(1)


def test_the_programme_page_leads_back_to_the_same_list_and_page(client, catalog):
    response = client.get(
        "/programmes/data-driven-health/", {"from": "country=SE&country=DE&page=2"}
    )
    assert back_link(response) == "/programmes/?country=SE&country=DE&page=2"


def test_the_back_link_keeps_only_the_lists_own_parameters(client, catalog):
    response = client.get(
        "/programmes/data-driven-health/", {"from": "language=en&next=https://evil.example&q="}
    )
    assert back_link(response) == "/programmes/?language=en"


def test_without_a_list_the_back_link_is_the_whole_list(client, catalog):
    assert back_link(client.get("/programmes/data-driven-health/")) == "/programmes/"


def test_the_programme_page_names_its_bare_address_as_canonical(client, catalog):
    html = html_of(client.get("/programmes/data-driven-health/", {"from": "language=en"}))
    assert '<link rel="canonical" href="http://testserver/programmes/data-driven-health/">' in html


def test_compare_leads_back_to_the_list_it_was_chosen_from(client, catalog):
    response = client.get(
        "/compare/",
        [("p", "data-driven-health"), ("p", "medical-data-science"), ("from", "language=en")],
    )
    assert back_link(response) == "/programmes/?language=en"
    # The chooser keeps it for the next comparison.
    assert '<input type="hidden" name="from" value="language=en">' in html_of(response)


def test_the_list_sends_its_address_with_the_programmes_to_compare(client, catalog):
    for slug in ("medical-data-science", "data-driven-health"):
        client.post("/compare/add/", {"p": slug, "next": "/programmes/"})
    html = html_of(client.get("/programmes/?language=en"))
    assert 'href="/compare/?from=language%3Den"' in html
    # The Compare button leads to the shareable address of the choice, still knowing the list.
    response = client.get("/compare/?from=language%3Den")
    assert response.status_code == 302
    assert parse_qsl(urlsplit(response["Location"]).query) == [
        ("p", "medical-data-science"),
        ("p", "data-driven-health"),
        ("from", "language=en"),
    ]
    html = html_of(client.get(response["Location"]))
    assert 'href="/programmes/?language=en"' in html  # "← Programmes"


def copy_buttons(response):
    """The "Copy link" boxes: (url to copy or "" for the address bar, hidden until JS)."""
    return re.findall(
        r'<span class="copy-link" data-copy-link(?: data-copy-url="([^"]*)")?( hidden)?>',
        html_of(response),
    )


def test_list_compare_and_programme_pages_offer_copy_link_hidden_until_javascript(client, catalog):
    # The list copies the address bar, which htmx keeps at the short address.
    assert copy_buttons(client.get("/programmes/?language=en")) == [("", " hidden")]
    detail = client.get("/programmes/data-driven-health/", {"from": "language=en"})
    assert copy_buttons(detail) == [("http://testserver/programmes/data-driven-health/", " hidden")]
    compare = client.get(
        "/compare/",
        [("p", "data-driven-health"), ("p", "medical-data-science"), ("from", "language=en")],
    )
    assert copy_buttons(compare) == [
        (
            "http://testserver/compare/?p=data-driven-health&amp;p=medical-data-science",
            " hidden",
        )
    ]
