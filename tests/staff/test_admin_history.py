"""No lost updates (optimistic locking), and a history of every change that can be restored.

These tests are about what a save and a restore do to the programme itself, so its staff here
may publish directly and tick "publish at once": their saves and restores of the published
programme change it at once. That they otherwise become proposals is tested in
tests/staff/test_proposing_in_the_form.py and tests/staff/test_restore_proposals.py.
"""

import html
import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils.html import strip_tags

from programs.models import (
    AdmissionRequirement,
    Module,
    Programme,
    ProgrammeUniversity,
    Semester,
    Track,
)
from programs.staff.forms import ProgrammeAdminForm
from tests.support import factories
from tests.support.admin_pages import add_row, change_url, errors_of, form_data, row_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    university = factories.UniversityFactory(name="Uni A")
    programme = factories.ProgrammeFactory(
        title="Health Data Science", duration_semesters=4, universities=[university]
    )
    factories.SemesterFactory(programme=programme, number=1, title="Foundations")
    return programme


@pytest.fixture
def alice(client, programme):
    """A logged-in staff member of the programme's university, who may publish directly."""
    client.force_login(
        factories.StaffUserFactory(
            username="alice", universities=programme.universities.all(), publishes_directly=True
        )
    )
    return client


@pytest.fixture
def bob(programme):
    """A second staff member of the same university, in a browser of their own (who may
    publish directly too)."""
    from django.test import Client

    client = Client()
    client.force_login(
        factories.StaffUserFactory(
            username="bob", universities=programme.universities.all(), publishes_directly=True
        )
    )
    return client


def test_a_save_from_a_form_loaded_before_someone_elses_save_is_refused(alice, bob, programme):
    alices_form = form_data(alice.get(change_url(programme)), publish_now=True)
    bobs_form = form_data(bob.get(change_url(programme)), publish_now=True)
    alices_form["summary"] = "Alice's summary"
    bobs_form["summary"] = "Bob's summary"
    row = row_index(bobs_form, "semesters", "number", "1")
    bobs_form[f"semesters-{row}-title"] = "Bob's semester"

    first = alice.post(change_url(programme), alices_form)
    second = bob.post(change_url(programme), bobs_form)

    assert first.status_code == 302
    assert second.status_code == 200
    errors = errors_of(second)
    assert "Someone else saved this programme since you opened it" in errors
    assert f'<a href="{change_url(programme)}">Reload the programme</a>' in errors
    programme.refresh_from_db()
    assert (programme.summary, programme.version) == ("Alice's summary", 2)
    assert Semester.objects.get(programme=programme).title == "Foundations"


def test_after_reloading_the_second_editor_can_save(alice, bob, programme):
    stale = form_data(bob.get(change_url(programme)), publish_now=True)
    alice_form = form_data(alice.get(change_url(programme)), publish_now=True)
    alice_form["campus"] = "North campus"  # a save that changes nothing would write no version
    alice.post(change_url(programme), alice_form)
    assert bob.post(change_url(programme), stale).status_code == 200

    fresh = form_data(bob.get(change_url(programme)), publish_now=True)
    fresh["summary"] = "Bob's summary"

    assert bob.post(change_url(programme), fresh).status_code == 302
    programme.refresh_from_db()
    assert (programme.summary, programme.version) == ("Bob's summary", 3)


def test_two_saves_racing_past_the_form_check_cannot_both_win(alice, programme, monkeypatch):
    """The form check and the save are not one step: the save's conditional UPDATE decides."""
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["summary"] = "Alice's summary"
    # Someone else's save lands after Alice's form was checked: the check still saw version 1.
    stale_reads = iter([1])
    real_stored_version = ProgrammeAdminForm.stored_version
    monkeypatch.setattr(
        ProgrammeAdminForm,
        "stored_version",
        lambda form: next(stale_reads, None) or real_stored_version(form),
    )
    Programme.objects.filter(pk=programme.pk).update(version=2, summary="The other save")

    response = alice.post(change_url(programme), data)

    assert response.status_code == 200
    assert "Someone else saved this programme since you opened it" in errors_of(response)
    programme.refresh_from_db()
    assert (programme.summary, programme.version) == ("The other save", 2)


