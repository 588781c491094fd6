"""Teaching languages in the admin: every ISO 639-1 language, named in the staff's language
(issue 17 item 13), and a warning when a removed language is still asked for (item 16)."""

import importlib
import io
import json
import re

import pytest
from babel import Locale
from django.apps import apps
from django.core.management import call_command
from django.db.migrations import RunPython
from django.urls import reverse

from programs.core import names
from programs.core.consistency import ISO_639_1_CODES
from programs.models import AdmissionRequirement, Language, Programme, Proposal
from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data

pytestmark = pytest.mark.django_db

migration = importlib.import_module("programs.migrations.0010_every_iso_language")


@pytest.fixture
def every_language():
    """Every ISO 639-1 language, as the migration stores them. (Tests that empty the database
    between them, as the browser tests do, remove what migrations wrote.)"""
    migration.add_every_language(apps, None)


@pytest.fixture
def staff(client, every_language):
    """A signed-in staff member of the university offering `programme`, who may publish
    directly: these tests are about what a save does to the programme's languages, so their
    saves of a published programme tick "publish at once" (a proposal's save is tested below)."""
    university = factories.UniversityFactory(name="Uni A")
    client.force_login(
        factories.StaffUserFactory(
            username="alice", universities=[university], publishes_directly=True
        )
    )
    client.university = university
    return client


@pytest.fixture
def programme(staff):
    return factories.ProgrammeFactory(
        title="Health Data Science",
        universities=[staff.university],
        languages=[Language.objects.get(code="en")],
    )


def test_migrating_runs_the_step_that_adds_every_language():
    # Browser tests empty the database between them, removing what migrations wrote, so the
    # rows themselves can't be asserted here: the migration's step is, and the test below runs it.
    steps = [step for step in migration.Migration.operations if isinstance(step, RunPython)]
    assert [step.code for step in steps] == [migration.add_every_language]


def test_the_migration_adds_every_language_with_babels_english_name_and_keeps_existing_names():
    Language.objects.exclude(code__in=["de"]).delete()
    Language.objects.update_or_create(code="de", defaults={"name": "German (as loaded)"})

    migration.add_every_language(apps, None)

    stored = dict(Language.objects.values_list("code", "name"))
    assert set(stored) == ISO_639_1_CODES
    english = Locale.parse("en").languages
    assert {code: name for code, name in stored.items() if code != "de"} == {
        code: english[code] for code in ISO_639_1_CODES - {"de"}
    }
    assert stored["de"] == "German (as loaded)"


