"""An archived edition's list answers every filter, search, sort and page as the live list did
when it was archived: for any query string (hypothesis), the same programmes in the same order,
the same facet counts and the same messages."""

import datetime
from decimal import Decimal

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.actions.editions import archive_edition, open_edition, publish_edition
from programs.actions.saving import programme_write
from programs.finder.edition_filters import EditionProgrammeFilter
from programs.finder.filters import SORT_CHOICES, ProgrammeFilter
from programs.models import (
    ApplicationDeadline,
    Programme,
    ProgrammeSearchDocument,
    Tuition,
    TuitionPeriod,
    University,
)
from programs.transfer.synthetic import generate_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    """A generated catalog of 60 programmes, some with deadlines and fees, some retired, one
    unpublished, archived as an edition."""
    generate_catalog(60, seed=7)
    programmes = list(Programme.objects.order_by("pk"))
    with programme_write() as write:
        for number, programme in enumerate(programmes[:12]):
            ApplicationDeadline.objects.create(
                programme=programme, deadline=datetime.date(2026, 1 + number % 12, 15)
            )
            Tuition.objects.create(
                programme=programme,
                amount=Decimal(500 * (number + 1)),
                currency="EUR" if number % 3 else "SEK",
                period=[TuitionPeriod.SEMESTER, TuitionPeriod.YEAR, TuitionPeriod.PROGRAMME][
                    number % 3
                ],
            )
            write.wrote(programme.pk)
        for programme in programmes[12:16]:
            programme.retired = True
            programme.save()
            write.wrote(programme.pk)
        programmes[16].published = False
        programmes[16].save()
        write.wrote(programmes[16].pk)
    edition = open_edition(2025, datetime.date(2025, 9, 1))
    publish_edition(edition)
    return archive_edition(edition)


def query_strings():
    """Query strings of the list's parameters, their values drawn from the catalog (and some
    that are not valid)."""
    words = sorted(
        {
            word
            for row in ProgrammeSearchDocument.objects.values_list("title_text", "main_text")
            for text in row
            for word in text.split()
        }
    )
    universities = list(University.objects.values_list("slug", flat=True)[:20])
    values = {
        "q": st.one_of(st.sampled_from(words), st.sampled_from(words).map(lambda w: w[:3])),
        "language": st.sampled_from(["en", "de", "it", "sv", "xx"]),
        "country": st.sampled_from(["DE", "SE", "IT", "AT", "NL", "zz"]),
        "university": st.sampled_from([*universities, "nowhere"]),
        "level": st.sampled_from(["master", "bachelor", "doctorate"]),
        "study_mode": st.sampled_from(["full-time", "part-time"]),
        "delivery": st.sampled_from(["on-campus", "online", "blended"]),
        "start": st.sampled_from(["winter", "summer", "autumn"]),
        "background": st.sampled_from(["computing", "life-sciences", "any"]),
        "ects_min": st.sampled_from(["60", "90", "120", "abc"]),
        "ects_max": st.sampled_from(["90", "120", "180"]),
        "field": st.sampled_from(["061", "068", "091", "051", "999"]),
        "duration_min": st.sampled_from(["2", "4", "6", "x"]),
        "duration_max": st.sampled_from(["3", "4", "8"]),
        "sort": st.sampled_from([key for key, _ in SORT_CHOICES]),
        "status": st.sampled_from(["current", "retired", "all"]),
        "apply_by": st.sampled_from(["2026-03-01", "2026-08-20", "2027-01-01"]),
        "tuition_max": st.sampled_from(["1000", "3000", "9000"]),
        "tuition_currency": st.sampled_from(["EUR", "SEK"]),
    }
    return st.lists(
        st.sampled_from(sorted(values)).flatmap(
            lambda name: values[name].map(lambda value: (name, value))
        ),
        max_size=5,
    )


def ordered_ids(filterset):
    ids = filterset.ids_in_order()
    if ids is None:
        return list(filterset.qs.values_list("pk", flat=True))
    return [int(pk) for pk in ids]


def answer(filterset):
    filterset.is_valid()
    return (
        vars(filterset.counts()),
        ordered_ids(filterset),
        [(name, str(message)) for name, _, message in filterset.problems()],
        [chip.label for chip in filterset.chips()],
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_an_archived_edition_lists_what_the_live_list_did(edition, data):
    pairs = data.draw(query_strings())
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    live = ProgrammeFilter(query, queryset=Programme.objects.published())
    archived = EditionProgrammeFilter(query, edition)
    assert answer(archived) == answer(live), query.urlencode()


def test_the_edition_index_holds_every_published_programme_once(edition):
    archived = EditionProgrammeFilter({"status": "all"}, edition)
    assert sorted(archived.ids_in_order()) == sorted(
        Programme.objects.published().values_list("pk", flat=True)
    )


def test_an_edition_archived_before_fields_and_durations_were_filtered_reads_them(edition):
    """Programmes frozen before the list filtered by field of study and duration hold neither
    in their fact rows: their field reads as not stated (never a guess), and their duration
    comes from what was frozen beside the row, so the bounds still select as the live list."""
    from programs.models import FrozenProgramme
    from programs.models.frozen_graphs import packed, unpacked
    from programs.search import edition_index
    from programs.search.facet_index import FACT_COLUMNS

    duration_at = 1 + FACT_COLUMNS.index("duration_semesters")
    facet_keys_at = 1 + len(FACT_COLUMNS)
    for frozen in FrozenProgramme.objects.all():
        facts = unpacked(frozen.facts)
        row = facts["row"]
        keys = row[facet_keys_at] or ""
        row[facet_keys_at] = "\n".join(
            line for line in keys.split("\n") if not line.startswith("field")
        )
        del row[duration_at]
        frozen.facts = packed(facts)[0]
        frozen.save(update_fields=["facts"])
    edition_index.forget()

    by_field = EditionProgrammeFilter(QueryDict("field=068"), edition)
    assert by_field.count() == 0
    field_facet = next(facet for facet in by_field.facets() if facet.name == "field")
    assert field_facet.options[0].count == 0 and field_facet.options[0].selected
    assert field_facet.unstated == EditionProgrammeFilter(QueryDict(""), edition).count()

    query = QueryDict("duration_min=4&duration_max=6")
    live = ProgrammeFilter(query, queryset=Programme.objects.published())
    archived = EditionProgrammeFilter(query, edition)
    assert 0 < archived.count() == live.count()
    assert archived.counts().duration_unknown == live.counts().duration_unknown > 0
