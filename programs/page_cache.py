"""Whole public pages kept in the cache for visitors without a session, under the catalog revision.

The programme list and a programme's page are the same for every visitor who has no session
(nothing compared or shortlisted, not signed in): the same address in the same language shows
the same thing until the catalog changes. Such a page is stored once per catalog revision (the
key starts with it, as every key of programs/catalog_cache.py does), so no visitor ever sees a
page older than the last committed write, in any process sharing the cache.

The one part that is each visitor's own is the CSRF token of the page's forms (add to compare,
add to shortlist). It is stored as a mark and replaced on the way out by a token for this
visitor's own secret, masked anew for each response, as Django renders it.
"""

import re
import secrets
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

from programs.catalog_cache import TIMEOUT, CatalogCache

# The value of each form's CSRF field, as {% csrf_token %} writes it.
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Stands for the token in a stored page: random, so no text on the page can look like it.
TOKEN_MARK = f"csrf-{secrets.token_hex(16)}".encode()
# Cookies that don't make a page anyone's own (the language is part of the page's key).
SHARED_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def cached_for_visitors(view):
    """Serve this public page from the cache to visitors without a session (see above)."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or set(request.COOKIES) - SHARED_COOKIES:
            return view(request, *args, **kwargs)
        # The view's own cached results read the revision from here: one query a request.
        request.catalog_cache = CatalogCache()
        key = request.catalog_cache.key(
            "page",
            request.get_full_path(),
            request.headers.get("HX-Request"),
            request.headers.get("HX-History-Restore-Request"),
        )
        stored = cache.get(key)
        if stored is not None:
            return _from_store(request, stored)
        response = view(request, *args, **kwargs)
        if _shared(request, response):
            content = CSRF_FIELD.sub(rb"\1" + TOKEN_MARK + rb"\2", response.content)
            cache.set(key, (response.status_code, list(response.items()), content), TIMEOUT)
        return response

    return cached_view


def _shared(request, response):
    """Whether this response is what any visitor without a session would get."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.modified)
    )


def _from_store(request, stored):
    status, headers, content = stored
    response = HttpResponse(content.replace(TOKEN_MARK, get_token(request).encode()), status=status)
    for name, value in headers:
        response[name] = value
    return response
