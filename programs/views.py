"""Public pages: thin views that pick a queryset, apply the filter and render."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from programs import jsonld
from programs.curriculum import other_module_groups, semester_plan
from programs.facts import career_groups, comparison_rows, key_facts
from programs.forms import MAX_COMPARED, CompareSelection, ModuleSearchForm
from programs.models import Module, Programme, University


@require_GET
def programme_list(request):
    """The published programmes."""
    programmes = Programme.objects.published().with_listing_data()
    return render(request, "programs/programme_list.html", {"programmes": programmes})


@require_GET
def programme_detail(request, slug):
    """One programme with every stored fact; drafts only for staff who may edit them."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user).with_detail_data(), slug=slug
    )
    url = request.build_absolute_uri(programme.get_absolute_url())
    context = {
        "programme": programme,
        "facts": key_facts(programme),
        "plan": semester_plan(programme),
        "module_groups": other_module_groups(programme),
        "career_groups": career_groups(programme),
        "jsonld": jsonld.script_tag(jsonld.educational_occupational_program(programme, url)),
    }
    return render(request, "programs/programme_detail.html", context)


def _compare_url(slugs):
    """The compare page's address for these programme slugs."""
    query = urlencode([("p", slug) for slug in slugs])
    return reverse("programs:compare") + (f"?{query}" if query else "")


@require_GET
def compare(request):
    """Two to four published programmes side by side, or a chooser when fewer are named."""
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
            "remove_url": _compare_url([slug for slug in chosen_slugs if slug != programme.slug]),
        }
        for programme in chosen[:MAX_COMPARED]
    ]
    context = {
        "columns": columns,
        "rows": comparison_rows([column["programme"] for column in columns]),
        "chosen_slugs": chosen_slugs,
        "left_out": chosen[MAX_COMPARED:],
        "not_found": [slug for slug in selection.slugs if slug not in found] + selection.malformed,
        "max_compared": MAX_COMPARED,
        "choices": Programme.objects.published().only("slug", "title").order_by("title", "pk"),
    }
    return render(request, "programs/compare.html", context)


@require_GET
def university_list(request):
    """The universities offering published programmes, with how many each offers."""
    universities = University.objects.public().with_published_programme_count()
    return render(request, "programs/university_list.html", {"universities": universities})


@require_GET
def university_detail(request, slug):
    """One university's facts and the published programmes it offers, with its role in each."""
    university = get_object_or_404(
        University.objects.public().with_published_programmes(), slug=slug
    )
    return render(request, "programs/university_detail.html", {"university": university})


@require_GET
def module_list(request):
    """Modules of published programmes matching `q`, grouped by programme, 100 a page."""
    form = ModuleSearchForm(request.GET)
    modules = Module.objects.none()
    if form.is_valid():
        modules = Module.objects.published().search(form.cleaned_data["q"].strip())
    page = Paginator(modules.with_programme_data(), 100).get_page(request.GET.get("page"))
    return render(request, "programs/module_list.html", {"form": form, "page": page})


@never_cache
@require_GET
def healthz(request):
    """Readiness: 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "not answering"}, status=503)
    return JsonResponse({"status": "ok"})
