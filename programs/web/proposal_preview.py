"""A proposal's preview: the programme's public page exactly as the proposal would make it.

For staff of the programme's universities only, at an address under the admin
(`/admin/programs/proposal/<id>/preview/`, catalog/urls.py), never kept by any cache and never
indexed. The proposal is written onto the programme inside a transaction that is rolled back
(programs.actions.proposals.proposed_state), and the page is rendered there, by the public
page's own code and templates (programs.web.views.programme_page) but outside its view, so
neither the page cache nor the CDN headers ever see it.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from programs.actions.proposals import proposed_state, shown_state
from programs.actions.snapshots import write_snapshot
from programs.models import Programme, Proposal
from programs.web.views import programme_page


@require_safe
def proposal_preview(request, proposal_id):
    """The public page of the proposal's programme, as it will read once it is published."""
    user = request.user
    staff = user.has_perm("programs.change_programme") or user.has_perm("programs.approve_proposal")
    if not staff:
        raise Http404
    proposal = get_object_or_404(
        Proposal.objects.visible_to(user).open().filter(programme__published=True),
        pk=proposal_id,
    )
    programme_pk = proposal.programme_id

    def render():
        write_snapshot(programme_pk, shown_state(proposal).snapshot, user)
        programme = Programme.objects.with_detail_data().get(pk=programme_pk)
        # Rendered here, while the proposed rows are in the database.
        return programme_page(request, programme, extra_context={"proposal_preview": proposal})

    _, response = proposed_state(programme_pk, render)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
