"""Proposals: how a change to a published programme is proposed, reviewed and published.

- `proposed_state(programme_pk, write)`: runs any ordinary write of the programme (the admin's
  change form, a history restore, an import) in a transaction that is rolled back, and returns
  the snapshot of what the write would have made of it. Nothing of it is ever stored in the
  live rows, so nothing public can show it.
- `save_proposal`: keeps that snapshot as the programme's one open proposal (started, or
  edited: an edit clears its approvals).
- `submit`, `approve`, `send_back`, `withdraw`, `comment`, `schedule`: the review's steps,
  each an event on the proposal's timeline.
- `publish`: the proposal's changes, merged with whatever changed in the live programme since
  it began, written as one programme write (one history version, one public change, one
  revision), exactly once however many callers race; `publish_due` publishes every approved
  proposal whose date has come (`manage.py publish_due_proposals`, run every minute).

Each function raises ProposalRefused, having written nothing, when its step isn't allowed.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from programs.actions.saving import programme_write
from programs.actions.snapshots import merge, reserve_new_row_ids, snapshot_of, write_snapshot
from programs.models import (
    OPEN_STATES,
    Programme,
    Proposal,
    ProposalApproval,
    ProposalEvent,
    ProposalState,
    ReviewRule,
)

Action = ProposalEvent.Action

# Without a rule of its own, a university's proposals need this many approvals.
DEFAULT_APPROVALS_NEEDED = 1


class ProposalRefused(Exception):
    """The step isn't allowed now; nothing has been written. Its text says why, to staff."""


class _Captured(Exception):
    """Carries a result out of the transaction that is rolled back under it."""

    def __init__(self, result):
        super().__init__("captured")
        self.result = result


def rolled_back(work):
    """Run `work()` in a transaction that is always rolled back, with everything it set off
    (history, search documents, catalog revision, on-commit callbacks); returns its result.
    Its own errors reach the caller as they are."""
    try:
        with transaction.atomic():
            raise _Captured(work())
    except _Captured as captured:
        return captured.result


def proposed_state(programme_pk, write):
    """What `write()` would make of the programme, without any of it being kept: returns
    (the programme's snapshot after the write, the write's result)."""

    def work():
        result = write()
        return snapshot_of(programme_pk), result

    return rolled_back(work)


def shown_state(proposal):
    """What the programme is while this proposal is open: the proposal's changes on the live
    programme as it is now (their merge), with the fields where both changed differently."""
    return merge(proposal.base, snapshot_of(proposal.programme_id), proposal.proposed)


def open_proposal_of(programme):
    """The programme's open proposal, or None."""
    return Proposal.objects.open().filter(programme=programme).select_related("proposed_by").first()


def is_stale(proposal, programme=None):
    """Whether the live programme changed after the proposal began (or was brought up to
    date): another proposal went live, an import or a restore wrote it."""
    programme = programme or proposal.programme
    return programme is not None and programme.version != proposal.base_version


def _event(proposal, user, action, comment="", at=None):
    # Saving the event tells the people the step concerns, once it is committed
    # (programs.actions.proposal_messages.event_recorded, connected in programs/receivers.py).
    return ProposalEvent.objects.create(
        proposal=proposal, actor=user, action=action, comment=comment, at=at or timezone.now()
    )


