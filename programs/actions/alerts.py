"""Every write to e-mail alerts: asked for, confirmed, sent, unsubscribed, forgotten.

An alert is asked for with an address alone (no account). Its links carry the alert's UUID
signed with the site's key (django.core.signing): the confirmation link for
CONFIRMATION_DAYS, the unsubscribe link for as long as the alert lives. Whoever holds a link may
do what it says and nothing else; an address can't be confirmed or unsubscribed by guessing.
"""

from datetime import timedelta

from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.db import transaction
from django.utils import timezone

from programs.models import Alert

# An address that never confirms is deleted after this many days (by `send_alerts`), and its
# confirmation link stops working at the same moment.
CONFIRMATION_DAYS = 7
# An address asked for again within this time gets no second confirmation mail: a stranger typing
# it in over and over can't fill its inbox.
RESEND_AFTER = timedelta(hours=1)
CONFIRM_SALT = "programs.alerts.confirm"
UNSUBSCRIBE_SALT = "programs.alerts.unsubscribe"


def ask(email, language, programme=None, search=""):
    """The alert `email` asks for, on `programme` or on the list's query string `search`, new
    and unconfirmed unless the address has it already (asked again, it is asked anew: a new
    week to confirm, but at most one mail in RESEND_AFTER). Returns the alert and whether a
    confirmation mail is owed."""
    email = BaseUserManager.normalize_email(email.strip())
    with transaction.atomic():
        alert, created = Alert.objects.select_for_update().get_or_create(
            email=email,
            programme=programme,
            search="" if programme else search,
            defaults={"language": language},
        )
        if created or alert.confirmed_at is not None:
            return alert, created
        now = timezone.now()
        if alert.created_at > now - RESEND_AFTER:
            return alert, False
        # Unconfirmed and asked again: the page's language now, and a new week from today.
        Alert.objects.filter(pk=alert.pk).update(language=language, created_at=now)
        alert.refresh_from_db()
    return alert, True


def confirmation_token(alert):
    """The signed token of `alert`'s confirmation link."""
    return signing.dumps(str(alert.uuid), salt=CONFIRM_SALT)


def unsubscribe_token(alert):
    """The signed token of `alert`'s unsubscribe link, good for as long as the alert lives."""
    return signing.dumps(str(alert.uuid), salt=UNSUBSCRIBE_SALT)


def alert_to_confirm(token):
    """The alert a confirmation token names, if it is genuine, unexpired and the alert still
    exists; else None."""
    try:
        key = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=CONFIRMATION_DAYS))
    except signing.BadSignature:
        return None
    return Alert.objects.select_related("programme").filter(uuid=key).first()


def alert_to_unsubscribe(token):
    """The alert an unsubscribe token names, if genuine and still there; else None."""
    try:
        key = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Alert.objects.select_related("programme").filter(uuid=key).first()


def confirm(alert):
    """Start sending `alert`: its first digest holds the changes after this moment."""
    if alert.confirmed_at is None:
        now = timezone.now()
        Alert.objects.filter(pk=alert.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, changes_after=now
        )
        alert.refresh_from_db()
    return alert


def unsubscribe(alert):
    """Delete `alert`: the address is kept for nothing else, so its row goes."""
    Alert.objects.filter(pk=alert.pk).delete()


def forget_unconfirmed(now=None):
    """Delete every alert not confirmed within CONFIRMATION_DAYS; returns how many."""
    now = now or timezone.now()
    deleted, _ = Alert.objects.unconfirmed_since(now - timedelta(days=CONFIRMATION_DAYS)).delete()
    return deleted


def digest_sent(alert, up_to, now=None):
    """Record that `alert`'s digest with the changes up to `up_to` went out at `now`."""
    Alert.objects.filter(pk=alert.pk).update(
        changes_after=up_to, last_digest_at=now or timezone.now()
    )
