"""Browsing by subject and by length: the `field` (ISCED-F 2013 narrow field) and the
`duration_min` / `duration_max` (semesters) parameters of the programme list.

The four transcribed programmes don't name a field: the catalog infers each as 068 (ICT in an
inter-disciplinary programme) and says why; their durations are all four semesters. The tests
that need other values add programmes of their own.
"""

import csv
import io

import pytest
from django.utils import translation

from programs.core.fields_of_study import FieldOfStudy, field_label
from programs.models import FactSource, KeyFact, Programme
from tests.support import factories
from tests.support.list_pages import (
    chips,
    facet_counts,
    facet_hint,
    facet_inferred,
    get_list,
    html_of,
    marked_invalid,
    shown_slugs,
    text_of,
)

ALL = [
    "applied-ai-in-healthcare",
    "data-driven-health",
    "health-informatics",
    "medical-data-science",
]


@pytest.fixture
def more_programmes(catalog):
    """Beside the catalog: a health programme (stated field, 6 semesters), a computing one
    (2 semesters, field not stated) and one stating neither."""
    factories.ProgrammeFactory(
        slug="nursing", title="Nursing", field_of_study=FieldOfStudy.HEALTH, duration_semesters=6
    )
    factories.ProgrammeFactory(slug="computing", title="Computing", duration_semesters=2)
    factories.ProgrammeFactory(slug="unknown", title="Unknown")


# --- field of study -------------------------------------------------------------------------


def test_the_transcribed_programmes_have_their_field_inferred_with_a_reason(catalog):
    for programme in Programme.objects.all():
        assert programme.field_of_study == FieldOfStudy.ICT_INTERDISCIPLINARY
        source = FactSource.objects.get(programme=programme, fact=KeyFact.FIELD_OF_STUDY)
        # Inferred, never stated: no source text gives an ISCED code.
        assert source.inferred_because.startswith("The source names no field of study.")
        assert "068" in source.inferred_because
        assert source.source_quote  # the words the inference rests on


def test_field_filter_gives_the_programmes_of_that_field(client, more_programmes):
    assert shown_slugs(get_list(client, {"field": "091"})) == ["nursing"]
    assert shown_slugs(get_list(client, {"field": "068"})) == ALL


def test_repeated_field_means_any_of_them(client, more_programmes):
    assert shown_slugs(get_list(client, {"field": ["091", "068"]})) == [*ALL, "nursing"]


def test_field_facet_counts_each_field_and_its_inferences(client, more_programmes):
    response = get_list(client)
    assert facet_counts(response, "field") == {"068": 4, "091": 1}
    assert facet_inferred(response, "field") == {"068": "4 inferred", "091": ""}
    # The two programmes stating no field are counted as such, not under any option.
    assert "2 programmes don\N{RIGHT SINGLE QUOTATION MARK}t state this" in facet_hint(
        response, "field"
    )


def test_field_facet_is_counted_without_its_own_choice(client, more_programmes):
    response = get_list(client, {"field": "091"})
    assert facet_counts(response, "field") == {"068": 4, "091": 1}
    assert facet_counts(get_list(client, {"language": "de"}), "field") == {"068": 1}


def test_field_options_read_with_name_and_code(client, more_programmes):
    html = html_of(get_list(client))
    assert "Health (091)" in html
    assert (
        "Inter-disciplinary programmes and qualifications involving Information and "
        "Communication Technologies (ICTs) (068)"
    ) in html


def test_a_chosen_field_is_a_chip_with_its_remove_link(client, more_programmes):
    found = chips(get_list(client, {"field": "091", "language": "en"}))
    assert found["Field of study: Health (091)"] == "/programmes/?language=en"


@pytest.mark.parametrize("value", ["999", "health", "91", "0910"])
def test_an_unknown_field_is_marked_with_a_clear_message(client, catalog, value):
    response = get_list(client, {"field": value})
    assert response.status_code == 200
    assert marked_invalid(response, "id_field")
    assert f"“{value}” is not a field of study we list" in text_of(html_of(response))
    assert shown_slugs(response) == ALL


def test_a_bad_field_next_to_a_good_one_keeps_the_good_one(client, more_programmes):
    response = get_list(client, {"field": ["091", "zzz"]})
    assert shown_slugs(response) == ["nursing"]
    assert "“zzz” is not a field of study we list" in text_of(html_of(response))


