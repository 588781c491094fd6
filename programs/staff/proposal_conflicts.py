"""A save of a published programme's form opened before someone else saved its proposal is
refused, rather than silently replacing their changes.

A proposal's save keeps the whole form as the proposal (programs.staff.proposing), so a form
loaded before another editor's save would undo that editor's changes without either of them
knowing. The form carries which state of the programme's open proposal (or that it had none)
it was loaded on; a save from an older state is refused, and the form shows the proposal as it
is now, to make the changes again. This is the proposal's counterpart of the programme's own
version check (programs.staff.forms), which still guards the published programme.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext

from programs.actions.proposals import open_proposal_of
from programs.models import Programme
from programs.staff.proposing import publishes_now

PROPOSAL_SEEN = "_proposal_seen"


def proposal_state_token(programme):
    """Which state of the programme's open proposal a form shows: its id and last change, or
    "none" without one."""
    proposal = open_proposal_of(programme)
    if proposal is None:
        return "none"
    return f"{proposal.pk}:{proposal.updated_at.isoformat()}"


class ProposalConflictMixin:
    """For the Programme admin, ahead of ProposingChangeFormMixin: the form of a published
    programme carries the proposal state it shows, and a save from an older one is refused."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        programme = None
        if object_id is not None and str(object_id).isdigit():
            programme = (
                Programme.objects.editable_by(request.user)
                .filter(pk=object_id, published=True)
                .first()
            )
        if programme is None or publishes_now(request):
            return super().changeform_view(request, object_id, form_url, extra_context)
        seen = proposal_state_token(programme)
        seen_by_form = request.POST.get(PROPOSAL_SEEN) if request.method == "POST" else None
        if seen_by_form is not None and seen_by_form != seen:
            messages.error(
                request,
                gettext(
                    "Someone else saved this programme's proposal since you opened the form, so "
                    "your changes were not saved. The form now shows the proposal as it is: "
                    "make your changes again."
                ),
            )
            return HttpResponseRedirect(request.path)
        extra_context = {**(extra_context or {}), "proposal_seen": seen}
        return super().changeform_view(request, object_id, form_url, extra_context)
