"""Public pages: thin views that pick a queryset, apply the filter and render."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from programs.models import Programme


@require_GET
def programme_list(request):
    """The published programmes."""
    programmes = Programme.objects.published().with_listing_data()
    return render(request, "programs/programme_list.html", {"programmes": programmes})


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
