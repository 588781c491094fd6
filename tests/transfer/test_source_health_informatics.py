"""Seed 003 (UniSR + Politecnico di Milano, Health Informatics): facts, not marketing."""

import datetime

import pytest

from programs.models import KeyFact, Programme
from programs.transfer.fixtures_check import SOURCES_DIR


def _source_text(programme):
    return (SOURCES_DIR / programme.source_document).read_text(encoding="utf-8")


@pytest.fixture
def programme(catalog):
    return Programme.objects.get(slug="health-informatics")


def test_key_facts_two_years_in_english_without_stated_credits(programme):
    assert programme.title == "Health Informatics"
    assert programme.degree == "Master's Degree"
    assert programme.level == "master"
    assert programme.duration_semesters == 4
    assert programme.duration_as_stated == "two years"
    assert list(programme.languages.values_list("code", flat=True)) == ["en"]
    assert programme.ects is None
    assert programme.faculty == "Medicine and Surgery"
    assert programme.approval_status == "under ministerial approval"


def test_joint_degree_of_unisr_and_politecnico_di_milano(programme):
    assert programme.is_joint_degree is True
    offerings = list(programme.offerings.select_related("university").order_by("position"))
    assert [(o.university.slug, o.role) for o in offerings] == [
        ("unisr", "joint"),
        ("polimi", "joint"),
    ]
    assert [(o.university.short_name, o.university.city) for o in offerings] == [
        ("UniSR", "Milan"),
        ("POLIMI", "Milan"),
    ]


def test_four_semesters_is_the_catalogs_count_of_the_texts_two_years(programme):
    source = programme.fact_sources.get(fact=KeyFact.DURATION)
    assert source.source_quote == "This two-year program, taught in English"
    assert "'two-year program'" in source.inferred_because
    assert "It does not turn the years into ECTS credits." in source.inferred_because


def test_facts_the_text_does_not_state_are_null(programme):
    for field in ("start_term", "study_mode", "delivery", "tuition_type", "campus", "city"):
        assert getattr(programme, field) is None, field
    assert programme.semesters.count() == 0


def test_admission_is_by_test(programme):
    requirements = list(programme.admission_requirements.all())
    assert [(r.kind, r.text) for r in requirements] == [("test", "Admission test")]


def test_alternative_first_semester_courses_serve_different_backgrounds(programme):
    tracks = {t.name: (t.kind, t.semester, t.year, t.background) for t in programme.tracks.all()}
    assert tracks == {
        "Software Systems Design and Operations": ("alternative-course", 1, 1, "life-sciences"),
        "Biology, Genetics, Anatomy, and Physiology": ("alternative-course", 1, 1, "computing"),
    }
    # "during the first semester of the first year" is the text's own: no placement inferred.
    assert {t.placement_inferred_because for t in programme.tracks.all()} == {None}


def test_the_alternative_courses_are_not_called_tracks(programme):
    """The text speaks of "two alternative courses"; the word "track" is not in it."""
    assert "track" not in _source_text(programme).lower()
    assert {t.get_kind_display() for t in programme.tracks.all()} == {"Alternative course"}


def test_the_named_courses_are_the_two_alternatives_and_the_thesis_project(programme):
    """Only these are named; the common curriculum's teachings are topics, not course titles.
    Audit item 5: the two are alternatives assigned by background, not free electives."""
    modules = [
        (m.title, m.kind, m.semester, m.year, m.track.name if m.track else None, m.ects)
        for m in programme.modules.select_related("track")
    ]
    assert modules == [
        (
            "Software Systems Design and Operations",
            "alternative",
            1,
            1,
            "Software Systems Design and Operations",
            None,
        ),
        (
            "Biology, Genetics, Anatomy, and Physiology",
            "alternative",
            1,
            1,
            "Biology, Genetics, Anatomy, and Physiology",
            None,
        ),
        ("Thesis project", "thesis", None, None, None, None),
    ]


def test_careers_list_each_role_each_employer_context_and_further_study(programme):
    careers = {}
    for career in programme.careers.all():
        careers.setdefault(career.kind, []).append(career.text)
    assert careers["role"] == [
        "Health Informatics consultants",
        "Project Managers",
        "Data analysts",
        "IT analysts",
        "Information Security Officers",
        "Chief Artificial Intelligence Officers",
        "Chief Health Information Officers",
        "Electronic Medical Record Keepers",
        "Chief Information Officers",
        "Informatics Managers",
    ]
    assert len(careers["sector"]) == 7
    assert careers["sector"][-3:] == [
        "Consultancy firms",
        "Healthcare IT companies",
        # Audit item 6: "in industrial, academic, scientific, or public governance sectors".
        "Industrial, academic, scientific, or public governance sectors",
    ]
    assert careers["further-study"] == ["PhDs", "Second-level university master's programs"]


def test_quotes_and_market_figures_are_not_stored_as_facts(programme):
    stored = " ".join(
        [programme.summary, programme.description, programme.career_prospects]
        + [c.text for c in programme.careers.all()]
    )
    for marketing in ("Lloyd B. Minor", "Antonio Esposito", "Precedence Research", "$15.1 billion"):
        assert marketing not in stored
    # The quotes' and figures' own words, so a quote kept without its attribution still fails.
    for quoted in (
        "since the invention of antibiotics",
        'positively "contaminated" course',
        "$190 billion",
        "37% annually",
        "Above all, to become a leader",
    ):
        assert quoted not in stored


def test_provenance_names_the_source_file_and_public_page(programme):
    assert programme.source_document == "003_4d299c3d71e191b1.txt"
    assert programme.source_url == (
        "https://www.unisr.it/en/offerta-formativa/medicina-chirurgia/"
        "corso-laurea-magistrale-health-informatics"
    )
    assert programme.transcribed_on == datetime.date(2026, 11, 23)
