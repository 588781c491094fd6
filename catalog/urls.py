from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from programs.staff.admin import view_on_site
from programs.web import harvest_views, sitemaps
from programs.web.languages import switch_language
from programs.web.proposal_preview import proposal_preview
from programs.web.views import healthz, public_page, robots_txt


class FaviconRedirect(RedirectView):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): the site's SVG icon.
    Temporary, since the icon's hashed static address changes with each deploy."""

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


# The same addresses in every language for machines: health probes, robots and sitemaps.
urlpatterns = [
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("language/<str:code>/", switch_language, name="switch-language"),
    path("robots.txt", robots_txt, name="robots-txt"),
    # An index of one sitemap per kind of page, each split into pages of 10,000 addresses, kept
    # per catalog revision (programs/web/sitemaps.py).
    path("sitemap.xml", public_page(sitemaps.index), name="sitemap"),
    path("sitemap-<section>.xml", public_page(sitemaps.section), name="sitemap-section"),
    # For harvesters: what changed and what left the catalog since a moment
    # (programs/web/harvest_views.py).
    path("api/changes", harvest_views.changes_since, name="api-changes"),
    # Each university's programmes in the European Learning Model (programs/web/elm_urls.py).
    path("api/elm/", include("programs.web.elm_urls")),
    # The Open Education API 6.0, read-only: one address for machines, whatever their language.
    path("api/oeapi/v6/", include("programs.web.oeapi_urls")),
]

# The pages people read: English at today's addresses, German, Italian and Swedish under /de/,
# /it/ and /sv/ (the admin too, so staff can work in their language).
urlpatterns += i18n_patterns(
    # Ahead of the admin's own, which would reveal where any programme lives.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="view-on-site",
    ),
    # A proposal's preview of the public page, for staff only: a public page's view, so it is
    # programs/web's, at an address beside the proposal's own admin page.
    path(
        "admin/programs/proposal/<int:proposal_id>/preview/",
        admin.site.admin_view(proposal_preview),
        name="proposal-preview",
    ),
    path("admin/", admin.site.urls),
    path("", include("programs.web.urls")),
    prefix_default_language=False,
)

# Any unhandled error: the site's own 500 page, or 503 while the database is unreachable.
handler500 = "programs.web.views.server_error"
