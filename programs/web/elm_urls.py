"""/api/elm/: the European Learning Model export, one file and one report per university.

Outside the language prefixes: the files are machine output, in the language of the catalog's
texts whatever the site's language.
"""

from django.urls import path

from programs.web import elm_views

app_name = "elm"

urlpatterns = [
    path("<slug:slug>.jsonld", elm_views.university_file, name="university-file"),
    path("<slug:slug>/report.json", elm_views.university_report, name="university-report"),
]
