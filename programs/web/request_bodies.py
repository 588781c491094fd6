"""Request bodies above a size are refused (413) before anything reads them.

Django keeps a form's fields in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE but spools uploaded files
to disk without a limit, and the CSRF check reads the body of every POST: without this, a stranger's
300 MB upload to a public form would be written to disk before its 403. The size is read from
Content-Length, which every browser sends with a form, before the body is touched. A body without
one (chunked) is refused with 411: Django would read it as empty anyway.

The limits, by address (in any language):
- the admin's spreadsheet import: its two files of ADMIN_IMPORT_MAX_BYTES each, and the form;
- the rest of the admin: what Django itself accepts of a form's fields (its largest forms, a
  programme with every module, are far below that), and the form;
- every other address: PUBLIC_BODY_MAX_BYTES.
deploy/nginx/catalog.conf caps the same addresses at least as high, so a proxy in front refuses
the largest bodies before they even reach the app.
"""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.urls import get_script_prefix, reverse
from django.utils import translation

from programs.core import limits
from programs.web.languages import path_in_language


def import_file_max_bytes():
    return getattr(settings, "ADMIN_IMPORT_MAX_BYTES", limits.ADMIN_IMPORT_MAX_BYTES)


def import_body_max_bytes():
    return 2 * import_file_max_bytes() + limits.FORM_OVERHEAD_BYTES  # programmes and modules


def admin_body_max_bytes():
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE + limits.FORM_OVERHEAD_BYTES


@cache
def _admin_addresses(script_prefix):
    """The admin's root and its import page as English (unprefixed) paths inside the site."""
    with translation.override(settings.LANGUAGE_CODE):
        found = reverse("admin:index"), reverse("admin:programs_programme_import")
    return tuple("/" + path.removeprefix(script_prefix) for path in found)


def _address_kind(path_info):
    """Which limit the address `path_info` has: "import", "admin" or "public"."""
    path = path_in_language(path_info, settings.LANGUAGE_CODE)
    admin_root, import_page = _admin_addresses(get_script_prefix())
    if path == import_page:
        return "import"
    return "admin" if path.startswith(admin_root) else "public"


LIMITS = {
    "import": import_body_max_bytes,
    "admin": admin_body_max_bytes,
    "public": lambda: limits.PUBLIC_BODY_MAX_BYTES,
}


def _refusal(request, template, status, context):
    """A short page in the address's language (LocaleMiddleware has not run yet)."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        body = loader.render_to_string(template, context)
    return HttpResponse(body, status=status)


class RequestBodyLimitMiddleware:
    """First in the stack: refuses an oversized body (413) or one of unknown length (411)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        if not declared and request.META.get("HTTP_TRANSFER_ENCODING"):
            return _refusal(request, "411.html", 411, {})
        try:
            length = int(declared)
        except ValueError:
            length = 0  # Django reads such a body as empty, and so nothing of it
        kind = _address_kind(request.path_info)
        allowed = LIMITS[kind]()
        if length > allowed:
            # Staff sending a spreadsheet too large for the page learn where it can go instead.
            file_limit = import_file_max_bytes() if kind == "import" else None
            return _refusal(request, "413.html", 413, {"limit": allowed, "file_limit": file_limit})
        response = self.get_response(request)
        if length:
            _read_the_rest(request)
        return response


def _read_the_rest(request):
    """Read what the view left unread of a body within its limit (a CSRF refusal reads none).

    gunicorn closes the connection after the answer; bytes the proxy is still sending then meet a
    reset, and nginx answers 502 instead of the app's 403. The body is at most the limit, which
    is small, so reading it out costs little. The request's stream stops at the declared length,
    and gives nothing more once a view has read it all."""
    try:
        while request.read(64 * 1024):
            pass
    except OSError:
        pass  # the client went away: nothing left to tell it
