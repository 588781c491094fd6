"""No lost updates (optimistic locking), and a history of every change that can be restored."""

import pytest
from django.urls import reverse

from programs.admin_forms import ProgrammeAdminForm
from programs.models import Programme, Semester
from tests import factories
from tests.admin_pages import change_url, errors_of, form_data, row_index

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
    """A logged-in staff member of the programme's university."""
    client.force_login(
        factories.StaffUserFactory(username="alice", universities=programme.universities.all())
    )
    return client


@pytest.fixture
def bob(programme):
    """A second staff member of the same university, in a browser of their own."""
    from django.test import Client

    client = Client()
    client.force_login(
        factories.StaffUserFactory(username="bob", universities=programme.universities.all())
    )
    return client


def test_a_save_from_a_form_loaded_before_someone_elses_save_is_refused(alice, bob, programme):
    alices_form = form_data(alice.get(change_url(programme)))
    bobs_form = form_data(bob.get(change_url(programme)))
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
    stale = form_data(bob.get(change_url(programme)))
    alice_form = form_data(alice.get(change_url(programme)))
    alice.post(change_url(programme), alice_form)
    assert bob.post(change_url(programme), stale).status_code == 200

    fresh = form_data(bob.get(change_url(programme)))
    fresh["summary"] = "Bob's summary"

    assert bob.post(change_url(programme), fresh).status_code == 302
    programme.refresh_from_db()
    assert (programme.summary, programme.version) == ("Bob's summary", 3)


def test_two_saves_racing_past_the_form_check_cannot_both_win(alice, programme, monkeypatch):
    """The form check and the save are not one step: the save's conditional UPDATE decides."""
    data = form_data(alice.get(change_url(programme)))
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
    data = form_data(alice.get(change_url(programme)))
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
        ("title", "Foundations", "Basics")
    ]


def test_an_earlier_version_can_be_restored_through_the_admin(alice, programme):
    original = programme.history.latest()
    data = form_data(alice.get(change_url(programme)))
    data["title"] = "Renamed by mistake"
    assert alice.post(change_url(programme), data).status_code == 302

    revert_url = reverse(
        "admin:programs_programme_simple_history", args=[programme.pk, original.pk]
    )
    revert_form = form_data(alice.get(revert_url), form_id="historicalprogramme_form")
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
    revert_form = form_data(alice.get(revert_url), form_id="historicalprogramme_form")
    bobs_form = form_data(bob.get(change_url(programme)))
    bobs_form["title"] = "Bob's title"
    assert bob.post(change_url(programme), bobs_form).status_code == 302

    response = alice.post(revert_url, revert_form)

    assert response.status_code == 200
    assert "Someone else saved this programme since you opened it" in errors_of(response)
    programme.refresh_from_db()
    assert programme.title == "Bob's title"


@pytest.mark.parametrize("path", ["abc/history/", "1/history/abc/", "abc/history/1/"])
def test_history_urls_with_nonsense_ids_answer_not_found(alice, programme, path):
    response = alice.get(reverse("admin:programs_programme_changelist") + path)

    assert response.status_code == 404
