"""Proposal e-mails: approvers hear when a proposal waits for them, proposers when theirs is
approved, sent back or published; each as it happens or in a daily digest, as each person chose;
a mail server that fails loses nothing."""

import datetime
import smtplib

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from programs.actions import proposals
from programs.actions.snapshots import snapshot_of
from programs.models import (
    MailDelivery,
    ProposalMailChoice,
    ProposalMessage,
    ProposalState,
    ReviewRule,
)
from tests.support import factories

pytestmark = pytest.mark.django_db

BERLIN = datetime.timezone(datetime.timedelta(hours=1))
MONDAY_MORNING = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=BERLIN)


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every send fails as smtplib says."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def approver_of(university, username, **kwargs):
    person = factories.StaffUserFactory(
        username=username, universities=[university], first_name=username.title(), **kwargs
    )
    person.user_permissions.add(Permission.objects.get(codename="approve_proposal"))
    return person


@pytest.fixture
def cast():
    """A published programme of one university, its proposer, two approvers, an approver of
    another university and a colleague who may not approve."""
    university = factories.UniversityFactory(name="Uppsala University")
    elsewhere = factories.UniversityFactory(name="Elsewhere University")
    programme = factories.ProgrammeFactory(
        title="Health Informatics", universities=[university], ects=120
    )
    return {
        "programme": programme,
        "proposer": factories.StaffUserFactory(
            username="petra", first_name="Petra", universities=[university]
        ),
        "anna": approver_of(university, "anna"),
        "bruno": approver_of(university, "bruno"),
        "outsider": approver_of(elsewhere, "olga"),
        "colleague": factories.StaffUserFactory(username="carl", universities=[university]),
    }


def propose(programme, proposer, ects=90):
    proposed = snapshot_of(programme.pk)
    proposed["programme"]["ects"] = ects
    proposal, what = proposals.save_proposal(programme, proposed, proposer)
    assert what == "started"
    return proposal


def choose(person, **deliveries):
    ProposalMailChoice.objects.create(user=person, **deliveries)


def addressees():
    return sorted(address for email in mail.outbox for address in email.to)


