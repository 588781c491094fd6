"""Building spreadsheet files for the import tests, and reading what the admin answers."""

import csv
import io

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
