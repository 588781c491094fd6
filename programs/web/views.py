"""Public pages: thin views that pick a queryset, apply the filter and render."""

import itertools
import sys
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from programs.changelog.between_editions import editions_of
from programs.core import names
from programs.core.limits import EXPORT_ROW_LIMIT, MAX_COMPARED, MODULE_SEARCH_MAX_SHOWN
from programs.core.site_address import absolute_url
from programs.display import jsonld
from programs.display.curriculum import (
    every_counted_module_named,
    other_module_groups,
    semester_plan,
    tracks_heading,
)
from programs.display.facts import (
    career_groups,
    comparison_rows,
    key_facts,
    programme_card,
    title_fact,
)
from programs.display.page_description import programme_description
from programs.display.universities import location, offered_programmes
from programs.finder.filters import SORT_CHOICES, STATUS_ALL, ProgrammeFilter, list_query_from
from programs.finder.query_strings import has_empty_parameter, query_without_empty
from programs.finder.search_help import search_help
from programs.finder.unstated_filters import filters_nothing_can_match
from programs.models import Programme, PublicChange, University
from programs.search.module_documents import PublishedMatches
from programs.visitors import compare_selection
from programs.web.csv_export import (
    EXPORT_CHUNK,
    SEPARATOR_PARAMETER,
    SEPARATORS,
    csv_separator,
    export_filename,
    programme_csv_lines,
)
from programs.web.downloads import KeptDownload
from programs.web.forms import CompareFindForm, CompareSelection, ModuleSearchForm
from programs.web.harvesting import conditional
from programs.web.languages import LANGUAGE_CODES
from programs.web.page_cache import kept_for_visitors, not_for_keeping
from programs.web.university_search import UniversitySearchForm
from programs.web.xlsx_export import XLSX_CONTENT_TYPE, programme_workbook


def public_page(view):
    """A page that only reads: GET and HEAD, and 405 for any other method.

    Exempt from the CSRF check, which guards writes: these pages make none, and a POST should
    hear "method not allowed" (405), not "forbidden" (403).
    """
    return csrf_exempt(require_safe(view))


LIST_PAGE_SIZE = 20
MODULE_PAGE_SIZE = 100
UNIVERSITY_PAGE_SIZE = 50
# The compare chooser lists this many programmes to add (the best matches of its search).
COMPARE_CHOICES_SHOWN = 20
# The programme page lists this many of its latest changes; its feed and /changes/ hold more.
DETAIL_CHANGES_SHOWN = 20


def _list_page(queryset, number, per_page=LIST_PAGE_SIZE, count=None):
    """The requested page of `queryset`, evaluated, and a message when `number` was unusable.

    `count`, when the caller knows it already (from the cache), saves counting the rows again.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed
    notice = ""
    try:
        wanted = int(number) if number not in (None, "") else 1
    except ValueError:
        wanted = 1
        notice = gettext("The page number was not a number, so here is the first page.")
    if wanted < 1:
        wanted = 1
        notice = gettext("Pages are counted from 1, so here is the first page.")
    elif wanted > paginator.num_pages:
        notice = gettext(
            "There is no page %(wanted)s; these results end on page %(last)s, shown here."
        ) % {"wanted": wanted, "last": paginator.num_pages}
        wanted = paginator.num_pages
    page = paginator.page(wanted)
    # Evaluate here so the template runs no queries.
    page.object_list = list(page.object_list)
    return page, notice


def _page_links(page):
    """The page numbers to link to around `page`: 1 … 4 5 [6] 7 8 … 40 (Paginator.ELLIPSIS
    stands for the numbers left out)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


@public_page
@kept_for_visitors
def programme_list(request):
    """The published programmes that match the filters, 20 a page, with facet counts."""
    if not request.htmx and has_empty_parameter(request.GET):
        # A form sent without JavaScript names every field, the untouched ones empty: send the
        # browser on to the short address, which is the one to share (htmx pushes it itself).
        short = query_without_empty(request.GET)
        return HttpResponseRedirect(f"{request.path}?{short}" if short else request.path)
    filterset = ProgrammeFilter(
        request.GET, queryset=Programme.objects.published(), request=request
    )
    # Asked only of an empty list: a filter nothing can match is why it is empty.
    if filterset.is_valid() and not filterset.count():
        return list_page(request, filterset, {"cannot_match": filters_nothing_can_match(filterset)})
    return list_page(request, filterset)


