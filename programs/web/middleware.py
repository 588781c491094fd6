"""Request-wide rules that no single view owns."""

import time
from contextlib import suppress

from django.conf import settings
from django.contrib.auth import logout
from django.db import DatabaseError

from programs.visitors import shortlists

# Session keys: when this sign-in began, and when its last request came (seconds since the epoch).
SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"
# Refresh "last seen" at most this often, so that not every request writes the session.
LAST_SEEN_RESOLUTION = 60


def signed_in(request):
    """Whether the request comes from a signed-in user (staff); False when the database that
    would tell can't be reached: the view decides what that means (/healthz answers 503)."""
    try:
        return request.user.is_authenticated
    except DatabaseError:
        return False


class StaffSessionLimitsMiddleware:
    """Signed-in sessions end when the browser closes, after an idle hour, and after 8 hours.

    Only signed-in users (staff) are limited: an anonymous visitor's session keeps Django's
    default lifetime. The limits are STAFF_SESSION_IDLE_SECONDS and STAFF_SESSION_MAX_SECONDS.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if signed_in(request):
            self.apply_limits(request)
        return self.get_response(request)

    def apply_limits(self, request):
        session = request.session
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT, now)
        last_seen_at = session.get(LAST_SEEN_AT, now)
        too_old = now - signed_in_at > settings.STAFF_SESSION_MAX_SECONDS
        idle = now - last_seen_at > settings.STAFF_SESSION_IDLE_SECONDS
        if too_old or idle:
            # The request goes on as an anonymous one: the admin asks to sign in again.
            logout(request)
            return
        if SIGNED_IN_AT not in session:
            session[SIGNED_IN_AT] = now
            # The cookie lasts until the browser closes; the limits above are kept on the server.
            session.set_expiry(0)
        if LAST_SEEN_AT not in session or now - last_seen_at >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_AT] = now


class ShortlistSessionMiddleware:
    """Read the visitor's session before the view runs, when they have one.

    Every page's header shows the shortlist counter, read from the session; loading the session
    here means that query is never made from inside a template. A visitor without a session
    cookie costs nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key is not None:
            # The view decides what an unreachable database means (/healthz answers 503).
            with suppress(DatabaseError):
                session.get(shortlists.SESSION_KEY)
        return self.get_response(request)
