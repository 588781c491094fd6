"""Bad parameters on the programme list and export: a marked field and a plain message, never 500.

The list answers 200 with the bad field marked (aria-invalid, and a message beside it tied with
aria-describedby) and applies the filters that were fine; the export answers 400 in plain text,
as a half-filtered download would be misleading.
"""

import re

import pytest
from django.urls import reverse

from programs.finder.filters import ProgrammeFilter
from tests.support import factories
from tests.support.list_pages import get_list, html_of, marked_invalid, shown_slugs

PROBLEM_SUMMARY = "Some of what you asked for could not be used as it was"

# (query parameters, id of the field that must be marked, message shown beside it)
BAD_FIELDS = [
    ({"ects_min": "abc"}, "id_ects_min", "Enter a whole number."),
    ({"ects_min": "12.5"}, "id_ects_min", "Enter a whole number."),
    ({"ects_min": "-5"}, "id_ects_min", "greater than or equal to 0"),
    ({"ects_max": "9" * 40}, "id_ects_max", "less than or equal to 1000"),
    ({"ects_max": "1e400"}, "id_ects_max", "Enter a whole number."),
    ({"ects_max": "NaN"}, "id_ects_max", "Enter a whole number."),
    ({"ects_min": "120", "ects_max": "90"}, "id_ects_max", "must not be below the minimum"),
    ({"language": "xx"}, "id_language", "“xx” is not a teaching language we list."),
    ({"language": "english"}, "id_language", "is not a teaching language we list."),
    ({"university": "nowhere"}, "id_university", "“nowhere” is not a university we list."),
    ({"country": "Germany"}, "id_country", "two-letter code"),
    ({"level": "phd"}, "id_level", "Choose a level from the list."),
    ({"study_mode": "weekends"}, "id_study_mode", "Choose a study mode from the list."),
    ({"delivery": "pigeon"}, "id_delivery", "Choose a kind of delivery from the list."),
    ({"start": "never"}, "id_start", "Choose a start term from the list."),
    ({"background": "astronaut"}, "id_background", "Choose a background from the list."),
    ({"sort": "drop"}, "id_sort", "Choose a sort order from the list."),
    ({"sort": "relevance"}, "id_sort", "Sorting by best match needs a search text."),
    (
        {"sort": "title; DROP TABLE programs_programme"},
        "id_sort",
        "Choose a sort order from the list.",
    ),
]


@pytest.mark.parametrize(("params", "field_id", "message"), BAD_FIELDS)
def test_bad_value_is_marked_beside_its_field(client, catalog, params, field_id, message):
    response = get_list(client, params)
    html = html_of(response)
    assert marked_invalid(response, field_id)
    name = field_id.removeprefix("id_")
    beside = re.search(rf'<p class="field-error" id="{name}-message">(.*?)</p>', html, re.S)
    assert beside, f"no message beside {name}"
    assert message in beside.group(1).replace("&quot;", '"')
    # The message may be one of several descriptions (the background's also has its hint).
    assert re.search(rf'aria-describedby="(?:[\w-]+ )*{name}-message(?: [\w-]+)*"', html)
    assert PROBLEM_SUMMARY in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ects_min": "abc", "language": "de"}, ["medical-data-science"]),
        (
            {"language": "xx", "background": "computing"},
            ["health-informatics", "medical-data-science"],
        ),
        ({"country": "Germany", "ects_min": "100"}, ["data-driven-health"]),
        ({"sort": "drop", "ects_max": "120"}, ["data-driven-health", "medical-data-science"]),
        # The minimum is fine on its own; only the maximum below it is refused.
        ({"ects_min": "120", "ects_max": "90"}, ["data-driven-health"]),
    ],
)
def test_bad_value_is_ignored_and_the_other_filters_still_apply(client, catalog, params, expected):
    assert shown_slugs(get_list(client, params)) == expected


@pytest.mark.parametrize(
    "name",
    list(ProgrammeFilter.base_filters),
)
def test_nul_byte_in_any_parameter_is_refused_with_the_field_marked(client, catalog, name):
    response = get_list(client, {name: "en\x00"})
    assert marked_invalid(response, f"id_{name}")
    assert PROBLEM_SUMMARY in html_of(response)
    assert "\x00" not in html_of(response)


@pytest.mark.parametrize("name", ["q", "language", "university", "country"])
def test_nul_byte_in_text_says_why(client, catalog, name):
    html = html_of(get_list(client, {name: "a\x00b"}))
    assert "Null characters are not allowed." in html


def test_nul_byte_in_page_number_gives_the_first_page(client, catalog):
    response = get_list(client, {"page": "2\x00"})
    assert "The page number was not a number, so here is the first page." in html_of(response)
    assert len(shown_slugs(response)) == 4


def test_unknown_parameters_and_nul_in_names_are_ignored(client, catalog):
    response = get_list(client, {"colour": "blue", "q\x00": "x", "language": "de"})
    assert shown_slugs(response) == ["medical-data-science"]
    assert PROBLEM_SUMMARY not in html_of(response)


