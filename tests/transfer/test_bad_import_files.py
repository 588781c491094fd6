"""Bad spreadsheet files get a clear message and write nothing, in the admin and on the command
line."""

import io

import pytest
from django.core.management import CommandError, call_command

from programs.models import Module, Programme, University
from programs.transfer.spreadsheet_columns import MODULE_COLUMNS, PROGRAMME_COLUMNS
from tests.support.factories import StaffUserFactory
from tests.support.spreadsheet_files import csv_bytes, programme_row, rows_of, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ",".join(PROGRAMME_COLUMNS)


@pytest.fixture
def rwth_staff(client, catalog):
    user = StaffUserFactory(
        username="alice", universities=[University.objects.get(slug="rwth-aachen")]
    )
    client.force_login(user)
    return client


def written():
    """What any import would have added or changed."""
    return (
        sorted(Programme.objects.values_list("slug", "version")),
        Module.objects.count(),
        Programme.history.count(),
        Module.history.count(),
    )


def new(**values):
    return csv_bytes([programme_row(slug="clinical-data-science", **values)], PROGRAMME_COLUMNS)


# (what is wrong, the file's bytes, the message the page shows)
WHOLE_FILE_PROBLEMS = [
    (
        "wrong encoding",
        f"{HEADER}\nclinical,Café,rwth-aachen\n".encode("latin-1"),
        "programmes.csv is not UTF-8 text (an unreadable byte on line 2). Save the spreadsheet "
        "as “CSV UTF-8”, or as XLSX.",
    ),
    ("empty file", b"", "programmes.csv is empty."),
    ("only blank lines", b"\n\n,,\n", "programmes.csv is empty."),
    ("header only", HEADER.encode(), "programmes.csv has a header row but no rows of data."),
    (
        "a broken workbook",
        b"PK\x03\x04 not really a workbook",
        "programmes.csv is not a readable XLSX workbook",
    ),
]


