"""Each filter parameter of the programme list, alone and combined, on the real catalog.

The facts come from fixtures/ (the four transcribed programmes): Medical Data Science is taught in
German and English with 90 ECTS; Data-driven Health in English with 120; Health Informatics in
English with ECTS not stated; Applied AI in Healthcare states neither ECTS nor language.
"""

import pytest

from tests.support import factories
from tests.support.list_pages import (
    chips,
    facet_counts,
    facet_options,
    get_list,
    html_of,
    marked_invalid,
    shown_slugs,
)

MDS = "medical-data-science"
ALL = [
    "applied-ai-in-healthcare",
    "data-driven-health",
    "health-informatics",
    "medical-data-science",
]


def slugs(client, params):
    return shown_slugs(get_list(client, params))


def test_without_filters_every_published_programme_is_listed_by_title(client, catalog):
    assert slugs(client, {}) == ALL


def test_home_page_is_the_same_list(client, catalog):
    response = client.get("/", {"language": "de"})
    assert response.status_code == 200
    assert shown_slugs(response) == ["medical-data-science"]


def test_drafts_are_not_listed(client, catalog):
    factories.ProgrammeFactory(title="Secret draft", slug="secret-draft", published=False)
    assert "secret-draft" not in slugs(client, {})


def test_language_de_gives_exactly_the_programme_taught_in_german(client, catalog):
    assert slugs(client, {"language": "de"}) == ["medical-data-science"]


def test_language_filter_keeps_bilingual_programmes(client, catalog):
    assert slugs(client, {"language": "en"}) == [
        "data-driven-health",
        "health-informatics",
        "medical-data-science",
    ]


def test_repeated_language_means_any_of_them_and_lists_each_programme_once(client, catalog):
    assert slugs(client, [("language", "de"), ("language", "en")]) == [
        "data-driven-health",
        "health-informatics",
        "medical-data-science",
    ]


def test_ects_min_is_inclusive_and_leaves_out_programmes_with_unknown_ects(client, catalog):
    response = get_list(client, {"ects_min": "100"})
    assert shown_slugs(response) == ["data-driven-health"]
    assert "2 programmes left out because their ECTS credits are not stated." in html_of(response)
    assert shown_slugs(get_list(client, {"ects_min": "120"})) == ["data-driven-health"]


def test_ects_max_is_inclusive(client, catalog):
    assert slugs(client, {"ects_max": "90"}) == ["medical-data-science"]
    assert slugs(client, {"ects_max": "89"}) == []


def test_ects_range_gives_programmes_between_both_bounds(client, catalog):
    assert slugs(client, {"ects_min": "90", "ects_max": "120"}) == [
        "data-driven-health",
        "medical-data-science",
    ]


def test_unknown_ects_count_respects_the_other_filters(client, catalog):
    response = get_list(client, {"ects_min": "100", "language": "en"})
    assert shown_slugs(response) == ["data-driven-health"]
    # Of the English programmes only Health Informatics has no stated ECTS.
    assert "1 programme left out because its ECTS credits are not stated." in html_of(response)


def test_no_unknown_ects_note_without_an_ects_bound(client, catalog):
    assert "left out because" not in html_of(get_list(client, {"language": "en"}))


def test_country_gives_programmes_of_a_university_in_that_country(client, catalog):
    assert slugs(client, {"country": "IT"}) == ["health-informatics"]
    assert slugs(client, {"country": "SE"}) == ["data-driven-health"]


def test_country_code_is_case_insensitive(client, catalog):
    assert slugs(client, {"country": "de"}) == ["medical-data-science"]


def test_university_gives_programmes_it_offers_alone_or_jointly(client, catalog):
    assert slugs(client, {"university": "polimi"}) == ["health-informatics"]
    assert slugs(client, {"university": "unisr"}) == ["health-informatics"]


