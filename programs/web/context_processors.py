"""Template context every page gets."""

from programs.visitors import compare_selection, shortlists


def shortlist(request):
    """The header's shortlist counter and the "Add to shortlist" buttons' state.

    Read from the session, which holds a summary of the visitor's list, so no page pays a query
    for it (a visitor without a session cookie costs nothing at all).
    """
    return {
        "shortlist_summary": shortlists.summary(request),
        # The programmes chosen to compare, for the cards' "Add to compare" buttons.
        "compare_slugs": compare_selection.chosen(request),
    }
