from django.urls import path, register_converter

from programs.visitors.shortlists import TOKEN_PATTERN
from programs.web import (
    compare_views,
    edition_views,
    feeds,
    follow_views,
    shortlist_views,
    views,
)
from programs.web.harvesting import for_harvesters

app_name = "programs"


class TokenConverter:
    """A shortlist link's token: exactly what secrets.token_urlsafe(32) makes."""

    regex = TOKEN_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")
register_converter(edition_views.EditionConverter, "edition")

urlpatterns = [
    path("", views.programme_list, name="home"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/export.csv", views.programme_export_csv, name="programme-export"),
    path("programmes/export.xlsx", views.programme_export_xlsx, name="programme-export-xlsx"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme-detail"),
    path(
        "programmes/<slug:slug>/changes.atom",
        views.public_page(for_harvesters(feeds.ProgrammeChangeFeed(), **feeds.HARVESTED_AS)),
        name="programme-change-feed",
    ),
    path("programmes/<slug:slug>/follow/", follow_views.programme_follow, name="programme-follow"),
    path("editions/", edition_views.edition_list, name="edition-list"),
    path("editions/<edition:edition>/", edition_views.edition_home, name="edition-home"),
    path(
        "editions/<edition:edition>/programmes/",
        edition_views.edition_programme_list,
        name="edition-programme-list",
    ),
    path(
        "editions/<edition:edition>/programmes/export.csv",
        edition_views.edition_programme_export_csv,
        name="edition-programme-export",
    ),
    path(
        "editions/<edition:edition>/programmes/export.xlsx",
        edition_views.edition_programme_export_xlsx,
        name="edition-programme-export-xlsx",
    ),
    path(
        "editions/<edition:edition>/programmes/<slug:slug>/",
        edition_views.edition_programme_detail,
        name="edition-programme-detail",
    ),
    path("universities/", views.university_list, name="university-list"),
    path("universities/<slug:slug>/", views.university_detail, name="university-detail"),
    path("compare/", views.compare, name="compare"),
    path("compare/add/", compare_views.add, name="compare-add"),
    path("compare/remove/", compare_views.remove, name="compare-remove"),
    path("compare/choose/", compare_views.choose, name="compare-choose"),
    path("modules/", views.module_list, name="module-list"),
    path("changes/", views.change_list, name="change-list"),
    path(
        "changes/feed.atom",
        views.public_page(for_harvesters(feeds.CatalogChangeFeed(), **feeds.HARVESTED_AS)),
        name="change-feed",
    ),
    path("changes/follow/", follow_views.search_follow, name="search-follow"),
    path("alerts/confirm/<str:token>/", follow_views.confirm_alert, name="alert-confirm"),
    path(
        "alerts/unsubscribe/<str:token>/",
        follow_views.unsubscribe_alert,
        name="alert-unsubscribe",
    ),
    path("shortlist/", shortlist_views.shortlist_page, name="shortlist"),
    path("shortlist/export.csv", shortlist_views.own_export_csv, name="shortlist-export"),
    path("shortlist/add/", shortlist_views.add, name="shortlist-add"),
    path("shortlist/remove/", shortlist_views.remove, name="shortlist-remove"),
    path("shortlist/note/", shortlist_views.note, name="shortlist-note"),
    path("shortlist/move/", shortlist_views.move, name="shortlist-move"),
    path("shortlist/clear/", shortlist_views.clear, name="shortlist-clear"),
    path("shortlist/share/", shortlist_views.share, name="shortlist-share"),
    path("shortlist/share/revoke/", shortlist_views.revoke, name="shortlist-revoke"),
    path("shortlist/edit-link/", shortlist_views.edit_link, name="shortlist-edit-link"),
    path(
        "shortlist/edit/<token:token>/",
        shortlist_views.open_edit_link,
        name="shortlist-edit-link-open",
    ),
    path("shortlist/<token:token>/", shortlist_views.shared, name="shortlist-shared"),
    path(
        "shortlist/<token:token>/export.csv",
        shortlist_views.shared_export_csv,
        name="shortlist-shared-export",
    ),
    path("shortlist/<token:token>/copy/", shortlist_views.copy, name="shortlist-copy"),
]
