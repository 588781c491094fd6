"""Building spreadsheet files for the import tests, and reading what the admin answers."""

import csv
import io
import re
import zipfile

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


def upload(
    client, programmes=None, modules=None, names=("programmes.csv", "modules.csv"), **fields
):
    """Post files to the import page; returns the response (the preview, or the form again).
    Other form fields (`publish_now="on"`) are posted as given."""
    data = dict(fields)
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


# --- crafted XLSX files: what a hostile or broken workbook may hold ------------------------------

SHEET_PART = "xl/worksheets/sheet1.xml"
MAIN_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def text_cell(reference, text):
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows_xml, dimension="", prologue=""):
    """A worksheet part: `rows_xml` inside its sheetData, an optional <dimension ref=...>."""
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'{prologue}<worksheet xmlns="{MAIN_NAMESPACE}">{dimension}<sheetData>{rows_xml}'
        "</sheetData></worksheet>"
    )


HEADER_ROW = (
    '<row r="1">'
    + text_cell("A1", "slug")
    + text_cell("B1", "title")
    + text_cell("C1", "universities")
    + "</row>"
)


def xlsx_with_parts(**parts):
    """A workbook openpyxl writes (one sheet: a header and one row of a new programme), with
    some of its parts replaced: `parts` maps a part's name (with "/" written "__", "." written
    "_") to its new text or bytes, or to an iterable of chunks (written one at a time, so a huge
    part needs no memory). A part given as None is left out."""
    columns = ["slug", "title", "universities"]
    base = xlsx_bytes([programme_row(slug="clinical")], columns)
    named = {name.replace("__", "/").replace("_xml", ".xml"): data for name, data in parts.items()}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for member in source.infolist():
            if member.filename not in named:
                target.writestr(member.filename, source.read(member.filename))
        for part, data in named.items():
            if data is None:
                continue
            with target.open(part, "w", force_zip64=True) as stream:
                for chunk in [data] if isinstance(data, bytes | str) else data:
                    stream.write(chunk.encode() if isinstance(chunk, str) else chunk)
    return out.getvalue()


def sheet_with(rows_xml, dimension="", prologue=""):
    """A workbook whose one sheet holds the header row and then `rows_xml`."""
    return xlsx_with_parts(
        xl__worksheets__sheet1_xml=sheet_xml(HEADER_ROW + rows_xml, dimension, prologue)
    )


def declared_dimension_bomb(reference="B1048576"):
    """A sheet that declares the largest possible range (A1:XFD1048576) and holds one cell, in
    its last row: a reader trusting the declaration pads a million rows to 16,384 cells each."""
    line = reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return sheet_with(
        f'<row r="{line}">{text_cell(reference, "Far away")}</row>', dimension="A1:XFD1048576"
    )


def row_bomb(rows=6_000_000):
    """Millions of empty rows, each one after the last: tens of KB packed, 36 MB of XML unpacked,
    and a reader that counts them holds a worker for minutes."""

    def chunks():
        yield f'<worksheet xmlns="{MAIN_NAMESPACE}"><sheetData>{HEADER_ROW}'
        for _ in range(rows // 100_000):
            yield "<row/>" * 100_000
        yield "</sheetData></worksheet>"

    return xlsx_with_parts(xl__worksheets__sheet1_xml=chunks())


def wide_row_bomb(cells=3_000_000):
    """One row of millions of empty cells: a parser builds every one before it sees the row end."""

    def chunks():
        yield f'<worksheet xmlns="{MAIN_NAMESPACE}"><sheetData>{HEADER_ROW}<row r="2">'
        for _ in range(cells // 100_000):
            yield "<c/>" * 100_000
        yield "</row></sheetData></worksheet>"

    return xlsx_with_parts(xl__worksheets__sheet1_xml=chunks())


def malformed_sheet():
    """A sheet whose XML breaks off in the middle of a row."""
    return xlsx_with_parts(
        xl__worksheets__sheet1_xml=f'<worksheet xmlns="{MAIN_NAMESPACE}"><sheetData>'
        f'{HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>cut'
    )


def external_entity_sheet(path="/etc/passwd"):
    """A sheet whose cell would be a file of the server if the parser resolved its entity."""
    prologue = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file://{path}">]>'
    )
    return sheet_with('<row r="2">' + text_cell("A2", "&secret;") + "</row>", prologue=prologue)


def entity_expansion_sheet():
    """The "billion laughs": ten entities of ten each, a few hundred bytes that expand to 3 GB."""
    entities = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 9)
    )
    prologue = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
    return sheet_with('<row r="2">' + text_cell("A2", "&lol8;") + "</row>", prologue=prologue)


def workbook_without_sheets():
    """A workbook part listing no sheet at all."""
    return xlsx_with_parts(
        xl__workbook_xml=f'<workbook xmlns="{MAIN_NAMESPACE}"><sheets/></workbook>',
        xl__worksheets__sheet1_xml=None,
    )


def huge_text_sheet(megabytes=70):
    """One cell of tens of MB of text: a few KB packed, more than the page reads unpacked."""

    def chunks():
        yield f'<worksheet xmlns="{MAIN_NAMESPACE}"><sheetData>{HEADER_ROW}'
        yield '<row r="2"><c r="B2" t="inlineStr"><is><t>'
        for _ in range(megabytes):
            yield "x" * 1024 * 1024
        yield "</t></is></c></row></sheetData></worksheet>"

    return xlsx_with_parts(xl__worksheets__sheet1_xml=chunks())


def styles_bomb(formats=300_000):
    """A styles part of hundreds of thousands of cell formats, each an object when read."""
    xf = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    return xlsx_with_parts(
        xl__styles_xml=(
            f'<styleSheet xmlns="{MAIN_NAMESPACE}"><cellXfs count="{formats}">',
            *(xf * 10_000 for _ in range(formats // 10_000)),
            "</cellXfs></styleSheet>",
        )
    )


def shared_strings_bomb(texts=600_000):
    """A shared strings part of more different texts than a file of the page's rows needs."""
    types = zipfile.ZipFile(io.BytesIO(xlsx_with_parts())).read("[Content_Types].xml").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return xlsx_with_parts(
        **{
            "[Content_Types]_xml": types,
            "xl__sharedStrings_xml": (
                f'<sst xmlns="{MAIN_NAMESPACE}">',
                *("<si><t>x</t></si>" * 10_000 for _ in range(texts // 10_000)),
                "</sst>",
            ),
        }
    )


def merged_cells_bomb(ranges=300_000):
    """A sheet of hundreds of thousands of merged ranges, each an object while the sheet is read,
    all of them outside its rows."""
    merged = "".join(f'<mergeCell ref="A{row}:B{row}"/>' for row in range(2, ranges + 2))
    return xlsx_with_parts(
        xl__worksheets__sheet1_xml=f'<worksheet xmlns="{MAIN_NAMESPACE}"><sheetData>'
        f"{HEADER_ROW}</sheetData><mergeCells>{merged}</mergeCells></worksheet>"
    )


def rich_text_bomb(runs=200_000):
    """One cell of text in hundreds of thousands of formatted runs: a row's worth of elements."""
    run = "<r><t>x</t></r>"
    return sheet_with(f'<row r="2"><c r="B2" t="inlineStr"><is>{run * runs}</is></c></row>')
