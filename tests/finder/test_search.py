"""The `q` search of the programme list, through its public address.

Both databases search the same words (programs/search/programme_documents.py) with their own
full-text index, FTS5 on SQLite and a GIN-indexed tsvector on PostgreSQL, so every test here runs
unchanged on each.
"""

import pytest

from tests.support.list_pages import chips, facet_counts, get_list, html_of, shown_slugs


def search(client, text, **params):
    return shown_slugs(get_list(client, {"q": text, **params}))


def test_search_finds_words_in_titles_regardless_of_case(client, catalog):
    # Health Informatics by its title, first; Data-driven Health by its description.
    assert search(client, "informatics") == ["health-informatics", "data-driven-health"]
    assert search(client, "INFORMATICS") == ["health-informatics", "data-driven-health"]


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


def test_search_words_match_the_start_of_words(client, catalog):
    # "Inform" is the start of "Informatics"; "formatics" is the start of no word.
    assert search(client, "inform")[0] == "health-informatics"
    assert search(client, "formatics") == []


def test_default_sort_field_left_as_is_gives_best_match_once_a_search_starts(client, catalog):
    # The form sends its default sort as an empty value, which means best match while searching.
    assert search(client, "medical", sort="") == [
        "medical-data-science",
        "health-informatics",
        "applied-ai-in-healthcare",
    ]
    html = html_of(get_list(client))
    assert '<option value="" selected>Title, A to Z</option>' in html


# The searches a walkthrough tried (issue 17, item 2).


def test_health_data_finds_every_programme_whose_text_says_so(client, catalog):
    # Each of the four says "health" (or "healthcare") and "data" somewhere: Medical Data
    # Science's title says only "data", Health Informatics' and Applied AI's only "health".
    # Data-driven Health has both in its title, so it comes first.
    found = search(client, "health data")
    assert found[0] == "data-driven-health"
    assert sorted(found) == [
        "applied-ai-in-healthcare",
        "data-driven-health",
        "health-informatics",
        "medical-data-science",
    ]


def test_search_finds_countries_and_cities(client, catalog):
    assert search(client, "Sweden") == ["data-driven-health"]
    assert search(client, "Stockholm") == ["data-driven-health"]
    assert search(client, "Germany") == ["medical-data-science"]
    # Accents are ignored both ways.
    assert search(client, "Osterreich") == ["applied-ai-in-healthcare"]
    assert search(client, "österreich") == ["applied-ai-in-healthcare"]


def test_search_finds_universities_by_any_word_of_their_names(client, catalog):
    assert search(client, "Politecnico") == ["health-informatics"]
    assert search(client, "politecnico milano") == ["health-informatics"]


def test_country_names_are_found_in_the_pages_language(client, catalog):
    for language, name in (("de", "Schweden"), ("it", "Svezia"), ("sv", "Sverige")):
        response = client.get(f"/{language}/programmes/", {"q": name})
        assert response.status_code == 200
        assert shown_slugs(response) == ["data-driven-health"], language
    response = client.get("/de/programmes/", {"q": "Österreich"})
    assert shown_slugs(response) == ["applied-ai-in-healthcare"]


def test_degree_abbreviations_find_their_degrees(client, catalog):
    # Data-driven Health and Medical Data Science award a Master of Science.
    masters_of_science = ["data-driven-health", "medical-data-science"]
    for spelling in ("MSc", "M.Sc.", "msc", "MS"):
        assert sorted(search(client, spelling)) == masters_of_science, spelling
    # No programme here is a Master of Arts, and "MA" is not the start of every "master".
    assert search(client, "MA") == []


def test_a_master_of_arts_is_found_as_ma_and_a_degree_given_as_msc_by_its_name(
    client, programme_factory
):
    programme_factory(slug="arts", title="Digital Humanities", degree="Master of Arts")
    programme_factory(slug="science", title="Statistics", degree="MSc")
    assert search(client, "MA") == ["arts"]
    assert search(client, "M.A.") == ["arts"]
    assert search(client, "master of science") == ["science"]


def test_search_finds_descriptions_and_module_titles(client, catalog):
    # Words found only in a description.
    assert search(client, "actionable") == ["data-driven-health"]
    assert search(client, "revolutionizing") == ["medical-data-science"]
    # "Medical Imaging & AI" is one of its module titles.
    assert "applied-ai-in-healthcare" in search(client, "medical imaging")


def test_a_title_hit_ranks_before_a_description_hit(client, programme_factory):
    programme_factory(slug="in-description", title="Alpha", description="Genomics for all.")
    programme_factory(slug="in-summary", title="Beta", summary="Genomics and more.")
    programme_factory(slug="in-title", title="Zeta Genomics")
    # Title, then summary, then description, although the titles sort the other way.
    assert search(client, "genomics") == ["in-title", "in-summary", "in-description"]
    # Equal ranks keep the title order, the same on every request.
    programme_factory(slug="also-in-title", title="Applied Genomics")
    assert search(client, "genomics") == [
        "also-in-title",
        "in-title",
        "in-summary",
        "in-description",
    ]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"health',
        "*",
        "health*",
        "NEAR",
        "NEAR(health data)",
        "health NEAR data",
        "-",
        "-health",
        ":",
        "title:health",
        "health AND OR NOT",
        "^health",
        "(health",
        "health & | ! <-> :*",
        "'",
        "\\",
        "%_",
        "\x01\x1b health",
        "health\u0000data",
        "x" * 5000,
        "health " * 300,
        "ﬁnance 健康 データ",
    ],
)
def test_search_syntax_of_any_kind_never_breaks_the_page(client, catalog, text):
    response = client.get("/programmes/", {"q": text})
    assert response.status_code in (200, 400)


def test_search_operators_are_read_as_words(client, catalog):
    # FTS syntax is not syntax here: quotes, stars, minus signs and colons separate words.
    assert sorted(search(client, '"health" -data*')) == sorted(search(client, "health data"))
    assert search(client, "NEAR") == []
    assert search(client, "Sweden:") == ["data-driven-health"]


def test_a_search_of_only_punctuation_finds_nothing(client, catalog):
    assert search(client, '"*:-') == []
