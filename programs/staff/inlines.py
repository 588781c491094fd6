"""A programme's parts as the admin edits them: one table (inline) per kind of part.

PART_INLINES holds one for every part in programs.models.parts.PROGRAMME_PARTS (the programme's
change page shows them in that order); import fails for a part without one, so a new kind of
part can't be left out of the admin, and so out of reach of admissions staff.
"""

from django.contrib import admin
from django.db import models
from django.forms import Textarea

from programs.core.programme_fields import MODULE_FIELDS
from programs.models import (
    PART_MODELS,
    AdmissionRequirement,
    ApplicationDeadline,
    Career,
    FactSource,
    Module,
    ProgrammeUniversity,
    Semester,
    Track,
    Tuition,
)
from programs.staff.forms import (
    CatalogFormFieldsMixin,
    FactSourceFormSet,
    ModuleFormSet,
    OfferingFormSet,
    SemesterFormSet,
    SourcedRowsFormSet,
)
from programs.staff.row_labels import LabelledRows


class ProgrammePartInline(CatalogFormFieldsMixin, admin.TabularInline):
    """A programme's parts, edited in a table on its page; long text in small text boxes."""

    extra = 0
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 40})}}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Each row's fields named by their column and row, for screen readers (and axe).
        return type(formset.__name__, (LabelledRows, formset), {})


class OfferingInline(ProgrammePartInline):
    model = ProgrammeUniversity
    formset = OfferingFormSet
    fields = ["university", "role", "position"]
    autocomplete_fields = ["university"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new programme needs a university before it can be saved: offer one empty row.
        return 1 if obj is None else 0


# Every part row says how it is known, in the same row as its facts.
PROVENANCE_FIELDS = ["source_quote", "inferred_because"]


class FactSourceInline(ProgrammePartInline):
    """How each key fact above is known: the source's words, or why it is inferred."""

    model = FactSource
    formset = FactSourceFormSet
    fields = ["fact", *PROVENANCE_FIELDS]


class SemesterInline(ProgrammePartInline):
    model = Semester
    formset = SemesterFormSet
    fields = ["number", "title", "module_count", "summary", "goal", *PROVENANCE_FIELDS]


class TrackInline(ProgrammePartInline):
    model = Track
    formset = SourcedRowsFormSet
    fields = [
        "name",
        "kind",
        "semester",
        "year",
        "background",
        "description",
        *PROVENANCE_FIELDS,
        "position",
    ]


class ModuleInline(ProgrammePartInline):
    model = Module
    formset = ModuleFormSet
    # The fields a module is written with everywhere (the import's columns too), and its place.
    fields = [*MODULE_FIELDS, "position"]


class AdmissionRequirementInline(ProgrammePartInline):
    model = AdmissionRequirement
    formset = SourcedRowsFormSet
    # A search box rather than a list of all 183 languages in every row.
    autocomplete_fields = ["original_language"]
    fields = [
        "kind",
        "text",
        "original_text",
        "original_language",
        *PROVENANCE_FIELDS,
        "position",
    ]


class ApplicationDeadlineInline(ProgrammePartInline):
    model = ApplicationDeadline
    formset = SourcedRowsFormSet
    fields = [
        "intake",
        "intake_year",
        "applicant_group",
        "deadline",
        *PROVENANCE_FIELDS,
        "position",
    ]


class TuitionInline(ProgrammePartInline):
    model = Tuition
    formset = SourcedRowsFormSet
    fields = ["amount", "currency", "period", "applicant_group", *PROVENANCE_FIELDS, "position"]


class CareerInline(ProgrammePartInline):
    model = Career
    formset = SourcedRowsFormSet
    fields = ["kind", "text", *PROVENANCE_FIELDS, "position"]


# The inline of each kind of part, in the registry's order.
_INLINES = {
    inline.model: inline
    for inline in (
        OfferingInline,
        FactSourceInline,
        SemesterInline,
        TrackInline,
        ModuleInline,
        AdmissionRequirementInline,
        ApplicationDeadlineInline,
        TuitionInline,
        CareerInline,
    )
}
PART_INLINES = [_INLINES[model] for model in PART_MODELS]
