"""The list's download as an Excel workbook: the CSV's rows with typed cells and a legend sheet.

The rows, their order and how each value is known are the CSV's (programs/web/csv_export.py,
which reads them from programs/display/facts.py): a workbook differs only where a spreadsheet
can do better than text.

- Numbers (ECTS, semesters) are numbers and the last check a date, so they sort, sum and
  filter without the "number stored as text" a CSV opened in another locale gives. A number or
  date the source does not state is an empty cell; a text fact it does not state says
  `not stated`, as in the CSV.
- The CSV's last column explains "not stated" and "inferred" in its header, the one place a CSV
  has for it; a workbook has a sheet of its own for that, the Legend, so the programmes' sheet
  holds programmes only and its header row stays frozen in view.
- The sheets' names, the header row and the legend are in the page's language; the
  programmes' own words stay as published.
"""

import io
from datetime import date

from django.utils import translation
from django.utils.translation import gettext, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from programs.web.csv_export import (
    FACT_COLUMNS,
    INFERRED,
    LAST_CHECKED,
    NOT_STATED,
    NUMBER_COLUMNS,
    csv_cell,
    export_values,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
# Wide enough for a title or a university's name to be read without widening the column.
COLUMN_WIDTH = 24


def _typed(column, value):
    """A value as a workbook cell holds it in `column`: numbers and dates as they are (None,
    an empty cell, where not stated), text as the CSV writes it (`not stated`, and formula
    signs escaped the same way)."""
    if column is LAST_CHECKED or any(column is number for number in NUMBER_COLUMNS):
        return value
    return csv_cell(value)


def _legend_rows():
    """The Legend sheet's rows: what a cell's look means, in the active language."""
    return [
        (pgettext("xlsx legend", "In a cell"), pgettext("xlsx legend", "Meaning")),
        (
            gettext(NOT_STATED),
            pgettext("xlsx legend", "The source does not state this fact."),
        ),
        (
            pgettext("xlsx legend", "An empty number or date cell"),
            pgettext(
                "xlsx legend",
                "The source does not state this fact (or, for the last check, no check is "
                "recorded).",
            ),
        ),
        (
            str(INFERRED),
            pgettext(
                "xlsx legend",
                "Names the columns of the row whose values the catalog infers rather than "
                "reads from the source; the programme's page says why.",
            ),
        ),
    ]


def programme_workbook(programmes, absolute_url, language):
    """The workbook's bytes: a sheet of programmes (header row frozen), then the Legend.

    Written in openpyxl's write-only mode, a row at a time, so 10,000 programmes don't hold
    every cell's object in memory at once."""
    with translation.override(language):
        book = Workbook(write_only=True)
        sheet = book.create_sheet(pgettext("xlsx sheet", "Programmes"))
        sheet.freeze_panes = "A2"
        columns = (*FACT_COLUMNS, INFERRED)
        for index in range(1, len(columns) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTH
        bold = Font(bold=True)
        header = []
        for name in columns:
            cell = WriteOnlyCell(sheet, csv_cell(str(name)))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for programme in programmes:
            values, inferred = export_values(programme, absolute_url(programme.get_absolute_url()))
            row = []
            for column, value in zip(FACT_COLUMNS, values, strict=True):
                cell = WriteOnlyCell(sheet, _typed(column, value))
                if isinstance(value, date):
                    cell.number_format = DATE_FORMAT
                row.append(cell)
            row.append(WriteOnlyCell(sheet, csv_cell("; ".join(inferred)) if inferred else None))
            sheet.append(row)
        legend = book.create_sheet(pgettext("xlsx sheet", "Legend"))
        for first, *rest in _legend_rows():
            legend.append([csv_cell(first), *(csv_cell(text) for text in rest)])
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()