@pytest.mark.parametrize(
    ("prefix", "health"),
    [("de", "Gesundheit"), ("it", "Sanità"), ("sv", "Hälso- och sjukvård")],
)
def test_field_names_are_in_the_pages_language(client, more_programmes, prefix, health):
    response = client.get(f"/{prefix}/programmes/")
    text = text_of(html_of(response))
    assert f"{health} (091)" in text
    with translation.override(prefix):
        label = str(FieldOfStudy.ICT_INTERDISCIPLINARY.label)
        facet = str(Programme._meta.get_field("field_of_study").verbose_name)
    assert f"{label} (068)" in text
    assert "Inter-disciplinary" not in text
    assert facet.lower() in text.lower()


def test_every_field_has_a_three_digit_code_and_a_translated_name():
    codes = [code for code, _ in FieldOfStudy.choices]
    assert len(codes) == len(set(codes)) and all(len(c) == 3 and c.isdigit() for c in codes)
    with translation.override("en"):
        english = {code: str(FieldOfStudy(code).label) for code in codes}
    for language in ("de", "it", "sv"):
        with translation.override(language):
            names = {code: str(FieldOfStudy(code).label) for code in codes}
        untranslated = [code for code in codes if names[code] == english[code]]
        assert untranslated == [], language
    assert field_label("091") == "Health (091)"
    assert field_label(None) is None


def test_the_programme_page_shows_the_field_inferred_and_links_to_its_list(client, catalog):
    html = html_of(client.get("/programmes/data-driven-health/"))
    fact = html[html.index("<dt>Field of study</dt>") :]
    fact = fact[: fact.index("</div>")]
    assert 'href="/programmes/?field=068"' in fact
    assert "inferred" in text_of(fact).lower()
    assert "The source names no field of study" in text_of(fact)


def test_the_card_shows_the_field(client, more_programmes):
    response = get_list(client, {"field": "091"})
    card = html_of(response)[html_of(response).index('id="programme-nursing"') :]
    assert "Health (091)" in text_of(card[: card.index("</article>")])


def test_the_csv_export_has_the_field(client, more_programmes):
    response = client.get("/programmes/export.csv", {"field": ["091", "068"]})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    fields = {row["title"]: row["field_of_study"] for row in rows}
    assert fields["Nursing"] == "Health (091)"
    assert fields["Health Informatics"].endswith("(068)")
    inferred = {row["title"]: row["inferred"] for row in rows}
    assert "field_of_study" not in inferred["Nursing"]
    assert "field_of_study" in inferred["Health Informatics"]


# --- duration --------------------------------------------------------------------------------


def test_duration_min_is_inclusive_and_leaves_out_unstated_durations(client, more_programmes):
    response = get_list(client, {"duration_min": "4"})
    assert shown_slugs(response) == [*ALL, "nursing"]
    # "Unknown" states no duration: left out, and counted as such.
    assert "1 programme left out because its duration is not stated." in text_of(html_of(response))
    assert shown_slugs(get_list(client, {"duration_min": "5"})) == ["nursing"]


def test_duration_max_is_inclusive(client, more_programmes):
    assert shown_slugs(get_list(client, {"duration_max": "2"})) == ["computing"]
    assert shown_slugs(get_list(client, {"duration_max": "1"})) == []


def test_duration_range_gives_programmes_between_both_bounds(client, more_programmes):
    response = get_list(client, {"duration_min": "3", "duration_max": "5"})
    assert shown_slugs(response) == ALL
    labels = chips(response)
    assert "At least 3 semesters" in labels
    assert "At most 5 semesters" in labels


def test_unknown_duration_count_respects_the_other_filters(client, more_programmes):
    response = get_list(client, {"duration_min": "4", "field": "091"})
    assert shown_slugs(response) == ["nursing"]
    assert "left out because" not in text_of(html_of(response))


def test_no_unknown_duration_note_without_a_duration_bound(client, more_programmes):
    assert "left out because" not in text_of(html_of(get_list(client)))


@pytest.mark.parametrize(
    ("params", "field_id", "message"),
    [
        ({"duration_min": "four"}, "id_duration_min", "Enter a whole number."),
        ({"duration_max": "-1"}, "id_duration_max", "greater than or equal to 0"),
        ({"duration_min": "101"}, "id_duration_min", "less than or equal to 100"),
        (
            {"duration_min": "6", "duration_max": "4"},
            "id_duration_max",
            "The longest duration must not be below the shortest.",
        ),
    ],
)
def test_bad_duration_bounds_are_marked_not_refused(
    client, more_programmes, params, field_id, message
):
    response = get_list(client, params)
    assert response.status_code == 200
    assert marked_invalid(response, field_id)
    assert message in text_of(html_of(response))
