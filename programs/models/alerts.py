"""E-mail alerts: an address that asked to hear about a programme's or a saved search's changes
(programs/actions/alerts.py keeps them, programs/web/alert_mails.py writes the mails)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.models.programmes import Programme


class AlertQuerySet(models.QuerySet):
    def confirmed(self):
        """Alerts whose address confirmed them: the only ones ever sent a digest."""
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_since(self, moment):
        """Alerts never confirmed, asked for before `moment`."""
        return self.filter(confirmed_at__isnull=True, created_at__lt=moment)


class Alert(models.Model):
    """One address's daily e-mail about a programme or a saved search (the list's filters).

    No account: the address is the only thing stored about the person, kept only to send these
    mails, and the row is deleted (not flagged) when they unsubscribe or never confirm.
    Nothing is sent before `confirmed_at`; a digest covers the public changes after
    `changes_after`, and `last_digest_at` keeps it to one a day.
    """

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"))
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    # The list's query string (its applied filters), when the alert is for a saved search.
    search = models.CharField(_("saved search"), max_length=2000, blank=True, default="")
    # The mails are written in the language of the page the person subscribed on.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    changes_after = models.DateTimeField(_("changes after"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("last digest at"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail alert")
        verbose_name_plural = _("e-mail alerts")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme__isnull=True) | Q(search=""),
                name="alert_for_a_programme_or_a_search",
                violation_error_message="An alert is for a programme or a saved search, not both.",
            ),
            models.UniqueConstraint(
                fields=["email", "programme"],
                condition=Q(programme__isnull=False),
                name="one_alert_per_address_and_programme",
            ),
            models.UniqueConstraint(
                fields=["email", "search"],
                condition=Q(programme__isnull=True),
                name="one_alert_per_address_and_search",
            ),
        ]

    def __str__(self):
        return f"Alert {self.uuid}"
