"""/programmes/export.csv: the list's filter results as a UTF-8 CSV an advisor can open in Excel."""

import csv
import gc
import gzip
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.core.cells import escape_formula
from programs.models import Programme
from tests.support import factories
from tests.support.list_pages import shown_slugs
from tests.support.spreadsheet_files import formula_cells

HEADER = [
    "title",
    "url",
    "universities",
    "countries",
    "degree",
    "level",
    "field_of_study",
    "ects",
    "duration_semesters",
    "duration_as_stated",
    "languages",
    "start",
    "study_mode",
    "delivery",
    "kind_of_course",
    "approval_status",
    "tuition_fees",
    "application_deadlines",
    "admission_requirements",
    "source",
    "last_checked",
    "inferred",
    'note: "not stated", or an empty number cell = the source does not state this fact; '
    '"inferred" names the columns whose values the catalog infers (the programme\'s page says '
    "why)",
]
NOTE = HEADER[-1]


def export(client, params=None, headers=None):
    """The export's response, its body read into `body` (running its queries now): streamed
    when it is made, whole when it was kept (see the end of this file)."""
    response = client.get(reverse("programs:programme-export"), params or {}, headers=headers)
    assert response.status_code == 200
    if response.streaming:
        response.body = b"".join(response.streaming_content)
    else:
        response.body = response.content
    return response


def rows(response):
    """The CSV as a list of dicts, after checking it starts with the UTF-8 byte order mark."""
    content = response.body
    assert content.startswith("\ufeff".encode())
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    header, *body = list(reader)
    assert header == HEADER
    return [dict(zip(header, row, strict=True)) for row in body]


def test_export_is_a_csv_download(client, catalog):
    response = export(client)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="programmes-{today}.csv"'


def test_export_has_one_row_per_programme_in_title_order(client, catalog):
    assert [row["title"] for row in rows(export(client))] == [
        "Applied AI in Healthcare",
        "Data-driven Health",
        "Health Informatics",
        "Medical Data Science",
    ]


def test_export_row_states_the_stored_facts(client, catalog):
    (row,) = [r for r in rows(export(client)) if r["title"] == "Medical Data Science"]
    assert row == {
        "title": "Medical Data Science",
        "url": "http://testserver/programmes/medical-data-science/",
        "universities": "RWTH Aachen University",
        "countries": "Germany",
        "degree": "Master of Science",
        "level": "Master",
        # No source names its ISCED field: the catalog infers it, and says so below.
        "field_of_study": (
            "Inter-disciplinary programmes and qualifications involving Information and "
            "Communication Technologies (ICTs) (068)"
        ),
        "ects": "90",
        "duration_semesters": "4",
        "duration_as_stated": "4 semesters",
        # As the programme's page lists them.
        "languages": "English, German",
        "start": "Winter semester",
        "study_mode": "Part-time",
        "delivery": "Blended",
        "kind_of_course": "Private Course of Study",
        "approval_status": "not stated",
        "tuition_fees": "not stated",
        "application_deadlines": "not stated",
        "admission_requirements": (
            "A first university degree, with the required qualifications according to the "
            "examination regulations. | "
            "At least one year of relevant professional experience. The required professional "
            "qualification is formulated in the examination regulations; the board determines "
            "whether the prerequisites have been fulfilled. | "
            "Proficiency in German and English. To enrol in this degree programme you must prove "
            "proficiency in all languages of instruction; the examination regulations give the "
            "details."
        ),
        "source": "https://www.rwth-aachen.de/go/id/eqyqp?lidx=1",
        "last_checked": "2026-12-01",
        # The country is where the university is, the field of study is read from what the
        # text describes, and "Private Course of Study" is read as the kind of course: all
        # inferences.
        "inferred": "countries; field_of_study; kind_of_course",
        NOTE: "",
    }


def test_export_says_not_stated_for_unknown_facts_and_its_header_explains(client, catalog):
    """Audit item 8: an empty text cell reads as an omission; the CSV says what it is."""
    (row,) = [r for r in rows(export(client)) if r["title"] == "Applied AI in Healthcare"]
    for column in ("languages", "degree", "study_mode", "duration_as_stated"):
        assert row[column] == "not stated", column
    assert '"not stated", or an empty number cell = the source does not state' in NOTE