def test_repeated_university_means_any_of_them(client, catalog):
    assert slugs(client, [("university", "kth"), ("university", "rwth-aachen")]) == [
        "data-driven-health",
        "medical-data-science",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "master"}, ALL),
        ({"level": "bachelor"}, []),
        ({"study_mode": "part-time"}, ["medical-data-science"]),
        ({"study_mode": "full-time"}, []),
        ({"delivery": "blended"}, ["medical-data-science"]),
        ({"start": "winter"}, ["medical-data-science"]),
        ({"background": "computing"}, ["health-informatics", "medical-data-science"]),
        ({"background": "life-sciences"}, ["health-informatics", "medical-data-science"]),
    ],
)
def test_choice_filters_match_the_stated_fact_only(client, catalog, params, expected):
    assert slugs(client, params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"language": "en", "country": "IT"}, ["health-informatics"]),
        ({"language": "en", "ects_min": "100"}, ["data-driven-health"]),
        ({"language": "de", "background": "computing"}, ["medical-data-science"]),
        ({"language": "de", "country": "SE"}, []),
        ({"q": "imaging", "language": "en"}, ["data-driven-health"]),
        ({"university": "kth", "ects_max": "100"}, []),
        (
            {"level": "master", "background": "life-sciences", "country": "IT", "language": "en"},
            ["health-informatics"],
        ),
    ],
)
def test_filters_combine_with_and(client, catalog, params, expected):
    assert slugs(client, params) == expected


def test_language_facet_counts_programmes_per_language(client, catalog):
    response = get_list(client)
    assert facet_options(response, "language") == {
        "en": ("English", 3, False),
        "de": ("German", 1, False),
    }


def test_facet_counts_apply_the_other_filters_but_not_their_own(client, catalog):
    response = get_list(client, {"language": "de"})
    # Its own facet ignores the language choice, so picking English too is still offered.
    assert facet_counts(response, "language") == {"en": 3, "de": 1}
    assert facet_options(response, "language")["de"] == ("German", 1, True)
    # Other facets count only German-taught programmes.
    assert facet_counts(response, "country") == {"DE": 1}
    assert facet_counts(response, "background") == {"computing": 1, "life-sciences": 1}


def test_country_and_university_facets_count_joint_programmes_once(client, catalog):
    response = get_list(client)
    assert facet_counts(response, "country") == {"AT": 1, "DE": 1, "IT": 1, "SE": 1}
    assert facet_counts(response, "university") == {
        "kth": 1,
        "polimi": 1,
        "rwth-aachen": 1,
        "fh-salzburg": 1,
        "unisr": 1,
    }
    assert facet_options(response, "country")["IT"][0] == "Italy"


def test_facets_leave_out_unstated_facts(client, catalog):
    response = get_list(client)
    assert facet_counts(response, "study_mode") == {"part-time": 1}
    assert facet_counts(response, "level") == {"master": 4}


def test_chosen_option_with_no_programmes_left_is_still_shown_with_zero(client, catalog):
    response = get_list(client, {"language": "de", "country": "SE"})
    assert facet_options(response, "language")["de"] == ("German", 0, True)
    assert facet_options(response, "country")["SE"] == ("Sweden", 0, True)


def test_facet_labels_show_counts_in_the_page(client, catalog):
    html = html_of(get_list(client))
    assert 'English <span class="count">(3)</span>' in html
    assert 'Part-time <span class="count">(1)</span>' in html


ENGLISH = ["data-driven-health", "health-informatics", "medical-data-science"]


def test_a_bad_language_next_to_a_good_one_keeps_the_good_one_and_is_marked(client, catalog):
    response = get_list(client, [("language", "en"), ("language", "xx")])
    assert shown_slugs(response) == ENGLISH
    assert marked_invalid(response, "id_language")
    assert "“xx” is not a teaching language we list." in html_of(response)
    assert facet_options(response, "language")["en"][2], "English stays ticked"


def test_a_bad_university_next_to_a_good_one_keeps_the_good_one(client, catalog):
    response = get_list(client, [("university", "nowhere"), ("university", "kth")])
    assert shown_slugs(response) == ["data-driven-health"]
    assert marked_invalid(response, "id_university")


