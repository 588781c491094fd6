"""Application deadlines and tuition fees are parts of a programme like the others (one registry,
programs/models/parts.py): admissions staff edit them in the admin, "Duplicate" copies them, a
restore brings them back, the public change log words their changes, and a system check fails
for a model pointing at a programme that the registry doesn't know."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from programs.actions.restore import restore_programme
from programs.checks import programme_parts_registered
from programs.models import (
    NOT_PARTS,
    PROGRAMME_PARTS,
    ApplicantGroup,
    ApplicationDeadline,
    Programme,
    Tuition,
    TuitionPeriod,
)
from tests.changelog.test_public_changes import CATALOG_FEED, entries, parse_atom, programme_feed
from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data
from tests.support.proposal_flow import publish_after_review

pytestmark = pytest.mark.django_db

DEADLINE_CHANGE = (
    "Application deadline for non-EU/EEA applicants changed from 15 January 2027 to 1 February 2027"
)
FEE_CHANGE = "Tuition fee for all applicants changed from 1,500 EUR to 1,800 EUR"


@pytest.fixture
def university():
    return factories.UniversityFactory(name="Uni Uppsala", slug="uni-uppsala")


@pytest.fixture
def staff(university):
    """Admissions staff of the university: in the staff group, not a superuser."""
    return factories.StaffUserFactory(username="bo-staff", universities=[university])


@pytest.fixture
def approver(university):
    """A second staff member, who approves the university's proposals."""
    return factories.StaffUserFactory(
        username="approver", universities=[university], approves_proposals=True
    )


@pytest.fixture
def staff_client(client, staff):
    assert not staff.is_superuser
    client.force_login(staff)
    return client


@pytest.fixture
def programme(university):
    """A published programme with a deadline for non-EU applicants and a fee for everyone."""
    programme = factories.ProgrammeFactory(
        title="Marine Biology", slug="marine-biology", published=True, universities=[university]
    )
    factories.ApplicationDeadlineFactory(
        programme=programme,
        applicant_group=ApplicantGroup.NON_EU,
        deadline=datetime.date(2027, 1, 15),
    )
    factories.TuitionFactory(programme=programme, amount=Decimal("1500"), currency="EUR")
    return programme


def save_change_form(client, programme, **changes):
    """Post the programme's change form as rendered, with these fields changed."""
    data = form_data(client.get(change_url(programme)))
    data.update(changes)
    response = client.post(change_url(programme), data)
    assert response.status_code == 302, errors_of(response)


def test_admissions_staff_edit_a_deadline_and_a_fee_in_the_admin(
    staff_client, staff, approver, programme
):
    """The programme is published: the edit is a proposal, live once reviewed and published."""
    html = staff_client.get(change_url(programme)).content.decode()
    assert 'name="application_deadlines-0-deadline"' in html
    assert 'name="tuition_fees-0-amount"' in html

    save_change_form(
        staff_client,
        programme,
        **{"application_deadlines-0-deadline": "2027-02-01", "tuition_fees-0-amount": "1800"},
    )
    # Not live before its review.
    assert ApplicationDeadline.objects.get(programme=programme).deadline == datetime.date(
        2027, 1, 15
    )
    publish_after_review(programme, approver)

    deadline = ApplicationDeadline.objects.get(programme=programme)
    fee = Tuition.objects.get(programme=programme)
    assert deadline.deadline == datetime.date(2027, 2, 1)
    assert fee.amount == Decimal("1800")
    # Both edits are in the history, under the staff member's name.
    assert deadline.history.latest().history_user == staff
    assert fee.history.latest().history_user == staff


def test_duplicate_copies_deadlines_and_fees(staff_client, programme):
    response = staff_client.post(
        reverse("admin:programs_programme_changelist"),
        {"action": "duplicate", "_selected_action": [programme.pk]},
    )
    assert response.status_code == 302

    copy = Programme.objects.get(slug="marine-biology-copy")
    assert list(copy.application_deadlines.values_list("applicant_group", "deadline")) == [
        (ApplicantGroup.NON_EU, datetime.date(2027, 1, 15))
    ]
    assert list(copy.tuition_fees.values_list("amount", "currency", "period")) == [
        (Decimal("1500"), "EUR", TuitionPeriod.SEMESTER)
    ]
    # Copies, not the original's rows moved over.
    assert programme.application_deadlines.count() == 1
    assert programme.tuition_fees.count() == 1


