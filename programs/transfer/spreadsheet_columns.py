"""The spreadsheet columns of programmes and of their modules (django-import-export resources).

What the admin's export writes is exactly what its import reads
(`programs.transfer.spreadsheet_import`), so
a file can be exported, edited and imported again. Every cell is text as `cell_text` writes it:
an empty cell is a fact not stated, yes/no for true/false, dates as YYYY-MM-DD, lists (the
offering universities, the teaching languages) as slugs or codes separated by "; ", and text a
spreadsheet would run as a formula (also after a separator inside the cell, for spreadsheets that
split cells on it) behind an apostrophe, which the import takes off again
(`programs.core.cells`).
"""

import datetime
from decimal import Decimal

from import_export import fields, resources

from programs.core.cells import escape_formula
from programs.core.programme_fields import MODULE_FIELDS, PROGRAMME_FIELDS
from programs.models import Module, Programme
from programs.transfer.spreadsheet_fees import COLUMNS as FEE_COLUMNS
from programs.transfer.spreadsheet_fees import stored_cells

# The programmes sheet: one row per programme, keyed by its slug; the offering universities
# third, beside what names the programme; its fees and deadlines last, each list with how it is
# known (programs.transfer.spreadsheet_fees).
PROGRAMME_COLUMNS = (*PROGRAMME_FIELDS[:2], "universities", *PROGRAMME_FIELDS[2:], *FEE_COLUMNS)
# The modules sheet: one row per module, keyed by its programme's slug and its position.
MODULE_COLUMNS = ("programme", "position", *MODULE_FIELDS)
LIST_SEPARATOR = ";"


def cell_text(value):
    """How a stored value is written in a spreadsheet cell (and compared with one)."""
    if type(value) is str:  # the common case first: an import compares every cell
        return escape_formula(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # 7.5 stays 7.5, 10.0 is 10: as a person would type it.
        return f"{value.normalize():f}"
    if isinstance(value, list | tuple):
        # Escaped as one text: a slug may start with "-", and after the separator a spreadsheet
        # that splits on ";" would start a cell there.
        return escape_formula(f"{LIST_SEPARATOR} ".join(value))
    return escape_formula(str(value))


class CellResource(resources.ModelResource):
    """Writes every cell with cell_text, so the export reads back as the same values."""

    def export_field(self, field, instance, **kwargs):
        field_name = self.get_field_name(field)
        method = getattr(self, f"dehydrate_{field_name}", None)
        value = method(instance) if method is not None else field.get_value(instance)
        return cell_text(value)


class ProgrammeResource(CellResource):
    universities = fields.Field(column_name="universities")
    languages = fields.Field(column_name="languages")
    tuition_fees = fields.Field(column_name="tuition_fees")
    tuition_source_quote = fields.Field(column_name="tuition_source_quote")
    tuition_inferred_because = fields.Field(column_name="tuition_inferred_because")
    application_deadlines = fields.Field(column_name="application_deadlines")
    deadlines_source_quote = fields.Field(column_name="deadlines_source_quote")
    deadlines_inferred_because = fields.Field(column_name="deadlines_inferred_because")

    class Meta:
        model = Programme
        fields = PROGRAMME_COLUMNS
        export_order = PROGRAMME_COLUMNS

    def get_queryset(self):
        return Programme.objects.order_by("slug")

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related(
            "offerings__university", "languages", "tuition_fees", "application_deadlines"
        ).order_by("slug")

    def export_field(self, field, instance, **kwargs):
        name = self.get_field_name(field)
        if name in FEE_COLUMNS:
            # Written as the import reads them; empty text is a list not stated.
            cells = instance.__dict__.setdefault("_fee_cells", stored_cells(instance))
            return cell_text(cells[name] or None)
        return super().export_field(field, instance, **kwargs)

    def dehydrate_universities(self, programme):
        offerings = sorted(programme.offerings.all(), key=lambda o: (o.position, o.pk))
        return [offering.university.slug for offering in offerings]

    def dehydrate_languages(self, programme):
        return sorted(language.code for language in programme.languages.all())


class ModuleResource(CellResource):
    programme = fields.Field(column_name="programme", attribute="programme__slug")
    track = fields.Field(column_name="track", attribute="track__name")

    class Meta:
        model = Module
        fields = MODULE_COLUMNS
        export_order = MODULE_COLUMNS

    def get_queryset(self):
        return Module.objects.all()

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("programme", "track").order_by("programme__slug", "position")