def test_history_records_who_changed_what_in_the_programme_and_its_parts(alice, programme):
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["title"] = "Health Data Science and AI"
    data[f"semesters-{row_index(data, 'semesters', 'number', '1')}-title"] = "Basics"
    assert alice.post(change_url(programme), data).status_code == 302

    latest = programme.history.latest()
    delta = latest.diff_against(latest.prev_record)
    page = alice.get(reverse("admin:programs_programme_history", args=[programme.pk]))
    html = page.content.decode()

    assert latest.history_user.username == "alice"
    assert ("title", "Health Data Science", "Health Data Science and AI") in [
        (change.field, change.old, change.new) for change in delta.changes
    ]
    assert page.status_code == 200
    assert "Health Data Science and AI" in html
    assert "Changes to the programme's parts" in html
    semester_change = page.context["part_changes"][0]
    assert semester_change.history_user.username == "alice"
    assert [(c.field, c.old, c.new) for c in semester_change.changes] == [
        ("Title", "Foundations", "Basics")
    ]


def test_an_earlier_version_can_be_restored_through_the_admin(alice, programme):
    original = programme.history.latest()
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["title"] = "Renamed by mistake"
    assert alice.post(change_url(programme), data).status_code == 302

    revert_url = reverse(
        "admin:programs_programme_simple_history", args=[programme.pk, original.pk]
    )
    revert_form = form_data(
        alice.get(revert_url), form_id="historicalprogramme_form", publish_now=True
    )
    response = alice.post(revert_url, revert_form)

    assert response.status_code == 302, errors_of(response)
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Health Data Science", 3)
    restored = programme.history.latest()
    assert (restored.history_user.username, restored.title) == ("alice", "Health Data Science")


def test_restoring_a_version_from_a_page_opened_before_another_save_is_refused(
    alice, bob, programme
):
    original = programme.history.latest()
    revert_url = reverse(
        "admin:programs_programme_simple_history", args=[programme.pk, original.pk]
    )
    revert_form = form_data(
        alice.get(revert_url), form_id="historicalprogramme_form", publish_now=True
    )
    bobs_form = form_data(bob.get(change_url(programme)), publish_now=True)
    bobs_form["title"] = "Bob's title"
    assert bob.post(change_url(programme), bobs_form).status_code == 302

    response = alice.post(revert_url, revert_form)

    assert response.status_code == 200
    assert "Someone else saved this programme since you opened it" in errors_of(response)
    programme.refresh_from_db()
    assert programme.title == "Bob's title"


def test_history_says_which_changes_came_from_loading_the_catalog(alice, programme):
    """Rows written without a user (the catalog loader) say so, on the programme and its parts."""
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["campus"] = "North campus"
    assert alice.post(change_url(programme), data).status_code == 302

    page = alice.get(reverse("admin:programs_programme_history", args=[programme.pk]))

    rows = re.findall(r"<tr>(.*?)</tr>", page.content.decode(), flags=re.DOTALL)
    cells = [re.sub(r"\s+", " ", html.unescape(strip_tags(row))).strip() for row in rows]
    versions = [cell for cell in cells if cell.startswith("Health Data Science")]
    assert len(versions) == 2
    assert "alice — Campus: (empty) → North campus" in versions[0]
    assert "catalog load (no user) —" in versions[1]
    semester = [cell for cell in cells if cell.startswith("Semester: ")]
    assert len(semester) == 1 and "Created catalog load (no user)" in semester[0]
    assert "None" not in " ".join(cells)


