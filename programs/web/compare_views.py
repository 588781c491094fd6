"""Changes to the visitor's compare choice (POST only): add, remove, or choose a whole set.

Plain forms that answer with a redirect, so they work without JavaScript; an htmx request from a
programme card gets the card's refreshed control and the list's compare bar instead.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from programs.core.limits import MAX_COMPARED, SLUG_PATTERN
from programs.models import Programme
from programs.visitors import compare_selection
from programs.visitors.compare_selection import compare_url
from programs.web.button_posts import return_address, wants_fragment
from programs.web.forms import CompareSelection


def _slug(request):
    """The programme slug the form names (else 404, never a query)."""
    value = request.POST.get("p", "")
    if not SLUG_PATTERN.match(value):
        raise Http404("No such programme.")
    return value


def _answer(request, programme, message, is_error=False):
    """The refreshed card control (htmx), or a redirect to `next` (default: the comparison)."""
    chosen = compare_selection.chosen(request)
    if wants_fragment(request):
        context = {
            "programme": programme,
            "next_url": return_address(request, programme.get_absolute_url()),
            "compare_slugs": chosen,
            "compare_message": message,
            "compare_message_is_error": is_error,
            "oob_compare_bar": True,
        }
        return render(request, "programs/_compare_button.html", context)
    messages.add_message(request, messages.ERROR if is_error else messages.SUCCESS, message)
    return HttpResponseRedirect(return_address(request, compare_url(chosen)))


@require_POST
def add(request):
    """Add a published programme to the choice, keeping the ones chosen before."""
    programme = get_object_or_404(Programme.objects.published(), slug=_slug(request))
    try:
        compare_selection.add(request, programme.slug)
    except compare_selection.SelectionFull:
        message = gettext(
            "You are comparing %(limit)d programmes already, the most at once. "
            "Remove one to make room for “%(title)s”."
        ) % {"limit": MAX_COMPARED, "title": programme.title}
        return _answer(request, programme, message, is_error=True)
    message = gettext("“%(title)s” is in your comparison.") % {"title": programme.title}
    return _answer(request, programme, message)


@require_POST
def remove(request):
    """Take a programme out of the choice (answers as done when it was not in it)."""
    slug = _slug(request)
    compare_selection.remove(request, slug)
    programme = Programme.objects.published().filter(slug=slug).first()
    if programme is None:
        return HttpResponseRedirect(
            return_address(request, compare_url(compare_selection.chosen(request)))
        )
    message = gettext("“%(title)s” is no longer in your comparison.") % {"title": programme.title}
    return _answer(request, programme, message)


@require_POST
def choose(request):
    """Make the programmes the compare page's form names the choice, and show them."""
    selection = CompareSelection.from_values(request.POST.getlist("p"))
    found = set(
        Programme.objects.published()
        .filter(slug__in=selection.slugs)
        .values_list("slug", flat=True)
    )
    slugs = [slug for slug in selection.slugs if slug in found]
    compare_selection.replace(request, slugs)
    # All of them in the address: past the most at once, the page says which were left out.
    return HttpResponseRedirect(compare_url(slugs))
