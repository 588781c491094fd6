"""/api/changes?since=<RFC 3339 date-time>: what a harvester must fetch again or remove.

A harvester that copied the catalog once asks, on each later run, for what changed since the
start of its previous run: the published programmes saved or changed in public since then
(`updated`: fetch them again) and those that left the public catalog since then, unpublished or
deleted (`removed`: drop them), each named by its stable identifier, the one the Open Education
API and the exports use. Removals come first, then updates in a fixed order, paged as the Open
Education API pages, with its own paging and problem details (programs/web/oeapi_parameters.py,
oeapi_problems.py). Like every API response it has an ETag and is kept per catalog revision
(programs/web/harvesting.py).

`since` is compared with when each write was made, which is a moment before it commits: a
harvester that starts its next listing from a minute before it began the previous one misses
nothing, and what it sees twice it fetches twice.
"""

from datetime import UTC
from http import HTTPStatus

from django.http import JsonResponse
from django.utils.dateparse import parse_datetime

from programs.models import Programme, Withdrawal
from programs.web.harvesting import for_harvesters
from programs.web.oeapi_parameters import Page
from programs.web.oeapi_problems import BadParameter, problem
from programs.web.views import public_page


@public_page
@for_harvesters
def changes_since(request):
    """The programmes removed and updated since `since`, one page of them."""
    try:
        since = _since(request.GET.get("since"))
        page = Page.from_query(request.GET)
    except BadParameter as error:
        return problem(request, HTTPStatus.BAD_REQUEST, str(error))
    removed = Withdrawal.objects.since(since)
    updated = Programme.objects.changed_since(since)
    removed_count, updated_count = removed.count(), updated.count()
    first, last = page.offset, page.offset + page.size
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
    listing = {"since": _rfc3339(since), **page.envelope(removed_count + updated_count, items)}
    return JsonResponse(listing)


def _since(value):
    """The moment `since` names; BadParameter saying what is wrong with it."""
    if not value:
        raise BadParameter(
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
        raise BadParameter(detail)
    return moment


def _rfc3339(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
