"""Shortlists: the programmes a visitor is weighing, with notes, kept without an account.

A visitor's session remembers which shortlist is theirs (and a small summary of it for the
header counter). A read-only link opens the list to anyone holding it; an optional private edit
link, shown once and stored only as a hash, lets its holder take the list to another device.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, Q
from django.utils import timezone

from programs.core.limits import SHORTLIST_MAX_ENTRIES
from programs.models import Language, Shortlist, ShortlistEntry
from programs.models.querysets import deadlines_and_fees, export_data, offerings_with_universities

SESSION_KEY = "shortlist"
# A visitor with a shortlist keeps their session (and so the list) this long after a change.
SESSION_AGE = 365 * 24 * 60 * 60
# A shortlist neither changed nor opened for this long is deleted by `prune_shortlists`.
UNUSED_FOR = timedelta(days=365)
# An empty one (its owner removed everything) holds nothing worth keeping: it goes after a day.
EMPTY_UNUSED_FOR = timedelta(days=1)
# Opening a list records the day; more often than this would be a write on every page view.
TOUCH_EVERY = timedelta(days=1)
# token_urlsafe(32): 32 random bytes (256 bits), 43 URL-safe characters.
TOKEN_BYTES = 32
TOKEN_PATTERN = r"[-_a-zA-Z0-9]{43}"

MOVES = ("up", "down", "first", "last")


class ShortlistFull(Exception):
    """Adding would take the list past SHORTLIST_MAX_ENTRIES."""


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token):
    """What is stored of an edit link's token: its SHA-256 (the token has 256 random bits, so a
    plain hash is enough; there is nothing to guess)."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_note(text):
    """A note as stored: line breaks as \\n (browsers send \\r\\n), no surrounding blanks."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


# ---------- The visitor's session ----------


@dataclass
class Summary:
    """What every page's header and "Add to shortlist" buttons need, kept in the session so
    they cost no query: how many entries the visitor's list has and which programmes."""

    count: int = 0
    programme_ids: set = field(default_factory=set)

    def __contains__(self, programme_id):
        return programme_id in self.programme_ids


def summary(request):
    data = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not isinstance(data, dict):
        return Summary()
    return Summary(count=data.get("count", 0), programme_ids=set(data.get("programmes", [])))


def own_shortlist_id(request):
    data = request.session.get(SESSION_KEY)
    return data.get("id") if isinstance(data, dict) else None


def own_shortlist(request, lock=False):
    """The visitor's shortlist, or None (never had one, or it was deleted)."""
    pk = own_shortlist_id(request)
    if pk is None:
        return None
    queryset = Shortlist.objects.select_for_update() if lock else Shortlist.objects
    shortlist = queryset.filter(pk=pk).first()
    via = request.session[SESSION_KEY].get("via")
    # A device that took the list over by its private edit link keeps it only while that link
    # is the list's current one: making a new link takes the list back from every such device.
    if shortlist is None or (via is not None and shortlist.edit_token_hash != via):
        forget(request)
        return None
    return shortlist


def remember(request, shortlist, entries=None, renew=True, via=None):
    """Make `shortlist` the visitor's and refresh the session's summary of it.

    `entries` are its entries when the caller has them loaded; otherwise one query reads them.
    `renew` (on every change) keeps the session, and so the list, for another year while the list
    holds something (an empty one is pruned soon: the session gets its ordinary lifetime back).
    `via` is the hash of the edit link this device took the list over with (kept on later calls).
    """
    previous = request.session.get(SESSION_KEY)
    if via is None and isinstance(previous, dict) and previous.get("id") == shortlist.pk:
        via = previous.get("via")
    if entries is None:
        programme_ids = list(shortlist.entries.values_list("programme_id", flat=True))
    else:
        programme_ids = [entry.programme_id for entry in entries]
    data = {
        "id": shortlist.pk,
        "count": len(programme_ids),
        "programmes": sorted(pk for pk in programme_ids if pk is not None),
    }
    if via is not None:
        data["via"] = via
    if request.session.get(SESSION_KEY) != data:
        request.session[SESSION_KEY] = data
    # A signed-in staff member's session keeps its ordinary lifetime: a shortlist must not
    # stretch an admin login to a year.
    if renew and not request.user.is_authenticated:
        request.session.set_expiry(SESSION_AGE if programme_ids else None)


def forget(request):
    if SESSION_KEY in request.session:
        del request.session[SESSION_KEY]


def ordinary_session_lifetime_after_login(sender, request, user, **kwargs):
    """Logging in keeps the session's data; it must not keep a shortlist's year-long expiry."""
    if request is not None and hasattr(request, "session"):
        request.session.set_expiry(None)


def touch(shortlist):
    """Record that the list was used today (one UPDATE at most once a day)."""
    now = timezone.now()
    if shortlist.used_at < now - TOUCH_EVERY:
        Shortlist.objects.filter(pk=shortlist.pk).update(used_at=now)
        shortlist.used_at = now


# ---------- Reading ----------


def entries_for_display(shortlist, for_export=False):
    """The list's entries in order, with what the page shows of each programme loaded (its
    card's key facts and how each is known, programs/display/facts.py; and, `for_export`, what a
    CSV row adds)."""
    extra = export_data("programme__") if for_export else []
    return list(
        ShortlistEntry.objects.filter(shortlist=shortlist)
        .select_related("programme")
        .prefetch_related(
            offerings_with_universities("programme__offerings"),
            Prefetch("programme__languages", Language.objects.order_by("name")),
            "programme__fact_sources",
            *deadlines_and_fees("programme__"),
            *extra,
        )
        .order_by("position", "pk")
    )