def list_page(request, filterset, extra_context=None):
    """The list of the programmes `filterset` selects, a page of it or (to htmx) its results:
    for the live list above and an edition's (programs/web/edition_views.py)."""
    page, page_notice = _list_page(
        filterset.results(), request.GET.get("page"), count=filterset.count()
    )
    if page_notice or not filterset.is_plain_request():
        not_for_keeping(request)
    query = filterset.address_query()
    page_query = f"page={page.number}" if page.number > 1 else ""
    # This page of the list, as the address bar shows it: where a programme's "← Programmes"
    # leads back to.
    list_query = "&".join(filter(None, [query, page_query]))
    facets = filterset.facets()
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "shown": filterset.shown_values(),
        "facets": facets,
        # Someone finding an option of a long facet by name sees the filters unfolded.
        "finding": any(facet.find for facet in facets),
        "chips": filterset.chips(),
        "problems": filterset.problems(),
        "ects_unknown_count": filterset.ects_unknown_count(),
        "duration_unknown_count": filterset.duration_unknown_count(),
        "search_help": search_help(filterset, page.paginator.count),
        "page": page,
        "page_notice": page_notice,
        "query": query,
        # Only what the list applied: a value the page ignored would make the export a 400.
        "export_query": filterset.applied_query(),
        # The change log and its feed keep their own order (newest first).
        "changes_query": filterset.applied_query(without="sort"),
        "sort_choices": SORT_CHOICES,
        "export_limit": EXPORT_ROW_LIMIT,
        "page_links": _page_links(page),
        "back_query": list_query,
        **(extra_context or {}),
    }
    # History restores after a cache miss need the whole page, not the fragment.
    if request.htmx and not request.htmx.history_restore_request:
        # The short address (no empty fields) is what lands in the address bar and history;
        # the language switcher, sent again with the results, links to it in each language.
        context = {**context, "swap_filters": True, "language_query": list_query}
        response = render(request, "programs/_results.html", context)
        push_url(response, f"{request.path}?{list_query}" if list_query else request.path)
    else:
        response = render(request, "programs/programme_list.html", context)
    # The same address answers with a fragment or a page, so caches must tell them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _export_day(request):
    """The CSV's name holds the day: a copy from yesterday is not today's download."""
    return timezone.localdate().isoformat()


@public_page
@conditional(variant=_export_day)
def programme_export_csv(request):
    """The programmes the list's filters select, all of them, as a UTF-8 CSV download.

    Up to 10,000 rows cost a worker seconds at 100,000 programmes, so the file is kept per
    catalog revision, address and day (its name holds the date) in programs/web/downloads.py:
    the first download streams while it is recorded, later ones are a cache read. A kept file
    is looked up by the address as asked, before the filters are checked, which at that size
    costs more than sending the kept file.
    """
    return export_csv(
        request,
        lambda: ProgrammeFilter(
            request.GET, queryset=Programme.objects.published(), request=request
        ),
    )


def export_csv(request, make_filterset):
    """The CSV of the programmes the filter set `make_filterset()` makes selects (made only
    when no kept download answers): for the live list above and an edition's."""
    delimiter = requested_separator(request)
    if delimiter is None:
        return bad_separator()
    today = timezone.localdate()
    download = KeptDownload(request, "export", request.get_full_path(), EXPORT_ROW_LIMIT, today)
    kept = download.kept()
    if kept is not None:
        return download.response(kept, CSV_CONTENT_TYPE)
    filterset = make_filterset()
    if not filterset.is_valid():
        return _export_refused(filterset)
    filters = parse_qsl(filterset.applied_query(without="sort"))
    filename = export_filename(filters, today)
    headers = [("Content-Disposition", f'attachment; filename="{filename}"')]
    if request.method == "HEAD":
        response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    else:
        lines = programme_csv_lines(_rows_for_export(filterset), absolute_url, delimiter)
        # Streamed, so the first bytes leave at once and a worker's memory holds one chunk; the
        # byte order mark makes Excel read it as UTF-8 rather than the local code page.
        chunks = itertools.chain(["\ufeff"], lines)
        response = StreamingHttpResponse(
            download.recorded(chunks, headers), content_type=CSV_CONTENT_TYPE
        )
    for name, value in headers:
        response[name] = value
    return response


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@public_page
@conditional(variant=_export_day)
def programme_export_xlsx(request):
    """The CSV's programmes as an Excel workbook: typed cells, a frozen header, a legend."""
    return export_xlsx(
        request,
        lambda: ProgrammeFilter(
            request.GET, queryset=Programme.objects.published(), request=request
        ),
    )