def test_history_links_the_editor_only_for_those_who_may_open_user_accounts(
    alice, client, programme
):
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["campus"] = "North campus"
    assert alice.post(change_url(programme), data).status_code == 302
    history = reverse("admin:programs_programme_history", args=[programme.pk])
    alice_id = programme.history.latest().history_user_id
    user_page = reverse("admin:auth_user_change", args=[alice_id])

    # Staff can't open user accounts (403), so they get the name without a dead link.
    assert user_page not in alice.get(history).content.decode()
    assert alice.get(user_page).status_code == 403
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    assert user_page in client.get(history).content.decode()


@pytest.mark.parametrize("path", ["abc/history/", "1/history/abc/", "abc/history/1/"])
def test_history_urls_with_nonsense_ids_answer_not_found(alice, programme, path):
    response = alice.get(reverse("admin:programs_programme_changelist") + path)

    assert response.status_code == 404


# Restoring a version brings back its parts and teaching languages too.


def revert_url(programme, record):
    """The admin page of an earlier version of a programme, with its Revert button."""
    return reverse("admin:programs_programme_simple_history", args=[programme.pk, record.pk])


def revert(client, programme, record):
    """Tick "restore at once" and press Revert on the page of an earlier version, as a browser
    would."""
    url = revert_url(programme, record)
    data = form_data(client.get(url), form_id="historicalprogramme_form", publish_now=True)
    return client.post(url, data)


@pytest.fixture
def full_programme(programme):
    """The programme with two teaching languages, a module and no tracks yet."""
    programme.languages.set(
        [
            factories.LanguageFactory(code="en", name="English"),
            factories.LanguageFactory(code="it", name="Italian"),
        ]
    )
    factories.ModuleFactory(programme=programme, title="Biostatistics", semester=1)
    return programme


def test_restoring_a_version_brings_back_its_parts_and_languages(alice, full_programme):
    programme = full_programme
    earlier = programme.history.latest()
    module = Module.objects.get(programme=programme)
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["title"] = "Renamed by mistake"
    data[f"semesters-{row_index(data, 'semesters', 'number', '1')}-title"] = "Basics"
    data[f"modules-{row_index(data, 'modules', 'title', 'Biostatistics')}-DELETE"] = "on"
    add_row(data, "tracks", name="Clinical AI", kind="specialisation", position="0")
    data["languages"] = ["en"]
    assert alice.post(change_url(programme), data).status_code == 302
    assert not Module.objects.filter(pk=module.pk).exists()

    response = revert(alice, programme, earlier)

    assert response.status_code == 302, errors_of(response)
    programme.refresh_from_db()
    assert programme.title == "Health Data Science"
    assert Semester.objects.get(programme=programme).title == "Foundations"
    restored = Module.objects.get(programme=programme)
    assert (restored.pk, restored.title, restored.semester) == (module.pk, "Biostatistics", 1)
    assert not Track.objects.filter(programme=programme).exists()
    assert sorted(programme.languages.values_list("code", flat=True)) == ["en", "it"]
    page = alice.get(reverse("programs:programme-detail", args=[programme.slug]))
    # The page's facts: its public change log rightly tells of the rename and its undoing.
    html = page.content.decode().split('id="changes"')[0]
    assert page.status_code == 200
    assert "Health Data Science" in html and "Renamed by mistake" not in html
    assert "Foundations" in html and "Basics" not in html
    assert "Biostatistics" in html
    assert "Clinical AI" not in html
    assert "Italian" in html


def test_a_restore_is_one_new_version_recorded_under_the_restoring_user(alice, full_programme):
    programme = full_programme
    earlier = programme.history.latest()
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data[f"modules-{row_index(data, 'modules', 'title', 'Biostatistics')}-DELETE"] = "on"
    data["languages"] = ["en"]
    assert alice.post(change_url(programme), data).status_code == 302

    assert revert(alice, programme, earlier).status_code == 302

    programme.refresh_from_db()
    assert programme.version == 3
    latest = programme.history.latest()
    assert latest.history_user.username == "alice"
    assert sorted(latest.languages.values_list("language_id", flat=True)) == ["en", "it"]
    recreated = Module.history.filter(programme_id=programme.pk).latest()
    assert (recreated.history_type, recreated.history_user.username) == ("+", "alice")
    # The semester was as it had been: the restore wrote nothing for it.
    assert Semester.history.filter(programme_id=programme.pk).count() == 1


