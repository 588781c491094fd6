from django.urls import path
from django.views.decorators.http import require_safe

from programs import feeds, views

app_name = "programs"

urlpatterns = [
    path("", views.programme_list, name="home"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/export.csv", views.programme_export_csv, name="programme-export"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme-detail"),
    path(
        "programmes/<slug:slug>/changes.atom",
        require_safe(feeds.ProgrammeChangeFeed()),
        name="programme-change-feed",
    ),
    path("universities/", views.university_list, name="university-list"),
    path("universities/<slug:slug>/", views.university_detail, name="university-detail"),
    path("compare/", views.compare, name="compare"),
    path("modules/", views.module_list, name="module-list"),
    path("changes/", views.change_list, name="change-list"),
    path("changes/feed.atom", require_safe(feeds.CatalogChangeFeed()), name="change-feed"),
]
