"""What the catalog's small POST forms share ("Add to compare", "Add to shortlist" and their
"Remove"): where a plain form returns to afterwards, and whether htmx asked for the refreshed
button alone instead of a whole page.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def return_address(request, default):
    """Where a plain form returns to: its `next` when it is a path on this site, else `default`.

    Used with HttpResponseRedirect, never redirect(), which would read a bare word as a view name.
    """
    target = request.POST.get("next", "")
    if not target.startswith("/") or any(
        ord(character) < 32 or ord(character) == 127 for character in target
    ):
        return default  # only a path here; a control character can't go into a Location header
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def wants_fragment(request):
    """An htmx button asked for its own refreshed markup (a boosted link wants the whole page)."""
    return bool(request.htmx) and not request.htmx.boosted
