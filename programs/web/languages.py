"""The site's languages: which one a visitor gets, and every page's address in the others.

English lives at the unprefixed addresses (shared links keep working); German, Italian and Swedish
under /de/, /it/ and /sv/ with the same path and query string. Only `/` is negotiated: a first
visit follows the browser's Accept-Language and the choice is remembered in Django's language
cookie; the switcher (`switch_language`) sets that cookie. An explicit prefix always wins.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from programs.core.site_address import absolute_url

LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]


def path_in_language(path, code):
    """`path` (no query string, starting with /) as the same page in language `code`."""
    current = translation.get_language_from_path(path)
    if current:
        path = path[len(current) + 1 :] or "/"
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


def _remember(response, code):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class HomeLanguageMiddleware:
    """`/` opens in the visitor's language: the remembered one, else the browser's first choice.

    Django's LocaleMiddleware, with English unprefixed (prefix_default_language=False), always
    serves unprefixed addresses in English and never redirects them. The home page alone is
    where a visitor arrives without having chosen, so it alone is negotiated here; every other
    unprefixed address is the English page it always was.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # htmx's requests come from a page already shown in the language the visitor has.
        if request.path_info != "/" or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.headers.get("HX-Request"):
            return self.get_response(request)
        remembered = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in LANGUAGE_CODES
        # The cookie first, then Accept-Language, then English.
        code = translation.get_language_from_request(request, check_path=False)
        if code == settings.LANGUAGE_CODE:
            response = self.get_response(request)
        else:
            query = request.META.get("QUERY_STRING", "")
            target = f"{get_script_prefix()}{code}/" + (f"?{query}" if query else "")
            response = HttpResponseRedirect(target)
            if not remembered:
                _remember(response, code)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def on_this_site(address):
    """Whether `address` is a path on this site: no scheme and no host, in any spelling a
    browser would read as one (`//host`, `/\\host`, `https:host`, control characters)."""
    return address.startswith("/") and url_has_allowed_host_and_scheme(address, allowed_hosts=None)


@csrf_exempt
@require_safe
def switch_language(request, code):
    """Remember language `code` and go to the page `next` (same path and query) in it.

    A plain link, so the switcher works without JavaScript. `next` must be an address on this
    site; anything else leads to the home page in the chosen language. An unknown `code` is 404.
    """
    if code not in LANGUAGE_CODES:
        # A language the site does not have: not found, rather than a silent move to English.
        raise Http404
    path, _, query = request.GET.get("next", "").partition("?")
    target = path_in_language(path, code) + (f"?{query}" if query else "")
    # The address checked is the one the browser is sent to: taking the language prefix off
    # `/de//evil.example` leaves `//evil.example`, another site, so checking `next` alone is not
    # enough. Only a path on this site will do (no host at all, not even our own).
    if not (path.startswith("/") and on_this_site(target)):
        target = path_in_language("/", code)
    response = HttpResponseRedirect(target)
    _remember(response, code)
    return response


@dataclass
class LanguageVersion:
    """This page in one of the site's languages: for the switcher and the hreflang links."""

    code: str
    name: str
    url: str
    switch_url: str
    current: bool


def language_versions(request, query=None):
    """The current page in each language, with `query` (default: the request's own)."""
    if query is None:
        query = request.META.get("QUERY_STRING", "")
    here = request.path_info + (f"?{query}" if query else "")
    current = translation.get_language()
    versions = []
    for code, name in settings.LANGUAGES:
        address = path_in_language(request.path_info, code) + (f"?{query}" if query else "")
        switch = reverse("switch-language", args=[code]) + "?" + urlencode({"next": here})
        versions.append(
            LanguageVersion(
                code=code,
                name=name,
                url=absolute_url(address),
                switch_url=switch,
                current=code == current,
            )
        )
    return versions