def test_the_revert_page_shows_the_versions_languages_for_reading(alice, full_programme):
    programme = full_programme
    earlier = programme.history.latest()
    programme.languages.set(["en"])

    response = alice.get(revert_url(programme, earlier))

    form = response.context["adminform"].form
    assert sorted(form.initial["languages"]) == ["en", "it"]
    assert [name for name, field in form.fields.items() if not field.disabled] == ["version"]


def test_restoring_the_version_before_parts_swapped_numbers_and_names(alice, programme):
    second = factories.SemesterFactory(programme=programme, number=2, title="Projects")
    first = Semester.objects.get(programme=programme, number=1)
    track_a = factories.TrackFactory(programme=programme, name="A")
    track_b = factories.TrackFactory(programme=programme, name="B")
    module = factories.ModuleFactory(programme=programme, title="Imaging", track=track_a)
    earlier = programme.history.latest()
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    # Swapping is two saves in the change form too: unique numbers and names at every step.
    data[f"semesters-{row_index(data, 'semesters', 'number', '2')}-number"] = "3"
    assert alice.post(change_url(programme), data).status_code == 302
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data[f"semesters-{row_index(data, 'semesters', 'number', '1')}-number"] = "2"
    data[f"semesters-{row_index(data, 'semesters', 'number', '3')}-number"] = "1"
    data[f"tracks-{row_index(data, 'tracks', 'name', 'A')}-DELETE"] = "on"
    assert alice.post(change_url(programme), data).status_code == 302
    Track.objects.filter(pk=track_b.pk).update(name="A")
    module.refresh_from_db()
    assert module.track_id is None

    assert revert(alice, programme, earlier).status_code == 302

    numbers = dict(Semester.objects.filter(programme=programme).values_list("pk", "number"))
    assert numbers == {first.pk: 1, second.pk: 2}
    names = dict(Track.objects.filter(programme=programme).values_list("pk", "name"))
    assert names == {track_a.pk: "A", track_b.pk: "B"}
    module.refresh_from_db()
    assert module.track_id == track_a.pk


def test_staff_of_another_university_cannot_restore_a_version(alice, full_programme):
    programme = full_programme
    earlier = programme.history.latest()
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["title"] = "Alice's title"
    data["languages"] = ["en"]
    assert alice.post(change_url(programme), data).status_code == 302
    from django.test import Client

    outsider = Client()
    outsider.force_login(
        factories.StaffUserFactory(
            username="carol", universities=[factories.UniversityFactory(name="Uni C")]
        )
    )
    revert_form = {"version": "2", "_save": "Revert"}

    response = outsider.post(revert_url(programme, earlier), revert_form)

    assert response.status_code in {403, 404}
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Alice's title", 2)
    assert list(programme.languages.values_list("code", flat=True)) == ["en"]


def test_staff_cannot_restore_a_version_offered_by_a_university_they_dont_work_for(
    alice, programme
):
    partner = factories.UniversityFactory(name="Uni B")
    offering = ProgrammeUniversity.objects.create(
        programme=programme, university=partner, position=1
    )
    earlier = programme.history.latest()
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["title"] = "Alice's title"
    assert alice.post(change_url(programme), data).status_code == 302
    offering.delete()  # by Uni B's staff, say
    url = revert_url(programme, earlier)

    response = alice.post(
        url, form_data(alice.get(url), form_id="historicalprogramme_form", publish_now=True)
    )

    assert response.status_code == 302
    page = alice.get(response.url)
    shown = [str(message) for message in page.context["messages"]]
    assert shown == [
        "This version was also offered by Uni B; only its staff can add it to the programme again."
    ]
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Alice's title", 2)
    assert list(programme.universities.values_list("name", flat=True)) == ["Uni A"]


