"""Whole public pages kept in the cache for visitors without a session, under the catalog revision.

The programme list and a programme's page are the same for every visitor who has no session
(nothing compared or shortlisted, not signed in): the same address shows the same thing until
the catalog changes, and the address names the language (/de/…). Such a page is stored once per
catalog revision (the key starts with it, as every key of programs/finder/cache.py does), so no
visitor ever sees a page older than the last committed write, in any process sharing the cache.

KeptPageMiddleware serves a kept page near the top of the middleware stack: the rest of the stack
(sessions, authentication, messages, …) has nothing to add for such a visitor, and skipping it is
what makes a kept page nearly as cheap as a static file. The view marks its page as one to keep
(@kept_for_visitors); the middleware stores it on the way out, with the headers the whole stack
gave it.

The one part that is each visitor's own is the CSRF token of the page's forms (add to compare,
add to shortlist). It is stored as a mark and replaced on the way out by a token for this
visitor's own secret, masked anew for each response, as Django renders it; Django's own CSRF
middleware reads the visitor's secret and sets the cookie, as it does for any page.

What is kept is bounded, since any visitor can make up addresses: only an address the view
reads as it is written (no unknown, repeated or refused parameter: the view calls
not_for_keeping() otherwise), only a page up to KEPT_PAGE_MAX_BYTES, and in a cache of its own
(the "pages" alias in settings.CACHES), bounded in bytes rather than in entries.
"""

import re
import secrets
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation

from programs.core.limits import KEPT_PAGE_MAX_BYTES
from programs.finder.cache import TIMEOUT, CatalogCache

# The value of each form's CSRF field, as {% csrf_token %} writes it.
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Stands for the token in a stored page: random, so no text on the page can look like it.
TOKEN_MARK = f"csrf-{secrets.token_hex(16)}".encode()
# Cookies that don't make a page anyone's own (the language is in the address).
SHARED_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
# Set again for each visitor: their CSRF cookie by Django's middleware, the length after the token.
PER_VISITOR_HEADERS = {"content-length", "set-cookie"}


def kept_for_visitors(view):
    """Mark this public page as one KeptPageMiddleware keeps for visitors without a session."""

    @wraps(view)
    def marked_view(request, *args, **kwargs):
        # Only when the page's language is the address's, which is all the key knows of it.
        if translation.get_language() == _language_of(request):
            request.keep_page = True
        return view(request, *args, **kwargs)

    marked_view.kept_for_visitors = True
    return marked_view


def not_for_keeping(request):
    """Serve this page to this request alone: its address asks something the view doesn't read
    as written (an unknown, repeated or refused parameter), and every such variant kept would
    be one more page in the cache."""
    request.keep_page = False


class KeptPageMiddleware:
    """Serve kept pages to visitors without a session, and keep those pages (see above).

    Placed after WhiteNoise and GZip (so static files never reach it and kept pages are still
    compressed), before the session: a visitor with a session never gets a kept page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Django's own CSRF middleware, for its reading of the visitor's secret and setting of
        # the cookie; it is also in the stack, for every page this one doesn't serve.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or set(request.COOKIES) - SHARED_COOKIES
            or not _is_kept_page(request)
            or _home_in_another_language(request)
        ):
            return self.get_response(request)
        request.get_host()  # an address not in ALLOWED_HOSTS is refused here as everywhere (400)
        # The views' own cached results read the revision from here: one query a request.
        request.catalog_cache = CatalogCache()
        key = self._key(request)
        pages = caches["pages"]
        stored = pages.get(key)
        if stored is not None:
            return self._serve(request, stored)
        response = self.get_response(request)
        if getattr(request, "keep_page", False) and _shared(request, response):
            content = CSRF_FIELD.sub(rb"\1" + TOKEN_MARK + rb"\2", response.content)
            headers = [(k, v) for k, v in response.items() if k.lower() not in PER_VISITOR_HEADERS]
            pages.set(key, (response.status_code, headers, content), TIMEOUT)
        return response

    @staticmethod
    def _key(request):
        with translation.override(_language_of(request)):
            return request.catalog_cache.key(
                "page",
                request.get_full_path(),
                request.headers.get("HX-Request"),
                request.headers.get("HX-History-Restore-Request"),
            )

    def _serve(self, request, stored):
        status, headers, content = stored
        self.csrf.process_request(request)
        content = content.replace(TOKEN_MARK, get_token(request).encode())
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(content))
        return self.csrf.process_response(request, response)


def _home_in_another_language(request):
    """Whether this is `/` for a visitor whose remembered or browser language isn't the
    default: programs.web.languages.HomeLanguageMiddleware sends them to their language's home
    page, so the English `/` kept for others must not answer them."""
    return (
        request.path_info == "/"
        and not request.headers.get("HX-Request")
        and translation.get_language_from_request(request, check_path=False)
        != settings.LANGUAGE_CODE
    )


def _is_kept_page(request):
    """Whether the address is one of a view marked @kept_for_visitors (other pages, which would
    find nothing kept, are left alone without reading the revision)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _is_kept_address(urlconf, _language_of(request), request.path_info)


@lru_cache(maxsize=10_000)
def _is_kept_address(urlconf, language, path):
    """_is_kept_page() for an address, remembered: resolving costs as much as the rest of
    serving a kept page, and an address's view never changes while the process runs."""
    # The address's language prefix matches only while that language is active.
    with translation.override(language):
        try:
            view = resolve(path, urlconf).func
        except Resolver404:
            return False
    return getattr(view, "kept_for_visitors", False)


def _language_of(request):
    """The language the address names: its prefix (/de/, /it/, /sv/), none for the default."""
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _shared(request, response):
    """Whether this response is what any visitor without a session would get."""
    session = getattr(request, "session", None)
    own_cookies = set(response.cookies) - {settings.CSRF_COOKIE_NAME}
    return (
        response.status_code == 200
        and not response.streaming
        and len(response.content) <= KEPT_PAGE_MAX_BYTES
        and not own_cookies
        and not (session is not None and session.modified)
    )
