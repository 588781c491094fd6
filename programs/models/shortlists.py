"""A visitor's shortlist: kept per visitor session, never tied to an account
(programs/visitors/shortlists.py)."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.core.limits import SHORTLIST_MAX_NOTE
from programs.models.programmes import Programme


class Shortlist(models.Model):
    """The programmes one visitor is weighing, in their order, with their notes.

    Its owner is whoever's session points at it (and whoever opens its private edit link);
    `share_token` opens a read-only view. Only a hash of the edit link's token is stored.
    """

    share_token = models.CharField(
        _("share token"), max_length=64, unique=True, null=True, blank=True
    )
    edit_token_hash = models.CharField(
        _("edit token hash"), max_length=64, unique=True, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Last written or opened (at most once a day); `prune_shortlists` deletes year-old ones.
    used_at = models.DateTimeField(_("used at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        ordering = ["pk"]

    def __str__(self):
        return f"Shortlist {self.pk}"


class ShortlistEntry(models.Model):
    """One programme on a shortlist. The title and slug are copied when it is added, so a
    programme that is later unpublished or deleted still shows, as "no longer published"."""

    shortlist = models.ForeignKey(
        Shortlist, on_delete=models.CASCADE, related_name="entries", verbose_name=_("shortlist")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shortlist_entries",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.CharField(_("slug"), max_length=100)
    note = models.TextField(_("note"), blank=True, default="")
    position = models.PositiveIntegerField(_("position"), default=0)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shortlist entry")
        ordering = ["shortlist", "position", "pk"]
        verbose_name_plural = _("shortlist entries")
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "programme"], name="unique_programme_per_shortlist"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), SHORTLIST_MAX_NOTE),
                name="shortlist_note_at_most_2000_characters",
                violation_error_message=(f"A note has at most {SHORTLIST_MAX_NOTE} characters."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        """Whether the programme is still published (and still exists)."""
        return self.programme is not None and self.programme.published

    @property
    def key(self):
        """How forms and element ids name this entry: the programme's current slug while it is
        published, else the slug copied when it was added. A draft's slug is not public: a
        programme unpublished and then renamed must not show its new name on a shared list."""
        return self.programme.slug if self.is_public else self.slug
