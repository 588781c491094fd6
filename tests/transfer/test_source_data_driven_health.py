"""Seed 002 (KTH, Data-driven Health) as loaded: what the text states, and only that."""

import datetime

import pytest

from programs.models import KeyFact, Programme


@pytest.fixture
def programme(catalog):
    return Programme.objects.get(slug="data-driven-health")


def test_key_facts_match_the_two_year_120_ects_english_programme(programme):
    assert programme.title == "Data-driven Health"
    assert programme.degree == "Master of Science"
    assert programme.level == "master"
    assert programme.ects == 120
    assert programme.duration_semesters == 4
    assert programme.duration_as_stated == "two years"
    assert list(programme.languages.values_list("code", flat=True)) == ["en"]


def test_kth_school_and_mainly_flemingsberg_campus_in_stockholm(programme):
    offerings = list(programme.offerings.select_related("university"))
    assert [(o.university.slug, o.role) for o in offerings] == [("kth", "sole")]
    assert offerings[0].university.short_name == "KTH"
    assert offerings[0].university.country == "SE"
    assert (
        programme.faculty == "School of Engineering Sciences in Chemistry, Biotechnology and Health"
    )
    # Audit item 4: "mainly offered at the KTH Flemingsberg campus": the "mainly" is kept.
    assert programme.campus == "KTH Flemingsberg campus (mainly)"
    # ... and so is the city's: the Campus row and the City row say the same.
    assert programme.city == "Stockholm (mainly)"


def test_four_semesters_is_the_catalogs_count_of_the_texts_two_years(programme):
    source = programme.fact_sources.get(fact=KeyFact.DURATION)
    assert source.source_quote == "This is a two-year programme (120 ECTS credits) in English."
    assert "'two-year programme'" in source.inferred_because
    assert "a year as two semesters" in source.inferred_because


def test_facts_the_text_does_not_state_are_null(programme):
    for field in ("start_term", "study_mode", "delivery", "tuition_type", "approval_status"):
        assert getattr(programme, field) is None, field
    assert programme.semesters.count() == 0
    assert programme.admission_requirements.count() == 0


def test_four_mandatory_first_year_courses_and_the_degree_project(programme):
    modules = list(programme.modules.order_by("position"))
    assert [(m.title, m.kind, m.year, m.semester) for m in modules] == [
        ("Statistics", "compulsory", 1, None),
        ("Machine Learning", "compulsory", 1, None),
        ("Databases and Warehouses", "compulsory", 1, None),
        ("Ethics and Socio-Cultural Perspectives on Technology", "compulsory", 1, None),
        ("Master's degree project", "thesis", 2, None),
    ]
    assert all(m.ects is None for m in modules)


def test_elective_and_project_areas_with_year_two_only_where_stated(programme):
    """Audit item 7: "advanced topics" electives and "advanced topics in different areas" in
    the second year are two separate sentences; the electives' year is not stated."""
    tracks = {t.name: (t.kind, t.year, t.semester) for t in programme.tracks.all()}
    assert tracks == {
        "Imaging": ("elective-area", None, None),
        "Distributed learning": ("elective-area", None, None),
        "Advanced topics": ("elective-area", None, None),
        "Sports": ("project-area", 2, None),
        "Physiology": ("project-area", 2, None),
        "Health systems": ("project-area", 2, None),
    }


def test_careers_list_sectors_fields_and_doctoral_studies(programme):
    careers = {}
    for career in programme.careers.all():
        careers.setdefault(career.kind, []).append(career.text)
    assert careers["sector"] == ["Industry", "Research", "Public sector"]
    assert careers["field"] == [
        "Engineering",
        "Analysis",
        "Data science",
        "Research",
        "Journalism",
        "Consulting",
    ]
    assert careers["further-study"] == ["An academic career and further doctoral studies"]
    assert "role" not in careers


def test_broken_sustainability_sentence_leaves_no_trace(programme):
    stored = " ".join(
        [programme.title, programme.summary, programme.description, programme.career_prospects]
    )
    assert "Best Practice" not in stored
    assert "sustainable development goals" not in stored


def test_provenance_names_the_source_file_and_public_page(programme):
    assert programme.source_document == "002_acfb288d9e3a5404.txt"
    assert programme.source_url == (
        "https://www.kth.se/en/studies/2.23106/master/data-driven-health/"
        "msc-data-driven-health-1.1338283"
    )
    assert programme.transcribed_on == datetime.date(2026, 11, 23)
