"""Reading an uploaded spreadsheet (CSV or XLSX) as rows of text cells, or saying plainly why not.

Cells come back as text exactly as the import compares them
(`programs.transfer.spreadsheet_columns.cell_text`): an empty cell is "", a number as a person
types it, a date as YYYY-MM-DD. XLSX formulas are read as formulas (not their last computed value),
so the import can refuse them.

What a file may ask of the reader is bounded (ReadLimits): an XLSX file is checked before openpyxl
parses it (programs.transfer.spreadsheet_package), then streamed a row at a time; blank rows are
dropped as they come, and a file with more rows of data than the limit is refused.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from programs.core import limits
from programs.transfer.spreadsheet_package import LAST_ROW, PackageRefused, check_package

# The first bytes of an XLSX file (a ZIP archive).
ZIP_MAGIC = b"PK\x03\x04"


class SpreadsheetError(Exception):
    """The file can't be read as a spreadsheet; the message says why, for the person importing."""


@dataclass(frozen=True)
class ReadLimits:
    """How much one file may ask of the reader: its rows of data (blank rows don't count), and
    what an XLSX file's parts may unpack to."""

    rows: int
    unpacked_bytes: int


# The admin's upload page: a web worker reads the file while the staff member waits.
UPLOAD_LIMITS = ReadLimits(
    rows=limits.ADMIN_IMPORT_MAX_ROWS, unpacked_bytes=limits.ADMIN_IMPORT_MAX_UNPACKED_BYTES
)
# `manage.py import_programmes`, for the large files the page refuses.
COMMAND_LIMITS = ReadLimits(
    rows=limits.IMPORT_MAX_ROWS, unpacked_bytes=limits.IMPORT_MAX_UNPACKED_BYTES
)


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


def _unreadable_xlsx(name, reason):
    return SpreadsheetError(
        _("%(name)s is not a readable XLSX workbook (%(reason)s).")
        % {"name": name, "reason": reason}
    )


def _xlsx_rows(data, name, bounds):
    """The first sheet's rows that hold something, one at a time, as (row number, text cells).

    The file is checked first (programs.transfer.spreadsheet_package), then openpyxl streams the
    sheet (read_only) with its declared size ignored and every row cut to the columns the import
    reads, so neither a false dimension nor a wide row makes it pad or build more.
    """
    import openpyxl

    try:
        check_package(
            data,
            name,
            max_unpacked_bytes=bounds.unpacked_bytes,
            max_columns=limits.SPREADSHEET_MAX_COLUMNS,
            max_shared_strings=bounds.rows * limits.SPREADSHEET_TEXTS_PER_ROW,
        )
    except PackageRefused as refusal:
        raise SpreadsheetError(str(refusal)) from None
    # openpyxl is a parser of files from anyone: whatever it raises on one (a broken part, a
    # missing one, a value of the wrong type; the list is long and changes between versions)
    # means the file can't be read, which the person importing is told in the reader's words.
    try:
        # Not data_only: a formula cell reads as its formula ("=SUM(A1:A3)"), which is refused.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        raise _unreadable_xlsx(name, exc) from None
    try:
        if not book.worksheets:
            raise SpreadsheetError(_("%(name)s has no sheet.") % {"name": name})
        sheet = book.worksheets[0]
        # The dimension a file declares is not checked against its cells; ignored, openpyxl
        # pads each row only as far as max_col.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(
            max_row=LAST_ROW, max_col=limits.SPREADSHEET_MAX_COLUMNS, values_only=True
        )
        for line, values in enumerate(rows, start=1):
            # Each row comes padded to max_col: only the cells up to its last value are
            # converted and kept, and a blank row (the padding of a gap too) not at all.
            if values.count(None) == len(values):
                continue
            width = len(values)
            while values[width - 1] is None:
                width -= 1
            yield line, [_xlsx_cell(value) for value in values[:width]]
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise _unreadable_xlsx(name, exc) from None
    finally:
        book.close()


def _csv_rows(data, name):
    """The CSV's rows, one at a time, as (record number, text cells)."""
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
        yield from enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        )
    except csv.Error as exc:
        raise SpreadsheetError(
            _("%(name)s is not valid CSV: %(reason)s") % {"name": name, "reason": exc}
        ) from None


def read_table(data, name, bounds=UPLOAD_LIMITS):
    """Read `data` (the file's bytes) as a Table; XLSX by its content, anything else as CSV.

    Raises SpreadsheetError for an empty file, a file without a header row or without data
    rows, one with more rows than `bounds` allows, a CSV that is not UTF-8 and an XLSX that
    can't be opened or is larger unpacked than `bounds` allows. Wholly empty rows (often left
    at the end of a sheet) are dropped as they are read, so they cost no memory.
    """
    if not data.strip():
        raise SpreadsheetError(_("%(name)s is empty.") % {"name": name})
    rows = _xlsx_rows(data, name, bounds) if data.startswith(ZIP_MAGIC) else _csv_rows(data, name)
    # Keep each row's spreadsheet line number while dropping blank rows.
    numbered = []
    for number, row in rows:
        if not any(row):
            continue
        if len(numbered) > bounds.rows:  # the header row and bounds.rows rows of data
            raise SpreadsheetError(
                _(
                    "%(name)s has more than %(limit)s rows of data; the import reads at most "
                    "that many from one file. Split it into smaller files."
                )
                % {"name": name, "limit": number_format(bounds.rows, force_grouping=True)}
            )
        numbered.append((number, row))
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
