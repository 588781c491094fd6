"""Telling people about a proposal's steps: approvers when one waits for them, proposers when
theirs is approved, sent back or published (each as it happens, or in a daily digest).

- `step_taken(event_pk)`: called once a step is committed (every ProposalEvent saved is one;
  `event_recorded` is connected in programs/receivers.py). It decides who is told, keeps one
  `ProposalMessage` per person, and e-mails at once those who chose an e-mail for each message.
  Digest messages wait.
- `send_owed()`: what `manage.py send_proposal_digests` runs: each person's digest (one e-mail
  with every digest message they are owed) and every message whose e-mail failed before.

A message is kept from the moment the step is committed and marked sent in the same transaction
that sends it, so a mail server that is down loses nothing (the message waits for the next run)
and two runs at once send it once: the second waits for the first's lock, then finds it sent.
Nobody is told about their own step.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from programs.actions import proposals as review
from programs.core.site_address import absolute_url
from programs.models import (
    MailDelivery,
    MessageKind,
    ProposalEvent,
    ProposalMailChoice,
    ProposalMessage,
    ProposalState,
)

logger = logging.getLogger(__name__)

Action = ProposalEvent.Action


def event_recorded(sender, instance, created, raw=False, **kwargs):
    """A proposal's step was recorded (post_save of a ProposalEvent): tell the people it
    concerns once it is committed, never before (a step that rolls back tells no one, and a
    failed send can't undo the step)."""
    if created and not raw:
        transaction.on_commit(lambda: step_taken(instance.pk), robust=True)


def step_taken(event_pk):
    """Called once a proposal's step is committed: keep a message for each person the step
    concerns, and send those who want each message theirs now."""
    event = (
        ProposalEvent.objects.select_related("proposal__programme", "actor")
        .filter(pk=event_pk)
        .first()
    )
    if event is None:
        return
    kind, people = _told(event)
    if kind is None:
        return
    choices = {
        choice.user_id: choice
        for choice in ProposalMailChoice.objects.filter(user__in=[person.pk for person in people])
    }
    now = timezone.now()
    to_send = []
    for person in people:
        choice = choices.get(person.pk)
        delivery = choice.delivery_for(kind) if choice else MailDelivery.EACH
        if delivery == MailDelivery.NONE:
            continue
        message, created = ProposalMessage.objects.get_or_create(
            recipient=person,
            event=event,
            kind=kind,
            defaults={"delivery": delivery, "queued_at": now},
        )
        if created and delivery == MailDelivery.EACH:
            to_send.append(message)
    for message in to_send:
        _deliver([message], lambda message=message: _single_email(message))


def _told(event):
    """(MessageKind, the people to tell) for this step, or (None, []) when it tells no one.

    Read when the step is committed: a step that no longer holds by then (the proposal was
    approved before anyone read that it waits) tells no one rather than something untrue.
    """
    proposal = event.proposal
    programme = proposal.programme
    kind, people = None, []
    if event.action == Action.SUBMITTED and programme is not None:
        if proposal.state == ProposalState.SUBMITTED:
            kind, people = MessageKind.WAITING, _approvers(proposal)
        elif proposal.state == ProposalState.APPROVED and review.approvals_needed(programme) == 0:
            # Nothing to review: submitting it approved it.
            kind, people = MessageKind.APPROVED, _proposers(proposal)
    elif event.action == Action.APPROVED:
        last_approval = not proposal.events.filter(action=Action.APPROVED, pk__gt=event.pk).exists()
        if last_approval and proposal.state in (ProposalState.APPROVED, ProposalState.PUBLISHED):
            kind, people = MessageKind.APPROVED, _proposers(proposal)
    elif event.action == Action.SENT_BACK:
        kind, people = MessageKind.SENT_BACK, _proposers(proposal)
    elif event.action == Action.PUBLISHED:
        kind, people = MessageKind.PUBLISHED, _proposers(proposal)
    return kind, [person for person in people if person.pk != event.actor_id]


def _reachable(users):
    return users.filter(is_active=True).exclude(email="").order_by("pk")


def _proposers(proposal):
    """Everyone who wrote the proposal."""
    return list(_reachable(get_user_model().objects.filter(pk__in=review.proposers(proposal))))


def _approvers(proposal):
    """The staff of the programme's universities who may approve it and didn't write it."""
    programme = proposal.programme
    wrote = review.proposers(proposal)
    staff = _reachable(
        get_user_model()
        .objects.filter(is_staff=True, universities__in=programme.universities.all())
        .exclude(pk__in=wrote)
        .distinct()
    )
    return [person for person in staff if review.may_approve(person, programme)]


@dataclass
class Sent:
    """What a run of `send_owed` did: e-mails sent, and e-mails that failed (kept for later)."""

    digests: int = 0
    retried: int = 0
    failed: list = field(default_factory=list)


def send_owed(digests=True):
    """Send every message still owed: first those whose own e-mail failed before, then (unless
    `digests` is False) each person's digest of their waiting digest messages, one e-mail each.
    Safe to run twice and from two places at once: a message is sent once."""
    outcome = Sent()
    failed = ProposalMessage.objects.unsent().filter(delivery=MailDelivery.EACH)
    for message in failed.select_related("recipient"):
        result = _deliver([message], lambda message=message: _single_email(message))
        if result == SENT:
            outcome.retried += 1
        elif result == FAILED:
            outcome.failed.append(message.recipient.get_username())
    if not digests:
        return outcome
    waiting = ProposalMessage.objects.unsent().filter(delivery=MailDelivery.DIGEST)
    for recipient_id in sorted(set(waiting.values_list("recipient_id", flat=True))):
        messages = list(
            waiting.filter(recipient_id=recipient_id).select_related(
                "recipient", "event__proposal", "event__actor"
            )
        )
        result = _deliver(messages, lambda messages=messages: _digest_email(messages))
        if result == SENT:
            outcome.digests += 1
        elif result == FAILED:
            outcome.failed.append(messages[0].recipient.get_username())
    return outcome


class _SentMeanwhile(Exception):
    """Another run sent (some of) these messages while this one waited: send nothing."""


# What _deliver did.
SENT, SENT_MEANWHILE, FAILED = "sent", "sent meanwhile", "failed"


def _deliver(messages, email):
    """Send the e-mail `email()` makes of `messages` and mark them sent, in one transaction:
    sent once, or not at all and still owed (the failure counted and logged). Returns SENT,
    SENT_MEANWHILE (another run sent them first: nothing sent) or FAILED."""
    pks = [message.pk for message in messages]
    try:
        with transaction.atomic():
            # The claim: of two runs, the second waits for the first's lock, then claims nothing.
            claimed = ProposalMessage.objects.filter(pk__in=pks, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if claimed != len(pks):
                raise _SentMeanwhile
            email().send()
    except _SentMeanwhile:
        return SENT_MEANWHILE
    except Exception as failure:
        # Any backend's error (SMTP, a refused connection, a mail API's): the step is committed
        # already and the message stays owed, so nothing is lost; the operator reads why here.
        logger.exception(
            "Could not send the proposal e-mail to %s (%d message(s) kept for the next run of "
            "send_proposal_digests)",
            messages[0].recipient.email,
            len(pks),
        )
        ProposalMessage.objects.filter(pk__in=pks).update(
            failures=F("failures") + 1, last_failure=f"{type(failure).__name__}: {failure}"[:2000]
        )
        return FAILED
    return SENT


def _language_of(person):
    choice = ProposalMailChoice.objects.filter(user=person).first()
    return choice.language if choice else settings.LANGUAGE_CODE


def _single_email(message):
    """The e-mail of one message, in its recipient's language."""
    person = message.recipient
    with translation.override(_language_of(person)):
        proposal = message.event.proposal
        body = [_what_happened(message), "", _open_link(proposal), "", _footer()]
        return EmailMessage(
            subject=_subject(message),
            body="\n".join(body) + "\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
        )


def _digest_email(messages):
    """One e-mail with all of a person's owed digest messages, oldest first."""
    person = messages[0].recipient
    with translation.override(_language_of(person)):
        count = len(messages)
        subject = ngettext(
            "Proposals: %(count)d message for you",
            "Proposals: %(count)d messages for you",
            count,
        ) % {"count": count}
        body = [gettext("Your proposal messages since the last digest, oldest first:"), ""]
        for number, message in enumerate(messages, start=1):
            body.append(f"{number}. {_subject(message)}")
            body.extend(
                "   " + line if line else "" for line in _what_happened(message).split("\n")
            )
            body.append("   " + _open_link(message.event.proposal))
            body.append("")
        body.append(_footer())
        return EmailMessage(
            subject=subject,
            body="\n".join(body) + "\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
        )


def _subject(message):
    title = message.event.proposal.programme_title
    subjects = {
        MessageKind.WAITING: gettext("The proposal for “%(title)s” waits for your review"),
        MessageKind.APPROVED: gettext("Your proposal for “%(title)s” is approved"),
        MessageKind.SENT_BACK: gettext("Your proposal for “%(title)s” was sent back"),
        MessageKind.PUBLISHED: gettext("Your proposal for “%(title)s” is published"),
    }
    return subjects[message.kind] % {"title": title}


def _who(event):
    if event.actor is None:
        return gettext("the catalog's scheduled run")
    return event.actor.get_full_name() or event.actor.get_username()


def _when(moment):
    """A moment as the reader's language writes the day, the time on a 24-hour clock and the
    zone's abbreviation (the catalog's time zone, Europe/Berlin: "2 November 2026, 09:30 CET")."""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'DATE_FORMAT')}, {local:%H:%M %Z}"


