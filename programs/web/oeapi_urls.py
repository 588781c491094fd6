"""The Open Education API's addresses, under /api/oeapi/v6/ (catalog/urls.py): OEAPI's paths
for the operations programs/web/oeapi_views.py serves, its ids as UUIDs, and a problem-details
404 for every other address under it."""

import re

from django.urls import path, re_path

from programs.web import oeapi_views

app_name = "oeapi"


def _route(oeapi_path):
    """OEAPI's "/programmes/{programmeId}" as a Django route: "programmes/<uuid:programme_id>"."""
    return re.sub(
        r"\{(\w+)Id\}",
        lambda match: f"<uuid:{match[1]}_id>",
        oeapi_path.lstrip("/"),
    )


urlpatterns = [
    path("openapi.json", oeapi_views.openapi_document, name="openapi-document"),
    path("", oeapi_views.service, name="service"),
    *(
        path(_route(oeapi_path), view, name=view.__name__.replace("_", "-"))
        for oeapi_path, view in oeapi_views.OPERATIONS.items()
        if oeapi_path != "/"
    ),
    # Last: an id that is no UUID, or an operation not served (persons, rooms ...).
    re_path(r"^(?P<rest>.*)$", oeapi_views.unknown_operation, name="unknown-operation"),
]
