"""The proposals in the admin: the approval list and each proposal's page.

The list shows the proposals of the staff member's universities (Proposal.objects.visible_to),
with a filter for those waiting for their approval. A proposal's page shows the published and
the proposed programme side by side (programs/staff/proposal_display.py), its timeline, and the
review's steps as POST forms, each calling its function in programs/actions/proposals.py; a step
that isn't allowed comes back as a message, having changed nothing. The preview of the public
page as the proposal would make it is a public page's view, so it lives in programs/web
(proposal_preview.py); this page links to it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.csrf import csrf_protect

from programs.actions import proposals as steps
from programs.actions.proposals import DEFAULT_APPROVALS_NEEDED, ProposalRefused
from programs.actions.snapshots import merge, snapshot_of
from programs.models import (
    Edition,
    Proposal,
    ProposalEvent,
    ProposalState,
    University,
)
from programs.staff.proposal_display import comparison

Action = ProposalEvent.Action


def may_work_on_proposals(user):
    """Staff who edit programmes or review their proposals see the proposals of their
    universities (which ones: Proposal.objects.visible_to)."""
    return user.is_active and (
        user.has_perm("programs.change_programme") or user.has_perm("programs.approve_proposal")
    )


def waiting_for(user, proposals):
    """Of `proposals`, those submitted and waiting for this user's approval: the user may approve
    their programme (programs.actions.proposals.may_approve, in SQL) and didn't write them."""
    written = ProposalEvent.objects.filter(
        proposal=OuterRef("pk"), actor=user, action__in=[Action.STARTED, Action.EDITED]
    )
    waiting = proposals.filter(state=ProposalState.SUBMITTED).exclude(proposed_by=user)
    waiting = waiting.exclude(Exists(written)).exclude(approvals__approver=user)
    if user.is_superuser:
        return waiting
    rule_allows = Q(review_rule__approvers__in=Group.objects.filter(user=user))
    if user.has_perm("programs.approve_proposal"):
        # Without an approvers group (or a rule at all), the permission decides.
        rule_allows |= Q(review_rule__approvers__isnull=True)
    universities = University.objects.filter(rule_allows, staff=user)
    return waiting.filter(programme__universities__in=universities).distinct()


