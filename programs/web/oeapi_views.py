"""The Open Education API 6.0, read-only: the catalog's published programmes, their modules
(courses), intakes (programme offerings) and universities (organisations).

Each view picks a queryset, applies the OEAPI filters (programs/web/oeapi_parameters.py) and
returns the resources programs/display/oeapi/ builds, as plain JSON. Only what the public sees
is served: published programmes, the modules of published programmes, and the universities that
offer at least one published programme (as /universities/ lists them); anything else is 404, as
an id nobody has.
"""

from functools import wraps
from http import HTTPStatus
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from programs.core.site_address import absolute_url
from programs.display.oeapi.courses import course
from programs.display.oeapi.offerings import intakes, offering
from programs.display.oeapi.organisations import ORGANISATION_TYPE, organisation
from programs.display.oeapi.programmes import PROGRAMME_TYPE, QUALIFICATIONS, programme
from programs.models import Module, Programme, University
from programs.web import oeapi_document
from programs.web import oeapi_parameters as parameters
from programs.web.harvesting import for_harvesters
from programs.web.oeapi_parameters import Page
from programs.web.oeapi_problems import BadParameter, problem, version_refused

# What a client may ask to expand, per operation, as OEAPI lists it. The catalog fills in those
# it holds (a programme's organisation, a course's programmes); the others name things it doesn't
# keep (coordinators, parent programmes ...) and add nothing.
PROGRAMME_EXPANDS = ("parent", "children", "coordinators", "instructors", "organisation")
COURSE_EXPANDS = ("programmes", "coordinators", "instructors", "organisation")
ORGANISATION_EXPANDS = ("parent", "children")

# Filters on facts the catalog holds for no programme, course or offering (see
# programs/web/oeapi_parameters.py): asked for, they match nothing.
PROGRAMME_FACTS_NOT_HELD = ("levelOfQualification", "fieldsOfStudy")
COURSE_FACTS_NOT_HELD = ("teachingLanguage", "level", "modeOfDelivery")
OFFERING_FACTS_NOT_HELD = ("state", "modeOfStudy", "resultExpected")

_LEVELS = {qualification: level for level, qualification in QUALIFICATIONS.items()}

# The fields a Course reads, from the module, its programme and its track.
_COURSE_FIELDS = (
    "uuid",
    "title",
    "kind",
    "semester",
    "year",
    "ects",
    "description",
    "inferred_because",
    "programme__uuid",
    "track__name",
)