def test_export_leaves_number_cells_empty_when_not_stated(client, catalog):
    """Issue 30: "not stated" in the ECTS column made a spreadsheet read the whole column as
    text (no sum, no numeric sort); an unstated number is an empty cell, the header says so."""
    by_title = {row["title"]: row for row in rows(export(client))}
    assert by_title["Applied AI in Healthcare"]["ects"] == ""
    assert by_title["Medical Data Science"]["ects"] == "90"
    for row in by_title.values():
        for column in ("ects", "duration_semesters"):
            assert row[column] == "" or row[column].isdigit(), (column, row[column])


def test_export_carries_the_sources_own_duration_wording(client, catalog):
    """Audit item 8: "two years" is the source's wording; 4 semesters is the catalog's count."""
    (row,) = [r for r in rows(export(client)) if r["title"] == "Data-driven Health"]
    assert (row["duration_semesters"], row["duration_as_stated"]) == ("4", "two years")


def test_export_shows_when_each_programme_was_last_checked(client, catalog, db):
    factories.ProgrammeFactory(title="Never checked")
    checked = {row["title"]: row["last_checked"] for row in rows(export(client))}
    assert checked["Medical Data Science"] == "2026-12-01"
    assert checked["Never checked"] == "not recorded"


def test_export_lists_every_university_and_country_of_a_joint_programme(client, catalog):
    (row,) = [r for r in rows(export(client)) if r["title"] == "Health Informatics"]
    assert row["universities"] == "Vita-Salute San Raffaele University; Politecnico di Milano"
    assert row["countries"] == "Italy"
    assert row["approval_status"] == "under ministerial approval"


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"language": "de"}, ["Medical Data Science"]),
        ({"ects_min": "100"}, ["Data-driven Health"]),
        ({"country": "IT", "language": "en"}, ["Health Informatics"]),
        (
            {"sort": "-ects"},
            [
                "Data-driven Health",
                "Medical Data Science",
                "Applied AI in Healthcare",
                "Health Informatics",
            ],
        ),
        ({"language": "de", "country": "SE"}, []),
    ],
)
def test_export_applies_the_same_filters_and_sort_as_the_list(client, catalog, params, titles):
    assert [row["title"] for row in rows(export(client, params))] == titles


def test_export_ignores_the_page_and_gives_every_match(client, db):
    factories.ProgrammeFactory.create_batch(25)
    assert len(rows(export(client, {"page": "2"}))) == 25


@pytest.mark.parametrize(
    "dangerous",
    # ASCII formula signs, tab, and their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20).
    [
        "=1+1",
        "+SUM(A1)",
        "-2+3",
        "@cmd",
        "\tx",
        "\uff1d1+1",
        "\uff0bSUM(A1)",
        "\uff0d2",
        "\uff20cmd",
        # Blanks before the sign, which some spreadsheets skip.
        " =1+1",
        "\n=1+1",
    ],
)
def test_export_defuses_cells_a_spreadsheet_would_run_as_formulas(client, db, dangerous):
    factories.ProgrammeFactory(title=dangerous, degree='=HYPERLINK("http://x")')
    (row,) = rows(export(client))
    assert row["title"] == escape_formula(dangerous) != dangerous
    assert row["degree"] == '\'=HYPERLINK("http://x")'


# Formulas after a separator or a line break inside a cell: a spreadsheet that splits on ";"
# (German, Italian, Swedish) or ends a row at every line break opens each as a cell of its own.
# Each reads with one apostrophe where a spreadsheet would start a cell, the rest as written.
HIDDEN_FORMULAS = {
    "Good fees;=1+1": "Good fees;'=1+1",
    "Fees vary\n=1+1": "Fees vary\n'=1+1",
    "Fees, -2+3": "Fees, '-2+3",
    "Fees;\t@SUM(A1)": "Fees;'\t'@SUM(A1)",
    'Fees; "=1+1"': 'Fees; "\'=1+1"',
    "Fees\r\n+1": "Fees\r\n'+1",
}