def test_restoring_a_version_brings_deadlines_and_fees_back(staff, programme):
    then = timezone.now()
    deadline = programme.application_deadlines.get()
    deadline.deadline = datetime.date(2027, 3, 1)
    deadline.save()
    programme.tuition_fees.get().delete()
    factories.ApplicationDeadlineFactory(programme=programme, deadline=datetime.date(2027, 5, 1))

    restore_programme(programme, then, staff)

    assert list(programme.application_deadlines.values_list("applicant_group", "deadline")) == [
        (ApplicantGroup.NON_EU, datetime.date(2027, 1, 15))
    ]
    assert list(programme.tuition_fees.values_list("amount", "currency")) == [
        (Decimal("1500"), "EUR")
    ]


def test_the_public_change_log_and_feeds_word_deadline_and_fee_changes(
    staff_client, approver, programme, client
):
    from programs.changelog.changes import record_public_changes

    record_public_changes(programme)  # its first publication: "Published"
    save_change_form(
        staff_client,
        programme,
        **{"application_deadlines-0-deadline": "2027-02-01", "tuition_fees-0-amount": "1800"},
    )
    publish_after_review(programme, approver)
    client.logout()

    listing = strip_tags(client.get("/changes/").content.decode())
    catalog_entries = entries(parse_atom(client.get(CATALOG_FEED)))
    programme_entries = entries(parse_atom(client.get(programme_feed(programme))))
    for line in (DEADLINE_CHANGE, FEE_CHANGE):
        assert line in listing
        assert line in catalog_entries[0][1]
        assert line in programme_entries[0][1]
    assert catalog_entries[0][0] == ("Marine Biology: Changed: Application deadlines, Tuition fees")


def test_the_change_log_words_an_added_and_a_removed_deadline_in_german(
    staff_client, programme, client
):
    from programs.changelog.changes import record_public_changes

    record_public_changes(programme)
    programme.tuition_fees.get().delete()
    factories.ApplicationDeadlineFactory(
        programme=programme, applicant_group=ApplicantGroup.EU, deadline=datetime.date(2027, 4, 15)
    )
    record_public_changes(programme)

    listing = strip_tags(client.get("/de/changes/").content.decode())
    assert "Bewerbungsfrist für Bewerber aus EU/EWR hinzugefügt: 15. April 2027" in listing
    assert (
        "Studiengebühr für alle Bewerberinnen und Bewerber entfernt (war 1.500 EUR pro Semester)"
        in listing
    )


def test_every_model_pointing_at_a_programme_is_a_registered_part_or_says_why_not():
    assert programme_parts_registered() == []
    call_command("check")  # the check runs with Django's own


@pytest.mark.parametrize("left_out", [ApplicationDeadline, Tuition])
def test_the_system_check_fails_for_a_part_left_out_of_the_registry(left_out):
    registry = tuple(part for part in PROGRAMME_PARTS if part.model is not left_out)

    errors = programme_parts_registered(parts=registry, not_parts=NOT_PARTS)

    assert [(error.id, error.obj) for error in errors] == [("programs.E001", left_out)]


def test_a_model_that_is_no_part_must_say_so():
    errors = programme_parts_registered(not_parts={})
    assert {error.obj for error in errors} == set(NOT_PARTS)
    assert {error.id for error in errors} == {"programs.E001"}


def test_a_log_from_before_deadlines_were_logged_records_their_next_change(programme):
    """Migration 0014 adds the deadlines and fees to each last snapshot, which lacked them:
    otherwise a change to them would be compared with nothing and go unlogged."""
    from django.apps import apps

    from programs.changelog.changes import DEADLINES, FEES, record_public_changes
    from programs.migrations._0014_deadline_and_fee_snapshots import (
        add_deadlines_and_fees_to_the_last_snapshots,
    )

    first = record_public_changes(programme)
    first.snapshot["parts"] = [
        part for part in first.snapshot["parts"] if part[0] not in (DEADLINES, FEES)
    ]
    first.save()  # as stored before 0014

    add_deadlines_and_fees_to_the_last_snapshots(apps)
    deadline = programme.application_deadlines.get()
    deadline.deadline = datetime.date(2027, 2, 1)
    deadline.save()
    change = record_public_changes(programme)

    assert change is not None
    assert change.descriptions == [DEADLINE_CHANGE]