def export_xlsx(request, make_filterset):
    """The workbook of the programmes `make_filterset()` selects: for the live list and an
    edition's. A zip can't be streamed a row at a time, so it is made whole and kept per
    catalog revision, address and day, as the CSV is."""
    today = timezone.localdate()
    download = KeptDownload(request, "xlsx", request.get_full_path(), EXPORT_ROW_LIMIT, today)
    kept = download.kept()
    if kept is None:
        filterset = make_filterset()
        if not filterset.is_valid():
            return _export_refused(filterset)
        filters = parse_qsl(filterset.applied_query(without="sort"))
        filename = export_filename(filters, today, "xlsx")
        body = programme_workbook(_rows_for_export(filterset), absolute_url, get_language())
        disposition = f'attachment; filename="{filename}"'
        kept = download.keep(body, [("Content-Disposition", disposition)])
    return download.response(kept, XLSX_CONTENT_TYPE)


def requested_separator(request):
    """The CSV separator the download's language or its `sep=` asks for; None for an unknown
    `sep`."""
    return csv_separator(get_language(), request.GET.get(SEPARATOR_PARAMETER))


def _export_refused(filterset):
    """A 400 naming each parameter a download can't be made with, for a CSV and a workbook."""
    lines = [f"{name}: {message}" for name, _, message in filterset.problems()]
    message = gettext("The export was not made because of these parameters:")
    message += "\n" + "\n".join(lines)
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")


def bad_separator():
    """The 400 for a `sep=` that names no separator, saying which ones there are."""
    message = gettext("The export was not made: sep= must be one of: %(choices)s.") % {
        "choices": ", ".join(SEPARATORS)
    }
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")


def _rows_for_export(filterset):
    """The programmes to export, read a chunk at a time.

    In the list's order, from the facet index where it knows it: the database then reads only
    each chunk's rows by id, so the download starts without sorting the catalog. (The index has
    read the database already, so one that is down gives the "briefly unavailable" page rather
    than a download cut off after its header.)"""
    ids = filterset.ids_in_order()
    if ids is not None:
        in_order = filterset.in_order(ids[:EXPORT_ROW_LIMIT], for_export=True)
        return in_order.in_chunks(EXPORT_CHUNK)
    programmes = filterset.qs.with_export_data()[:EXPORT_ROW_LIMIT].iterator(EXPORT_CHUNK)
    # The first chunk is read before the response starts, for the same reason.
    return itertools.chain(list(itertools.islice(programmes, 1)), programmes)


@public_page
def change_list(request):
    """The latest public changes of the published programmes the list's filters select, paged."""
    filterset = ProgrammeFilter(
        ProgrammeFilter.selection_only(request.GET),
        queryset=Programme.objects.published(),
        default_status=STATUS_ALL,
    )
    filterset.is_valid()
    changes = PublicChange.objects.of_programmes(filterset.qs).for_display()
    page, page_notice = _list_page(changes, request.GET.get("page"))
    query = filterset.applied_query()
    context = {
        "page": page,
        "page_notice": page_notice,
        "chips": filterset.chips(),
        "problems": filterset.problems(),
        "query": query,
        "feed_url": reverse("programs:change-feed") + (f"?{query}" if query else ""),
        "follow_url": reverse("programs:search-follow") + (f"?{query}" if query else ""),
    }
    return render(request, "programs/change_list.html", context)


