"""/api/changes?since=<RFC 3339 date-time>: what a harvester must fetch again or remove.

A harvester that copied the catalog once asks, on each later run, for what changed since the
start of its previous run: the published programmes saved or changed in public since then
(`updated`: fetch them again) and those that left the public catalog since then, unpublished or
deleted (`removed`: drop them), each named by its stable identifier, the one the Open Education
API and the exports use. Removals come first, then updates in a fixed order, paged as the Open
Education API pages (pageSize of a few allowed values, pageNumber, hasPreviousPage,
hasNextPage, totalPages). Like every API response it has an ETag and is kept per catalog
revision (programs/web/harvesting.py).

`since` is compared with when each write was made, which is a moment before it commits: a
harvester that starts its next listing from a minute before it began the previous one misses
nothing, and what it sees twice it fetches twice.
"""

from datetime import UTC

from django.http import JsonResponse
from django.utils.dateparse import parse_datetime

from programs.models import Programme, Withdrawal
from programs.web.harvesting import for_harvesters
from programs.web.views import public_page

PAGE_SIZES = (10, 20, 50, 100, 250)
DEFAULT_PAGE_SIZE = 100
# Page numbers beyond what any catalog has are refused rather than counted.
PAGE_NUMBER_MAX = 1_000_000
PROBLEM_CONTENT_TYPE = "application/problem+json"


@public_page
@for_harvesters
def changes_since(request):
    """The programmes updated and removed since `since`, one page of them."""
    since, problem = _since(request.GET.get("since"))
    if problem is None:
        page_size, page_number, problem = _paging(request.GET)
    if problem is not None:
        return _bad_request(problem)
    removed = Withdrawal.objects.since(since)
    updated = Programme.objects.changed_since(since)
    removed_count, updated_count = removed.count(), updated.count()
    first = (page_number - 1) * page_size
    last = first + page_size
    items = []
    if first < removed_count:
        items += [
            {
                "programmeId": str(withdrawal.programme_uuid),
                "change": "removed",
                "at": _rfc3339(withdrawal.withdrawn_at),
                "reason": withdrawal.reason,
            }
            for withdrawal in removed[first:last]
        ]
    # The updates follow the removals: this page's share of them.
    skipped, wanted = max(first - removed_count, 0), last - removed_count
    if wanted > 0 and skipped < updated_count:
        rows = updated.values_list("uuid", "last_changed")[skipped:wanted]
        items += [
            {"programmeId": str(uuid), "change": "updated", "at": _rfc3339(last_changed)}
            for uuid, last_changed in rows
        ]
    total = removed_count + updated_count
    total_pages = -(-total // page_size)
    return JsonResponse(
        {
            "since": _rfc3339(since),
            "pageSize": page_size,
            "pageNumber": page_number,
            "hasPreviousPage": page_number > 1,
            "hasNextPage": page_number < total_pages,
            "totalPages": total_pages,
            "items": items,
        }
    )


def _since(value):
    """(the moment `since` names, or None; a problem's detail, or None)."""
    if not value:
        return None, (
            "Say since when: ?since= an RFC 3339 date-time with its offset, such as "
            "2026-12-01T00:00:00Z."
        )
    try:
        moment = parse_datetime(value)
    except ValueError:  # well formed, but no such time (a 31 February)
        moment = None
    if moment is None or moment.tzinfo is None:
        detail = (
            f"since={value!r} is not an RFC 3339 date-time with its offset, such as "
            "2026-12-01T00:00:00Z or 2026-12-01T01:00:00+01:00."
        )
        if " " in value:
            detail += " In an address, write the offset's + as %2B: a bare + stands for a space."
        return None, detail
    return moment, None


def _paging(query):
    """(page size, page number, a problem's detail or None) from pageSize and pageNumber."""
    size = query.get("pageSize", str(DEFAULT_PAGE_SIZE))
    if size not in {str(allowed) for allowed in PAGE_SIZES}:
        allowed = ", ".join(map(str, PAGE_SIZES))
        return None, None, f"pageSize={size!r} is not one of {allowed}."
    number = query.get("pageNumber", "1")
    if not (number.isascii() and number.isdigit() and 1 <= int(number) <= PAGE_NUMBER_MAX):
        return None, None, f"pageNumber={number!r} is not a page number (1, 2, 3 …)."
    return int(size), int(number), None


def _bad_request(detail):
    """A 400 as problem details (RFC 9457), as the Open Education API answers errors."""
    problem = {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": detail}
    return JsonResponse(problem, status=400, content_type=PROBLEM_CONTENT_TYPE)


def _rfc3339(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
