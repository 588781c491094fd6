"""The programme page shows every stored fact, "not stated" for each unknown one, and its source."""

import re
from html import unescape

import pytest
from django.urls import reverse

from programs.models import Programme, UniversityRole
from tests.support import factories


def detail(client, slug):
    return client.get(reverse("programs:programme-detail", kwargs={"slug": slug}))


def key_fact(html, label):
    """The text of the key fact labelled `label` in the page's definition list."""
    match = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(.*?)</dd>", html, flags=re.DOTALL)
    assert match, f"no fact labelled {label!r}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_detail_page_shows_the_stated_key_facts(client, catalog):
    html = detail(client, "medical-data-science").content.decode()
    assert key_fact(html, "Degree awarded") == "Master of Science"
    assert key_fact(html, "Level") == "Master"
    # "Alone" is the catalog's inference (no partner is named), as "Joint degree: No" is.
    assert key_fact(html, "Offered by") == (
        "RWTH Aachen University (offers the programme alone) (inferred)"
    )
    assert key_fact(html, "Joint degree") == "No"
    assert key_fact(html, "Faculty or school") == "Faculty of Medicine"
    assert key_fact(html, "City") == "Aachen"
    assert key_fact(html, "ECTS credits") == "90 ECTS"
    assert key_fact(html, "Standard period of study") == "4 semesters"
    # By language name, as in the list and the CSV.
    assert key_fact(html, "Teaching languages") == "English, German"
    assert key_fact(html, "Start of studies") == "Winter semester"
    assert key_fact(html, "Study mode") == "Part-time"
    assert key_fact(html, "Delivery") == "Blended"
    assert key_fact(html, "Kind of course") == "Private Course of Study"
    assert key_fact(html, "Approval status") == "not stated"


def test_detail_page_says_not_stated_for_unknown_credits_and_languages(client, catalog):
    """FH Salzburg's text states neither its ECTS total nor its teaching language."""
    html = detail(client, "applied-ai-in-healthcare").content.decode()
    assert key_fact(html, "ECTS credits") == "not stated"
    assert key_fact(html, "Teaching languages") == "not stated"
    assert key_fact(html, "Degree awarded") == "not stated"
    assert key_fact(html, "City") == "not stated"
    assert 'class="not-stated"' in html


@pytest.mark.parametrize(
    "slug",
    [
        "medical-data-science",
        "applied-ai-in-healthcare",
        "data-driven-health",
        "health-informatics",
    ],
)
def test_every_unknown_key_fact_is_shown_as_not_stated(client, catalog, slug):
    """Each nullable fact is either shown with its stored value or as "not stated"."""
    programme = Programme.objects.get(slug=slug)
    html = detail(client, slug).content.decode()
    fields = {
        "Degree awarded": programme.degree,
        "Faculty or school": programme.faculty,
        "Campus": programme.campus,
        "City": programme.city,
        "Kind of course": programme.tuition_type,
        "Approval status": programme.approval_status,
        "ECTS credits": None if programme.ects is None else f"{programme.ects} ECTS",
        "Start of studies": programme.get_start_term_display() if programme.start_term else None,
        "Study mode": programme.get_study_mode_display() if programme.study_mode else None,
        "Delivery": programme.get_delivery_display() if programme.delivery else None,
    }
    for label, value in fields.items():
        assert key_fact(html, label) == (value if value is not None else "not stated"), label


def test_detail_page_names_both_joint_universities_with_links(client, catalog):
    response = detail(client, "health-informatics")
    html = response.content.decode()
    offered = key_fact(html, "Offered by")
    assert "Vita-Salute San Raffaele University (joint degree partner)" in offered
    assert "Politecnico di Milano (joint degree partner)" in offered
    assert 'href="/universities/unisr/"' in html
    assert 'href="/universities/polimi/"' in html
    assert key_fact(html, "Joint degree") == "Yes"
    assert key_fact(html, "Approval status") == "under ministerial approval"


def test_detail_page_gives_the_sources_own_wording_of_the_duration(client, catalog):
    html = detail(client, "data-driven-health").content.decode()
    assert key_fact(html, "Standard period of study") == "4 semesters (the source says “two years”)"


def test_semester_plan_shows_titles_goals_and_focus_areas(client, catalog):
    html = unescape(detail(client, "applied-ai-in-healthcare").content.decode())
    assert "Semester 1: Technical Foundations, Clinical Context & Regulatory Frameworks" in html
    assert "Goal:</strong> Understand how reproducible and safe AI workflows" in html
    plan = html.split('id="plan-heading"')[1].split('id="tracks-heading"')[0]
    assert "Medical Imaging & AI (e.g. radiology, diagnostics)" in plan


def test_semester_plan_states_module_counts_the_source_gives_without_names(client, catalog):
    html = detail(client, "medical-data-science").content.decode()
    assert "The source counts 4 modules in this semester without naming them." in html
    # The second semester names only the internship, which the source adds to its three
    # modules: those three are not named either.
    assert "The source counts 3 modules in this semester without naming them." in html
    assert "The source counts 3 modules in this semester." not in html


