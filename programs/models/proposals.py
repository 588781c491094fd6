"""Proposals: a change to a published programme, reviewed before it goes live on its date.

A proposal holds two snapshots of the programme (programs/actions/snapshots.py): `base`, the
published programme as the proposal began, and `proposed`, what its proposer wants it to be. The
live rows are not touched until the proposal is published (programs/actions/proposals.py), so
nothing public can show an open proposal: every page, list, feed and API reads the live rows.

Its steps and comments are `ProposalEvent` rows, never deleted; approvals are
`ProposalApproval` rows; how many approvals a university's proposals need and who may give them
is its `ReviewRule`.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from programs.models.programmes import Programme
from programs.models.reference import University


class ProposalState(models.TextChoices):
    EDITING = "editing", gettext_lazy("being written")
    SUBMITTED = "submitted", gettext_lazy("waiting for review")
    SENT_BACK = "sent_back", gettext_lazy("sent back")
    APPROVED = "approved", gettext_lazy("approved")
    PUBLISHED = "published", gettext_lazy("published")
    WITHDRAWN = "withdrawn", gettext_lazy("withdrawn")


# A programme has at most one proposal in these states (the constraint below).
OPEN_STATES = (
    ProposalState.EDITING,
    ProposalState.SUBMITTED,
    ProposalState.SENT_BACK,
    ProposalState.APPROVED,
)


class ProposalQuerySet(models.QuerySet):
    def open(self):
        """Proposals still under way: not yet published or withdrawn."""
        return self.filter(state__in=OPEN_STATES)

    def visible_to(self, user):
        """The proposals a staff member may see: those of their universities' programmes (and,
        for a programme deleted since, those they started); every one for a superuser."""
        if user.is_superuser:
            return self
        own = University.objects.filter(staff=user).values("pk")
        return self.filter(
            Q(programme__universities__in=own) | Q(programme__isnull=True, proposed_by=user)
        ).distinct()

    def due(self, now):
        """Approved proposals whose effective moment has come."""
        return self.filter(state=ProposalState.APPROVED).filter(
            Q(effective_at__isnull=True) | Q(effective_at__lte=now)
        )


class Proposal(models.Model):
    """A change to a published programme, waiting for review, approval and its date."""

    programme = models.ForeignKey(
        Programme,
        # A programme deleted while a proposal was open leaves the proposal (which then says
        # so and can be withdrawn) rather than taking its comments with it.
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    # The programme's title when the proposal began: what names it once the programme is gone.
    programme_title = models.CharField(_("programme title"), max_length=200)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=ProposalState.choices,
        default=ProposalState.EDITING,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The programme's version when the proposal began (or was last brought up to date): a
    # newer live version means someone else changed the programme meanwhile.
    base_version = models.PositiveIntegerField(_("base version"))
    base = models.JSONField(_("base"))
    proposed = models.JSONField(_("proposed"))
    effective_at = models.DateTimeField(
        gettext_lazy("takes effect"),
        null=True,
        blank=True,
        help_text=gettext_lazy("Empty: as soon as it is approved and published."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = gettext_lazy("proposal")
        verbose_name_plural = gettext_lazy("proposals")
        permissions = [
            ("approve_proposal", "Can approve proposals of their universities"),
            ("publish_directly", "Can publish changes to published programmes without review"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(state__in=OPEN_STATES),
                name="one_open_proposal_per_programme",
                violation_error_message="This programme already has an open proposal.",
            ),
        ]

    def __str__(self):
        return gettext_lazy("Proposal for “%(title)s”") % {"title": self.programme_title}

    @property
    def is_open(self):
        return self.state in OPEN_STATES


class ProposalEvent(models.Model):
    """One step of a proposal (started, edited, submitted, approved, sent back, ...) or a
    comment, with who and when: its timeline, never edited, never deleted, never public."""

    class Action(models.TextChoices):
        STARTED = "started", gettext_lazy("started the proposal")
        EDITED = "edited", gettext_lazy("edited the proposal")
        SUBMITTED = "submitted", gettext_lazy("submitted it for review")
        APPROVED = "approved", gettext_lazy("approved it")
        SENT_BACK = "sent_back", gettext_lazy("sent it back")
        WITHDRAWN = "withdrawn", gettext_lazy("withdrew it")
        SCHEDULED = "scheduled", gettext_lazy("set when it takes effect")
        PUBLISHED = "published", gettext_lazy("published it")
        COMMENTED = "commented", gettext_lazy("commented")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="events", verbose_name=_("proposal")
    )
    # None: the catalog itself (a scheduled publication by `publish_due_proposals`).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True, default="")

    class Meta:
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class ProposalApproval(models.Model):
    """One reviewer's approval of a proposal as it stands; an edit of the proposal clears them."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("proposal")
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("approver"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("proposal approval")
        verbose_name_plural = _("proposal approvals")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "approver"], name="one_approval_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.approver} ({self.at:%Y-%m-%d %H:%M})"


class ReviewRule(models.Model):
    """How a university's proposals are reviewed: how many approvals, and who may give them.

    A university without a rule needs one approval from anyone with the "approve proposals"
    permission who works for it. A joint programme needs what the strictest of its
    universities asks.
    """

    university = models.OneToOneField(
        University,
        on_delete=models.CASCADE,
        related_name="review_rule",
        verbose_name=_("university"),
    )
    approvals_needed = models.PositiveSmallIntegerField(
        gettext_lazy("approvals needed"),
        choices=[(0, "0"), (1, "1"), (2, "2")],
        default=1,
        help_text=gettext_lazy(
            "0: the proposer may publish at once. 2: two different people must approve."
        ),
    )
    approvers = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("approvers"),
        help_text=gettext_lazy(
            "Only members of this group (who work for the university) may approve. Empty: "
            "anyone of the university's staff with the “approve proposals” permission."
        ),
    )

    class Meta:
        verbose_name = gettext_lazy("review rule")
        verbose_name_plural = gettext_lazy("review rules")

    def __str__(self):
        return str(self.university)
