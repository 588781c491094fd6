"""The programmes a visitor has chosen to compare, kept in their session while they browse.

"Add to compare" on a card or a programme's page adds to the choice rather than replacing it, a
choice made on one page of results is still there on the next, and the Compare menu link opens
it. Only slugs are kept (at most MAX_COMPARED), so no page pays a query to show the state.
"""

from urllib.parse import urlencode

from django.urls import reverse

from programs.core.limits import MAX_COMPARED, SLUG_PATTERN

SESSION_KEY = "compare"


def compare_url(slugs, back_query=""):
    """The compare page's address for these programme slugs (and the list it was opened from)."""
    pairs = [("p", slug) for slug in slugs] + ([("from", back_query)] if back_query else [])
    query = urlencode(pairs)
    return reverse("programs:compare") + (f"?{query}" if query else "")


class SelectionFull(Exception):
    """Adding would take the choice past MAX_COMPARED."""


def chosen(request):
    """The chosen programme slugs, in the order they were added (an empty list without any)."""
    # Without a session cookie this reads nothing from the database.
    session = getattr(request, "session", None)
    slugs = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(slugs, list):
        return []
    return [slug for slug in slugs if isinstance(slug, str) and SLUG_PATTERN.match(slug)][
        :MAX_COMPARED
    ]


def replace(request, slugs):
    """Make `slugs` (distinct, at most MAX_COMPARED of them) the visitor's choice."""
    request.session[SESSION_KEY] = list(dict.fromkeys(slugs))[:MAX_COMPARED]


def add(request, slug):
    """Add `slug` to the choice; True if it was added, False if it was there already."""
    slugs = chosen(request)
    if slug in slugs:
        return False
    if len(slugs) >= MAX_COMPARED:
        raise SelectionFull
    replace(request, [*slugs, slug])
    return True


def remove(request, slug):
    """Take `slug` out of the choice (nothing happens when it was not in it)."""
    replace(request, [other for other in chosen(request) if other != slug])
