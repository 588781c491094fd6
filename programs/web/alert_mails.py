"""The e-mails of alerts: the confirmation an address is sent when it asks for one, and the
daily digest `manage.py send_alerts` sends each confirmed address (send_digests).

Each mail is written in the language of the page the alert was asked on, and every link in it
is on the site's public origin in that language. Every digest carries its unsubscribe link
three ways: in the text, and as the List-Unsubscribe and List-Unsubscribe-Post headers
(RFC 8058), so a mail program's own "Unsubscribe" button deletes the alert with one POST.
"""

import logging
from dataclasses import dataclass, field

from django.core.mail import EmailMessage
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from programs.actions import alerts
from programs.core.site_address import absolute_url
from programs.finder.filters import STATUS_ALL, ProgrammeFilter
from programs.models import Alert, Programme, PublicChange
from programs.web.feeds import shown_title

logger = logging.getLogger(__name__)

# A digest lists at most this many changes, newest first; the rest are a link away.
DIGEST_LENGTH = 50


def search_filter(search):
    """The list's filter for a saved search's query string, as the change log reads it."""
    return ProgrammeFilter(
        ProgrammeFilter.selection_only(QueryDict(search)),
        queryset=Programme.objects.published(),
        default_status=STATUS_ALL,
    )


def subject(alert):
    """What `alert` follows, in words of the current language."""
    if alert.programme_id:
        return gettext("the programme “%(title)s”") % {"title": shown_title(alert.programme)}
    chips = "; ".join(chip.label for chip in search_filter(alert.search).chips())
    if not chips:
        return gettext("every published programme")
    return gettext("the programmes of your search (%(filters)s)") % {"filters": chips}


def changes_page(alert):
    """The page listing every change `alert` follows."""
    if alert.programme_id:
        return absolute_url(alert.programme.get_absolute_url() + "#changes")
    query = f"?{alert.search}" if alert.search else ""
    return absolute_url(reverse("programs:change-list") + query)


def unsubscribe_link(alert):
    """The address that deletes `alert` (GET shows a button; POST deletes)."""
    token = alerts.unsubscribe_token(alert)
    return absolute_url(reverse("programs:alert-unsubscribe", kwargs={"token": token}))


def send_confirmation(alert):
    """E-mail `alert`'s address the link that starts it; nothing else is sent before."""
    with translation.override(alert.language):
        token = alerts.confirmation_token(alert)
        link = absolute_url(reverse("programs:alert-confirm", kwargs={"token": token}))
        body = "\n\n".join(
            [
                gettext(
                    "Someone, probably you, asked the curriculum catalog for an e-mail when "
                    "%(subject)s changes: at most one a day, and only when something changed."
                )
                % {"subject": subject(alert)},
                gettext("To start these e-mails, open this link and press “Confirm”:")
                + f"\n{link}",
                ngettext(
                    "If it wasn't you, ignore this message: nothing more is sent, and the "
                    "address is deleted in %(days)d day.",
                    "If it wasn't you, ignore this message: nothing more is sent, and the "
                    "address is deleted in %(days)d days.",
                    alerts.CONFIRMATION_DAYS,
                )
                % {"days": alerts.CONFIRMATION_DAYS},
            ]
        )
        message = EmailMessage(
            subject=gettext("Confirm your e-mail alert"), body=body + "\n", to=[alert.email]
        )
    message.send()


@dataclass
class DigestOutcome:
    """What one run of send_digests did."""

    sent: int = 0
    failed: int = 0
    forgotten: int = 0
    errors: list = field(default_factory=list)


def changes_for(alert, up_to):
    """The public changes `alert` follows after its last digest, up to `up_to`, newest first."""
    if alert.programme_id:
        changes = PublicChange.objects.filter(programme=alert.programme_id).for_display()
    else:
        filterset = search_filter(alert.search)
        filterset.is_valid()
        changes = PublicChange.objects.of_programmes(filterset.qs).for_display()
    changes = changes.filter(changed_at__gt=alert.changes_after, changed_at__lte=up_to)
    return list(changes.prefetch_related("programme__fact_sources")[: DIGEST_LENGTH + 1])


def _digest_body(alert, changes, unsubscribe):
    lines = [
        gettext("What changed on %(subject)s since our last e-mail, newest first:")
        % {"subject": subject(alert)},
        "",
    ]
    for change in changes[:DIGEST_LENGTH]:
        when = formats.date_format(timezone.localtime(change.changed_at), "DATE_FORMAT")
        lines.append(f"* {shown_title(change.programme)}: {change.title} ({when})")
        lines.extend(f"  - {text}" for text in change.descriptions)
        lines.append(f"  {absolute_url(change.get_absolute_url())}")
        lines.append("")
    if len(changes) > DIGEST_LENGTH:
        lines.append(gettext("There are more changes than this e-mail shows."))
    lines.append(gettext("Every change: %(link)s") % {"link": changes_page(alert)})
    lines.append("")
    lines.append(
        gettext(
            "You get at most one e-mail a day, and only when something changed. To stop them "
            "and delete your address: %(link)s"
        )
        % {"link": unsubscribe}
    )
    return "\n".join(lines) + "\n"


def digest_email(alert, changes):
    """The one e-mail with `changes` for `alert`, with its one-click unsubscribe headers."""
    with translation.override(alert.language):
        unsubscribe = unsubscribe_link(alert)
        if alert.programme_id:
            title = gettext("Changes to %(title)s") % {"title": shown_title(alert.programme)}
        else:
            title = gettext("Changes to the programmes of your saved search")
        return EmailMessage(
            subject=title,
            body=_digest_body(alert, changes, unsubscribe),
            to=[alert.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def send_digests(now=None):
    """Send each confirmed alert owed one its digest, forget the unconfirmed ones past their
    week, and say what was done.

    An alert is owed a digest when public changes it follows came after its last one and no
    digest went to it today (the catalog's time zone): at most one e-mail a day, none when
    nothing changed. A mail that fails is tried again at the next run, with the same changes.
    """
    now = now or timezone.now()
    outcome = DigestOutcome(forgotten=alerts.forget_unconfirmed(now))
    today = timezone.localdate(now)
    confirmed = Alert.objects.confirmed().order_by("pk")
    for pk in confirmed.values_list("pk", flat=True).iterator(chunk_size=1000):
        # Locked and read again, so two runs at once send it one digest: the second waits,
        # then finds today's digest sent.
        with transaction.atomic():
            alert = (
                Alert.objects.select_for_update(of=("self",))
                .select_related("programme")
                .filter(pk=pk)
                .first()
            )
            if alert is None or (
                alert.last_digest_at and timezone.localdate(alert.last_digest_at) >= today
            ):
                continue
            changes = changes_for(alert, now)
            if not changes:
                continue
            try:
                digest_email(alert, changes).send()
            except OSError as error:  # the mail server refused or is down: the next run tries
                logger.warning("Alert %s: its digest was not sent: %s", alert.uuid, error)
                outcome.failed += 1
                outcome.errors.append(str(error))
                continue
            alerts.digest_sent(alert, up_to=now, now=now)
            outcome.sent += 1
    return outcome
