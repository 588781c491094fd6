"""The programme change form of a published programme: a save becomes a proposal.

The form works exactly as for a draft (the same fields, inlines, checks and errors), but on a
published programme everything runs inside a transaction that is rolled back: the programme
is first given its open proposal's state (so the form shows, and edits, what is proposed), the
admin saves the form as usual, and what that save made of the programme is kept as the proposal
(programs.actions.proposals). The live rows never change, so nothing public shows the proposal
before it is published.
"""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from programs.actions.proposals import (
    ProposalRefused,
    close_as_published,
    is_stale,
    open_proposal_of,
    proposed_state,
    rolled_back,
    save_proposal,
    shown_state,
)
from programs.actions.saving import StaleVersion
from programs.actions.snapshots import write_snapshot
from programs.models import Programme

PUBLISH_NOW = "_publish_now"


def may_publish_directly(user):
    """Whether the user may change a published programme without review (an urgent fix)."""
    return user.has_perm("programs.publish_directly")


def publishes_now(request):
    """Whether this save is to change the published programme at once: asked for (the form's
    "publish at once" box) by someone who may."""
    return (
        request.method == "POST"
        and request.POST.get(PUBLISH_NOW) == "on"
        and may_publish_directly(request.user)
    )


class _FormRefused(Exception):
    """Carries the form's errors out of the transaction that is rolled back under them."""

    def __init__(self, response):
        super().__init__("form refused")
        self.response = response


def proposal_url(proposal):
    return reverse("admin:programs_proposal_change", args=[proposal.pk])


UNPUBLISH_ELSEWHERE = gettext_lazy(
    "It is still published: a proposal changes what a programme says, not whether it is "
    "public. To take it offline, use “Unpublish the selected programmes” in the list of "
    "programmes, or propose its retirement."
)


class ProposingChangeFormMixin:
    """For ModelAdmin of Programme: saves of a published programme become its proposal."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        programme = None
        if object_id is not None and str(object_id).isdigit():
            programme = (
                Programme.objects.editable_by(request.user)
                .filter(pk=object_id, published=True)
                .first()
            )
        if programme is None:
            return self.changeform_view_retrying(request, object_id, form_url, extra_context)
        if publishes_now(request):
            try:
                return self.publish_now_view(request, programme, form_url, extra_context)
            except StaleVersion:
                # Rolled back; run again, the form sees the newer version and says so.
                return self.publish_now_view(request, programme, form_url, extra_context)
        try:
            return self.proposal_form_view(request, programme, form_url, extra_context)
        except StaleVersion:
            # Someone published a change while this form was open: the form, run again, sees
            # the newer version and says so.
            return self.proposal_form_view(request, programme, form_url, extra_context)

    def changeform_view_retrying(self, request, object_id, form_url, extra_context):
        """Django's change form, run again once if the save lost the version race: it rolled
        back, and on the second run the form itself sees the newer version and says so."""
        django_view = super().changeform_view
        try:
            return django_view(request, object_id, form_url, extra_context)
        except StaleVersion:
            return django_view(request, object_id, form_url, extra_context)

    def publish_now_view(self, request, programme, form_url, extra_context):
        """A save that changes the published programme at once, by someone who may. With an
        open proposal the form showed (and the save holds) the proposal's changes too, so they
        go live with it, and the proposal is closed as published by this save."""
        proposal = open_proposal_of(programme)
        if proposal is None:
            return self.changeform_view_retrying(
                request, str(programme.pk), form_url, extra_context
            )
        shown = shown_state(proposal)
        django_view = super().changeform_view
        try:
            with transaction.atomic():
                write_snapshot(programme.pk, shown.snapshot, request.user)
                response = django_view(request, str(programme.pk), form_url, extra_context)
                if response.status_code != 302:
                    response.render()  # the form's errors, on the proposal's rows
                    raise _FormRefused(response)
                close_as_published(proposal, request.user)
        except _FormRefused as refused:
            return refused.response
        return response

    def proposal_form_view(self, request, programme, form_url, extra_context):
        proposal = open_proposal_of(programme)
        shown = shown_state(proposal) if proposal is not None else None
        extra_context = {
            **(extra_context or {}),
            "proposing": True,
            "open_proposal": proposal,
            "open_proposal_url": proposal_url(proposal) if proposal else None,
            "open_proposal_stale": proposal is not None and is_stale(proposal, programme),
            "open_proposal_conflicts": len(shown.conflicts) if shown else 0,
            "may_publish_directly": may_publish_directly(request.user),
        }
        django_view = super().changeform_view
        if request.method != "POST" and shown is None:
            return django_view(request, str(programme.pk), form_url, extra_context)

        def form_on_proposed_state():
            if shown is not None:
                write_snapshot(programme.pk, shown.snapshot, request.user)
            response = django_view(request, str(programme.pk), form_url, extra_context)
            if hasattr(response, "render"):
                # Rendered here, while the proposed state is in the database: the form's
                # inlines read their rows lazily.
                response.render()
            return response

        if request.method != "POST":
            return rolled_back(form_on_proposed_state)
        held = []
        request._held_messages = held
        try:
            snapshot, response = proposed_state(programme.pk, form_on_proposed_state)
        finally:
            del request._held_messages
        if response.status_code != 302:
            # The form's errors: nothing to keep.
            for level, message in held:
                messages.add_message(request, level, message)
            return response
        if "published" not in request.POST:
            # The box was unticked: a proposal carries what a programme says, not whether it
            # is public, so say where taking it offline is done rather than drop it silently.
            held.append((messages.WARNING, UNPUBLISH_ELSEWHERE))
        try:
            proposal, what = save_proposal(programme, snapshot, request.user)
        except ProposalRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(request.path)
        if proposal is None or what == "unchanged":
            for level, message in held:
                messages.add_message(request, level, message)
            messages.info(
                request,
                gettext("No changes: nothing was saved, and the proposal is as it was.")
                if proposal
                else gettext("No changes: nothing was saved, and no proposal was started."),
            )
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            (
                gettext(
                    "Saved as a proposal. The published programme stays as it is until the "
                    "proposal is approved and published."
                )
                if what == "started"
                else gettext("The proposal is saved. The published programme is unchanged.")
            )
            + (" " + gettext("Submit it for review when it is ready.")),
        )
        # What the form's save warned of (say, a removed language a requirement still asks
        # for) is as true of the proposal.
        for level, message in held:
            messages.add_message(request, level, message)
        if "_continue" in request.POST:
            return HttpResponseRedirect(request.path)
        if "_addanother" in request.POST:
            return HttpResponseRedirect(reverse("admin:programs_programme_add"))
        return HttpResponseRedirect(proposal_url(proposal))

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        held = getattr(request, "_held_messages", None)
        if held is not None:
            # Inside a proposal's rolled-back save, the admin's "changed successfully" is not
            # true of the live programme, nor its "no changes": the proposal view says what
            # happened instead. Warnings and errors about the form are shown with it.
            if level in (messages.WARNING, messages.ERROR):
                held.append((level, message))
            return None
        return super().message_user(request, message, level, *args, **kwargs)