def test_undecodable_bytes_are_a_bad_value_not_an_error(client, catalog):
    response = client.get(reverse("programs:programme-list") + "?language=%ff%fe")
    assert response.status_code == 200
    assert marked_invalid(response, "id_language")
    response = client.get(reverse("programs:programme-list") + "?q=%c3%28&country=%e9")
    assert response.status_code == 200
    # No country has a programme matching that search, so there is no box to mark: the
    # country group says what was wrong.
    assert 'id="country-message"' in html_of(response)


def test_very_long_search_is_cut_to_200_characters_with_a_note(client, catalog):
    response = get_list(client, {"q": "imaging " + "x" * 5000})
    html = html_of(response)
    assert "only its first 200 were searched for" in html
    assert 'aria-describedby="q-message"' in html
    assert shown_slugs(response) == []  # the 200 characters still contain the long word


def test_long_search_of_many_words_still_answers(client, catalog):
    response = get_list(client, {"q": " ".join(["imaging"] * 100)})
    assert set(shown_slugs(response)) == {"applied-ai-in-healthcare", "data-driven-health"}


@pytest.fixture
def three_pages(db):
    factories.ProgrammeFactory.create_batch(45)


@pytest.mark.parametrize(
    ("page", "shown_page", "message"),
    [
        ("9999", 3, "There is no page 9999; these results end on page 3, shown here."),
        ("abc", 1, "The page number was not a number, so here is the first page."),
        ("0", 1, "Pages are counted from 1, so here is the first page."),
        ("-2", 1, "Pages are counted from 1, so here is the first page."),
        ("9" * 5000, 1, "The page number was not a number, so here is the first page."),
    ],
)
def test_unusable_page_numbers_show_a_real_page_and_say_so(
    client, three_pages, page, shown_page, message
):
    response = get_list(client, {"page": page})
    html = html_of(response)
    assert message in html
    assert f"page {shown_page} of 3" in html


def test_page_beyond_the_end_of_an_empty_result_shows_the_empty_message(client, catalog):
    response = get_list(client, {"language": "de", "country": "SE", "page": "4"})
    assert "No programme matches all of these filters." in html_of(response)


def test_good_input_shows_no_problem_message(client, catalog):
    html = html_of(get_list(client, {"language": "de", "ects_min": "10", "sort": "-ects"}))
    assert PROBLEM_SUMMARY not in html
    assert 'aria-invalid="true"' not in html


def test_post_is_not_allowed(client, catalog):
    assert client.post(reverse("programs:programme-list")).status_code == 405


@pytest.mark.parametrize(
    "params",
    [{"ects_min": "abc"}, {"language": "xx"}, {"page": "x", "sort": "drop"}]
    + [{name: "\x00"} for name in ProgrammeFilter.base_filters],
)
def test_export_refuses_bad_parameters_with_a_plain_400(client, catalog, params):
    response = client.get(reverse("programs:programme-export"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "The export was not made" in response.content.decode()


def test_export_ignores_a_bad_page_number(client, catalog):
    response = client.get(reverse("programs:programme-export"), {"page": "abc"})
    assert response.status_code == 200


def test_a_search_with_a_control_character_still_gives_a_feed(client, db):
    response = client.get("/changes/feed.atom", {"q": "\x1b"})
    assert response.status_code == 200
    assert b"\x1b" not in response.content


def country_codes(count):
    """`count` distinct two-letter codes, as a crafted address would list them."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [a + b for a in letters for b in letters][:count]


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("country", country_codes(338)),
        ("language", ["en", "de", "xx"] * 20),
        ("university", [f"nowhere-{n}" for n in range(31)]),
        ("level", ["master"] * 31),
    ],
)
def test_too_many_values_for_one_filter_are_refused_with_a_message(client, catalog, name, values):
    """Each value is an option and a chip whose link repeats the whole query: 338 countries
    made a 3.7 MB page. More than 30 are refused, beside the field, and not applied."""
    response = get_list(client, [(name, value) for value in values])
    html = html_of(response)

    assert len(response.content) < 200_000
    beside = re.search(rf'<p class="field-error" id="{name}-message">(.*?)</p>', html, re.S)
    assert beside, f"no message beside {name}"
    assert f"At most 30 can be chosen at once; the address names {len(values)}." in beside.group(1)
    assert PROBLEM_SUMMARY in html
    assert len(shown_slugs(response)) == 4  # the filter was not applied, and the page says so

    export = client.get(reverse("programs:programme-export"), [(name, v) for v in values])
    assert export.status_code == 400
    assert "At most 30 can be chosen at once" in export.content.decode()


def test_thirty_values_for_one_filter_are_still_applied(client, catalog):
    response = get_list(client, [("country", code) for code in ["SE", *country_codes(29)]])
    assert PROBLEM_SUMMARY not in html_of(response)
    assert len(shown_slugs(response)) < 4
