"""Building proposals in tests the way staff make them: through programs.actions.proposals."""

from django.contrib.auth.models import Permission

from programs.actions.proposals import approve, save_proposal, schedule, submit
from programs.actions.snapshots import snapshot_of
from tests.support import factories


def approver_of(university, **fields):
    """A staff member of the university holding the "approve proposals" permission."""
    user = factories.StaffUserFactory(universities=[university], **fields)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="programs", codename="approve_proposal")
    )
    return user


def propose(programme, user, **changes):
    """Keep the programme with these own fields changed as its open proposal (started or
    edited), as the admin's form does with what its rolled-back save made of it."""
    snapshot = snapshot_of(programme.pk)
    snapshot["programme"].update(changes)
    proposal, _ = save_proposal(programme, snapshot, user)
    return proposal


def approved(proposal, approver, effective_at=None):
    """The proposal submitted by its proposer, given its date, and approved by `approver`."""
    if effective_at is not None:
        schedule(proposal, proposal.proposed_by, effective_at)
    submit(proposal, proposal.proposed_by)
    return approve(proposal, approver)
