from django.contrib import admin
from django.urls import include, path

from programs.admin import view_on_site
from programs.views import healthz

urlpatterns = [
    # Ahead of the admin's own, which would reveal where any programme lives.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="view-on-site",
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("programs.urls")),
]

# Any unhandled error: the site's own 500 page, or 503 while the database is unreachable.
handler500 = "programs.views.server_error"
