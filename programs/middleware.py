"""Middleware of the public site."""

from contextlib import suppress

from django.db import DatabaseError

from programs import shortlists


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