def test_staff_can_restore_a_version_shared_with_a_partner_that_still_offers_it(alice, programme):
    partner = factories.UniversityFactory(name="Uni B")
    ProgrammeUniversity.objects.create(programme=programme, university=partner, position=1)
    earlier = programme.history.latest()
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["title"] = "Alice's title"
    assert alice.post(change_url(programme), data).status_code == 302

    response = revert(alice, programme, earlier)

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "Health Data Science"
    assert sorted(programme.universities.values_list("name", flat=True)) == ["Uni A", "Uni B"]


# Browsers send every line break in a text box as CR LF, whatever the stored text has.


def with_browser_line_breaks(data):
    """POST data as a browser sends it back: each line break in a text box as CR LF."""
    return {
        name: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for name, value in data.items()
    }


@pytest.fixture
def multiline_programme(programme):
    """The programme with line breaks in its long texts and in a text of each kind of part."""
    programme.description = "First paragraph.\n\nSecond paragraph."
    programme.career_prospects = "Data scientist.\nHealth analyst."
    programme.save()
    semester = Semester.objects.get(programme=programme)
    semester.summary = "Statistics.\nProgramming."
    semester.save()
    factories.TrackFactory(programme=programme, name="Imaging", description="MRI.\nCT.")
    factories.ModuleFactory(programme=programme, title="Biostatistics", description="R.\nSAS.")
    factories.AdmissionRequirementFactory(
        programme=programme,
        text="A degree.\nIn computing.",
        original_text="Ein Abschluss.\nIn Informatik.",
    )
    programme.refresh_from_db()
    return programme


def test_text_posted_back_with_browser_line_breaks_is_not_a_change(alice, multiline_programme):
    programme = multiline_programme
    part_records = sum(
        model.history.filter(programme_id=programme.pk).count()
        for model in (Semester, Track, Module, AdmissionRequirement)
    )
    data = with_browser_line_breaks(form_data(alice.get(change_url(programme)), publish_now=True))
    data["campus"] = "North campus"

    response = alice.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)
    latest = programme.history.latest()
    # The version moves on with every save.
    assert [change.field for change in latest.diff_against(latest.prev_record).changes] == [
        "campus",
        "version",
    ]
    # The admin's own log lists the fields the form saw changed.
    entry = LogEntry.objects.latest("action_time")
    assert json.loads(entry.change_message) == [{"changed": {"fields": ["Campus"]}}]
    assert part_records == sum(
        model.history.filter(programme_id=programme.pk).count()
        for model in (Semester, Track, Module, AdmissionRequirement)
    )
    programme.refresh_from_db()
    assert programme.description == "First paragraph.\n\nSecond paragraph."


def test_line_breaks_typed_in_any_text_box_are_stored_as_newlines(alice, programme):
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["summary"] = "Old Mac\rline breaks."
    data[f"semesters-{row_index(data, 'semesters', 'number', '1')}-goal"] = (
        "Windows\r\nline breaks."
    )
    add_row(data, "admission_requirements", kind="degree", text="One\r\ntwo\rthree", position="0")

    response = alice.post(change_url(programme), data)

    assert response.status_code == 302, errors_of(response)
    programme.refresh_from_db()
    assert programme.summary == "Old Mac\nline breaks."
    assert Semester.objects.get(programme=programme).goal == "Windows\nline breaks."
    assert AdmissionRequirement.objects.get(programme=programme).text == "One\ntwo\nthree"


def test_a_save_that_changes_nothing_writes_no_version_and_says_so(alice, full_programme):
    programme = full_programme
    records = programme.history.count()
    part_records = sum(
        model.history.filter(programme_id=programme.pk).count()
        for model in (Semester, Module, ProgrammeUniversity)
    )
    data = with_browser_line_breaks(form_data(alice.get(change_url(programme)), publish_now=True))

    response = alice.post(change_url(programme), data, follow=True)

    assert response.status_code == 200
    programme.refresh_from_db()
    assert programme.version == 1
    assert programme.history.count() == records
    assert part_records == sum(
        model.history.filter(programme_id=programme.pk).count()
        for model in (Semester, Module, ProgrammeUniversity)
    )
    assert not LogEntry.objects.exists()
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["No changes: nothing was saved, and the history has no new version."]
    history = alice.get(reverse("admin:programs_programme_history", args=[programme.pk]))
    counted = re.search(r"(\d+) versions?\b", strip_tags(history.content.decode()))
    assert int(counted.group(1)) == records