class WaitingForMeFilter(admin.SimpleListFilter):
    title = gettext_lazy("waiting for")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("me", gettext_lazy("my approval"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return waiting_for(request.user, queryset)
        return queryset


# The review's steps, as the page's buttons are named (with a leading underscore, as the admin's
# own "_continue" and "_addanother").
STEPS = ("submit", "approve", "send_back", "withdraw", "publish", "comment", "schedule")


class EffectiveDateForm(forms.Form):
    """When the proposal takes effect: empty for "when published", else a date and time in the
    catalog's time zone (settings.TIME_ZONE, Europe/Berlin)."""

    effective_at = forms.DateTimeField(
        label=gettext_lazy("takes effect"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    # A catalog's changes take effect within its lifetime: a year far off is a typing error
    # (and year 1 or 9999 can't be stored in every time zone).
    EARLIEST_YEAR, LATEST_YEAR = 2000, 2100

    def clean_effective_at(self):
        value = self.cleaned_data["effective_at"]
        if value is not None and not self.EARLIEST_YEAR <= value.year <= self.LATEST_YEAR:
            raise forms.ValidationError(
                gettext("Give a date between the years %(first)d and %(last)d.")
                % {"first": self.EARLIEST_YEAR, "last": self.LATEST_YEAR}
            )
        return value


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = [
        "programme_name",
        "state",
        "proposer",
        "started",
        "takes_effect",
        "approvals",
    ]
    list_display_links = ["programme_name"]
    list_filter = ["state", WaitingForMeFilter]
    list_select_related = ["proposed_by"]
    list_per_page = 50
    search_fields = ["programme_title"]

    def get_queryset(self, request):
        # The approvals given and needed, for the list's column: the strictest rule among the
        # programme's universities, DEFAULT_APPROVALS_NEEDED without one (as approvals_needed).
        default = Value(DEFAULT_APPROVALS_NEEDED, output_field=IntegerField())
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .annotate(
                approvals_given=Count("approvals", distinct=True),
                approvals_required=Coalesce(
                    Max(
                        Coalesce(
                            "programme__offerings__university__review_rule__approvals_needed",
                            default,
                        )
                    ),
                    default,
                ),
            )
        )

    @admin.display(description=gettext_lazy("programme"), ordering="programme_title")
    def programme_name(self, proposal):
        return proposal.programme_title

    @admin.display(description=gettext_lazy("proposed by"), ordering="proposed_by__username")
    def proposer(self, proposal):
        return proposal.proposed_by.get_full_name() or proposal.proposed_by.get_username()

    @admin.display(description=gettext_lazy("started"), ordering="created_at")
    def started(self, proposal):
        return proposal.created_at

    @admin.display(description=gettext_lazy("takes effect"), ordering="effective_at")
    def takes_effect(self, proposal):
        if proposal.effective_at is None:
            return gettext("when it is published")
        return proposal.effective_at

    @admin.display(description=gettext_lazy("approvals"))
    def approvals(self, proposal):
        return gettext("%(given)d of %(needed)d") % {
            "given": proposal.approvals_given,
            "needed": proposal.approvals_required,
        }

    def has_module_permission(self, request):
        return may_work_on_proposals(request.user)

    def has_view_permission(self, request, obj=None):
        return may_work_on_proposals(request.user)

    def has_add_permission(self, request):
        # A proposal begins by editing a published programme, never on its own.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Its comments and steps are kept: a proposal is withdrawn, never deleted.
        return False

    @method_decorator(csrf_protect)
    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The proposal's page (GET), or one step of its review (POST)."""
        if not self.has_view_permission(request):
            raise Http404
        proposal = self.get_object(request, object_id)
        if proposal is None:
            raise Http404
        if request.method == "POST":
            return self.take_step(request, proposal)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        return TemplateResponse(
            request,
            "admin/programs/proposal/proposal.html",
            {**self.admin_site.each_context(request), **self.page_context(request, proposal)},
        )

    def history_view(self, request, object_id, extra_context=None):
        # A proposal's history is its timeline, on its own page.
        raise Http404

    def get_object(self, request, object_id, from_field=None):
        if not str(object_id).isdigit():
            return None
        return (
            Proposal.objects.visible_to(request.user)
            .select_related("programme", "proposed_by", "published_by")
            .filter(pk=object_id)
            .first()
        )

    def page_context(self, request, proposal):
        programme = proposal.programme
        user = request.user
        now = timezone.now()
        broken = programme is None or not programme.published
        # Only an open proposal can be out of date: publishing one moves the version on itself.
        stale = proposal.is_open and not broken and steps.is_stale(proposal, programme)
        current = conflicts = None
        if stale:
            current = snapshot_of(programme.pk)
            conflicts = merge(proposal.base, current, proposal.proposed).conflicts
        approvals = list(proposal.approvals.select_related("approver"))
        needed = steps.approvals_needed(programme) if programme else DEFAULT_APPROVALS_NEEDED
        wrote_it = user.pk in steps.proposers(proposal)
        reviewer = not broken and steps.may_approve(user, programme) and not wrote_it
        state = proposal.state
        is_open = proposal.is_open
        due = proposal.effective_at is None or proposal.effective_at <= now
        return {
            "edition": self.target_edition(proposal, now),
            "title": str(proposal),
            "opts": self.opts,
            "proposal": proposal,
            "programme": programme,
            "broken": broken,
            "stale": stale,
            "comparison": comparison(proposal.base, proposal.proposed, current, conflicts or ()),
            "events": proposal.events.select_related("actor"),
            "approvals": approvals,
            "approvals_needed": needed,
            "time_zone": timezone.get_current_timezone_name(),
            "date_form": EffectiveDateForm(
                initial={"effective_at": timezone.localtime(proposal.effective_at)}
                if proposal.effective_at
                else None
            ),
            "preview_url": (
                reverse("proposal-preview", args=[proposal.pk]) if is_open and not broken else None
            ),
            "may": {
                "submit": not broken
                and wrote_it
                and state in (ProposalState.EDITING, ProposalState.SENT_BACK),
                "approve": reviewer
                and state == ProposalState.SUBMITTED
                and not any(approval.approver_id == user.pk for approval in approvals),
                "send_back": reviewer
                and state in (ProposalState.SUBMITTED, ProposalState.APPROVED),
                "publish": not broken and state == ProposalState.APPROVED and due and not conflicts,
                "schedule": not broken and is_open,
                "withdraw": is_open,
                "comment": not broken,
            },
        }

    @staticmethod
    def target_edition(proposal, now):
        """The catalog edition the proposal goes (or went) live in, with that edition's state
        today; None when no edition covers the day."""
        if proposal.state == ProposalState.PUBLISHED and proposal.published_at:
            day = proposal.published_at
        elif proposal.is_open and proposal.effective_at and proposal.effective_at > now:
            day = proposal.effective_at
        else:
            # It takes effect when published, or its date has passed: the next run publishes it.
            day = now
        edition = Edition.for_day(day)
        if edition is None:
            return None
        return {
            "edition": edition,
            "state": edition.state(timezone.localdate(now)).label,
            "went_live": proposal.state == ProposalState.PUBLISHED,
        }

    def take_step(self, request, proposal):
        """One step of the review, as the page's forms post it; always back to the page."""
        # The button pressed names the step (its name: a <button>'s value would be shown).
        step = next((name for name in STEPS if f"_{name}" in request.POST), "")
        text = request.POST.get("comment", "")
        user = request.user
        done = {
            "submit": gettext("Submitted for review."),
            "approve": gettext("You approved the proposal."),
            "send_back": gettext("Sent back to its proposer with your comment."),
            "withdraw": gettext("The proposal is withdrawn; the programme stays as it is."),
            "publish": gettext("Published: the public now sees the proposed programme."),
            "comment": gettext("Your comment is added."),
            "schedule": gettext("The date it takes effect is saved."),
        }
        try:
            if step == "submit":
                steps.submit(proposal, user)
            elif step == "approve":
                steps.approve(proposal, user)
                if text.strip():
                    steps.comment(proposal, user, text)
            elif step == "send_back":
                steps.send_back(proposal, user, text)
            elif step == "withdraw":
                steps.withdraw(proposal, user, text)
            elif step == "publish":
                steps.publish(proposal, user)
            elif step == "comment":
                steps.comment(proposal, user, text)
            elif step == "schedule":
                form = EffectiveDateForm(request.POST)
                if not form.is_valid():
                    raise ProposalRefused(" ".join(form.errors["effective_at"]))
                steps.schedule(proposal, user, form.cleaned_data["effective_at"])
            else:
                raise ProposalRefused(gettext("Unknown step: nothing was changed."))
        except ProposalRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, done[step])
        return HttpResponseRedirect(request.path)
