"""Taking a programme's open proposal through review, as its staff would: submitted by its
proposer, approved by a second person, published (programs.actions.proposals)."""

from programs.actions.proposals import approve, open_proposal_of, publish, submit
from tests.support import factories


def approver_of(programme, username="approver"):
    """A staff member of the programme's universities who approves their proposals."""
    return factories.StaffUserFactory(
        username=username, universities=programme.universities.all(), approves_proposals=True
    )


def publish_after_review(programme, approver):
    """The programme's open proposal submitted by whoever started it, approved by `approver`
    (who may approve it and didn't write it) and published by them; returns the proposal."""
    proposal = open_proposal_of(programme)
    assert proposal is not None, "the programme has no open proposal"
    submit(proposal, proposal.proposed_by)
    approve(proposal, approver)
    return publish(proposal, approver)
