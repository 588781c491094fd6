"""Building spreadsheet files for the import tests, and reading what the admin answers."""

import csv
import io
import re

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

IMPORT_URL = "/admin/programs/programme/import/"
EXPORT_URL = "/admin/programs/programme/export/"


def csv_bytes(rows, columns):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode()


def xlsx_bytes(rows, columns):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def programme_row(**values):
    """A programmes-sheet row of a new programme with the required cells filled in."""
    return {"title": "Clinical Data Science", "universities": "rwth-aachen", **values}


def upload(client, programmes=None, modules=None, names=("programmes.csv", "modules.csv")):
    """Post files to the import page; returns the response (the preview, or the form again)."""
    data = {}
    if programmes is not None:
        data["programmes"] = SimpleUploadedFile(names[0], programmes)
    if modules is not None:
        data["modules"] = SimpleUploadedFile(names[1], modules)
    return client.post(IMPORT_URL, data)


def confirm(client, preview_response):
    """Press "Confirm the import" on a preview page."""
    return client.post(
        IMPORT_URL,
        {"confirm": "1", "fingerprint": preview_response.context["preview"].fingerprint},
    )


def rows_of(response):
    """The preview's rows as (sheet, line, key, status, changes, errors) tuples."""
    return [
        (row.sheet, row.line, row.key, row.status, row.changes, row.errors)
        for row in response.context["preview"].rows
    ]


def export(client, sheet, file_format):
    response = client.get(EXPORT_URL, {"sheet": sheet, "file_format": file_format})
    assert response.status_code == 200
    return response.content


# What makes a spreadsheet run a cell as a formula (OWASP's list, and the full-width forms some
# East Asian spreadsheets also take), written out here rather than imported from the code under
# test, so that narrowing the code's list can't make these tests pass.
FORMULA_SIGNS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def formula_cells(text):
    """The cells of a CSV text that some spreadsheet would run as formulas.

    The file is read every way a spreadsheet may read it: split on commas (as it is written), on
    semicolons (German, Italian and Swedish spreadsheets) and on tabs, with quoted line breaks
    kept inside their cell or with every line break ending a row. A cell counts as a formula
    when it starts with a formula sign after any spaces and quote marks; one behind an
    apostrophe is text.
    """
    lines = re.split(r"\r\n|\r|\n", text)
    found = []
    for delimiter in (",", ";", "\t"):
        whole = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        line_by_line = csv.reader(lines, delimiter=delimiter)
        for reading in (whole, line_by_line):
            for row in reading:
                found += [cell for cell in row if cell.lstrip(' "')[:1] in FORMULA_SIGNS]
    return found