@public_page
@kept_for_visitors
def programme_detail(request, slug):
    """One programme with every stored fact; drafts only for staff who may edit them."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).with_detail_data().with_latest_public_facts(),
        slug=slug,
    )
    given_from = request.GET.getlist("from")
    back_query = list_query_from(given_from[-1] if given_from else "")
    # Kept only for the bare address and the list's links to it (one `from`, as the list writes
    # it): anything else a made-up address carries would be one more page in the cache.
    as_the_list_links = request.GET.keys() == {"from"} and given_from == [back_query] != [""]
    if request.GET and not as_the_list_links:
        not_for_keeping(request)
    # The programme in each catalog edition (none before the first edition is opened).
    # Its public facts come with it, so the links' summaries cost no query of their own.
    links = (
        editions_of(programme.uuid, programme.slug, live_facts=programme.latest_public_facts)
        if programme.published
        else []
    )
    return programme_page(request, programme, back_query, {"edition_links": links})


def programme_page(request, programme, back_query="", extra_context=None, changes=None):
    """The programme's public page, rendered: for its address above, for a proposal's preview
    (programs/web/proposal_preview.py), which must look exactly like it, and for an archived
    edition (programs/web/edition_views.py), which passes the changes its page listed then.
    `programme` comes from Programme.objects.with_detail_data() or an edition's frozen graph."""
    url = absolute_url(programme.get_absolute_url())
    plan = semester_plan(programme)
    if changes is None:
        changes = list(
            PublicChange.objects.filter(programme=programme)
            .defer("snapshot")
            .order_by("-changed_at", "-pk")[: DETAIL_CHANGES_SHOWN + 1]
        )
    context = {
        "programme": programme,
        "changes": changes[:DETAIL_CHANGES_SHOWN],
        "earlier_changes": len(changes) > DETAIL_CHANGES_SHOWN,
        "facts": key_facts(programme),
        # The title and universities as the <title> and the heading show them, marked when
        # inferred; and the description of the page's parts that hold something.
        "brief": programme_card(programme, ()),
        "description": programme_description(programme),
        "plan": plan,
        "every_module_named": every_counted_module_named(plan),
        "tracks_heading": tracks_heading(programme.tracks.all()),
        "module_groups": other_module_groups(programme),
        "career_groups": career_groups(programme),
        "jsonld": jsonld.script_tag(jsonld.educational_occupational_program(programme, url)),
        "canonical_url": url,
        # The list the reader came from (its filters and page), for "← Programmes".
        "back_query": back_query,
        **(extra_context or {}),
    }
    return render(request, "programs/programme_detail.html", context)


@public_page
def compare(request):
    """Two to four published programmes side by side, or a chooser when fewer are named."""
    if "p" not in request.GET and compare_selection.chosen(request):
        # The Compare menu link opens the visitor's choice, at an address they can share.
        back_query = list_query_from(request.GET.get("from", ""))
        return redirect(
            compare_selection.compare_url(compare_selection.chosen(request), back_query)
        )
    selection = CompareSelection.from_values(request.GET.getlist("p"))
    found = {}
    if selection.slugs:
        programmes = Programme.objects.published().filter(slug__in=selection.slugs)
        found = {programme.slug: programme for programme in programmes.with_compare_data()}
    chosen = [found[slug] for slug in selection.slugs if slug in found]
    chosen_slugs = [programme.slug for programme in chosen[:MAX_COMPARED]]
    columns = [
        {
            "programme": programme,
            # Its title as a fact: marked in the column's heading when inferred.
            "title": title_fact(programme),
            # What stays chosen when this column is removed.
            "remaining": [slug for slug in chosen_slugs if slug != programme.slug],
        }
        for programme in chosen[:MAX_COMPARED]
    ]
    back_query = list_query_from(request.GET.get("from", ""))
    find_form = CompareFindForm(request.GET)
    choices = []
    if len(columns) < MAX_COMPARED:  # the chooser is offered while a programme can be added
        find = find_form.cleaned_data["find"] if find_form.is_valid() else ""
        # One more than shown, to know whether there are others to find.
        # A retired programme is compared when named, but never offered to be added.
        choices = (
            Programme.objects.published()
            .admitting()
            .compare_candidates(find, chosen_slugs, COMPARE_CHOICES_SHOWN + 1)
        )
    rows = comparison_rows([column["programme"] for column in columns])
    # "Only differences" is part of the address (a link, not a script's switch), so an advisor
    # can send the short version and it works without JavaScript; any other value shows all.
    only_differences = request.GET.get("differences") == "only"
    context = {
        "columns": columns,
        "rows": [row for row in rows if row.differs] if only_differences else rows,
        "only_differences": only_differences,
        "same_rows": sum(1 for row in rows if not row.differs),
        "all_facts_url": compare_selection.compare_url(chosen_slugs, back_query),
        "differences_url": compare_selection.compare_url(chosen_slugs, back_query)
        + "&differences=only",
        "chosen_slugs": chosen_slugs,
        "left_out": chosen[MAX_COMPARED:],
        "not_found": [slug for slug in selection.slugs if slug not in found] + selection.malformed,
        "max_compared": MAX_COMPARED,
        "choices": choices[:COMPARE_CHOICES_SHOWN],
        "more_choices": len(choices) > COMPARE_CHOICES_SHOWN,
        "find_form": find_form,
        # The address to share: these programmes, without the list the reader came from.
        "share_url": absolute_url(compare_selection.compare_url(chosen_slugs)),
        "back_query": back_query,
    }
    return render(request, "programs/compare.html", context)