def autocomplete(client, term, prefix="", field="languages", model="programme"):
    response = client.get(
        f"{prefix}/admin/autocomplete/",
        {"app_label": "programs", "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    return [(result["id"], result["text"]) for result in response.json()["results"]]


@pytest.mark.parametrize(
    ("prefix", "term", "expected"),
    [
        ("", "ital", [("it", "Italian")]),
        ("", "french", [("fr", "French")]),
        ("", "fr", [("af", "Afrikaans"), ("fr", "French"), ("fy", "Western Frisian")]),
        ("/de", "italien", [("it", "Italienisch")]),
        ("/de", "französ", [("fr", "Französisch")]),
        ("/it", "francese", [("fr", "Francese")]),
        ("/sv", "italienska", [("it", "Italienska")]),
    ],
)
def test_staff_find_any_language_by_its_name_in_their_own_language(staff, prefix, term, expected):
    assert autocomplete(staff, term, prefix) == expected


def test_the_language_picker_lists_every_language_in_the_staff_languages_alphabet(staff):
    german = autocomplete(staff, "", "/de")
    swedish = autocomplete(staff, "", "/sv")

    # The picker's first page (20), in each language's own alphabetical order.
    assert german[0] == ("ab", "Abchasisch")
    assert [name for _, name in german] == sorted(
        (name for _, name in german), key=lambda name: names.sort_key(name, "de")
    )
    assert swedish[0] == ("ab", "Abchaziska")
    assert len(german) == 20


def test_a_requirements_original_language_is_picked_from_every_language_too(staff):
    assert autocomplete(
        staff, "schwed", "/de", field="original_language", model="admissionrequirement"
    ) == [("sv", "Schwedisch")]


def test_staff_can_add_italian_and_french_to_a_programme(staff, programme):
    data = form_data(staff.get(change_url(programme)), publish_now=True)
    data["languages"] = ["en", "it", "fr"]

    response = staff.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)
    assert sorted(programme.languages.values_list("code", flat=True)) == ["en", "fr", "it"]
    page = staff.get(f"/de/admin/programs/programme/{programme.pk}/change/").content.decode()
    assert "Italienisch" in page and "Französisch" in page


def test_the_public_language_filter_lists_only_languages_programmes_are_taught_in(
    client, catalog, every_language
):
    page = client.get(reverse("programs:programme-list")).content.decode()

    offered = sorted(
        set(Programme.objects.published().values_list("languages__code", flat=True)) - {None}
    )
    assert offered == ["de", "en"]
    assert sorted(re.findall(r'name="language" value="([a-z]+)"', page)) == offered


def test_export_and_load_of_the_catalog_carry_every_language(catalog, every_language, tmp_path):
    call_command("export_catalog", str(tmp_path), stdout=io.StringIO())
    exported = json.loads((tmp_path / "languages.json").read_text(encoding="utf-8"))

    assert {row["code"] for row in exported} == ISO_639_1_CODES
    assert {"code": "it", "name": "Italian"} in exported
    output = io.StringIO()
    call_command("load_catalog", str(tmp_path), stdout=output)
    assert "languages: 0 created, 0 updated, 183 unchanged" in output.getvalue()


@pytest.fixture
def bilingual(staff):
    """Taught in German and English; a requirement asks for both (as in Medical Data Science)."""
    programme = factories.ProgrammeFactory(
        title="Medical Data Science",
        universities=[staff.university],
        languages=list(Language.objects.filter(code__in=["de", "en"])),
    )
    AdmissionRequirement.objects.create(
        programme=programme,
        kind="language",
        text="Proficiency in German and English.",
        original_text="Kenntnisse in allen Unterrichtssprachen (Deutsch und Englisch).",
        original_language_id="de",
    )
    AdmissionRequirement.objects.create(
        programme=programme, kind="degree", text="A first degree from a German university."
    )
    return programme


def save(client, programme, prefix="", publish_now=True, **changes):
    url = f"{prefix}{change_url(programme)}"
    data = form_data(client.get(url), publish_now=publish_now)
    data.update(changes)
    return client.post(url, data, follow=True)


def shown(response):
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def test_removing_german_while_a_requirement_asks_for_it_warns(staff, bilingual):
    """Issue 17: removing German while a requirement still asks for German gave no warning."""
    response = save(staff, bilingual, languages=["en"])

    assert response.status_code == 200
    assert sorted(bilingual.languages.values_list("code", flat=True)) == ["en"]
    warnings = [text for level, text in shown(response) if level == "warning"]
    assert warnings == [
        "You removed German from the teaching languages, but an admission requirement still "
        "asks for it: “Proficiency in German and English.”. Change or remove that requirement "
        "if German is no longer needed."
    ]
    assert "Proficiency in German" in response.content.decode()


def test_the_warning_is_in_the_staff_members_language(staff, bilingual):
    response = save(staff, bilingual, prefix="/de", languages=["en"])

    warnings = [text for level, text in shown(response) if level == "warning"]
    assert len(warnings) == 1 and "Deutsch" in warnings[0]


def test_the_requirements_original_wording_counts_too(staff, bilingual):
    requirement = bilingual.admission_requirements.get(kind="language")
    requirement.text = "Proficiency in all languages of instruction."
    requirement.save()

    response = save(staff, bilingual, languages=["en"])

    assert [level for level, _ in shown(response)].count("warning") == 1


def test_no_warning_when_the_requirement_goes_in_the_same_save(staff, bilingual):
    data = form_data(staff.get(change_url(bilingual)), publish_now=True)
    data["languages"] = ["en"]
    total = int(data["admission_requirements-TOTAL_FORMS"])
    for index in range(total):
        if data[f"admission_requirements-{index}-kind"] == "language":
            data[f"admission_requirements-{index}-DELETE"] = "on"

    response = staff.post(change_url(bilingual), data, follow=True)

    assert "warning" not in [level for level, _ in shown(response)]
    assert not bilingual.admission_requirements.filter(kind="language").exists()


def test_a_proposal_removing_german_while_a_requirement_asks_for_it_warns_too(staff, bilingual):
    """Saved as a proposal (not ticking "publish at once"), the change is the same and so is
    the warning; it was lost with the form's other messages when the proposal was kept."""
    url = change_url(bilingual)
    data = form_data(staff.get(url))
    data["languages"] = ["en"]

    response = staff.post(url, data)

    proposal = Proposal.objects.get(programme=bilingual)
    assert response["Location"] == reverse("admin:programs_proposal_change", args=[proposal.pk])
    response = staff.get(url)  # the next page shows the messages
    assert sorted(bilingual.languages.values_list("code", flat=True)) == ["de", "en"]
    assert proposal.proposed["languages"] == ["en"]
    levels = [level for level, _ in shown(response)]
    assert levels == ["success", "warning"]
    assert "You removed German from the teaching languages" in shown(response)[1][1]


def test_no_warning_for_a_language_no_requirement_asks_for(staff, bilingual):
    bilingual.languages.add(Language.objects.get(code="it"))

    response = save(staff, bilingual, languages=["de", "en"])

    assert response.status_code == 200
    assert "warning" not in [level for level, _ in shown(response)]


def test_a_degree_requirement_naming_a_country_is_not_a_language_requirement(staff, bilingual):
    bilingual.admission_requirements.filter(kind="language").delete()

    response = save(staff, bilingual, languages=["en"])

    assert response.status_code == 200
    assert "warning" not in [level for level, _ in shown(response)]