def _what_happened(message):
    """The message in plain words: who did what and when, and what it means for the reader."""
    event = message.event
    proposal = event.proposal
    facts = {"who": _who(event), "when": _when(event.at), "title": proposal.programme_title}
    if message.kind == MessageKind.WAITING:
        text = gettext(
            "%(who)s submitted the proposal for “%(title)s” for review on %(when)s. "
            "It waits for your approval, or for you to send it back."
        )
    elif message.kind == MessageKind.APPROVED:
        text = gettext("Your proposal for “%(title)s” was approved on %(when)s (%(who)s).")
        if proposal.effective_at:
            text += " " + gettext("It takes effect on %(effective)s.")
            facts["effective"] = _when(proposal.effective_at)
        else:
            text += " " + gettext("It can be published now.")
    elif message.kind == MessageKind.SENT_BACK:
        text = gettext(
            "%(who)s sent your proposal for “%(title)s” back on %(when)s. What should change:"
        )
    else:
        text = gettext(
            "Your proposal for “%(title)s” was published on %(when)s (%(who)s): "
            "the public pages show it now."
        )
    lines = [text % facts]
    if message.kind == MessageKind.SENT_BACK and event.comment:
        lines.extend(["", *("> " + line for line in event.comment.splitlines())])
    return "\n".join(lines)


def _open_link(proposal):
    address = reverse("admin:programs_proposal_change", args=[proposal.pk])
    return gettext("Open the proposal: %(link)s") % {"link": absolute_url(address)}


def _footer():
    address = reverse("admin:programs_proposalmailchoice_changelist")
    return "-- \n" + gettext(
        "Choose which proposal e-mails you get, each or as a daily digest: %(link)s"
    ) % {"link": absolute_url(address)}