def save_proposal(programme, proposed, user):
    """Keep `proposed` (a snapshot) as the programme's open proposal, starting one if it has
    none. Returns (proposal, what happened): "started", "edited", or "unchanged" (the proposal,
    or None when there is none, already holds exactly this).

    Editing a submitted or approved proposal takes it back to "being written" and clears its
    approvals: reviewers approve what they saw. An edit of a proposal whose programme changed
    meanwhile was made on the merged state (see shown_state), so it is brought up to date: its
    base becomes the live programme.
    """
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        proposal = Proposal.objects.open().select_for_update().filter(programme=programme).first()
        live = snapshot_of(programme.pk)
        reserve_new_row_ids(live, proposed)
        if proposal is None:
            if proposed == live:
                return None, "unchanged"
            try:
                with transaction.atomic():
                    proposal = Proposal.objects.create(
                        programme=programme,
                        programme_title=programme.title,
                        proposed_by=user,
                        base_version=programme.version,
                        base=live,
                        proposed=proposed,
                    )
            except IntegrityError:
                # Another editor started one in the same moment: theirs stands.
                raise ProposalRefused(
                    gettext("Someone else has just started a proposal for this programme.")
                ) from None
            _event(proposal, user, Action.STARTED)
            return proposal, "started"
        if proposed == proposal.proposed and proposal.base_version == programme.version:
            return proposal, "unchanged"
        proposal.proposed = proposed
        if proposal.base_version != programme.version:
            proposal.base, proposal.base_version = live, programme.version
        comment = ""
        if proposal.state in (ProposalState.SUBMITTED, ProposalState.APPROVED):
            comment = gettext("Edited after it was submitted: it needs submitting again.")
            proposal.state = ProposalState.EDITING
            proposal.approvals.all().delete()
        proposal.save()
        _event(proposal, user, Action.EDITED, comment)
        return proposal, "edited"


def approvals_needed(programme):
    """How many approvals the programme's proposals need: the strictest rule among its
    universities, or the default for universities without one."""
    university_ids = list(programme.offerings.values_list("university_id", flat=True))
    needed = dict(
        ReviewRule.objects.filter(university_id__in=university_ids).values_list(
            "university_id", "approvals_needed"
        )
    )
    return max(
        (needed.get(pk, DEFAULT_APPROVALS_NEEDED) for pk in university_ids),
        default=DEFAULT_APPROVALS_NEEDED,
    )


def may_approve(user, programme):
    """Whether the user may approve (or send back) this programme's proposals: they work for
    one of its universities and are an approver by that university's rule (a member of its
    approvers group, or, without one, holding the "approve proposals" permission)."""
    if programme is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    universities = programme.universities.filter(staff=user)
    rules = dict(
        ReviewRule.objects.filter(university__in=universities).values_list(
            "university_id", "approvers_id"
        )
    )
    group_ids = set(user.groups.values_list("pk", flat=True))
    may_by_permission = user.has_perm("programs.approve_proposal")
    return any(
        (rules[pk] in group_ids) if rules.get(pk) else may_by_permission
        for pk in universities.values_list("pk", flat=True)
    )


def proposers(proposal):
    """Everyone who wrote the proposal: its starter and each editor since."""
    editors = proposal.events.filter(action__in=[Action.STARTED, Action.EDITED]).values_list(
        "actor_id", flat=True
    )
    return {proposal.proposed_by_id, *editors}


def _locked(proposal, *states):
    """The proposal re-read under a lock, refused unless it is in one of `states`."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state not in states:
        raise ProposalRefused(
            gettext("This step is not possible: the proposal is %(state)s.")
            % {"state": proposal.get_state_display()}
        )
    return proposal


def _require_programme(proposal):
    if proposal.programme is None:
        raise ProposalRefused(
            gettext(
                "The programme was deleted after this proposal began; it can only be withdrawn."
            )
        )
    if not proposal.programme.published:
        raise ProposalRefused(
            gettext(
                "The programme is no longer published: edit the draft directly, and withdraw "
                "this proposal."
            )
        )


def submit(proposal, user):
    """Send the proposal for review (only those who wrote it may: a colleague who submitted it
    could then approve it as someone who did not); with no approvals needed it is approved at
    once."""
    with transaction.atomic():
        proposal = _locked(proposal, ProposalState.EDITING, ProposalState.SENT_BACK)
        _require_programme(proposal)
        if user.pk not in proposers(proposal):
            raise ProposalRefused(
                gettext("Only those who wrote the proposal submit it; you can comment on it.")
            )
        proposal.state = ProposalState.SUBMITTED
        _event(proposal, user, Action.SUBMITTED)
        if approvals_needed(proposal.programme) == 0:
            proposal.state = ProposalState.APPROVED
        proposal.save(update_fields=["state", "updated_at"])
        return proposal


def approve(proposal, user):
    """One reviewer's approval; enough of them (from different people) approve the proposal."""
    with transaction.atomic():
        proposal = _locked(proposal, ProposalState.SUBMITTED)
        _require_programme(proposal)
        if user.pk in proposers(proposal):
            raise ProposalRefused(gettext("You can't approve a proposal you wrote yourself."))
        if not may_approve(user, proposal.programme):
            raise ProposalRefused(gettext("You may not approve this programme's proposals."))
        if proposal.approvals.filter(approver=user).exists():
            raise ProposalRefused(
                gettext("You have approved it already; another person's approval is needed.")
            )
        ProposalApproval.objects.create(proposal=proposal, approver=user, at=timezone.now())
        _event(proposal, user, Action.APPROVED)
        if proposal.approvals.count() >= approvals_needed(proposal.programme):
            proposal.state = ProposalState.APPROVED
            proposal.save(update_fields=["state", "updated_at"])
        return proposal


