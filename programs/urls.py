from django.urls import path

from programs import feeds, views

app_name = "programs"

urlpatterns = [
    path("", views.programme_list, name="home"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/export.csv", views.programme_export_csv, name="programme-export"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme-detail"),
    path(
        "programmes/<slug:slug>/changes.atom",
        views.public_page(feeds.ProgrammeChangeFeed()),
        name="programme-change-feed",
    ),
    path("universities/", views.university_list, name="university-list"),
    path("universities/<slug:slug>/", views.university_detail, name="university-detail"),
    path("compare/", views.compare, name="compare"),
    path("modules/", views.module_list, name="module-list"),
    path("changes/", views.change_list, name="change-list"),
    path("changes/feed.atom", views.public_page(feeds.CatalogChangeFeed()), name="change-feed"),
]
