"""Deletion markers: the programmes that left the public catalog, for harvesters to remove."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.core.choices import WithdrawalReason


class WithdrawalQuerySet(models.QuerySet):
    def since(self, moment):
        """The programmes withdrawn at or after `moment`, oldest first."""
        return self.filter(withdrawn_at__gte=moment).order_by("withdrawn_at", "programme_uuid")


class Withdrawal(models.Model):
    """A programme a harvester may hold that the public catalog no longer shows: unpublished or
    deleted, and when.

    Named by the programme's stable identifier only (a deleted programme has no row left to
    point at). One a programme: a later withdrawal (deleting an unpublished one) replaces the
    earlier, and publishing the programme again removes it. Written in the same transaction as
    the write that withdrew the programme (programs/actions/withdrawals.py).
    """

    programme_uuid = models.UUIDField(_("programme's stable identifier"), unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=WithdrawalReason.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), db_index=True)

    objects = WithdrawalQuerySet.as_manager()

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["withdrawn_at", "programme_uuid"]

    def __str__(self):
        return (
            f"programme {self.programme_uuid} {self.reason} at {self.withdrawn_at:%Y-%m-%d %H:%M}"
        )