def test_modules_without_a_semester_are_grouped_by_year_and_kind(client, catalog):
    """KTH names its first-year courses but not their semesters."""
    html = unescape(detail(client, "data-driven-health").content.decode())
    modules = html.split('id="modules-heading"')[1].split('id="admission-heading"')[0]
    assert "<h3>Year 1: compulsory courses</h3>" in modules
    assert "<h3>Year 2: thesis</h3>" in modules
    for title in ["Statistics", "Machine Learning", "Databases and Warehouses"]:
        assert title in modules
    assert "The semester-by-semester plan is" in html


def test_tracks_show_kind_time_and_background(client, catalog):
    html = unescape(detail(client, "health-informatics").content.decode())
    tracks = html.split('id="tracks-heading"')[1].split('id="modules-heading"')[0]
    assert "Software Systems Design and Operations" in tracks
    # The text calls them "two alternative courses", never tracks.
    assert "Alternative course" in tracks
    assert "Starting track" not in tracks
    assert "Semester 1" in tracks
    assert "Medicine or life sciences" in tracks


def test_module_credits_are_shown_where_known(client, db):
    programme = factories.ProgrammeFactory(slug="credits")
    factories.ModuleFactory(programme=programme, title="Statistics", ects="7.5", semester=1)
    factories.ModuleFactory(programme=programme, title="Ethics", ects="6.0", semester=1)
    html = detail(client, "credits").content.decode()
    assert "7.5 ECTS" in html
    assert "6 ECTS" in html


def test_admission_requirement_shows_the_german_original_beside_the_english(client, catalog):
    html = detail(client, "medical-data-science").content.decode()
    assert "To enrol in this degree programme you must prove proficiency" in html
    assert (
        '<blockquote lang="de">Zur Einschreibung in diesen Studiengang muessen Sie Kenntnisse'
        in html
    )


def test_careers_are_grouped_by_kind_with_the_prose(client, catalog):
    html = unescape(detail(client, "health-informatics").content.decode())
    careers = html.split('id="careers-heading"')[1].split('id="source-heading"')[0]
    assert careers.index("<h3>Roles</h3>") < careers.index("Health Informatics consultants")
    assert careers.index("<h3>Sectors and employers</h3>") < careers.index("Consultancy firms")
    assert "<h3>Further study</h3>" in careers


def test_source_links_to_the_public_page_with_its_date(client, catalog):
    html = detail(client, "data-driven-health").content.decode()
    assert (
        'href="https://www.kth.se/en/studies/2.23106/master/data-driven-health/'
        'msc-data-driven-health-1.1338283"' in html
    )
    # The internal file name tells a student nothing (issue 17, item 3).
    assert "002_acfb288d9e3a5404.txt" not in html
    assert '<time datetime="2026-11-23">23 November 2026</time>' in html


def test_detail_page_offers_add_to_compare(client, catalog):
    html = detail(client, "health-informatics").content.decode()
    assert '<form method="post" action="/compare/add/">' in html
    assert '<input type="hidden" name="p" value="health-informatics">' in html


def test_unknown_programme_is_a_404_in_the_sites_style(client, db):
    response = detail(client, "no-such-programme")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'class="skip-link"' in response.content


def test_draft_is_invisible_to_anonymous_visitors(client, db):
    factories.ProgrammeFactory(slug="draft", published=False)
    assert detail(client, "draft").status_code == 404


def test_draft_is_invisible_to_staff_of_another_university(client, db):
    university = factories.UniversityFactory()
    factories.ProgrammeFactory(slug="draft", published=False, universities=[university])
    outsider = factories.UserFactory(is_staff=True)
    outsider.universities.add(factories.UniversityFactory())
    client.force_login(outsider)
    assert detail(client, "draft").status_code == 404


def test_staff_who_may_edit_a_draft_see_it_marked_as_a_preview(client, db):
    university = factories.UniversityFactory()
    factories.ProgrammeFactory(slug="draft", published=False, universities=[university])
    editor = factories.UserFactory(is_staff=True)
    editor.universities.add(university)
    client.force_login(editor)
    response = detail(client, "draft")
    assert response.status_code == 200
    assert b"Draft preview, not public" in response.content
    assert b'<meta name="robots" content="noindex">' in response.content


def test_published_page_has_no_draft_banner(client, db):
    programme = factories.ProgrammeFactory(slug="live")
    factories.ProgrammeUniversityFactory(programme=programme, role=UniversityRole.COORDINATING)
    html = detail(client, "live").content.decode()
    assert "Draft preview" not in html
    assert "(coordinating university)" in html


@pytest.mark.parametrize("slug", ["applied-ai-in-healthcare", "data-driven-health"])
def test_not_stated_is_never_followed_by_a_lone_full_stop(client, catalog, slug):
    """Read as text (each tag a space, as a screen reader or a copy may do), "Admission
    requirements: not stated ." would show a stray space before the full stop."""
    text = " ".join(re.sub(r"<[^>]+>", " ", detail(client, slug).content.decode()).split())
    assert "Admission requirements: not stated" in text or "Tracks: not stated" in text
    assert not re.search(r"not stated [,.;:]", text)
