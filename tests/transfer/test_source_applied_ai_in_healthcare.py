"""Seed 001 (FH Salzburg, Applied AI in Healthcare): a curriculum outline that leaves most unsaid.

The text names neither the programme nor its institution (both come from the source address), nor
its partner in the joint master, its credits or its teaching language: those must stay unknown.
"""

import datetime

import pytest

from programs.models import KeyFact, Programme

FOCUS_AREAS = {
    1: [
        "Data Science & Machine Learning fundamentals",
        "Programming and data processing",
        "Building robust data pipelines and model evaluation",
        "Introduction to clinical data, standards, and system integration",
        "Legal frameworks (EU AI Act, MDR, etc.)",
        "Ethics and societal impact of AI",
        "Agile project management in healthcare",
    ],
    2: [
        "Applying AI methods to real clinical use cases",
        "Data preparation, model training, and validation",
        "Developing initial AI projects in teams",
        "Explainable AI and model transparency",
        "Quality assurance and human oversight",
        "Philosophical and societal perspectives on AI",
        "Exchange with experts through lecture series",
    ],
    3: [
        "Medical Imaging & AI (e.g. radiology, diagnostics)",
        "Clinical Decision Support Systems",
        "Practical implementation of regulatory requirements",
        "European Health Data Space and data-driven healthcare",
        "Communication, transformation & change management",
        "Elective modules for individual specialisation",
        "Development of a research design for the Master\u2019s thesis",  # as the source spells it
    ],
    4: [
        "Independent Master project in cooperation with clinics, research institutions, or "
        "companies",
        "Applying all acquired competencies to real-world challenges",
        "Working with real healthcare data",
        "Scientific thesis and final presentation",
        "Exchange on current research topics (Reading Groups, Expert Talks)",
    ],
}


@pytest.fixture
def programme(catalog):
    return Programme.objects.get(slug="applied-ai-in-healthcare")


def test_identity_comes_from_the_source_address(programme):
    assert programme.title == "Applied AI in Healthcare"
    assert programme.level == "master"
    assert programme.is_joint_degree is True
    # Four semesters because the 4th is "the final semester"; the text never states the period in
    # its own words, so there is no wording to quote.
    assert programme.duration_semesters == 4
    assert programme.duration_as_stated is None


def test_the_title_is_an_inference_from_the_pages_address(programme):
    """The text never names the programme: its title is inferred, and the reason names where
    it comes from."""
    source = programme.fact_sources.get(fact=KeyFact.TITLE)
    assert source.source_quote is None
    assert "never names the programme" in source.inferred_because
    assert "applied-ai-in-healthcare-joint-master" in source.inferred_because


def test_exactly_one_university_and_no_invented_partner(programme):
    offerings = list(programme.offerings.select_related("university"))
    assert [(o.university.slug, o.role) for o in offerings] == [("fh-salzburg", "joint")]
    salzburg = offerings[0].university
    assert (salzburg.name, salzburg.short_name, salzburg.country) == (
        "Salzburg University of Applied Sciences",
        "FH Salzburg",
        "AT",
    )
    assert salzburg.city is None
    # Where its country comes from, since the text never names the institution.
    assert "fh-salzburg.ac.at" in salzburg.location_source


def test_facts_the_text_does_not_state_are_null(programme):
    for field in (
        "ects",
        "degree",
        "start_term",
        "study_mode",
        "delivery",
        "tuition_type",
        "approval_status",
        "faculty",
        "campus",
        "city",
    ):
        assert getattr(programme, field) is None, field
    assert programme.languages.count() == 0
    assert programme.admission_requirements.count() == 0
    assert programme.careers.count() == 0
    assert programme.tracks.count() == 0


def test_each_semester_has_its_title_summary_and_goal(programme):
    semesters = list(programme.semesters.order_by("number"))
    assert [(s.number, s.title) for s in semesters] == [
        (1, "Technical Foundations, Clinical Context & Regulatory Frameworks"),
        (2, "Applications, Use Cases & First Projects"),
        (3, "Advanced Topics & Clinical Integration"),
        (4, "Master Project & Implementation"),
    ]
    assert semesters[3].summary.startswith("In the final semester")
    assert semesters[0].goal == (
        "Understand how reproducible and safe AI workflows are developed from clinical challenges."
    )
    assert all(s.summary and s.goal for s in semesters)
    assert all(s.module_count is None for s in semesters)


def test_every_focus_area_is_a_module_of_its_semester_in_the_texts_order(programme):
    modules = list(programme.modules.order_by("position"))
    by_semester = {}
    for module in modules:
        by_semester.setdefault(module.semester, []).append(module.title)
    assert by_semester == FOCUS_AREAS
    assert {m.kind for m in modules} == {"focus-area"}
    assert all(m.ects is None and m.track_id is None for m in modules)


def test_provenance_names_the_source_file_and_public_page(programme):
    assert programme.source_document == "001_eab32d7f0bc2c3f8.txt"
    assert programme.source_url == (
        "https://www.fh-salzburg.ac.at/en/study/it/applied-ai-in-healthcare-joint-master/"
        "programme-structure-curriculum"
    )
    assert programme.transcribed_on == datetime.date(2026, 11, 23)