@pytest.mark.parametrize(
    ("content", "message"),
    [case[1:] for case in WHOLE_FILE_PROBLEMS],
    ids=[case[0] for case in WHOLE_FILE_PROBLEMS],
)
def test_an_unreadable_file_is_refused_with_a_plain_message(rwth_staff, content, message):
    before = written()
    response = upload(rwth_staff, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert written() == before


# (what is wrong, the programmes file, [(cell, column, message)] of the row or header at fault)
ROW_PROBLEMS = [
    (
        "missing column",
        b"slug,title\nclinical,Clinical\n",
        [("1", "universities", "the column “universities” is missing")],
    ),
    (
        "unknown column",
        b"slug,title,universities,colour\nclinical,Clinical,rwth-aachen,blue\n",
        [
            (
                "D1",
                "colour",
                "unknown column “colour”; the columns are: " + ", ".join(PROGRAMME_COLUMNS),
            )
        ],
    ),
    (
        "a column twice",
        b"slug,title,universities,title\nclinical,Clinical,rwth-aachen,Clinical\n",
        [("D1", "title", "the column appears more than once")],
    ),
    ("ECTS out of range", new(ects="6000"), [("K2", "ects", "6000 is out of range (0 to 600)")]),
    ("ECTS not a number", new(ects="ninety"), [("K2", "ects", "“ninety” is not a whole number")]),
    (
        "negative ECTS",
        new(ects="-30"),
        [("K2", "ects", "-30 is out of range (0 to 600)")],
    ),
    (
        "unknown language",
        new(languages="en; xx"),
        [("J2", "languages", "“xx” is not a language of the catalog")],
    ),
    (
        "unknown university",
        new(universities="nowhere-university"),
        [("C2", "universities", "no university with the slug “nowhere-university”")],
    ),
    (
        "formula",
        new(title='=HYPERLINK("http://evil.example","Click")'),
        [
            (
                "B2",
                "title",
                "starts with “=”, so a spreadsheet would run it as a formula. If it is text, "
                "start the cell with an apostrophe (').",
            )
        ],
    ),
    (
        "formula with @",
        new(summary="@SUM(1+1)*cmd|' /C calc'!A0"),
        [
            (
                "S2",
                "summary",
                "starts with “@”, so a spreadsheet would run it as a formula. If it is text, "
                "start the cell with an apostrophe (').",
            )
        ],
    ),
    (
        "unknown level",
        new(level="masters"),
        [("E2", "level", "“masters” is not one of: bachelor, master, doctorate, other")],
    ),
    ("no title", new(title=""), [("B2", "title", "is required")]),
    (
        "not a slug",
        csv_bytes([programme_row(slug="clinical data")], PROGRAMME_COLUMNS),
        [
            (
                "A2",
                "slug",
                "“clinical data” is not a slug (letters, digits, hyphens and underscores)",
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("content", "errors"),
    [case[1:] for case in ROW_PROBLEMS],
    ids=[case[0] for case in ROW_PROBLEMS],
)
def test_a_bad_cell_is_named_with_the_reason_and_nothing_is_written(rwth_staff, content, errors):
    before = written()
    response = upload(rwth_staff, content)
    assert response.status_code == 200
    assert [row[5] for row in rows_of(response) if row[3] == "error"] == [errors]
    assert "Some rows have errors, so nothing can be imported" in response.content.decode()
    assert written() == before


def test_duplicate_slugs_point_at_the_first_row(rwth_staff):
    rows = [programme_row(slug="twice"), programme_row(slug="other"), programme_row(slug="twice")]
    response = upload(rwth_staff, csv_bytes(rows, PROGRAMME_COLUMNS))
    assert rows_of(response)[2][5] == [
        ("A4", "slug", "“twice” appears again: it is already on row 2")
    ]
    assert not Programme.objects.filter(slug="twice").exists()


def test_a_formula_typed_into_an_xlsx_cell_is_refused(rwth_staff):
    rows = [programme_row(slug="clinical", ects="=60*2")]
    response = upload(rwth_staff, xlsx_bytes(rows, PROGRAMME_COLUMNS), names=("p.xlsx", ""))
    assert rows_of(response)[0][5] == [
        (
            "K2",
            "ects",
            "starts with “=”, so a spreadsheet would run it as a formula. If it is text, start "
            "the cell with an apostrophe (').",
        )
    ]


def test_text_behind_an_apostrophe_is_imported_as_text(rwth_staff):
    rows = [programme_row(slug="clinical", summary="'- taught in English")]
    response = upload(rwth_staff, csv_bytes(rows, PROGRAMME_COLUMNS))
    assert rows_of(response)[0][3] == "new"
    rwth_staff.post(
        "/admin/programs/programme/import/",
        {"confirm": "1", "fingerprint": response.context["preview"].fingerprint},
    )
    assert Programme.objects.get(slug="clinical").summary == "- taught in English"


MODULE_PROBLEMS = [
    (
        "module ECTS out of range",
        {"ects": "1000"},
        [("H2", "ects", "1000 is out of range (0 to 999.9)")],
    ),
    (
        "module credits past the programme's",
        {"ects": "95"},
        [
            (
                "H2",
                "ects",
                "the modules' credits add up to 95 ECTS, more than the programme's 90 ECTS",
            )
        ],
    ),
    (
        "a semester past the programme's period",
        {"semester": "7"},
        [("E2", "semester", "semester 7 is beyond the standard period of 4")],
    ),
    (
        "unknown kind",
        {"kind": "lecture"},
        [
            (
                "D2",
                "kind",
                "“lecture” is not one of: compulsory, elective, alternative, focus-area, "
                "project, internship, thesis",
            )
        ],
    ),
    (
        "unknown track",
        {"track": "Nowhere"},
        [("G2", "track", "“Nowhere” is not a track of this programme")],
    ),
    (
        "unknown programme",
        {"programme": "no-such-programme"},
        [
            (
                "A2",
                "programme",
                "no programme with the slug “no-such-programme” (here or in the programmes file)",
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("cells", "errors"),
    [case[1:] for case in MODULE_PROBLEMS],
    ids=[case[0] for case in MODULE_PROBLEMS],
)
def test_a_bad_module_row_is_named_and_nothing_is_written(rwth_staff, cells, errors):
    row = {
        "programme": "medical-data-science",
        "position": "0",
        "title": "Statistics",
        "kind": "compulsory",
        **cells,
    }
    before = written()
    response = upload(rwth_staff, modules=csv_bytes([row], MODULE_COLUMNS))
    assert [r[5] for r in rows_of(response) if r[3] == "error"] == [errors]
    assert written() == before


def test_a_file_too_large_for_the_page_points_at_the_command(rwth_staff):
    three_megabytes = HEADER.encode() + b"\n" + b"x" * (3 * 1024 * 1024)
    before = written()
    response = upload(rwth_staff, three_megabytes)
    assert response.status_code == 400
    assert (
        "programmes.csv is 3.0 MB; this page takes files up to 2.0 MB. Import larger files on "
        "the server with “manage.py import_programmes”."
    ) in response.content.decode()
    assert written() == before


def test_a_body_too_large_to_read_is_refused_unread_and_points_at_the_command(rwth_staff):
    """Past the page's two files and its form (programs/web/request_bodies.py) the body is not
    read at all (413), and the page still says where a large spreadsheet goes."""
    fifty_megabytes = HEADER.encode() + b"\n" + b"x" * (50 * 1024 * 1024)
    before = written()
    response = upload(rwth_staff, fifty_megabytes)
    assert response.status_code == 413
    assert (
        "This page takes files up to 2.0\xa0MB. Import larger files on the server with "
        "“manage.py import_programmes”."
    ) in response.content.decode()
    assert written() == before


def test_the_command_refuses_bad_files_the_same_way(catalog, tmp_path):
    StaffUserFactory(username="alice", universities=[University.objects.get(slug="rwth-aachen")])
    latin = tmp_path / "latin.csv"
    latin.write_bytes(f"{HEADER}\nclinical,Café,rwth-aachen\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin\.csv is not UTF-8 text"):
        call_command("import_programmes", str(latin), "--user", "alice", "--commit")
    out_of_range = tmp_path / "ects.csv"
    out_of_range.write_bytes(new(ects="6000"))
    before = written()
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"The file has errors; nothing was imported\."):
        call_command(
            "import_programmes", str(out_of_range), "--user", "alice", "--commit", stdout=out
        )
    assert "K2 ects: 6000 is out of range (0 to 600)" in out.getvalue()
    assert written() == before


def test_a_csv_saved_with_semicolons_reads_as_well(rwth_staff):
    content = b"slug;title;universities;ects\nclinical;Clinical;rwth-aachen;120\n"
    response = upload(rwth_staff, content)
    assert rows_of(response)[0][:4] == ("programmes", 2, "clinical", "new")


def test_a_programme_total_below_its_stored_modules_credits_is_refused(rwth_staff):
    Programme.objects.get(slug="medical-data-science").modules.filter(position=0).update(ects=30)
    rows = [
        {
            "slug": "medical-data-science",
            "title": "Medical Data Science",
            "universities": "rwth-aachen",
            "ects": "20",
        }
    ]
    response = upload(rwth_staff, csv_bytes(rows, ["slug", "title", "universities", "ects"]))
    assert rows_of(response)[0][5] == [
        ("D2", "ects", "the modules' credits add up to 30 ECTS, more than the programme's 20 ECTS")
    ]
