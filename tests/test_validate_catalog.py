"""validate_catalog: the real fixtures are consistent, and each kind of problem is reported."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from programs.catalog_validation import catalog_problems
from programs.models import ModuleKind, TrackKind
from tests import factories


def validate():
    out = io.StringIO()
    call_command("validate_catalog", stdout=out)
    return out.getvalue()


def problems_reported():
    """Run the command expecting failure; returns (printed problems, the error message)."""
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("validate_catalog", stdout=out)
    return out.getvalue(), str(error.value)


@pytest.fixture
def sourced_programme(db):
    """A programme with everything validate_catalog asks for, ready to be spoilt by one test."""
    return factories.ProgrammeFactory(
        slug="sample",
        duration_semesters=4,
        ects=90,
        source_document="000_sample.txt",
        source_url="https://example.org/sample",
        languages=[factories.LanguageFactory(code="en", name="English")],
    )


def test_the_transcribed_catalog_is_consistent(catalog):
    assert validate().strip() == "4 programme(s) checked: no problems."


def test_a_clean_programme_gets_the_clean_summary(sourced_programme):
    factories.SemesterFactory(programme=sourced_programme, number=4)
    assert "1 programme(s) checked: no problems." in validate()


def test_semester_beyond_the_standard_period_is_reported(sourced_programme):
    factories.SemesterFactory(programme=sourced_programme, number=5)
    printed, error = problems_reported()
    assert (
        "sample: semesters.number: semester 5 is beyond the standard period of 4 semesters"
        in printed
    )
    assert error == "1 problem(s) found in 1 programme(s)."


def test_track_and_module_semesters_beyond_the_period_are_reported(sourced_programme):
    factories.TrackFactory(
        programme=sourced_programme, name="Late track", kind=TrackKind.SPECIALISATION, semester=6
    )
    factories.ModuleFactory(programme=sourced_programme, position=2, semester=7)
    printed, _ = problems_reported()
    assert 'sample: tracks["Late track"].semester: semester 6 is beyond' in printed
    assert "sample: modules[2].semester: semester 7 is beyond" in printed


def test_tracks_sharing_a_semester_are_not_a_problem(sourced_programme):
    for name in ("Medical Aspects", "Computer Science Aspects"):
        factories.TrackFactory(
            programme=sourced_programme, name=name, kind=TrackKind.STARTING, semester=1
        )
    assert "no problems" in validate()


def test_module_credits_past_the_programme_total_are_reported(sourced_programme):
    for position, ects in enumerate((Decimal("60"), Decimal("30.5"))):
        factories.ModuleFactory(
            programme=sourced_programme, position=position, ects=ects, kind=ModuleKind.COMPULSORY
        )
    printed, _ = problems_reported()
    assert "sample: modules.ects: the modules' credits add up to 90.5 ECTS" in printed


def test_module_credits_are_not_checked_when_the_programme_total_is_unknown(sourced_programme):
    sourced_programme.ects = None
    sourced_programme.save()
    factories.ModuleFactory(programme=sourced_programme, ects=Decimal("500"))
    assert "no problems" in validate()


def test_a_language_code_outside_iso_639_1_is_reported(sourced_programme):
    # "xx" passes the database's two-letter check, but is no ISO 639-1 language.
    sourced_programme.languages.add(factories.LanguageFactory(code="xx", name="Unknown"))
    printed, _ = problems_reported()
    assert 'sample: languages: "xx" is not an ISO 639-1 language code' in printed


def test_a_requirements_original_language_outside_iso_639_1_is_reported(sourced_programme):
    factories.AdmissionRequirementFactory(
        programme=sourced_programme,
        position=0,
        original_text="Zur Einschreibung ...",
        original_language=factories.LanguageFactory(code="qq", name="Unknown"),
    )
    printed, _ = problems_reported()
    assert 'sample: admission_requirements[0].original_language: "qq" is not' in printed


@pytest.mark.parametrize("field", ["source_document", "source_url"])
def test_a_programme_without_its_source_is_reported(sourced_programme, field):
    setattr(sourced_programme, field, None)
    sourced_programme.save()
    printed, _ = problems_reported()
    assert f"sample: {field}: is missing: every programme must record its source" in printed


def test_every_problem_of_every_programme_is_printed(sourced_programme):
    factories.ProgrammeFactory(slug="unsourced")
    factories.SemesterFactory(programme=sourced_programme, number=9)
    printed, error = problems_reported()
    assert printed.count("unsourced: source_") == 2
    assert "sample: semesters.number" in printed
    assert error == "3 problem(s) found in 2 programme(s)."


def test_checking_runs_a_fixed_number_of_queries_whatever_the_catalog_size(
    catalog, django_assert_num_queries
):
    # One for the programmes, one per prefetched part: semesters, tracks, modules, languages and
    # translated admission requirements.
    with django_assert_num_queries(6):
        checked, problems = catalog_problems()
    assert (checked, problems) == (4, [])