def send_back(proposal, user, comment):
    """Return the proposal to its proposer with a comment saying what to change (required)."""
    comment = _checked_comment(comment)
    if not comment:
        raise ProposalRefused(gettext("Say what should change: a comment is required."))
    with transaction.atomic():
        proposal = _locked(proposal, ProposalState.SUBMITTED, ProposalState.APPROVED)
        # A proposal whose programme is gone or a draft can only be withdrawn: say that, rather
        # than that nobody may review it.
        _require_programme(proposal)
        if not may_approve(user, proposal.programme):
            raise ProposalRefused(gettext("You may not review this programme's proposals."))
        if user.pk in proposers(proposal):
            raise ProposalRefused(
                gettext(
                    "You wrote this proposal: edit it (which takes it back from review) or "
                    "withdraw it rather than send it back."
                )
            )
        proposal.state = ProposalState.SENT_BACK
        proposal.approvals.all().delete()
        proposal.save(update_fields=["state", "updated_at"])
        _event(proposal, user, Action.SENT_BACK, comment)
        return proposal


def withdraw(proposal, user, comment=""):
    """Give the proposal up; the live programme stays as it is."""
    with transaction.atomic():
        proposal = _locked(proposal, *OPEN_STATES)
        proposal.state = ProposalState.WITHDRAWN
        proposal.save(update_fields=["state", "updated_at"])
        _event(proposal, user, Action.WITHDRAWN, _checked_comment(comment))
        return proposal


# A comment is a note to colleagues, not a document: longer ones are refused with a message.
COMMENT_MAX = 5000


def _checked_comment(text):
    text = (text or "").strip()
    if len(text) > COMMENT_MAX:
        raise ProposalRefused(
            gettext("A comment can be at most %(count)d characters long.") % {"count": COMMENT_MAX}
        )
    return text


def comment(proposal, user, text):
    """A comment on the proposal's timeline (kept, never public)."""
    text = _checked_comment(text)
    if not text:
        raise ProposalRefused(gettext("The comment is empty."))
    return _event(proposal, user, Action.COMMENTED, text)


def schedule(proposal, user, effective_at):
    """Set when the proposal takes effect (None: as soon as it is approved). A new date keeps
    the approvals (reviewers approve what changes); the timeline says who set it and when."""
    if effective_at is not None and timezone.is_naive(effective_at):
        effective_at = timezone.make_aware(effective_at)
    with transaction.atomic():
        proposal = _locked(proposal, *OPEN_STATES)
        if proposal.effective_at == effective_at:
            return proposal
        proposal.effective_at = effective_at
        proposal.save(update_fields=["effective_at", "updated_at"])
        said = (
            timezone.localtime(effective_at).strftime("%Y-%m-%d %H:%M %Z")
            if effective_at
            else gettext("as soon as it is approved")
        )
        _event(proposal, user, Action.SCHEDULED, said)
        return proposal


def conflict_message(conflicts):
    return ngettext(
        "It can't be published: %(count)d change of the live programme since the proposal "
        "began clashes with it. Edit the proposal to decide, then submit it again.",
        "It can't be published: %(count)d changes of the live programme since the proposal "
        "began clash with it. Edit the proposal to decide, then submit it again.",
        len(conflicts),
    ) % {"count": len(conflicts)}


