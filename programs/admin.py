"""The admissions staff's workspace."""

from django.contrib import admin

from programs.models import (
    AdmissionRequirement,
    Career,
    Language,
    Module,
    Programme,
    ProgrammeUniversity,
    Semester,
    Track,
    University,
)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "country", "city"]
    search_fields = ["name", "short_name", "city"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "ects", "published"]
    list_filter = ["published", "level"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


for model in (ProgrammeUniversity, Semester, Track, Module, AdmissionRequirement, Career):
    admin.site.register(model)
