"""The European Learning Model export over HTTP: a university's file and its report.

Plain views returning the bytes `programs.display.elm` makes, the same `export_elm` writes,
kept per catalog revision and revalidated with ETag / Last-Modified like every export
(programs/web/harvesting.py).
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from programs.display import elm
from programs.models import University
from programs.web.harvesting import for_harvesters
from programs.web.views import public_page

JSON_LD = "application/ld+json"


def _public_university(slug):
    # A university offering nothing published has no file, as it has no page.
    return get_object_or_404(University.objects.public(), slug=slug)


@public_page
@for_harvesters
def university_file(request, slug):
    """The university's published programmes as ELM learning opportunities (JSON-LD)."""
    export = elm.export(_public_university(slug))
    return HttpResponse(elm.as_bytes(export.document), content_type=JSON_LD)


@public_page
@for_harvesters
def university_report(request, slug):
    """Which of the university's programmes its ELM file leaves out, and the missing property."""
    export = elm.export(_public_university(slug))
    return HttpResponse(elm.as_bytes(export.report), content_type="application/json")