def test_a_save_that_changes_only_a_part_is_one_new_version(alice, full_programme):
    programme = full_programme
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data[f"semesters-{row_index(data, 'semesters', 'number', '1')}-title"] = "Basics"

    assert alice.post(change_url(programme), data).status_code == 302

    programme.refresh_from_db()
    assert programme.version == 2
    latest = programme.history.latest()
    semester = Semester.history.filter(programme_id=programme.pk).latest()
    # The programme's record first, its part's after it: the restore's idea of one version.
    assert latest.history_date < semester.history_date
    assert Semester.objects.get(programme=programme).title == "Basics"


def test_ticking_checked_today_alone_is_a_change(alice, full_programme):
    programme = full_programme
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["checked_today"] = "on"

    assert alice.post(change_url(programme), data).status_code == 302

    programme.refresh_from_db()
    assert (programme.version, programme.checked_by.username) == (2, "alice")


@pytest.fixture
def published_after_a_draft(alice, programme):
    """A programme first saved as a draft, then published, then renamed: three versions."""
    Programme.objects.filter(pk=programme.pk).update(published=False)
    programme.refresh_from_db()
    programme.save()  # the draft's own version record
    draft_version = programme.history.latest()
    data = form_data(alice.get(change_url(programme)))  # a draft's save is direct anyway
    data["published"] = "on"
    data["publish_incomplete"] = "on"  # the factory states few facts
    assert alice.post(change_url(programme), data).status_code == 302
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["title"] = "Renamed by mistake"
    assert alice.post(change_url(programme), data).status_code == 302
    programme.refresh_from_db()
    assert programme.published
    return programme, draft_version


def test_restoring_a_draft_version_keeps_the_programme_published(alice, published_after_a_draft):
    """Issue 17: a restore took the programme offline, with "changed successfully"."""
    programme, draft_version = published_after_a_draft

    response = revert(alice, programme, draft_version)

    assert response.status_code == 302, errors_of(response)
    programme.refresh_from_db()
    assert (programme.title, programme.published) == ("Health Data Science", True)
    shown = [str(m) for m in alice.get(response["Location"]).context["messages"]]
    assert alice.get(reverse("programs:programme-detail", args=[programme.slug])).status_code == 200
    assert len(shown) == 1
    assert shown[0].startswith("The version of ") and " is restored. " in shown[0]
    assert shown[0].endswith("Its publication is unchanged: it is still published.")
    assert "changed successfully" not in shown[0]


def test_the_version_page_says_what_a_restore_changes_before_it_is_pressed(
    alice, published_after_a_draft
):
    programme, draft_version = published_after_a_draft

    page = alice.get(revert_url(programme, draft_version)).content.decode()

    preview = strip_tags(page.split('id="restore-preview"')[1].split("<fieldset")[0])
    preview = " ".join(html.unescape(preview).split())
    assert "What restoring this version changes" in preview
    assert "Title: Renamed by mistake → Health Data Science" in preview
    assert "Publication: the programme stays published; in this version it was a draft." in preview
    assert "Also make it a draft again, as it was in this version" in preview
    assert 'name="restore_publication"' in page
    # Only what differs is listed: the degree and the semesters are as they were.
    assert "Degree" not in preview and "Semesters" not in preview


