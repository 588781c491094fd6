"""Catalog editions' public pages: /editions/, and each edition's list, CSV and programme pages.

An archived edition's pages are the live pages' own views and templates, fed with its frozen
programmes (programs/finder/edition_filters.py, programs/display/editions.py); the current and
upcoming editions' pages show the live catalog, at the edition's own addresses. Every edition page
says which edition it is and links to the current catalog; an archived one shows its addenda.
"""

from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from programs.changelog.between_editions import editions_of
from programs.display.editions import frozen_programme
from programs.finder.edition_filters import EditionProgrammeFilter
from programs.finder.filters import ProgrammeFilter, list_query_from
from programs.finder.query_strings import has_empty_parameter, query_without_empty
from programs.models import Addendum, Edition, EditionProgramme, Programme
from programs.web.harvesting import conditional
from programs.web.page_cache import kept_for_visitors, not_for_keeping
from programs.web.views import (
    _export_day,
    export_csv,
    export_xlsx,
    list_page,
    programme_page,
    public_page,
)


class EditionConverter:
    """An edition's year in its addresses: 2026-27."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def _edition(slug):
    """The edition an address names, or 404 (2026-28 names none)."""
    edition = Edition.objects.filter(starts_in=int(slug[:4])).first()
    if edition is None or edition.slug != slug:
        raise Http404
    return edition


def _edition_context(edition, programme_links=None, entry=None):
    """What every edition page shows of its edition (programs/_edition_banner.html)."""
    # The edition's own addenda, and on a programme's page those about it.
    about = Q(entry__isnull=True) if entry is None else Q(entry__isnull=True) | Q(entry=entry)
    addenda = Addendum.objects.filter(about, edition=edition)
    return {
        "edition": edition,
        "edition_state": edition.state(timezone.localdate()),
        "edition_links": programme_links or [],
        "addenda": list(addenda.order_by("dated", "pk")) if edition.is_archived else [],
        "list_url": reverse("programs:edition-programme-list", kwargs={"edition": edition.slug}),
        "export_url": reverse(
            "programs:edition-programme-export", kwargs={"edition": edition.slug}
        ),
        "export_xlsx_url": reverse(
            "programs:edition-programme-export-xlsx", kwargs={"edition": edition.slug}
        ),
    }


def _filterset(request, edition):
    if edition.is_archived:
        return EditionProgrammeFilter(request.GET, edition, request=request)
    return ProgrammeFilter(request.GET, queryset=Programme.objects.published(), request=request)


@public_page
def edition_list(request):
    """Every catalog edition, newest first, with its state and its addresses."""
    today = timezone.localdate()
    editions = [
        (edition, edition.state(today)) for edition in Edition.objects.order_by("-starts_in")
    ]
    return render(request, "programs/edition_list.html", {"editions": editions})


@public_page
def edition_home(request, edition):
    """An edition's address without a page named: its list of programmes."""
    edition = _edition(edition)
    return HttpResponseRedirect(
        reverse("programs:edition-programme-list", kwargs={"edition": edition.slug})
    )


@public_page
@kept_for_visitors
def edition_programme_list(request, edition):
    """An edition's programmes with the live list's filters, search and pages."""
    edition = _edition(edition)
    if not request.htmx and has_empty_parameter(request.GET):
        short = query_without_empty(request.GET)
        return HttpResponseRedirect(f"{request.path}?{short}" if short else request.path)
    return list_page(request, _filterset(request, edition), _edition_context(edition))


@public_page
@conditional(variant=_export_day)
def edition_programme_export_csv(request, edition):
    """An edition's programmes the filters select, as the live list's CSV."""
    edition = _edition(edition)
    return export_csv(request, lambda: _filterset(request, edition))


@public_page
@conditional(variant=_export_day)
def edition_programme_export_xlsx(request, edition):
    """An edition's programmes the filters select, as the live list's workbook."""
    edition = _edition(edition)
    return export_xlsx(request, lambda: _filterset(request, edition))


@public_page
@kept_for_visitors
def edition_programme_detail(request, edition, slug):
    """A programme as the edition has it: frozen when archived, else the live one."""
    edition = _edition(edition)
    given_from = request.GET.getlist("from")
    back_query = list_query_from(given_from[-1] if given_from else "")
    if request.GET and not (request.GET.keys() == {"from"} and given_from == [back_query] != [""]):
        not_for_keeping(request)
    if edition.is_archived:
        entry = get_object_or_404(
            EditionProgramme.objects.select_related("frozen", "edition"),
            edition=edition,
            slug=slug,
        )
        frozen = frozen_programme(entry)
        live_slug = (
            Programme.objects.published()
            .filter(uuid=entry.uuid)
            .values_list("slug", flat=True)
            .first()
        )
        links = editions_of(entry.uuid, live_slug, here=edition)
        context = _edition_context(edition, links, entry) | {"live_slug": live_slug}
        return programme_page(request, frozen.programme, back_query, context, frozen.changes)
    programme = get_object_or_404(Programme.objects.published().with_detail_data(), slug=slug)
    programme.edition_slug = edition.slug
    links = editions_of(programme.uuid, programme.slug, here=edition)
    context = _edition_context(edition, links) | {"live_slug": programme.slug}
    return programme_page(request, programme, back_query, context)
