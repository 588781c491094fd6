"""A history restore of a published programme becomes a proposal too.

Restoring an earlier version (simple-history's revert form, programs.actions.restore) changes
what the programme says as much as an edit does, so on a published programme it goes through
review like the change form (programs.staff.proposing): the whole restore runs inside a
transaction that is rolled back, and what it would have made of the programme is kept as the
programme's open proposal. The live rows never change. Staff who may publish directly can tick
"restore at once"; a restore that also makes the programme a draft again (the version was one,
and the user asked for its publication too) takes it out of public view and so needs no review,
as the list's "unpublish" action doesn't.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.translation import gettext

from programs.actions.proposals import (
    ProposalRefused,
    open_proposal_of,
    proposed_state,
    save_proposal,
)
from programs.models import Programme
from programs.staff.proposing import may_publish_directly, proposal_url, publishes_now


def restore_is_proposed(request, programme, version_id):
    """Whether this restore of the programme becomes a proposal rather than a direct write."""
    if not programme.published or publishes_now(request):
        return False
    # Back to a draft (the version was one, and the user asks for its publication too): out
    # of public view, like the list's "unpublish", so no review. The version is looked up, so
    # that posting the box for a version that was published gets round nothing.
    back_to_draft = request.POST.get("restore_publication") == "on" and (
        programme.history.filter(history_id=version_id, published=False).exists()
    )
    return not back_to_draft


def proposing_context(request, programme):
    """What the version page says about proposals: for the template's notice and its box."""
    if programme is None or not programme.published:
        return {}
    proposal = open_proposal_of(programme)
    return {
        "proposing": True,
        "open_proposal": proposal,
        "open_proposal_url": proposal_url(proposal) if proposal else None,
        "may_publish_directly": may_publish_directly(request.user),
    }


class ProposingRestoreMixin:
    """For the Programme admin (with ProposingChangeFormMixin, whose message holding it uses):
    the revert form of a published programme keeps the restore as the programme's proposal."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        django_view = super().history_form_view
        programme = None
        if request.method == "POST":
            programme = Programme.objects.filter(pk=object_id).first()
        if programme is None or not restore_is_proposed(request, programme, version_id):
            return django_view(request, object_id, version_id, extra_context)

        def restore():
            response = django_view(request, object_id, version_id, extra_context)
            if hasattr(response, "render"):
                response.render()  # while the rolled-back restore is still in the database
            return response

        held = []
        request._held_messages = held
        try:
            # Its own refusals (RestoreRefused, StaleVersion) reach the admin's view, which says
            # why or shows the form again, as for a direct restore.
            snapshot, response = proposed_state(programme.pk, restore)
        finally:
            del request._held_messages
        if response.status_code != 302:
            # The version's page with the form's errors: nothing to keep.
            for level, message in held:
                messages.add_message(request, level, message)
            return response
        try:
            proposal, what = save_proposal(programme, snapshot, request.user)
        except ProposalRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(request.get_full_path())
        if what == "unchanged":
            messages.info(
                request,
                gettext("The open proposal already holds this version: nothing was changed.")
                if proposal
                else gettext(
                    "The published programme is this version already: nothing was proposed."
                ),
            )
            return HttpResponseRedirect(request.get_full_path())
        record = programme.history.get(history_id=version_id)
        messages.success(
            request,
            gettext(
                "Restoring the version of %(date)s is proposed. The published programme stays "
                "as it is until the proposal is approved and published."
            )
            % {
                "date": formats.date_format(
                    timezone.localtime(record.history_date), "DATETIME_FORMAT"
                )
            }
            + " "
            + gettext("Submit it for review when it is ready."),
        )
        return HttpResponseRedirect(proposal_url(proposal))