def shared_shortlist(token):
    """The shortlist this read-only link opens, or None (unknown or revoked)."""
    return Shortlist.objects.filter(share_token=token).first()


def shortlist_for_edit_token(token):
    return Shortlist.objects.filter(edit_token_hash=token_hash(token)).first()


def find_entry(shortlist, key):
    """The entry a form names by `key` (see ShortlistEntry.key), or None."""
    entries = ShortlistEntry.objects.filter(shortlist=shortlist).select_related("programme")
    entry = entries.filter(programme__published=True, programme__slug=key).first()
    if entry is None:
        # Unpublished or deleted: named by the slug it had when added, never a draft's own.
        entry = entries.exclude(programme__published=True).filter(slug=key).first()
    return entry


# ---------- Writing (callers wrap these in a transaction with the list locked) ----------


def own_or_new(request):
    """The visitor's shortlist, locked; or a new one, not saved until something is put in it."""
    return own_shortlist(request, lock=True) or Shortlist()


def add(shortlist, programme):
    """Put a published programme at the end of the list; True if added, False if it was there.

    `shortlist` may be a new, unsaved Shortlist(): it is saved with its first programme, so no
    list is ever kept empty from the start. Raises ShortlistFull at the limit.
    """
    if shortlist.pk is None:
        shortlist.save()
    entries = ShortlistEntry.objects.filter(shortlist=shortlist)
    if entries.filter(programme=programme).exists():
        return False
    if entries.count() >= SHORTLIST_MAX_ENTRIES:
        raise ShortlistFull
    last = entries.aggregate(last=Max("position"))["last"]
    try:
        with transaction.atomic():
            ShortlistEntry.objects.create(
                shortlist=shortlist,
                programme=programme,
                title=programme.title,
                slug=programme.slug,
                position=0 if last is None else last + 1,
            )
    except IntegrityError:  # added by a request racing this one (SQLite does not lock)
        return False
    return True


def move(shortlist, entry, direction):
    """Move an entry one place up or down, or to the top or the bottom."""
    entries = list(ShortlistEntry.objects.filter(shortlist=shortlist).order_by("position", "pk"))
    index = next(i for i, other in enumerate(entries) if other.pk == entry.pk)
    item = entries.pop(index)
    target = {
        "up": max(index - 1, 0),
        "down": min(index + 1, len(entries)),
        "first": 0,
        "last": len(entries),
    }[direction]
    entries.insert(target, item)
    for position, other in enumerate(entries):
        other.position = position
    ShortlistEntry.objects.bulk_update(entries, ["position"])


def copy_into(source, target):
    """Append `source`'s published programmes (with their notes) that `target` lacks.

    `target` may be a new, unsaved Shortlist(): it is saved only when something is copied into
    it. Returns (added, left_out_for_room).
    """
    have, last = set(), None
    if target.pk is not None:
        entries = ShortlistEntry.objects.filter(shortlist=target)
        have = set(entries.values_list("programme_id", flat=True))
        last = entries.aggregate(last=Max("position"))["last"]
    room = SHORTLIST_MAX_ENTRIES - len(have)
    position = 0 if last is None else last + 1
    new = []
    left_out = 0
    for entry in entries_for_display(source):
        if not entry.is_public or entry.programme_id in have:
            continue
        if len(new) >= room:
            left_out += 1
            continue
        new.append(
            ShortlistEntry(
                shortlist=target,
                programme=entry.programme,
                title=entry.programme.title,
                slug=entry.programme.slug,
                note=entry.note,
                position=position,
            )
        )
        position += 1
    if new and target.pk is None:
        target.save()
    ShortlistEntry.objects.bulk_create(new)
    return len(new), left_out


def replace_share_token(shortlist):
    shortlist.share_token = new_token()
    shortlist.save(update_fields=["share_token"])
    return shortlist.share_token


def revoke_share_token(shortlist):
    shortlist.share_token = None
    shortlist.save(update_fields=["share_token"])


def replace_edit_token(shortlist):
    """A new private edit link; the old one stops working. Returns the token (shown once)."""
    token = new_token()
    shortlist.edit_token_hash = token_hash(token)
    shortlist.save(update_fields=["edit_token_hash"])
    return token


def mark_used(shortlist):
    shortlist.used_at = timezone.now()
    Shortlist.objects.filter(pk=shortlist.pk).update(used_at=shortlist.used_at)


def prunable(now=None):
    """The shortlists `prune_shortlists` deletes: unused for a year, or empty and unused for a
    day."""
    now = now or timezone.now()
    holds_something = Exists(ShortlistEntry.objects.filter(shortlist=OuterRef("pk")))
    return Shortlist.objects.filter(
        Q(used_at__lt=now - UNUSED_FOR) | Q(~holds_something, used_at__lt=now - EMPTY_UNUSED_FOR)
    )


def prune(now=None):
    """Delete the shortlists `prunable` finds; returns how many."""
    _, per_model = prunable(now).delete()
    return per_model.get(Shortlist._meta.label, 0)
