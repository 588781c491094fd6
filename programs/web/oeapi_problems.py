"""The Open Education API's errors: problem details (RFC 9457, application/problem+json) as
its document describes them, and its versioning by the Accept header."""

from http import HTTPStatus

from django.http import JsonResponse
from django.utils.encoding import escape_uri_path

from programs.core.site_address import absolute_url

PROBLEM_CONTENT_TYPE = "application/problem+json"

# The OEAPI versions the catalog serves. A client names one in the Accept header's `version`
# parameter ("application/json;version=6.0"); any minor version of the same major is served
# (OEAPI's minor versions are compatible both ways), another major is refused with 406.
SUPPORTED_VERSIONS = ("6.0",)


class BadParameter(Exception):
    """A query parameter the API can't use: answered 400 with this message."""


def problem(request, status, detail, **more):
    """A problem-details response: `type` about:blank, so its `title` is the status's phrase."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        # The address without its query, which could run past the 2,048 characters allowed.
        "instance": absolute_url(escape_uri_path(request.path)),
        **more,
    }
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def requested_version(request):
    """The OEAPI version the Accept header asks for, or None when it names none."""
    for media_range in request.headers.get("Accept", "").split(","):
        for parameter in media_range.split(";")[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "version":
                return value.strip().strip('"')
    return None


def version_refused(request):
    """A 406 problem when the Accept header asks for a version the catalog can't serve, else
    None."""
    version = requested_version(request)
    majors = {supported.split(".")[0] for supported in SUPPORTED_VERSIONS}
    if version is None or version.split(".")[0] in majors:
        return None
    return problem(
        request,
        HTTPStatus.NOT_ACCEPTABLE,
        f"The requested OEAPI version '{version}' cannot be served.",
        requestedVersion=version,
        supportedVersions=list(SUPPORTED_VERSIONS),
    )