def test_the_version_page_lists_parts_and_languages_a_restore_brings_back(alice, full_programme):
    programme = full_programme
    earlier = programme.history.latest()
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data[f"modules-{row_index(data, 'modules', 'title', 'Biostatistics')}-DELETE"] = "on"
    data["languages"] = ["en"]
    assert alice.post(change_url(programme), data).status_code == 302

    page = alice.get(revert_url(programme, earlier)).content.decode()

    preview = " ".join(html.unescape(strip_tags(page.split('id="restore-preview"')[1])).split())
    assert "Teaching languages: English → English, Italian" in preview
    assert "Modules: 1 brought back" in preview
    assert "Publication: unchanged, the programme stays published." in preview
    assert 'name="restore_publication"' not in page


def test_a_restore_changes_publication_only_when_the_user_ticks_it(alice, published_after_a_draft):
    programme, draft_version = published_after_a_draft
    url = revert_url(programme, draft_version)
    data = form_data(alice.get(url), form_id="historicalprogramme_form")
    data["restore_publication"] = "on"

    response = alice.post(url, data)

    assert response.status_code == 302, errors_of(response)
    programme.refresh_from_db()
    assert (programme.title, programme.published) == ("Health Data Science", False)
    shown = [str(m) for m in alice.get(response["Location"]).context["messages"]]
    assert shown[0].endswith("As you asked, it is a draft again, seen only by staff.")
    assert alice.logout() is None
    assert alice.get(reverse("programs:programme-detail", args=[programme.slug])).status_code == 404


# ---------- Issue 30: a history a person reads ----------


def history_rows(client, programme):
    page = client.get(reverse("admin:programs_programme_history", args=[programme.pk]))
    assert page.status_code == 200
    table = page.content.decode().split('<table id="change-history">')[1].split("</table>")[0]
    return [strip_tags(row) for row in table.split("<tr>")[2:]], page


def test_history_hides_versions_whose_only_change_is_their_number(alice, programme):
    """A save that changed only a semester wrote a programme version reading "Version: 1 → 2"
    and nothing else; its change is in the parts' history."""
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data[f"semesters-{row_index(data, 'semesters', 'number', '1')}-title"] = "Basics"
    assert alice.post(change_url(programme), data).status_code == 302
    assert programme.history.count() == 2  # the version is recorded, for restoring

    rows, page = history_rows(alice, programme)
    assert len(rows) == 1  # the first version only
    assert not any("Version:" in row for row in rows)
    html = page.content.decode()
    assert "Versions that changed only the programme's parts are not listed here" in html
    assert "Basics" in strip_tags(html.split('id="part-history"')[1])


def test_history_names_changes_by_their_field_labels(alice, programme):
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["title"] = "Health Data Science and AI"
    data[f"semesters-{row_index(data, 'semesters', 'number', '1')}-title"] = "Basics"
    assert alice.post(change_url(programme), data).status_code == 302
    rows, page = history_rows(alice, programme)
    assert "Title: Health Data Science → Health Data Science and AI" in html.unescape(rows[0])
    parts = html.unescape(strip_tags(page.content.decode().split('id="part-history"')[1]))
    assert "Title: Foundations → Basics" in parts
    assert "title:" not in parts


def test_history_names_changes_in_the_staffs_language(alice, programme):
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["title"] = "Health Data Science and AI"
    assert alice.post(change_url(programme), data).status_code == 302
    page = alice.get("/de" + reverse("admin:programs_programme_history", args=[programme.pk]))
    text = html.unescape(strip_tags(page.content.decode()))
    assert "Titel: Health Data Science → Health Data Science and AI" in text


def test_a_reason_given_on_the_form_is_shown_in_the_history(alice, programme):
    data = form_data(alice.get(change_url(programme)), publish_now=True)
    data["title"] = "Health Data Science and AI"
    data["change_reason"] = "Title from the 2027 regulations"
    assert alice.post(change_url(programme), data).status_code == 302
    assert programme.history.latest().history_change_reason == "Title from the 2027 regulations"
    rows, _page = history_rows(alice, programme)
    assert "Title from the 2027 regulations" in rows[0]


def test_the_change_form_asks_for_the_reason(alice, programme):
    html_text = alice.get(change_url(programme)).content.decode()
    assert '<label for="id_change_reason">Reason for this change:</label>' in html_text