def test_language_code_in_another_case_is_the_same_language(client, catalog):
    response = get_list(client, [("language", "en"), ("language", "EN")])
    assert shown_slugs(response) == ENGLISH
    assert "could not be used" not in html_of(response)
    assert slugs(client, {"language": "De"}) == ["medical-data-science"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "Master"}, ALL),
        ({"study_mode": "PART-TIME"}, ["medical-data-science"]),
        ({"delivery": "Blended"}, ["medical-data-science"]),
        ({"start": "WINTER"}, ["medical-data-science"]),
        ({"background": "Computing"}, ["health-informatics", "medical-data-science"]),
    ],
)
def test_choice_values_in_another_case_are_accepted(client, catalog, params, expected):
    response = get_list(client, params)
    assert shown_slugs(response) == expected
    assert "could not be used" not in html_of(response)
    name, value = next(iter(params.items()))
    assert facet_options(response, name)[value.lower()][2], "the option is shown as chosen"


# Repeatable filters: values of one parameter are alternatives ("Sweden or Italy").


def test_repeated_country_means_any_of_them(client, catalog):
    assert slugs(client, [("country", "SE"), ("country", "IT")]) == [
        "data-driven-health",
        "health-informatics",
    ]


def test_repeated_country_in_any_case_counts_each_country_once(client, catalog):
    response = get_list(client, [("country", "se"), ("country", "SE"), ("country", "it")])
    assert shown_slugs(response) == ["data-driven-health", "health-informatics"]
    chosen = {value for value, (_, _, on) in facet_options(response, "country").items() if on}
    assert chosen == {"SE", "IT"}


@pytest.mark.parametrize(
    ("name", "values", "expected"),
    [
        ("study_mode", ["part-time", "full-time"], ["full-time-online", "medical-data-science"]),
        ("delivery", ["blended", "online"], ["full-time-online", "medical-data-science"]),
        ("level", ["bachelor", "master"], [*ALL, "full-time-online"]),
        ("start", ["winter", "summer"], ["full-time-online", "medical-data-science"]),
        ("background", ["computing", "life-sciences"], ["health-informatics", MDS]),
    ],
)
def test_every_choice_filter_is_repeatable_and_means_any_value(
    client, catalog, name, values, expected
):
    factories.ProgrammeFactory(
        title="Full-time online",
        slug="full-time-online",
        level="bachelor",
        study_mode="full-time",
        delivery="online",
        start_term="summer",
    )
    assert sorted(slugs(client, [(name, value) for value in values])) == sorted(expected)


def test_repeated_filters_still_combine_with_the_others_by_and(client, catalog):
    params = [("country", "SE"), ("country", "DE"), ("language", "de")]
    assert slugs(client, params) == ["medical-data-science"]


def test_country_facet_counts_stay_exact_with_two_countries_chosen(client, catalog):
    response = get_list(client, [("country", "SE"), ("country", "IT"), ("language", "en")])
    # Each country's count applies the other filters (English) but not the country choice.
    assert facet_counts(response, "country") == {"DE": 1, "IT": 1, "SE": 1}
    # The language counts apply "Sweden or Italy": two programmes, both in English.
    assert facet_counts(response, "language") == {"en": 2}


def test_a_bad_country_next_to_a_good_one_keeps_the_good_one_and_is_marked(client, catalog):
    response = get_list(client, [("country", "SE"), ("country", "Sweden")])
    assert shown_slugs(response) == ["data-driven-health"]
    assert marked_invalid(response, "id_country")
    assert "two-letter code" in html_of(response)


def test_each_chosen_country_is_a_chip_with_its_own_remove_link(client, catalog):
    response = get_list(client, [("country", "SE"), ("country", "IT")])
    found = chips(response)
    assert found["Country: Sweden"] == "/programmes/?country=IT"
    assert found["Country: Italy"] == "/programmes/?country=SE"
