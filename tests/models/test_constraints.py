"""The database itself refuses impossible rows, whatever code writes them (admin, loader, shell)."""

import pytest
from django.db import IntegrityError, transaction

from programs.models import Language, Module, Programme, Semester, Track, University
from tests.support.factories import (
    ProgrammeFactory,
    SemesterFactory,
    TrackFactory,
    UniversityFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_a_programme_has_each_semester_number_once():
    programme = ProgrammeFactory()
    SemesterFactory(programme=programme, number=1)
    assert_refused(lambda: Semester.objects.create(programme=programme, number=1))


def test_semester_numbers_start_at_one():
    programme = ProgrammeFactory()
    assert_refused(lambda: Semester.objects.create(programme=programme, number=0))


def test_programme_ects_cannot_be_negative():
    programme = ProgrammeFactory()
    assert_refused(lambda: Programme.objects.filter(pk=programme.pk).update(ects=-1))


def test_programme_duration_is_at_least_one_semester():
    assert_refused(lambda: ProgrammeFactory(duration_semesters=0))


def test_module_ects_cannot_be_negative():
    programme = ProgrammeFactory()
    assert_refused(
        lambda: Module.objects.create(
            programme=programme, title="Statistics", kind="compulsory", ects=-5
        )
    )


def test_module_semester_starts_at_one():
    programme = ProgrammeFactory()
    assert_refused(
        lambda: Module.objects.create(
            programme=programme, title="Thesis", kind="thesis", semester=0
        )
    )


def test_track_names_are_unique_within_a_programme():
    track = TrackFactory(name="Data Analytics")
    assert_refused(lambda: TrackFactory(programme=track.programme, name="Data Analytics"))


def test_track_year_starts_at_one():
    assert_refused(
        lambda: Track.objects.create(
            programme=ProgrammeFactory(), name="x", kind="starting", year=0
        )
    )


def test_a_university_offers_a_programme_once():
    university = UniversityFactory()
    programme = ProgrammeFactory(universities=[university])
    assert_refused(lambda: programme.offerings.create(university=university))


def test_programme_slugs_are_unique():
    ProgrammeFactory(slug="health-informatics")
    assert_refused(lambda: ProgrammeFactory(slug="health-informatics"))


@pytest.mark.parametrize("code", ["EN", "e1", "x", ""])
def test_language_codes_are_two_lowercase_letters(code):
    assert_refused(lambda: Language.objects.create(code=code, name="Broken"))


@pytest.mark.parametrize("country", ["de", "D1", "X", ""])
def test_university_country_is_an_iso_alpha2_code(country):
    assert_refused(
        lambda: University.objects.create(name="Nowhere", slug="nowhere", country=country)
    )


def test_valid_rows_are_accepted():
    """The constraints refuse only what is wrong: a full, sensible programme saves."""
    programme = ProgrammeFactory(ects=120, duration_semesters=4)
    Semester.objects.create(programme=programme, number=4)
    Module.objects.create(programme=programme, title="Thesis", kind="thesis", semester=4, ects=30)
    Language.objects.update_or_create(code="sv", defaults={"name": "Swedish"})
    assert programme.semesters.count() == 1