def operation(view):
    """An OEAPI operation: GET and HEAD only (405 otherwise: the API is read-only, so no CSRF
    check either), 406 for an OEAPI version the catalog doesn't serve, 400 for a parameter it
    can't use; every error as problem details. What it serves has an ETag and Last-Modified,
    a copy a harvester holds is answered 304, and a 200 is kept per catalog revision
    (programs/web/harvesting.py); after the version check, so no 304 answers a version refused.
    """

    @for_harvesters(vary=("Accept",))
    @wraps(view)
    def read(request, *args, **kwargs):
        try:
            return view(request, request.GET, *args, **kwargs)
        except BadParameter as error:
            return problem(request, HTTPStatus.BAD_REQUEST, str(error))

    @csrf_exempt
    @wraps(view)
    def answer(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = problem(
                request,
                HTTPStatus.METHOD_NOT_ALLOWED,
                f"The method {request.method} is not supported: the API is read-only.",
            )
            response["Allow"] = "GET, HEAD"
            return response
        refused = version_refused(request)
        if refused:
            return refused
        return read(request, *args, **kwargs)

    return answer


def _not_found(request, kind, identifier):
    return problem(request, HTTPStatus.NOT_FOUND, f"No {kind} has the id '{identifier}'.")


def _paged(params, rows, build, count=None):
    """The page `params` ask for of `rows` (a queryset, or a list), each item built by `build`."""
    page = Page.from_query(params)
    count = len(rows) if count is None else count
    return JsonResponse(page.envelope(count, [build(row) for row in page.of(rows, count)]))


def _paged_queryset(params, queryset, build):
    # Checked before counting, so a bad page is refused without touching the database.
    Page.from_query(params)
    return _paged(params, queryset, build, count=queryset.count())


# Programmes


def _programmes(queryset, params):
    """`queryset` filtered as OEAPI's programme filters ask."""
    code = parameters.identifier(params)
    if code is not None:
        queryset = queryset.filter(uuid=code) if code else queryset.none()
    if params.get("q"):
        queryset = queryset.search(params["q"])
    language = parameters.language_code(params)
    if language is not None:
        queryset = queryset.taught_in([language]) if language else queryset.none()
    if "programmeType" in params and params["programmeType"] != PROGRAMME_TYPE:
        queryset = queryset.none()
    if "qualificationAwarded" in params:
        level = _LEVELS.get(params["qualificationAwarded"])
        queryset = queryset.at_stated_level(level) if level else queryset.none()
    if parameters.asks_for_any(params, PROGRAMME_FACTS_NOT_HELD):
        queryset = queryset.none()
    # By name, as OEAPI orders programmes; the slug breaks ties (the published-title index).
    return queryset.with_oeapi_data().order_by("title", "slug")


def _published_programme(identifier):
    """The published programme with this UUID, or None."""
    return Programme.objects.published().filter(uuid=identifier).first()


@operation
def programme_list(request, params):
    """GET /programmes: the published programmes, by name."""
    return _paged_queryset(params, _programmes(Programme.objects.published(), params), programme)


@operation
def programme_detail(request, params, programme_id):
    """GET /programmes/{programmeId}: one published programme."""
    expand = parameters.expansions(params, PROGRAMME_EXPANDS)
    found = Programme.objects.published().with_oeapi_data().filter(uuid=programme_id).first()
    if found is None:
        return _not_found(request, "programme", programme_id)
    return JsonResponse(programme(found, expand=expand))


@operation
def programme_courses(request, params, programme_id):
    """GET /programmes/{programmeId}/courses: the programme's modules, in its own order."""
    found = _published_programme(programme_id)
    if found is None:
        return _not_found(request, "programme", programme_id)
    modules = _courses(Module.objects.filter(programme=found), params)
    return _paged_queryset(params, modules.order_by("position", "title", "pk"), course)


@operation
def programme_children(request, params, programme_id):
    """GET /programmes/{programmeId}/programmes: always an empty page.

    OEAPI's nested programmes are programmes of their own (a track or specialisation with its
    own id, name, qualification and offerings, served at /programmes/{id} too). A track in the
    catalog is not: it is a path inside its programme (a starting track, an elective area), with
    no admission, award or intake of its own, and no stable identifier, since a programme's
    parts are written anew with each version. So no programme has nested programmes here.
    """
    if _published_programme(programme_id) is None:
        return _not_found(request, "programme", programme_id)
    _programmes(Programme.objects.none(), params)  # its parameters are checked all the same
    return _paged(params, [], programme)


@operation
def programme_offerings(request, params, programme_id):
    """GET /programmes/{programmeId}/programme-offerings: the programme's intakes, in the
    order they start.

    The catalog knows no intake's start moment, so `since` and `until` are checked but select
    nothing: every intake the source states is listed.
    """
    found = Programme.objects.published().with_oeapi_data().filter(uuid=programme_id).first()
    if found is None:
        return _not_found(request, "programme", programme_id)
    parameters.moment(params, "since")
    parameters.moment(params, "until")
    parameters.boolean(params, "resultExpected")
    # A retired programme admits no one: none of its intakes is offered any more.
    items = [] if found.retired else [offering(found, intake) for intake in intakes(found)]
    language = parameters.language_code(params)
    if language is not None:
        items = [item for item in items if language in item.get("teachingLanguages", ())]
    if params.get("q"):
        words = params["q"].casefold()
        items = [item for item in items if words in item["name"][0]["value"].casefold()]
    if parameters.asks_for_any(params, OFFERING_FACTS_NOT_HELD):
        items = []
    return _paged(params, items, lambda item: item)


# Courses


def _courses(queryset, params):
    """`queryset` (modules) filtered as OEAPI's course filters ask, with what a Course reads."""
    code = parameters.identifier(params)
    if code is not None:
        queryset = queryset.filter(uuid=code) if code else queryset.none()
    if params.get("q"):
        queryset = queryset.search(params["q"])
    parameters.language_code(params)  # checked, though no module states a language of its own
    if parameters.asks_for_any(params, COURSE_FACTS_NOT_HELD):
        queryset = queryset.none()
    return queryset.select_related("programme", "track").only(*_COURSE_FIELDS)


@operation
def course_list(request, params):
    """GET /courses: the modules of the published programmes, by name."""
    modules = _courses(Module.objects.published(), params)
    return _paged_queryset(params, modules.order_by("title", "uuid"), course)


@operation
def course_detail(request, params, course_id):
    """GET /courses/{courseId}: one module of a published programme."""
    expand = parameters.expansions(params, COURSE_EXPANDS)
    found = _courses(Module.objects.published(), {}).filter(uuid=course_id).first()
    if found is None:
        return _not_found(request, "course", course_id)
    resource = course(found)
    if "programmes" in expand:
        programmes = Programme.objects.with_oeapi_data().filter(pk=found.programme_id)
        resource["programmes"] = [programme(row) for row in programmes]
    return JsonResponse(resource)


# Organisations


def _organisations(queryset, params):
    code = parameters.identifier(params)
    if code is not None:
        queryset = queryset.filter(uuid=code) if code else queryset.none()
    if params.get("q"):
        text = params["q"]
        queryset = queryset.filter(name__icontains=text) | queryset.filter(
            short_name__icontains=text
        )
    if "organisationType" in params and params["organisationType"] != ORGANISATION_TYPE:
        queryset = queryset.none()
    return queryset


@operation
def organisation_list(request, params):
    """GET /organisations: the universities offering a published programme, by name."""
    universities = _organisations(University.objects.public(), params)
    return _paged_queryset(params, universities.order_by("name", "pk"), organisation)


@operation
def organisation_detail(request, params, organisation_id):
    """GET /organisations/{organisationId}: one university offering a published programme."""
    parameters.expansions(params, ORGANISATION_EXPANDS)
    found = University.objects.public().filter(uuid=organisation_id).first()
    if found is None:
        return _not_found(request, "organisation", organisation_id)
    return JsonResponse(organisation(found))


@operation
def organisation_programmes(request, params, organisation_id):
    """GET /organisations/{organisationId}/programmes: the published programmes the
    university offers, alone or jointly, by name."""
    found = University.objects.public().filter(uuid=organisation_id).first()
    if found is None:
        return _not_found(request, "organisation", organisation_id)
    offered = Programme.objects.published().filter(offerings__university=found)
    return _paged_queryset(params, _programmes(offered, params), programme)


# The service


def _reference(path):
    """An OEAPI path as the URI reference the service root gives: its braces, which a URI can't
    hold, percent-encoded ("/programmes/%7BprogrammeId%7D")."""
    return quote(path, safe="/")


@operation
def service(request, params):
    """GET /: who runs the service, where its OpenAPI document is, which operations it serves."""
    body = {
        "contactEmail": settings.OEAPI_CONTACT_EMAIL,
        "specification": absolute_url(reverse("oeapi:openapi-document")),
        "documentation": "https://openonderwijsapi.nl/v6.0/",
        "supportedOperations": [
            {"verbs": ["GET"], "path": _reference(path)} for path in OPERATIONS
        ],
        "supportedExpands": [
            {"expandableObjects": list(objects), "path": _reference(path)}
            for path, objects in SERVED_EXPANDS.items()
        ],
    }
    # No contact address configured: left out, never made up (README, "Open data API").
    return JsonResponse({key: value for key, value in body.items() if value})


@operation
def openapi_document(request, params):
    """GET /openapi.json: OEAPI's own document, restricted to the operations served here."""
    served = oeapi_document.served(OPERATIONS, absolute_url(reverse("oeapi:service")))
    return HttpResponse(served, content_type="application/json")


@operation
def unknown_operation(request, params, rest=""):
    """Any other address under the API: an operation the catalog doesn't serve (persons,
    enrolments, rooms ...), 404 as problem details."""
    return problem(
        request,
        HTTPStatus.NOT_FOUND,
        "The catalog does not serve this operation; the service root lists those it does.",
    )


# The operations served, by their path in OEAPI's document: the service root lists them, the
# served OpenAPI document keeps them, and programs/web/oeapi_urls.py routes them.
OPERATIONS = {
    "/": service,
    "/programmes": programme_list,
    "/programmes/{programmeId}": programme_detail,
    "/programmes/{programmeId}/courses": programme_courses,
    "/programmes/{programmeId}/programmes": programme_children,
    "/programmes/{programmeId}/programme-offerings": programme_offerings,
    "/courses": course_list,
    "/courses/{courseId}": course_detail,
    "/organisations": organisation_list,
    "/organisations/{organisationId}": organisation_detail,
    "/organisations/{organisationId}/programmes": organisation_programmes,
}

# The expansions that add something here, in OEAPI's words (its `expandableObjects`).
SERVED_EXPANDS = {
    "/programmes/{programmeId}": ("organisation",),
    "/courses/{courseId}": ("programmes",),
}
