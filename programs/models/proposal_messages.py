"""E-mails about proposals: what each staff member wants to be told, and each message owed.

`ProposalMailChoice` is one staff member's choice, per kind of message, between an e-mail for
each message, one daily digest, or nothing (no row: an e-mail for each). `ProposalMessage` is
one message owed to one person about one step of a proposal: kept until it is sent, so a mail
server that is down delays it but never loses it (programs/actions/proposal_messages.py sends
them; `manage.py send_proposal_digests` sends the digests and whatever failed before).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from programs.models.proposals import ProposalEvent


class MessageKind(models.TextChoices):
    WAITING = "waiting", gettext_lazy("A proposal waits for my review")
    APPROVED = "approved", gettext_lazy("My proposal is approved")
    SENT_BACK = "sent_back", gettext_lazy("My proposal is sent back")
    PUBLISHED = "published", gettext_lazy("My proposal is published")


class MailDelivery(models.TextChoices):
    EACH = "each", gettext_lazy("an e-mail for each message")
    DIGEST = "digest", gettext_lazy("a daily digest")
    NONE = "none", gettext_lazy("no e-mail")


def _delivery_field(kind):
    return models.CharField(
        MessageKind(kind).label,
        max_length=10,
        choices=MailDelivery.choices,
        default=MailDelivery.EACH,
    )


class ProposalMailChoice(models.Model):
    """How one staff member wants to hear about proposals: per kind of message, each one as it
    happens, a daily digest, or not at all; and in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposal_mail_choice",
        verbose_name=_("user"),
    )
    # One field per MessageKind, named as its value (delivery_for reads them by kind).
    waiting = _delivery_field(MessageKind.WAITING)
    approved = _delivery_field(MessageKind.APPROVED)
    sent_back = _delivery_field(MessageKind.SENT_BACK)
    published = _delivery_field(MessageKind.PUBLISHED)
    language = models.CharField(
        gettext_lazy("language of the e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
    )

    class Meta:
        ordering = ["user"]
        verbose_name = gettext_lazy("my proposal e-mails")
        verbose_name_plural = gettext_lazy("my proposal e-mails")

    def __str__(self):
        return str(self.user)

    def delivery_for(self, kind):
        """How this person wants messages of `kind`: a MailDelivery value."""
        return getattr(self, MessageKind(kind).value)


class ProposalMessageQuerySet(models.QuerySet):
    def unsent(self):
        """Messages still owed: queued for a digest, or whose e-mail failed."""
        return self.filter(sent_at__isnull=True)


class ProposalMessage(models.Model):
    """One message owed to one person about one step of a proposal, kept until it is sent.

    A message for each step is sent as the step is committed; one whose sending failed stays
    unsent and the next `send_proposal_digests` run tries again. Digest messages wait for that
    run, which sends each person one e-mail with all of theirs.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposal_messages",
        verbose_name=_("recipient"),
    )
    event = models.ForeignKey(
        ProposalEvent, on_delete=models.CASCADE, related_name="messages", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    delivery = models.CharField(
        _("delivery"),
        max_length=10,
        choices=[
            (MailDelivery.EACH, MailDelivery.EACH.label),
            (MailDelivery.DIGEST, MailDelivery.DIGEST.label),
        ],
    )
    queued_at = models.DateTimeField(_("queued at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, db_index=True)
    # Failed sends so far, and why the last one failed: for the operator, who sees them in the log.
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure = models.TextField(_("last failure"), blank=True, default="")

    objects = ProposalMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal message")
        verbose_name_plural = _("proposal messages")
        ordering = ["queued_at", "pk"]
        constraints = [
            # A step tells a person once, however often it is reported.
            models.UniqueConstraint(
                fields=["recipient", "event", "kind"], name="one_message_per_step_and_person"
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=[MailDelivery.EACH, MailDelivery.DIGEST]),
                name="proposal_message_delivery_is_sent",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.queued_at:%Y-%m-%d %H:%M})"
