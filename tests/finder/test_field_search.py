"""Field names join the forgiving search (issue 30): a field of study's name, or a subject the
field holds, typed in the page's language ("Gesundheit", "Informatik", "salute", "hälsa",
"Health", "ICT") offers that field as a filter, "Field of study: Health (091), show its 12
programmes": the programmes filed under it, their fields stated or inferred, whether or not
their texts use the word.

On the four real programmes (their field, 068, is inferred) and on a small generated catalog
with fields, through the list's public addresses in each language, as a visitor sees them.
"""

import datetime
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from programs.actions.editions import archive_edition, open_edition, publish_edition
from programs.core.fields_of_study import field_label
from programs.models import Programme
from tests.support.list_pages import facet_counts, html_of, shown_slugs

REAL = [
    "applied-ai-in-healthcare",
    "data-driven-health",
    "health-informatics",
    "medical-data-science",
]


FIELD_OF_STUDY = {
    "en": "Field of study",
    "de": "Studienfeld",
    "it": "Area di studio",
    "sv": "Utbildningsområde",
}


def list_page(client, language, params, edition=None):
    prefix = "" if language == "en" else f"/{language}"
    path = f"/editions/{edition}/programmes/" if edition else "/programmes/"
    response = client.get(prefix + path, params)
    assert response.status_code == 200
    return response


def field_offers(response):
    """[(the offer's sentence as read, its link's query parameters)] of the search help."""
    offers = re.findall(r'<p class="search-field">(.*?)</p>', html_of(response), re.S)
    found = []
    for offer in offers:
        href = re.search(r'<a href="([^"]+)"', offer).group(1)
        sentence = " ".join(unescape(re.sub(r"<[^>]+>", "", offer)).split())
        found.append((sentence, parse_qs(urlsplit(unescape(href)).query)))
    return found


def label_in(language, code):
    with translation.override(language):
        return field_label(code)


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("de", "Informatik"),
        ("de", "IKT"),
        ("de", "Medizininformatik"),
        ("it", "informatica"),
        ("it", "TIC"),
        ("sv", "datavetenskap"),
        ("en", "ICT"),
        ("en", "computer science"),
    ],
)
def test_a_word_naming_the_real_programmes_field_offers_it(client, catalog, language, typed):
    offers = field_offers(list_page(client, language, {"q": typed}))

    label = label_in(language, "068")
    assert [sentence for sentence, _ in offers] == [
        FIELD_OF_STUDY[language]
        + f": {label} \N{EN DASH} "
        + {
            "en": "show its 4 programmes",
            "de": "seine 4 Studiengänge zeigen",
            "it": "mostra i suoi 4 corsi di studio",
            "sv": "visa dess 4 program",
        }[language]
    ]
    # The link filters by the field instead of the search, and finds all four, though the
    # four don't state their field (the catalog infers it, and the list says so).
    link = offers[0][1]
    assert link == {"field": ["068"]}
    followed = list_page(client, language, link)
    assert sorted(shown_slugs(followed)) == REAL
    assert facet_counts(followed, "field") == {"068": 4}


def test_a_field_holding_none_of_the_programmes_is_not_offered(client, catalog):
    # Health (091) names "Gesundheit", but none of the four is filed under it.
    assert field_offers(list_page(client, "de", {"q": "Gesundheit"})) == []
    assert field_offers(list_page(client, "en", {"q": "data"})) == []


def test_a_chosen_field_is_not_offered_again_and_the_others_choices_are_kept(client, catalog):
    assert field_offers(list_page(client, "en", {"q": "ICT", "field": "068"})) == []
    offers = field_offers(list_page(client, "de", {"q": "Informatik", "language": "en"}))
    assert offers[0][1] == {"language": ["en"], "field": ["068"]}
    # Its number is that of the list it links to: the teaching language still applies.
    shown = len(shown_slugs(list_page(client, "de", offers[0][1])))
    assert 0 < shown < 4
    assert f"seine {shown} Studiengänge zeigen" in offers[0][0]


@pytest.fixture
def generated(catalog):
    """Besides the four: 60 generated programmes, filed under fields by their subjects (one in
    twenty states none)."""
    call_command("generate_catalog", programmes=60, force=True, stdout=io.StringIO(),
                 stderr=io.StringIO())  # fmt: skip
    return Programme.objects.filter(published=True)


def in_field(programmes, code):
    return programmes.filter(field_of_study=code).count()


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("de", "Gesundheit"),
        ("de", "Medizin"),
        ("it", "salute"),
        ("sv", "hälsa"),
        ("sv", "sjukvård"),
        ("en", "Health"),
        ("en", "nursing"),
    ],
)
def test_health_words_offer_the_health_field_in_a_generated_catalog(
    client, generated, language, typed
):
    health = in_field(generated, "091")
    assert health, "the generated catalog has no health programme: the example proves nothing"
    offers = {link["field"][0]: sentence for sentence, link in field_offers(
        list_page(client, language, {"q": typed})
    )}  # fmt: skip

    assert "091" in offers
    assert label_in(language, "091") in offers["091"]
    assert f" {health} " in offers["091"]
    followed = list_page(client, language, {"field": "091"})
    assert facet_counts(followed, "field")["091"] == health


def test_business_words_offer_business_and_social_sciences(client, generated):
    named = [
        link["field"][0] for _, link in field_offers(list_page(client, "de", {"q": "Wirtschaft"}))
    ]
    expected = {code for code in ("031", "041", "048") if in_field(generated, code)}
    assert expected and set(named) == expected


def test_offers_cost_no_query_more_than_a_search_without_them(client, generated):
    def queries(params):
        client.get("/de/programmes/", params)  # the first request warms the index and caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/de/programmes/", params)
        return len(captured), response

    with_offer, response = queries({"q": "Gesundheit"})
    assert field_offers(response)
    without, response = queries({"q": "Sozialforschung"})
    assert not field_offers(response)
    assert with_offer == without


def test_an_archived_editions_list_offers_its_fields(client, catalog):
    edition = open_edition(2025, datetime.date(2025, 9, 1))
    publish_edition(edition)
    archive_edition(edition)

    offers = field_offers(list_page(client, "it", {"q": "informatica"}, edition="2025-26"))

    assert len(offers) == 1 and offers[0][1] == {"field": ["068"]}
    assert "mostra i suoi 4 corsi di studio" in offers[0][0]
