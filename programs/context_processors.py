"""Template context every page gets."""

from programs import shortlists


def shortlist(request):
    """The header's shortlist counter and the "Add to shortlist" buttons' state.

    Read from the session, which holds a summary of the visitor's list, so no page pays a query
    for it (a visitor without a session cookie costs nothing at all).
    """
    return {"shortlist_summary": shortlists.summary(request)}
