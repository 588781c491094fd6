"""The review rules of proposals, as programs.actions.proposals enforces them (whatever page or
command calls it): one open proposal per programme, a send-back needs a comment, nobody
approves what they wrote, two approvals come from two people, and a proposal whose programme
was deleted or unpublished says so and can be withdrawn. Every refusal writes nothing.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction

from programs.actions.proposals import (
    ProposalRefused,
    approve,
    comment,
    may_approve,
    publish,
    save_proposal,
    send_back,
    submit,
    withdraw,
)
from programs.actions.snapshots import snapshot_of
from programs.models import (
    Programme,
    Proposal,
    ProposalEvent,
    ProposalState,
    ReviewRule,
)
from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data
from tests.support.proposals import approved, approver_of, propose

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime.datetime(2027, 3, 8, 9, 30, tzinfo=BERLIN)

Action = ProposalEvent.Action


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def university():
    return factories.UniversityFactory(name="Uni Uppsala", slug="uni-uppsala")


@pytest.fixture
def proposer(university):
    return factories.StaffUserFactory(
        username="proposer", first_name="Paula", last_name="Proposer", universities=[university]
    )


@pytest.fixture
def approver(university):
    return approver_of(university, username="approver")


@pytest.fixture
def programme(university):
    programme = factories.ProgrammeFactory(
        title="Marine Biology", slug="marine-biology", ects=90, universities=[university]
    )
    factories.ModuleFactory(programme=programme, title="Data Mining")
    return programme


@pytest.fixture
def submitted(programme, proposer):
    return submit(propose(programme, proposer, ects=120), proposer)


def timeline(proposal):
    return list(proposal.events.values_list("action", "actor__username", "comment"))


def refused(step, *args, match):
    """Run a step that must be refused with this message."""
    with pytest.raises(ProposalRefused, match=match):
        step(*args)


def unchanged(proposal, state, events):
    """The proposal stored as it was: the same state, approvals and timeline."""
    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.state == state
    assert len(timeline(stored)) == events


# ---------------------------------------------------------------------------------------------
# One open proposal per programme


def test_the_database_refuses_a_second_open_proposal_for_a_programme(programme, proposer):
    first = propose(programme, proposer, ects=120)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            programme=programme,
            programme_title=programme.title,
            proposed_by=factories.StaffUserFactory(),
            base_version=programme.version,
            base=first.base,
            proposed=first.proposed,
        )
    # Once the first is closed, the next may begin.
    withdraw(first, proposer)
    second = propose(programme, proposer, ects=100)
    assert second.pk != first.pk
    assert Proposal.objects.open().get(programme=programme) == second


def test_a_second_editor_saving_the_same_programme_edits_the_one_open_proposal(
    programme, proposer, university
):
    first = propose(programme, proposer, ects=120)
    colleague = factories.StaffUserFactory(username="colleague", universities=[university])

    snapshot = snapshot_of(programme.pk)
    snapshot["programme"].update(ects=120, title="Marine Biology and Oceanography")
    proposal, what = save_proposal(programme, snapshot, colleague)

    assert (proposal.pk, what) == (first.pk, "edited")
    assert Proposal.objects.filter(programme=programme).count() == 1
    assert proposal.proposed_by == proposer  # who started it stays its starter
    assert proposal.proposed["programme"]["title"] == "Marine Biology and Oceanography"
    assert timeline(proposal) == [
        (Action.STARTED, "proposer", ""),
        (Action.EDITED, "colleague", ""),
    ]
    assert save_proposal(programme, snapshot, colleague) == (proposal, "unchanged")


def test_a_second_editor_in_the_admin_sees_the_open_proposal_and_saves_into_it(
    client, programme, proposer, university
):
    first = propose(programme, proposer, ects=120)
    client.force_login(factories.StaffUserFactory(username="colleague", universities=[university]))

    page = client.get(change_url(programme))
    html = page.content.decode()
    assert "This form shows the open proposal by Paula Proposer, started" in html
    data = form_data(page)
    assert data["ects"] == "120"  # the form holds the proposal, not the published 90
    data["title"] = "Marine Biology and Oceanography"
    response = client.post(change_url(programme), data)
    assert response.status_code == 302, errors_of(response)

    proposal = Proposal.objects.get(programme=programme)  # still only one
    assert proposal.pk == first.pk
    assert (proposal.proposed["programme"]["title"], proposal.proposed["programme"]["ects"]) == (
        "Marine Biology and Oceanography",
        120,
    )
    live = Programme.objects.get(pk=programme.pk)
    assert (live.title, live.ects) == ("Marine Biology", 90)


def test_an_edit_after_submitting_needs_submitting_again_and_clears_the_approvals(
    programme, proposer, university
):
    ReviewRule.objects.create(university=university, approvals_needed=2)
    proposal = submit(propose(programme, proposer, ects=120), proposer)
    approve(proposal, approver_of(university, username="first-approver"))

    proposal = propose(programme, proposer, ects=110)

    assert proposal.state == ProposalState.EDITING
    assert not proposal.approvals.exists()
    assert timeline(proposal)[-1] == (
        Action.EDITED,
        "proposer",
        "Edited after it was submitted: it needs submitting again.",
    )


# ---------------------------------------------------------------------------------------------
# Sending back, approving


@pytest.mark.parametrize("text", ["", "   \n ", None])
def test_a_send_back_without_a_comment_is_refused(submitted, approver, text):
    refused(send_back, submitted, approver, text, match="a comment is required")
    unchanged(submitted, ProposalState.SUBMITTED, events=2)


def test_a_send_back_keeps_its_comment_on_the_timeline_with_who_and_when(
    clock, submitted, approver
):
    clock.shift(datetime.timedelta(hours=2))
    send_back(submitted, approver, "  The ECTS total is 120 only with the thesis: check.  ")

    proposal = Proposal.objects.get(pk=submitted.pk)
    assert proposal.state == ProposalState.SENT_BACK
    event = proposal.events.get(action=Action.SENT_BACK)
    assert (event.actor, event.at, event.comment) == (
        approver,
        MONDAY + datetime.timedelta(hours=2),
        "The ECTS total is 120 only with the thesis: check.",
    )
    # The proposer fixes it and submits it again.
    submit(propose(proposal.programme, proposal.proposed_by, ects=118), proposal.proposed_by)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SUBMITTED


def test_a_proposer_cannot_approve_their_own_proposal_even_as_an_approver(submitted, proposer):
    proposer.user_permissions.add(Permission.objects.get(codename="approve_proposal"))
    assert may_approve(proposer, submitted.programme)
    refused(approve, submitted, proposer, match="You can't approve a proposal you wrote yourself")
    unchanged(submitted, ProposalState.SUBMITTED, events=2)
    assert not submitted.approvals.exists()


def test_someone_who_only_edited_the_proposal_cannot_approve_it(submitted, university):
    editor = approver_of(university, username="editor")
    propose(submitted.programme, editor, ects=110)
    proposal = submit(Proposal.objects.get(pk=submitted.pk), editor)

    refused(approve, proposal, editor, match="You can't approve a proposal you wrote yourself")
    unchanged(proposal, ProposalState.SUBMITTED, events=4)


def test_two_approvals_needed_come_from_two_different_people(submitted, university):
    ReviewRule.objects.create(university=university, approvals_needed=2)
    first, second = (approver_of(university, username=name) for name in ("first", "second"))

    approve(submitted, first)
    assert Proposal.objects.get(pk=submitted.pk).state == ProposalState.SUBMITTED
    refused(approve, submitted, first, match="another person's approval is needed")
    unchanged(submitted, ProposalState.SUBMITTED, events=3)

    approve(submitted, second)
    proposal = Proposal.objects.get(pk=submitted.pk)
    assert proposal.state == ProposalState.APPROVED
    assert sorted(proposal.approvals.values_list("approver__username", flat=True)) == [
        "first",
        "second",
    ]


def test_one_approval_is_enough_by_default(submitted, approver):
    assert approve(submitted, approver).state == ProposalState.APPROVED


def test_with_no_approvals_needed_submitting_approves(programme, proposer, university):
    ReviewRule.objects.create(university=university, approvals_needed=0)
    proposal = submit(propose(programme, proposer, ects=120), proposer)
    assert proposal.state == ProposalState.APPROVED


def test_only_the_universitys_approvers_group_may_approve_when_it_names_one(submitted, university):
    group = Group.objects.create(name="Uppsala reviewers")
    ReviewRule.objects.create(university=university, approvals_needed=1, approvers=group)
    holder_of_the_permission = approver_of(university, username="not-in-group")
    refused(approve, submitted, holder_of_the_permission, match="You may not approve")
    refused(send_back, submitted, holder_of_the_permission, "No.", match="You may not review")
    unchanged(submitted, ProposalState.SUBMITTED, events=2)

    member = factories.StaffUserFactory(username="reviewer", universities=[university])
    member.groups.add(group)
    assert approve(submitted, member).state == ProposalState.APPROVED


def test_an_approver_of_another_university_may_not_approve(submitted):
    elsewhere = approver_of(factories.UniversityFactory(), username="elsewhere")
    refused(approve, submitted, elsewhere, match="You may not approve")
    unchanged(submitted, ProposalState.SUBMITTED, events=2)


def test_staff_without_the_permission_may_not_approve(submitted, university):
    colleague = factories.StaffUserFactory(username="colleague", universities=[university])
    refused(approve, submitted, colleague, match="You may not approve")


def test_a_proposal_being_written_cannot_be_approved_or_published(programme, proposer, approver):
    proposal = propose(programme, proposer, ects=120)
    refused(approve, proposal, approver, match="the proposal is being written")
    refused(publish, proposal, approver, match="the proposal is being written")
    assert Programme.objects.get(pk=programme.pk).ects == 90


def test_comments_are_kept_in_order_with_who_and_when(clock, submitted, approver, proposer):
    comment(submitted, approver, "Is the thesis included?")
    clock.shift(datetime.timedelta(minutes=5))
    comment(submitted, proposer, "Yes, 30 of the 120.")
    refused(comment, submitted, approver, "  ", match="The comment is empty")

    said = submitted.events.filter(action=Action.COMMENTED)
    assert list(said.values_list("actor__username", "at", "comment")) == [
        ("approver", MONDAY, "Is the thesis included?"),
        ("proposer", MONDAY + datetime.timedelta(minutes=5), "Yes, 30 of the 120."),
    ]


def test_every_step_is_on_the_timeline_with_who(programme, proposer, approver):
    proposal = approved(propose(programme, proposer, ects=120), approver)
    publish(proposal, approver)

    assert [(action, who) for action, who, _ in timeline(proposal)] == [
        (Action.STARTED, "proposer"),
        (Action.SUBMITTED, "proposer"),
        (Action.APPROVED, "approver"),
        (Action.PUBLISHED, "approver"),
    ]
    proposal.refresh_from_db()
    assert (proposal.state, proposal.published_by, proposal.published_at) == (
        ProposalState.PUBLISHED,
        approver,
        MONDAY,
    )
    assert Programme.objects.get(pk=programme.pk).ects == 120
    refused(publish, proposal, approver, match="the proposal is published")
    refused(withdraw, proposal, proposer, match="the proposal is published")


# ---------------------------------------------------------------------------------------------
# When the programme is gone or a draft again


def test_a_proposal_whose_programme_was_deleted_says_so_and_can_be_withdrawn(
    submitted, approver, proposer
):
    Programme.objects.get(pk=submitted.programme_id).delete()
    proposal = Proposal.objects.get(pk=submitted.pk)
    assert proposal.programme is None
    assert str(proposal) == "Proposal for “Marine Biology”"  # named as it was

    deleted = "The programme was deleted after this proposal began; it can only be withdrawn."
    refused(approve, proposal, approver, match=deleted)
    refused(send_back, proposal, approver, "The programme is gone.", match=deleted)

    withdraw(proposal, proposer, "The programme was closed.")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.WITHDRAWN
    assert timeline(proposal)[-1] == (Action.WITHDRAWN, "proposer", "The programme was closed.")


def test_a_proposal_whose_programme_was_unpublished_says_so_and_can_be_withdrawn(
    submitted, approver, proposer
):
    Programme.objects.filter(pk=submitted.programme_id).update(published=False)
    proposal = Proposal.objects.get(pk=submitted.pk)

    unpublished = "The programme is no longer published: edit the draft directly"
    refused(approve, proposal, approver, match=unpublished)
    unchanged(proposal, ProposalState.SUBMITTED, events=2)

    withdraw(proposal, proposer)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.WITHDRAWN
    assert Programme.objects.get(pk=proposal.programme_id).ects == 90


def test_an_approved_proposal_whose_programme_was_unpublished_is_not_published(
    programme, proposer, approver
):
    proposal = approved(propose(programme, proposer, ects=120), approver)
    Programme.objects.filter(pk=programme.pk).update(published=False)

    refused(publish, proposal, approver, match="The programme is no longer published")
    stored = Programme.objects.get(pk=programme.pk)
    assert (stored.published, stored.ects) == (False, 90)
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.APPROVED
    withdraw(proposal, proposer)
