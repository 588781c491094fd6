"""The list's downloads as an advisor opens them in a spreadsheet in their own language.

A German, Italian or Swedish spreadsheet splits a CSV at semicolons (its decimal sign is the
comma), reads headers in its language, and sums a number column only when every cell is a
number; the workbook download beside the CSV has typed cells and a legend sheet.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext


def in_language(language, path):
    return path if language == "en" else f"/{language}{path}"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_table(response, delimiter):
    text = (response.body if hasattr(response, "body") else body(response)).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize(
    ("language", "separator"), [("en", ","), ("de", ";"), ("it", ";"), ("sv", ";")]
)
def test_the_csv_separator_is_the_one_a_spreadsheet_in_that_language_splits_at(
    client, catalog, language, separator
):
    client.post("/shortlist/add/", {"programme": "health-informatics"})
    for path in ("/programmes/export.csv", "/shortlist/export.csv"):
        response = client.get(in_language(language, path))
        assert response.status_code == 200
        response.body = body(response)
        header = response.body.decode("utf-8-sig").splitlines()[0]
        # The header splits into every column at that separator, and not at the other one.
        assert len(header.split(separator)) > 20, header
        other = ";" if separator == "," else ","
        assert len(csv_table(response, other)[0]) < 3


@pytest.mark.parametrize(("choice", "separator"), [("comma", ","), ("semicolon", ";")])
def test_sep_chooses_the_separator_whatever_the_language(client, catalog, choice, separator):
    response = client.get("/de/programmes/export.csv", {"sep": choice})
    table = csv_table(response, separator)
    assert len(table[0]) > 20
    assert len(table) == 5  # the header and the four programmes


@pytest.mark.parametrize("path", ["/programmes/export.csv", "/shortlist/export.csv"])
def test_an_unknown_sep_is_a_400_that_names_the_choices(client, catalog, path):
    response = client.get(path, {"sep": "tab;"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "sep= must be one of: comma, semicolon" in response.content.decode()


def test_german_headers_are_words_a_person_reads(client, catalog):
    """Issue 30: "laender", "studiengebuehren", "zuletzt_geprueft" were spelled for a machine."""
    header, *_rows = csv_table(client.get("/de/programmes/export.csv"), ";")
    for words in ("Länder", "Studiengebühren", "Zuletzt geprüft", "Dauer (Semester)"):
        assert words in header
    assert not any("_" in name for name in header), header


def test_number_columns_are_numbers_or_empty_in_every_language(client, catalog):
    header, *rows = csv_table(client.get("/de/programmes/export.csv"), ";")
    with translation.override("de"):
        ects = header.index(pgettext("csv column", "ects"))
        semesters = header.index(pgettext("csv column", "duration_semesters"))
        note = header[-1]
        assert "leere Zahlenzelle" in note
    cells = [row[column] for row in rows for column in (ects, semesters)]
    assert "" in cells  # Applied AI in Healthcare states no ECTS
    assert all(cell == "" or cell.isdigit() for cell in cells), cells


# ---------- The workbook ----------


def workbook(client, path="/programmes/export.xlsx", params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return response, openpyxl.load_workbook(io.BytesIO(body(response)))


def sheet_rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_has_the_csvs_rows_with_typed_cells(client, catalog):
    response, book = workbook(client)
    assert response["Content-Disposition"].endswith('.xlsx"')
    programmes, legend = book.worksheets
    header, *rows = sheet_rows(programmes)
    by_title = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert list(by_title) == [
        "Applied AI in Healthcare",
        "Data-driven Health",
        "Health Informatics",
        "Medical Data Science",
    ]
    medical = by_title["Medical Data Science"]
    # Numbers as numbers and the check as a date: a spreadsheet sums and sorts them.
    assert medical["ects"] == 90 and isinstance(medical["ects"], int)
    assert medical["duration_semesters"] == 4
    assert medical["last_checked"] == datetime.datetime(2026, 12, 1)
    assert medical["countries"] == "Germany"
    assert medical["inferred"] == "countries; field_of_study; kind_of_course"
    # Not stated: an empty number cell, the words in a text cell, as in the CSV.
    applied = by_title["Applied AI in Healthcare"]
    assert applied["ects"] is None
    assert applied["degree"] == "not stated"
    assert programmes.freeze_panes == "A2"
    assert legend.title == "Legend"
    legend_text = " ".join(str(cell) for row in sheet_rows(legend) for cell in row)
    assert "not stated" in legend_text and "inferred" in legend_text


def test_the_workbook_marks_the_same_inferred_values_as_the_csv(client, catalog):
    header, *rows = csv_table(client.get("/programmes/export.csv"), ",")
    csv_inferred = {row[0]: row[header.index("inferred")] for row in rows}
    _response, book = workbook(client)
    header, *rows = sheet_rows(book.worksheets[0])
    xlsx_inferred = {row[0]: row[header.index("inferred")] or "" for row in rows}
    assert xlsx_inferred == csv_inferred


def test_the_workbook_applies_the_lists_filters(client, catalog):
    _response, book = workbook(client, params={"language": "de"})
    titles = [row[0] for row in sheet_rows(book.worksheets[0])[1:]]
    assert titles == ["Medical Data Science"]


def test_the_workbook_is_in_the_pages_language(client, catalog):
    _response, book = workbook(client, "/de/programmes/export.xlsx")
    programmes, legend = book.worksheets
    assert (programmes.title, legend.title) == ("Studiengänge", "Legende")
    header = sheet_rows(programmes)[0]
    assert "Länder" in header and "Studiengebühren" in header


def test_the_workbook_with_bad_parameters_is_a_plain_400(client, catalog):
    response = client.get("/programmes/export.xlsx", {"ects_min": "abc"})
    assert response.status_code == 400
    assert "ects_min" in response.content.decode()


def test_the_list_links_to_the_workbook_beside_the_csv(client, catalog):
    html = client.get("/programmes/", {"language": "de"}).content.decode()
    csv_link = f'href="{reverse("programs:programme-export")}?language=de"'
    xlsx_link = f'href="{reverse("programs:programme-export-xlsx")}?language=de"'
    assert csv_link in html and xlsx_link in html


def test_an_archived_editions_workbook_keeps_its_rows_whatever_the_live_catalog_does(
    client, catalog
):
    """The edition's workbook shares the live code, as its CSV does: what it holds is frozen."""
    from programs.search import edition_index, facet_index
    from tests.web.test_edition_pages import EDITION, archived_edition, change_live_catalog

    archived_edition()
    address = f"/editions/{EDITION}/programmes/export.xlsx"

    def cold_rows():
        for alias in caches:
            caches[alias].clear()
        facet_index.forget()
        edition_index.forget()
        _response, book = workbook(client, address)
        return [sheet_rows(sheet) for sheet in book.worksheets]

    before = cold_rows()
    assert len(before[0]) == 5  # the header and the four programmes
    change_live_catalog()
    assert cold_rows() == before
    html = client.get(f"/editions/{EDITION}/programmes/").content.decode()
    assert f'href="{address}"' in html
