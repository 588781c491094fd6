"""Reading an uploaded spreadsheet (CSV or XLSX) as rows of text cells, or saying plainly why not.

Cells come back as text exactly as the import compares them
(`programs.transfer.spreadsheet_columns.cell_text`): an empty cell is "", a number as a person
types it, a date as YYYY-MM-DD. XLSX formulas are read as formulas (not their last computed value),
so the import can refuse them.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

# The first bytes of an XLSX file (a ZIP archive).
ZIP_MAGIC = b"PK\x03\x04"


class SpreadsheetError(Exception):
    """The file can't be read as a spreadsheet; the message says why, for the person importing."""


@dataclass
class Table:
    """A sheet's header cells and its rows as (spreadsheet row number, text cells) pairs."""

    name: str
    headers: list
    rows: list
    header_line: int = 1


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.10g}" if not value.is_integer() else str(int(value))
    return str(value)


def _read_xlsx(data, name):
    import openpyxl

    try:
        # Not data_only: a formula cell reads as its formula ("=SUM(A1:A3)"), which is refused.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(
            _("%(name)s is not a readable XLSX workbook (%(reason)s).")
            % {"name": name, "reason": exc}
        ) from None
    try:
        rows = [
            [_xlsx_cell(value) for value in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
    finally:
        book.close()
    return rows


def _read_csv(data, name):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SpreadsheetError(
            _(
                "%(name)s is not UTF-8 text (an unreadable byte on line %(line)s). Save the "
                "spreadsheet as “CSV UTF-8”, or as XLSX."
            )
            % {"name": name, "line": line}
        ) from None
    if "\x00" in text:
        raise SpreadsheetError(
            _("%(name)s is not a CSV text file (it holds NUL bytes).") % {"name": name}
        )
    # Spreadsheets set to German, Italian or Swedish save "CSV" with semicolons (the comma is
    # their decimal sign); the header row, which never holds a list, tells which.
    header = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=header.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SpreadsheetError(
            _("%(name)s is not valid CSV: %(reason)s") % {"name": name, "reason": exc}
        ) from None


def read_table(data, name):
    """Read `data` (the file's bytes) as a Table; XLSX by its content, anything else as CSV.

    Raises SpreadsheetError for an empty file, a file without a header row or without data
    rows, a CSV that is not UTF-8 and an XLSX that can't be opened. Wholly empty rows (often
    left at the end of a sheet) are dropped.
    """
    if not data.strip():
        raise SpreadsheetError(_("%(name)s is empty.") % {"name": name})
    rows = _read_xlsx(data, name) if data.startswith(ZIP_MAGIC) else _read_csv(data, name)
    # Keep each row's spreadsheet line number while dropping blank rows.
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(row)]
    if not numbered:
        raise SpreadsheetError(_("%(name)s is empty.") % {"name": name})
    header_line, headers = numbered[0]
    headers = [cell.strip() for cell in headers]
    while headers and not headers[-1]:
        headers.pop()
    body = numbered[1:]
    if not body:
        raise SpreadsheetError(_("%(name)s has a header row but no rows of data.") % {"name": name})
    return Table(name=name, headers=headers, rows=body, header_line=header_line)