def publish(proposal, user=None, now=None):
    """Make the approved proposal live, once: its changes merged onto the live programme in one
    programme write (one history version by its proposer, one public change, one revision).

    `user` is who published it, None for the scheduled run. Refused when it isn't approved (or
    was published by another caller first), its date hasn't come, its programme is gone or a
    draft, or the live programme changed since in a way that clashes with it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The conditional UPDATE is the claim: of two callers, one changes the row and the other
        # (waiting for the first one's lock, then re-reading it) changes nothing.
        claimed = (
            Proposal.objects.filter(pk=proposal.pk)
            .due(now)
            .update(state=ProposalState.PUBLISHED, published_at=now, published_by=user)
        )
        if not claimed:
            current = Proposal.objects.get(pk=proposal.pk)
            if current.state == ProposalState.APPROVED:
                raise ProposalRefused(
                    gettext("It takes effect on %(date)s: it will be published then.")
                    % {"date": timezone.localtime(current.effective_at).strftime("%Y-%m-%d %H:%M")}
                )
            raise ProposalRefused(
                gettext("This step is not possible: the proposal is %(state)s.")
                % {"state": current.get_state_display()}
            )
        proposal = Proposal.objects.select_related("programme", "proposed_by").get(pk=proposal.pk)
        _require_programme(proposal)
        merged = merge(proposal.base, snapshot_of(proposal.programme_id), proposal.proposed)
        if merged.conflicts:
            raise ProposalRefused(conflict_message(merged.conflicts))
        try:
            with programme_write({proposal.programme_id: None}):
                write_snapshot(
                    proposal.programme_id,
                    merged.snapshot,
                    proposal.proposed_by,
                    reason=gettext("Proposal %(number)d published") % {"number": proposal.pk},
                )
        except IntegrityError:
            # The merge agrees, but the whole breaks a rule the database holds: another
            # programme took the proposed address (the programme's own rows that clash, such
            # as two semesters 3, are the merge's conflicts). Refused, and (publish_due) sent
            # back, rather than failing every minute and holding up the proposals due after it.
            raise ProposalRefused(
                gettext(
                    "It can't be published: together with the changes made since it began, it "
                    "would break a rule of the catalog (such as two semesters with the same "
                    "number, or an address another programme has taken meanwhile). Edit the "
                    "proposal, then submit it again."
                )
            ) from None
        _event(proposal, user, Action.PUBLISHED, at=now)
        return proposal


def close_as_published(proposal, user):
    """Record that an open proposal's changes went live with a direct save by `user` (who
    may publish directly, and whose form showed the proposal's changes): inside that save's
    transaction, so the two commit together."""
    proposal = _locked(proposal, *OPEN_STATES)
    now = timezone.now()
    proposal.state = ProposalState.PUBLISHED
    proposal.published_at, proposal.published_by = now, user
    proposal.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    _event(
        proposal,
        user,
        Action.PUBLISHED,
        gettext("Published at once with a direct save, without review."),
        at=now,
    )
    return proposal


def publish_due(now=None):
    """Publish every approved proposal whose date has come, each once; returns (published,
    refused) as lists of (proposal, message).

    Safe to run every minute, and from two places at once: each proposal is claimed by
    `publish`. One that can no longer be published as it is (its programme changed in a way
    that clashes, was deleted or unpublished) is sent back to its proposer with the reason,
    rather than tried again every minute.
    """
    now = now or timezone.now()
    published, refused = [], []
    for proposal in Proposal.objects.due(now).order_by("effective_at", "pk"):
        try:
            published.append((publish(proposal, None, now), ""))
        except ProposalRefused as refusal:
            still_due = Proposal.objects.due(now).filter(pk=proposal.pk)
            with transaction.atomic():
                if still_due.update(state=ProposalState.SENT_BACK):
                    proposal.approvals.all().delete()
                    _event(proposal, None, Action.SENT_BACK, str(refusal))
                    refused.append((proposal, str(refusal)))
    return published, refused