@public_page
def university_list(request):
    """The universities offering published programmes, found by name and country, 50 a page,
    with how many each offers and how many universities each country has."""
    if has_empty_parameter(request.GET):
        # A form sent without JavaScript names its untouched fields empty: the short address.
        short = query_without_empty(request.GET)
        return HttpResponseRedirect(f"{request.path}?{short}" if short else request.path)
    form = UniversitySearchForm(request.GET)
    words, country = form.search()
    matching = University.objects.public()
    if words:
        matching = matching.named(words)
    # Counted before the country is chosen, so each country says what choosing it would give.
    per_country = matching.country_counts()
    if country:
        matching = matching.filter(country=country)
        per_country.setdefault(country, 0)
    # The countries' counts say how many universities match: no count of its own.
    count = per_country[country] if country else sum(per_country.values())
    page, page_notice = _list_page(
        matching.order_by("name", "pk"), request.GET.get("page"), UNIVERSITY_PAGE_SIZE, count
    )
    # Counted for the page's rows only, once they are known.
    shown = University.objects.filter(pk__in=[university.pk for university in page])
    counts = shown.published_programme_counts()
    countries = sorted(
        ((code, names.country_name(code), count) for code, count in per_country.items()),
        key=lambda country: names.sort_key(country[1]),
    )
    context = {
        "form": form,
        "words": words,
        "country": country,
        "countries": countries,
        "page": page,
        "page_notice": page_notice,
        "page_links": _page_links(page),
        "page_query": urlencode([(k, v) for k, v in (("q", words), ("country", country)) if v]),
        "rows": [
            (university, location(university), counts.get(university.pk, 0)) for university in page
        ],
    }
    return render(request, "programs/university_list.html", context)


@public_page
def university_detail(request, slug):
    """One university's facts and the published programmes it offers, with its role in each."""
    university = get_object_or_404(
        University.objects.public().with_published_programmes(), slug=slug
    )
    context = {
        "university": university,
        "location": location(university),
        "programmes": offered_programmes(university),
    }
    return render(request, "programs/university_detail.html", context)


@public_page
def module_list(request):
    """Modules of published programmes matching `q`, grouped by programme, 100 a page (the
    first 1,000 of them)."""
    form = ModuleSearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else None
    matches = PublishedMatches(text) if text is not None else PublishedMatches.none()
    # Counting two million matches would cost seconds: the pages end after the first
    # MODULE_SEARCH_MAX_SHOWN, and the page says when more match.
    found = matches.count_up_to(MODULE_SEARCH_MAX_SHOWN + 1)
    page, page_notice = _list_page(
        matches,
        request.GET.get("page"),
        MODULE_PAGE_SIZE,
        count=min(found, MODULE_SEARCH_MAX_SHOWN),
    )
    context = {
        "form": form,
        "page": page,
        "page_notice": page_notice,
        "page_links": _page_links(page),
        "page_query": urlencode({"q": text}) if text else "",
        "more_than": MODULE_SEARCH_MAX_SHOWN if found > MODULE_SEARCH_MAX_SHOWN else None,
    }
    return render(request, "programs/module_list.html", context)


@public_page
def robots_txt(request):
    """Where search engines may go: not the admin, shortlists or downloads; and the sitemap."""
    # The same in every language: English unprefixed, the others under /de/, /it/, /sv/.
    prefixes = ["", *(f"/{code}" for code in LANGUAGE_CODES if code != settings.LANGUAGE_CODE)]
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}/admin/" for prefix in prefixes),
        *(f"Disallow: {prefix}/shortlist/" for prefix in prefixes),
        *(f"Disallow: {prefix}/programmes/export.csv" for prefix in prefixes),
        # Any other export, such as a shared shortlist's (`*` is understood by the big engines).
        "Disallow: /*/export.csv",
        # The language switcher's links only redirect to pages the sitemap lists.
        "Disallow: /language/",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
@public_page
def healthz(request):
    """Readiness: 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "not answering"}, status=503)
    return JsonResponse({"status": "ok"})


# How long a client should wait before trying again while the database is unreachable.
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """The 500 page; or, when the database can't be reached, 503 "briefly unavailable".

    Django calls this (handler500) for any error a view or middleware did not handle, inside the
    `except` block, so the error is still at hand. The 503 page is rendered without a request
    context: nothing in it may touch the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request)
