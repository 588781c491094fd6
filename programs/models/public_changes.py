"""The public change log's rows (programs/changelog/ writes them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.core.change_wording import describe, headline
from programs.models.programmes import Programme
from programs.models.querysets import (
    PublicChangeQuerySet,
)


class PublicChange(models.Model):
    """What the public saw change on a programme at one moment: one line per fact, in plain words.

    Written in the same transaction as the save that published the change
    (`programs.changelog.changes.record_public_changes`); `snapshot` holds the public facts after
    it, to compare the next change with. No user and no reason is stored: the log is public.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="public_changes",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    # [{"fact": "Teaching languages", "action": "changed", "old": "…", "new": "…"}, …]
    lines = models.JSONField(_("lines"), default=list)
    snapshot = models.JSONField(_("snapshot"), default=dict)

    objects = PublicChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("public change")
        verbose_name_plural = _("public changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["programme", "-changed_at"], name="public_change_programme_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.changed_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return f"{self.programme.get_absolute_url()}#change-{self.pk}"

    @property
    def title(self):
        """ "Published", or which facts changed."""
        return headline(self.lines)

    @property
    def descriptions(self):
        """Each line of the change in plain words."""
        return [describe(line) for line in self.lines]