@pytest.mark.parametrize("path", ["/programmes/export.csv", "/de/programmes/export.csv"])
def test_export_defuses_formulas_after_a_separator_or_line_break(client, db, path):
    for number, text in enumerate(HIDDEN_FORMULAS):
        programme = factories.ProgrammeFactory(
            title=f"Programme {number}", degree=text, tuition_type=text
        )
        factories.AdmissionRequirementFactory(programme=programme, text=text)
    response = client.get(path)
    content = b"".join(response.streaming_content).decode("utf-8-sig")

    assert formula_cells(content) == []
    separator = ";" if path.startswith("/de/") else ","
    written = list(csv.reader(io.StringIO(content, newline=""), delimiter=separator))[1:]
    assert sorted(row[4] for row in written) == sorted(HIDDEN_FORMULAS.values())
    assert sorted(row[18] for row in written) == sorted(HIDDEN_FORMULAS.values())


def test_export_keeps_non_ascii_text(client, db):
    factories.ProgrammeFactory(title="Gesundheitsökonomie: Übersicht")
    assert rows(export(client))[0]["title"] == "Gesundheitsökonomie: Übersicht"


@pytest.mark.parametrize(
    "params",
    [
        {"ects_min": "abc"},
        {"language": "xx"},
        {"sort": "drop"},
        {"q": "imaging\x00"},
        {"country": "Germany"},
    ],
)
def test_export_with_bad_parameters_is_a_plain_400(client, catalog, params):
    response = client.get(reverse("programs:programme-export"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("The export was not made because of these parameters:")
    assert f"{next(iter(params))}: " in body


def test_export_runs_a_fixed_number_of_queries(
    client, db, django_assert_num_queries, django_assert_max_num_queries
):
    for count in (3, 30):
        factories.ProgrammeFactory.create_batch(count, universities=[factories.UniversityFactory()])
        # The catalog revision, and the facet index's build or catch-up with the new programmes
        # and their place in title order (the order of the rows); the programmes, their
        # offerings with universities, their languages, deadlines, fees, requirements and fact
        # sources (how each cell is known).
        with django_assert_max_num_queries(10):
            assert export(client).streaming
        # Once the index has caught up, only the revision is read besides the rows (another
        # order is another file, made afresh).
        with django_assert_num_queries(8):
            assert export(client, {"sort": "-title"}).streaming
        # The same file again is kept: only the revision is read.
        with django_assert_num_queries(1):
            assert not export(client).streaming


def test_export_stops_at_its_row_limit_and_the_list_says_so(client, db, monkeypatch):
    monkeypatch.setattr("programs.web.views.EXPORT_ROW_LIMIT", 4)
    factories.ProgrammeFactory.create_batch(5)
    factories.ProgrammeFactory(title="Zebra Studies")
    assert len(rows(export(client))) == 4
    html = client.get(reverse("programs:programme-list")).content.decode()
    assert "the first 4 of these programmes: an export holds at most 4" in html

    narrowed = client.get(reverse("programs:programme-list"), {"q": "zebra"})
    assert "Zebra Studies" in narrowed.content.decode()
    assert "an export holds at most" not in narrowed.content.decode()


def test_list_page_links_to_the_export_of_the_current_filters(client, catalog):
    html = client.get(reverse("programs:programme-list"), {"language": "de"}).content.decode()
    assert 'href="/programmes/export.csv?language=de"' in html


# --- issue 17, item 11: a file name that says what it holds, country names, requirements ----


def test_export_file_name_names_the_filters_and_the_day(client, catalog):
    response = export(client, {"language": "EN", "country": "se", "sort": "ects", "page": "2"})
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="programmes-language-en-country-se-{today}.csv"'
    )


def test_export_file_name_keeps_to_safe_characters(client, catalog):
    response = export(client, {"q": 'Gesundheit "daten"/../ é;\r\nx'})
    filename = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert filename.startswith("programmes-q-gesundheit-daten-e")
    assert re.fullmatch(r"[a-z0-9_-]+\.csv", filename)


def test_export_file_name_stays_short_for_a_long_search(client, catalog):
    response = export(client, {"q": "health " * 40})
    filename = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert len(filename) <= len("programmes--2026-12-02.csv") + 80


def test_export_names_countries_in_the_downloads_language(client, catalog):
    response = client.get("/de/programmes/export.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(body, newline=""), delimiter=";")
    countries = {row["Titel"]: row["Länder"] for row in reader}
    assert countries["Data-driven Health"] == "Schweden"
    assert countries["Health Informatics"] == "Italien"


def test_export_has_the_admission_requirements_separated_by_bars(client, catalog):
    by_title = {row["title"]: row for row in rows(export(client))}
    assert by_title["Health Informatics"]["admission_requirements"] == "Admission test"
    assert by_title["Data-driven Health"]["admission_requirements"] == "not stated"


@pytest.mark.parametrize(
    "params", [{}, {"sort": "-title"}, {"q": "health"}, {"q": "data", "sort": "relevance"}]
)
def test_export_rows_come_in_the_lists_order(client, catalog, params):
    # The export reads its rows in the order the facet index gives, as the list pages do.
    listed = shown_slugs(client.get(reverse("programs:programme-list"), params))
    exported = [row["url"].rstrip("/").rsplit("/", 1)[-1] for row in rows(export(client, params))]
    assert listed and exported == listed


# --- Kept per catalog revision, language and applied filters (programs/web/downloads.py): the
# whole export cost 5 s at 20,000 programmes, each time, holding a worker.


def queries_of(client, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = export(client, params)
    return response, len(queries)


@pytest.mark.parametrize("params", [{}, {"language": "en", "country": "SE", "page": "3"}])
def test_a_second_download_is_kept_and_reads_only_the_revision(client, catalog, params):
    made, _ = queries_of(client, params)
    assert made.streaming
    kept, queries = queries_of(Client(), params)
    assert queries == 1  # the catalog revision, which names the kept file
    assert not kept.streaming
    assert kept.body == made.body
    for header in ("Content-Type", "Content-Disposition"):
        assert kept[header] == made[header]


def test_a_file_kept_yesterday_is_made_again_with_todays_date_in_its_name(client, catalog):
    with time_machine.travel("2026-12-02 10:00 +01:00", tick=False):
        yesterday = export(client)
    with time_machine.travel("2026-12-03 10:00 +01:00", tick=False):
        today = export(client)
    assert today.streaming
    assert today["Content-Disposition"] == 'attachment; filename="programmes-2026-12-03.csv"'
    assert yesterday.body == today.body


def test_a_write_shows_in_the_next_download(client, catalog):
    assert "Renamed Health" not in {row["title"] for row in rows(export(client))}
    programme = Programme.objects.get(slug="data-driven-health")
    programme.title = "Renamed Health"
    programme.save()
    fresh = export(client)
    assert fresh.streaming
    assert "Renamed Health" in {row["title"] for row in rows(fresh)}


def test_each_language_keeps_its_own_file(client, catalog):
    assert rows(export(client))  # the English file is kept
    german = client.get("/de/programmes/export.csv")
    body = b"".join(german.streaming_content).decode("utf-8-sig")
    assert body.startswith("Titel;")


def test_a_download_cut_off_is_not_kept(client, catalog):
    response = client.get(reverse("programs:programme-export"))
    sent = iter(response.streaming_content)
    next(sent)  # the byte order mark has gone, then the client left
    # The server drops the response unfinished: Django's test client then closes it as a WSGI
    # server does (its wrapper around the body runs response.close()).
    del sent, response
    gc.collect()
    assert export(client).streaming  # made again, in full
    assert not export(client).streaming


def test_a_kept_file_goes_compressed_to_a_client_that_accepts_gzip(client, catalog):
    plain = export(client)
    packed = export(client, headers={"Accept-Encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.body) == plain.body