def test_submitting_emails_each_approver_of_the_programme_once_and_not_the_proposer(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(cast["programme"], cast["proposer"])
    assert mail.outbox == []  # starting a proposal tells nobody

    with django_capture_on_commit_callbacks(execute=True):
        proposals.submit(proposal, cast["proposer"])

    # Not the proposer, nor the colleague who may not approve, nor another university's approver.
    assert addressees() == ["anna@example.org", "bruno@example.org"]
    email = mail.outbox[0]
    assert email.subject == "The proposal for “Health Informatics” waits for your review"
    assert "Petra submitted the proposal for “Health Informatics” for review" in email.body
    assert f"http://testserver/admin/programs/proposal/{proposal.pk}/change/" in email.body
    assert "http://testserver/admin/programs/proposalmailchoice/" in email.body


def test_approving_emails_the_proposer_once_the_approvals_needed_are_given(
    cast, django_capture_on_commit_callbacks
):
    ReviewRule.objects.create(university=cast["programme"].universities.get(), approvals_needed=2)
    proposal = propose(cast["programme"], cast["proposer"])
    proposals.submit(proposal, cast["proposer"])

    with django_capture_on_commit_callbacks(execute=True):
        proposals.approve(proposal, cast["anna"])
    assert mail.outbox == []  # one of two approvals: nothing to tell the proposer yet

    with django_capture_on_commit_callbacks(execute=True):
        proposals.approve(proposal, cast["bruno"])
    assert addressees() == ["petra@example.org"]
    assert mail.outbox[0].subject == "Your proposal for “Health Informatics” is approved"
    assert "It can be published now." in mail.outbox[0].body


def test_sending_back_emails_the_proposer_with_the_comment(
    cast, django_capture_on_commit_callbacks
):
    proposal = propose(cast["programme"], cast["proposer"])
    proposals.submit(proposal, cast["proposer"])

    with django_capture_on_commit_callbacks(execute=True):
        proposals.send_back(proposal, cast["anna"], "The ECTS must stay 120:\nsee the regulations.")

    assert addressees() == ["petra@example.org"]
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Your proposal for “Health Informatics” was sent back"
    assert "Anna sent your proposal for “Health Informatics” back" in body
    assert "> The ECTS must stay 120:\n> see the regulations." in body


def test_every_writer_of_the_proposal_hears_it_was_published(
    cast, django_capture_on_commit_callbacks
):
    proposal = propose(cast["programme"], cast["proposer"])
    # A second proposer edits it: both wrote it, both are told.
    co_author = factories.StaffUserFactory(
        username="quentin", universities=[cast["programme"].universities.get()]
    )
    edited = snapshot_of(cast["programme"].pk)
    edited["programme"]["ects"] = 95
    proposals.save_proposal(cast["programme"], edited, co_author)
    proposals.submit(proposal, co_author)
    proposals.approve(proposal, cast["anna"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        proposals.publish(proposal, cast["bruno"])

    assert addressees() == ["petra@example.org", "quentin@example.org"]
    assert mail.outbox[0].subject == "Your proposal for “Health Informatics” is published"


def test_the_scheduled_run_publishing_a_proposal_emails_its_proposer(
    cast, django_capture_on_commit_callbacks
):
    proposal = propose(cast["programme"], cast["proposer"])
    proposals.submit(proposal, cast["proposer"])
    proposals.approve(proposal, cast["anna"])
    proposals.schedule(proposal, cast["proposer"], MONDAY_MORNING)
    mail.outbox.clear()

    a_minute_later = MONDAY_MORNING + datetime.timedelta(minutes=1)
    with (
        time_machine.travel(a_minute_later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        published, refused = proposals.publish_due()

    assert [p.pk for p, _ in published] == [proposal.pk] and refused == []
    assert addressees() == ["petra@example.org"]
    assert "the catalog's scheduled run" in mail.outbox[0].body
    assert "was published on 2 November 2026, 09:31 CET" in mail.outbox[0].body


def test_a_digest_chooser_gets_nothing_at_once_and_one_digest_of_everything_once(
    cast, django_capture_on_commit_callbacks
):
    choose(cast["anna"], waiting=MailDelivery.DIGEST)
    second = factories.ProgrammeFactory(
        title="Medical Imaging", universities=[cast["programme"].universities.get()]
    )
    first_proposal = propose(cast["programme"], cast["proposer"])
    second_proposal = propose(second, cast["proposer"])

    with django_capture_on_commit_callbacks(execute=True):
        proposals.submit(first_proposal, cast["proposer"])
        proposals.submit(second_proposal, cast["proposer"])
    assert "anna@example.org" not in addressees()  # Bruno, who chose each, has his two
    assert addressees() == ["bruno@example.org", "bruno@example.org"]
    mail.outbox.clear()

    call_command("send_proposal_digests", stdout=None)

    assert addressees() == ["anna@example.org"]
    digest = mail.outbox[0]
    assert digest.subject == "Proposals: 2 messages for you"
    assert "1. The proposal for “Health Informatics” waits for your review" in digest.body
    assert "2. The proposal for “Medical Imaging” waits for your review" in digest.body
    assert f"/admin/programs/proposal/{first_proposal.pk}/change/" in digest.body
    assert f"/admin/programs/proposal/{second_proposal.pk}/change/" in digest.body

    mail.outbox.clear()
    call_command("send_proposal_digests")
    assert mail.outbox == []  # everything was sent once


def test_a_person_who_chose_no_email_gets_none_and_nothing_is_kept_for_them(
    cast, django_capture_on_commit_callbacks
):
    choose(cast["anna"], waiting=MailDelivery.NONE)
    proposal = propose(cast["programme"], cast["proposer"])

    with django_capture_on_commit_callbacks(execute=True):
        proposals.submit(proposal, cast["proposer"])
    call_command("send_proposal_digests")

    assert addressees() == ["bruno@example.org"]
    assert not ProposalMessage.objects.filter(recipient=cast["anna"]).exists()


def test_an_email_in_the_language_the_person_chose(cast, django_capture_on_commit_callbacks):
    choose(cast["anna"], language="de")
    proposal = propose(cast["programme"], cast["proposer"])

    with django_capture_on_commit_callbacks(execute=True):
        proposals.submit(proposal, cast["proposer"])

    (german,) = [email for email in mail.outbox if email.to == ["anna@example.org"]]
    assert german.subject == "Der Vorschlag für „Health Informatics“ wartet auf Ihre Prüfung"


def test_a_failing_mail_server_leaves_the_step_done_and_the_message_kept_for_the_next_run(
    cast, django_capture_on_commit_callbacks, settings, caplog
):
    choose(cast["bruno"], waiting=MailDelivery.NONE)
    proposal = propose(cast["programme"], cast["proposer"])
    settings.EMAIL_BACKEND = "tests.actions.test_proposal_messages.RefusingBackend"

    with django_capture_on_commit_callbacks(execute=True):
        proposals.submit(proposal, cast["proposer"])

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED  # the step stands
    (kept,) = ProposalMessage.objects.unsent()
    assert (kept.recipient, kept.failures) == (cast["anna"], 1)
    assert "SMTPServerDisconnected" in kept.last_failure
    assert "Could not send the proposal e-mail to anna@example.org" in caplog.text

    # Still down at the next run: kept again, and the run says so.
    with pytest.raises(CommandError, match="1 e-mail"):
        call_command("send_proposal_digests", "--retry-only")
    assert ProposalMessage.objects.unsent().get().failures == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_proposal_digests", "--retry-only")
    assert addressees() == ["anna@example.org"]
    assert mail.outbox[0].subject == "The proposal for “Health Informatics” waits for your review"
    assert not ProposalMessage.objects.unsent().exists()

    call_command("send_proposal_digests")
    assert len(mail.outbox) == 1  # sent once


def test_a_failing_digest_is_kept_whole_for_the_next_run(
    cast, django_capture_on_commit_callbacks, settings
):
    choose(cast["proposer"], sent_back=MailDelivery.DIGEST)
    proposal = propose(cast["programme"], cast["proposer"])
    proposals.submit(proposal, cast["proposer"])
    with django_capture_on_commit_callbacks(execute=True):
        proposals.send_back(proposal, cast["anna"], "Not yet.")
    mail.outbox.clear()

    settings.EMAIL_BACKEND = "tests.actions.test_proposal_messages.RefusingBackend"
    with pytest.raises(CommandError):
        call_command("send_proposal_digests")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_proposal_digests")

    assert addressees() == ["petra@example.org"]
    assert "> Not yet." in mail.outbox[0].body


def test_a_step_that_is_rolled_back_tells_nobody(cast, django_capture_on_commit_callbacks):
    proposal = propose(cast["programme"], cast["proposer"])

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(proposals.ProposalRefused),
    ):
        proposals.approve(proposal, cast["anna"])  # not submitted: refused, nothing written

    assert mail.outbox == []
    assert not ProposalMessage.objects.exists()


def test_a_step_reported_twice_tells_each_person_once(cast, django_capture_on_commit_callbacks):
    from programs.actions import proposal_messages

    proposal = propose(cast["programme"], cast["proposer"])
    with django_capture_on_commit_callbacks(execute=True):
        proposals.submit(proposal, cast["proposer"])
    submitted = proposal.events.get(action="submitted")

    proposal_messages.step_taken(submitted.pk)

    assert addressees() == ["anna@example.org", "bruno@example.org"]


def test_a_proposal_needing_no_approval_tells_the_other_writers_it_is_approved(
    cast, django_capture_on_commit_callbacks
):
    ReviewRule.objects.create(university=cast["programme"].universities.get(), approvals_needed=0)
    proposal = propose(cast["programme"], cast["proposer"])
    co_author = factories.StaffUserFactory(
        username="quentin", universities=[cast["programme"].universities.get()]
    )
    edited = snapshot_of(cast["programme"].pk)
    edited["programme"]["ects"] = 95
    proposals.save_proposal(cast["programme"], edited, co_author)

    with django_capture_on_commit_callbacks(execute=True):
        proposals.submit(proposal, cast["proposer"])

    # Nobody to review it; the co-author hears it is approved, the submitter knows already.
    assert addressees() == ["quentin@example.org"]
    assert mail.outbox[0].subject == "Your proposal for “Health Informatics” is approved"


def test_a_message_is_dated_in_berlin_time(cast, django_capture_on_commit_callbacks):
    proposal = propose(cast["programme"], cast["proposer"])
    with (
        time_machine.travel(MONDAY_MORNING, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        proposals.submit(proposal, cast["proposer"])
    assert "for review on 2 November 2026, 09:30 CET." in mail.outbox[0].body
