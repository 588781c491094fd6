"""Seed 000 (RWTH Aachen, Medical Data Science) as loaded: what the text states, and only that."""

import datetime

import pytest

from programs.models import KeyFact, Programme


@pytest.fixture
def programme(catalog):
    return Programme.objects.get(slug="medical-data-science")


def test_key_facts_match_the_basic_information_block(programme):
    assert programme.title == "Medical Data Science"
    assert programme.degree == "Master of Science"
    assert programme.level == "master"
    assert programme.ects == 90
    assert programme.duration_semesters == 4
    assert programme.duration_as_stated == "4 semesters"
    assert programme.start_term == "winter"
    assert sorted(programme.languages.values_list("code", flat=True)) == ["de", "en"]
    assert programme.published is True


def test_study_format_is_part_time_blended_private_course_in_aachen(programme):
    assert programme.study_mode == "part-time"
    assert programme.delivery == "blended"
    assert programme.tuition_type == "Private Course of Study"
    assert programme.faculty == "Faculty of Medicine"
    assert programme.city == "Aachen"
    assert programme.campus == "Aachen"
    assert programme.approval_status is None


def test_private_course_of_study_is_kept_in_the_sources_words_and_read_as_an_inference(
    programme,
):
    """The page shows "Private Course of Study" under the name and says nothing about fees: the
    catalog keeps the words as the page capitalises them and says how it reads them."""
    source = programme.fact_sources.get(fact=KeyFact.TUITION_TYPE)
    assert source.source_quote == "Private Course of Study"
    assert "without explaining it" in source.inferred_because
    assert "nothing about fees" in source.inferred_because


def test_offered_by_rwth_aachen_alone(programme):
    offerings = list(programme.offerings.select_related("university"))
    assert [(o.university.slug, o.role) for o in offerings] == [("rwth-aachen", "sole")]
    rwth = offerings[0].university
    assert (rwth.name, rwth.short_name, rwth.country, rwth.city) == (
        "RWTH Aachen University",
        "RWTH",
        "DE",
        "Aachen",
    )
    assert programme.is_joint_degree is False


def test_semesters_record_module_counts_without_inventing_module_names(programme):
    semesters = list(programme.semesters.order_by("number"))
    assert [s.number for s in semesters] == [1, 2, 3, 4]
    assert [s.module_count for s in semesters] == [4, 3, 4, None]
    assert "Master's thesis" in semesters[3].summary
    # The text offers a choice ("all participants can choose"), it does not prescribe one.
    assert "All participants can choose between the two specialization tracks" in (
        semesters[2].summary
    )
    assert all(s.title is None and s.goal is None for s in semesters)
    # Only the two modules the text names: the internship/project work and the thesis.
    modules = list(programme.modules.order_by("position"))
    assert [(m.title, m.kind, m.semester) for m in modules] == [
        ("Internship or project work", "internship", 2),
        ("Master's thesis", "thesis", 4),
    ]
    assert all(m.ects is None for m in modules)


def test_starting_tracks_serve_the_other_background_and_specialisations_come_in_semester_3(
    programme,
):
    tracks = {t.name: (t.kind, t.semester, t.background) for t in programme.tracks.all()}
    assert tracks == {
        "Medical Aspects": ("starting", 1, "computing"),
        "Computer Science Aspects": ("starting", 1, "life-sciences"),
        "Data Integration": ("specialisation", 3, None),
        "Data Analytics": ("specialisation", 3, None),
    }


def test_the_starting_tracks_semester_is_the_catalogs_placement_not_the_texts(programme):
    """The text says participants "begin with" a starting track, never "in the first semester";
    the specialisation tracks' third semester it does state."""
    placements = {t.name: t.placement_inferred_because for t in programme.tracks.all()}
    for name in ("Medical Aspects", "Computer Science Aspects"):
        assert "'begin with'" in placements[name]
        assert "first semester" in placements[name]
    assert placements["Data Integration"] is None
    assert placements["Data Analytics"] is None


def test_admission_requirements_keep_the_german_sentence_beside_its_translation(programme):
    requirements = list(programme.admission_requirements.order_by("position"))
    assert [r.kind for r in requirements] == ["degree", "professional-experience", "language"]
    assert "first university degree" in requirements[0].text.lower()
    assert "one year of relevant professional experience" in requirements[1].text
    language = requirements[2]
    assert "all languages of instruction" in language.text
    assert language.original_text == (
        "Zur Einschreibung in diesen Studiengang muessen Sie Kenntnisse in allen "
        "Unterrichtssprachen nachweisen. Details regelt die Pruefungsordnung."
    )
    assert language.original_language_id == "de"
    assert requirements[0].original_text is None


def test_page_chrome_is_not_stored_as_data(programme):
    stored = " ".join(
        [programme.description, programme.career_prospects, programme.summary]
        + [r.text for r in programme.admission_requirements.all()]
    )
    assert "Mehr Informationen" not in stored
    assert "What does that mean?" not in stored


def test_career_prospects_prose_is_kept_without_invented_roles(programme):
    assert programme.career_prospects.startswith("Successful graduates of the")
    assert "data integration" in programme.career_prospects
    assert programme.careers.count() == 0


def test_provenance_names_the_source_file_and_public_page(programme):
    assert programme.source_document == "000_7b5a055619dfbeca.txt"
    assert programme.source_url == "https://www.rwth-aachen.de/go/id/eqyqp?lidx=1"
    assert programme.transcribed_on == datetime.date(2026, 11, 23)
