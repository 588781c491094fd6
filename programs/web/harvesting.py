"""What harvesters of the open data get from every API and export response: an `ETag` and a
`Last-Modified` from the catalog revision, a 304 for a copy they hold already, and a body kept
under the revision, so asking again costs about what a static file does.

A response of these views changes only when the catalog does (every write bumps its revision,
programs/actions/revision.py): so the ETag names the revision and everything else the body
depends on (the address with its query, the language, and what the view names as its variant,
such as the day the CSV export's file name holds), and Last-Modified is when the revision was
counted (CatalogRevision.changed_at, each revision in a later second than the one before, so
If-Modified-Since is as exact as If-None-Match). Django's own `condition` decorator reads the
request's If-None-Match / If-Modified-Since and answers 304 (or 412) from these two before the
view runs: a revalidation costs the one query that reads the revision.

The ETag is weak (W/"…"): the same representation is sent gzip-compressed or not, byte for byte
different, which a strong one would have to tell apart. Responses say `Cache-Control: no-cache`:
a copy may be kept, but checked with the catalog before each use, as a 304 makes cheap; no
cache serves a programme that was unpublished since.

`@for_harvesters` also keeps the body (programs/web/downloads.py's KeptDownload, in the pages'
cache, which is bounded in bytes because anyone can make up addresses): a 200 of up to
KEPT_PAGE_MAX_BYTES, gzip-compressed, for everyone who asks the same address at the same
revision. `@conditional` is for views that keep their bodies themselves (the CSV export and
the sitemap, which stream or build theirs in their own way).
"""

import hashlib
from functools import wraps

from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from programs.core.limits import KEPT_PAGE_MAX_BYTES
from programs.finder.cache import CatalogCache
from programs.web.downloads import KeptDownload

# Headers of a kept body that are the response's own, not the body's: set again on each answer.
NOT_KEPT_HEADERS = {"content-length", "content-encoding", "etag", "last-modified", "set-cookie"}
# The cache the bodies are kept in: the pages' (bounded in bytes, see catalog/settings.py).
CACHE_ALIAS = "pages"


def conditional(view=None, *, variant=None, vary=()):
    """Give every 200 of this read-only view the catalog's ETag and Last-Modified, and answer a
    request naming them with 304 before the view runs.

    `variant(request)`, when given, is what the response depends on besides its address and
    language, as a short value (the day, for a download named by it); `vary` names request
    headers the answer depends on, for caches (the Open Education API's `Accept`, whose version
    it refuses or serves).
    """
    if view is None:
        return lambda view: conditional(view, variant=variant, vary=vary)
    return _harvested(view, variant, vary, keep=False)


def for_harvesters(view=None, *, variant=None, vary=()):
    """`conditional`, and the view's 200 kept under the revision for the next request (above)."""
    if view is None:
        return lambda view: for_harvesters(view, variant=variant, vary=vary)
    return _harvested(view, variant, vary, keep=True)


def _harvested(view, variant, vary, keep):
    def request_parts(request):
        return (request.get_full_path(), variant(request) if variant else None)

    def etag(request, *args, **kwargs):
        cache = _catalog_cache(request)
        if cache.changed_at is None:
            return None  # the catalog has never changed: nothing to name
        digest = hashlib.sha256(cache.key("etag", *request_parts(request)).encode()).hexdigest()
        return f'W/"{digest[:32]}"'

    def last_modified(request, *args, **kwargs):
        return _catalog_cache(request).changed_at

    @wraps(view)
    def kept_view(request, *args, **kwargs):
        download = None
        if keep:
            download = KeptDownload(
                request, "harvest", *request_parts(request), cache_alias=CACHE_ALIAS
            )
            kept = download.kept()
            if kept is not None:
                _body, headers = kept
                content_type = dict(headers).get("Content-Type")
                return download.response(kept, content_type)
        response = view(request, *args, **kwargs)
        # The view's own dates are the body's, not the catalog's: the catalog's are the ones
        # a 304 is answered from, so they are the ones sent.
        for header in ("ETag", "Last-Modified"):
            if header in response:
                del response[header]
        if download is not None and _keepable(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_KEPT_HEADERS]
            download.keep(response.content, headers)
        return response

    answered = condition(etag_func=etag, last_modified_func=last_modified)(kept_view)

    @wraps(view)
    def harvested_view(request, *args, **kwargs):
        response = answered(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(response, no_cache=True)
            if vary:
                patch_vary_headers(response, vary)
        else:
            # An error or a redirect is no copy of the resource to revalidate.
            for header in ("ETag", "Last-Modified"):
                if header in response:
                    del response[header]
        return response

    return harvested_view


def _catalog_cache(request):
    """The request's reading of the catalog revision, shared with the view's cached results."""
    if getattr(request, "catalog_cache", None) is None:
        request.catalog_cache = CatalogCache()
    return request.catalog_cache


def _keepable(request, response):
    """Whether this response is what anyone asking the same address gets, and small enough."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(response.content) <= KEPT_PAGE_MAX_BYTES
    )
