"""The `q` search of the programme list, through its public address.

PostgreSQL searches titles and summaries with ranked full-text search, SQLite with a plain
case-insensitive match; module, track and university names are matched the same way on both.
These tests use single words whose results agree on both databases, so they run unchanged on each.
"""

import pytest
from django.db import connection

from tests.list_pages import chips, facet_counts, get_list, html_of, shown_slugs


def search(client, text, **params):
    return shown_slugs(get_list(client, {"q": text, **params}))


def test_search_finds_words_in_titles_regardless_of_case(client, catalog):
    assert search(client, "informatics") == ["health-informatics"]
    assert search(client, "INFORMATICS") == ["health-informatics"]


def test_search_finds_words_in_summaries(client, catalog):
    assert search(client, "leaders") == ["data-driven-health"]


def test_search_finds_module_names(client, catalog):
    # Applied AI in Healthcare only through its module "Medical Imaging & AI", Data-driven
    # Health through its "Imaging" track.
    assert set(search(client, "imaging")) == {"applied-ai-in-healthcare", "data-driven-health"}


def test_search_finds_track_names(client, catalog):
    assert set(search(client, "physiology")) == {"data-driven-health", "health-informatics"}


def test_search_finds_university_names_and_short_names(client, catalog):
    assert search(client, "Milano") == ["health-informatics"]
    assert search(client, "Aachen") == ["medical-data-science"]
    assert search(client, "KTH") == ["data-driven-health"]


def test_each_word_of_a_search_may_be_found_in_a_different_place(client, catalog):
    # "Informatics" is in Health Informatics' title, "Milano" only in its university's name.
    assert search(client, "informatics Milano") == ["health-informatics"]
    # "Health" is in Data-driven Health's title, "physiology" in one of its project areas;
    # Health Informatics also has both ("physiology" in a starting track).
    assert set(search(client, "health physiology")) == {"data-driven-health", "health-informatics"}


def test_every_word_of_a_search_must_be_found(client, catalog):
    assert search(client, "informatics Aachen") == []


def test_search_ranks_title_hits_before_summary_hits_before_other_hits(client, catalog):
    # "Medical" is in one title, one summary, and one module name.
    assert search(client, "medical") == [
        "medical-data-science",
        "health-informatics",
        "applied-ai-in-healthcare",
    ]


def test_search_with_another_sort_uses_that_sort(client, catalog):
    assert search(client, "medical", sort="title") == [
        "applied-ai-in-healthcare",
        "health-informatics",
        "medical-data-science",
    ]


def test_best_match_is_the_default_sort_only_while_searching(client, catalog):
    html = html_of(get_list(client, {"q": "medical"}))
    assert '<option value="" selected>Best match</option>' in html
    assert 'value="relevance"' not in html_of(get_list(client))


def test_search_with_no_match_gives_an_empty_list_with_a_way_back(client, catalog):
    response = get_list(client, {"q": "astrophysics"})
    assert shown_slugs(response) == []
    assert "Remove “Search: “astrophysics””" in html_of(response)


def test_search_is_a_removable_chip_and_stays_in_the_box(client, catalog):
    response = get_list(client, {"q": "imaging", "language": "en"})
    assert chips(response)["Search: “imaging”"] == "/programmes/?language=en"
    assert 'name="q" value="imaging"' in html_of(response)


def test_search_combines_with_filters(client, catalog):
    assert search(client, "imaging", language="en") == ["data-driven-health"]


def test_search_counts_in_facets(client, catalog):
    assert facet_counts(get_list(client, {"q": "imaging"}), "country") == {"AT": 1, "SE": 1}


def test_blank_search_lists_everything(client, catalog):
    assert len(search(client, "   ")) == 4


def test_search_text_is_shown_escaped(client, catalog):
    html = html_of(get_list(client, {"q": '<script>alert("x")</script>'}))
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_postgresql_search_matches_word_forms(client, catalog):
    # Stemming: "leader" finds the summary's "leaders", which a substring match would too,
    # but "trained" finds "trains" only through the stemmer.
    assert search(client, "trained") == ["data-driven-health"]


def test_default_sort_field_left_as_is_gives_best_match_once_a_search_starts(client, catalog):
    # The form sends its default sort as an empty value, which means best match while searching.
    assert search(client, "medical", sort="") == [
        "medical-data-science",
        "health-informatics",
        "applied-ai-in-healthcare",
    ]
    html = html_of(get_list(client))
    assert '<option value="" selected>Title, A to Z</option>' in html
