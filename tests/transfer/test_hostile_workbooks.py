"""Hostile and broken XLSX files get the import's own message, in seconds and in bounded memory,
on the admin's upload page (signed in with a second factor) and from `manage.py import_programmes`.

Each file is a few KB to a few hundred KB: what they ask of a reader is in what they unpack to
(tests/support/spreadsheet_files.py says how each is made).
"""

import functools
import html
import json
import os
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from programs.models import Programme, University
from tests.support import spreadsheet_files as files
from tests.support.factories import StaffUserFactory
from tests.support.local_servers import PROJECT_ROOT

pytestmark = pytest.mark.django_db

NAME = "hostile.xlsx"
UNREADABLE = f"{NAME} is not a readable XLSX workbook"
ENTITIES = (
    f"{UNREADABLE} (xl/worksheets/sheet1.xml declares XML entities, which a workbook never needs)."
)

# (what the file is, how it is made, what the page and the command say), for both.
HOSTILE = [
    (
        "a declared A1:XFD1048576 with its one cell in the last column",
        functools.partial(files.declared_dimension_bomb, "XFD1048576"),
        f"{NAME} has something in cell XFD1048576; the import reads columns A to CV only. Move "
        "it left, or delete it.",
    ),
    (
        "six million empty rows",
        files.row_bomb,
        f"{NAME} has more than 1,048,576 rows, more than a spreadsheet holds.",
    ),
    (
        "a row of three million cells",
        files.wide_row_bomb,
        f"{NAME} has a row of more than 16,384 cells, more than a spreadsheet holds.",
    ),
    (
        "300,000 cell formats",
        files.styles_bomb,
        f"{UNREADABLE} (xl/styles.xml holds more than 250,000 XML elements).",
    ),
    (
        "300,000 merged ranges",
        files.merged_cells_bomb,
        f"{UNREADABLE} (xl/worksheets/sheet1.xml holds more than 250,000 XML elements).",
    ),
    (
        "a cell of 200,000 text runs",
        files.rich_text_bomb,
        f"{UNREADABLE} (xl/worksheets/sheet1.xml has a row or text of more than 100,000 XML "
        "elements).",
    ),
    (
        "XML broken off",
        files.malformed_sheet,
        f"{UNREADABLE} (xl/worksheets/sheet1.xml: no element found).",
    ),
    ("an external entity", files.external_entity_sheet, ENTITIES),
    ("entity expansion", files.entity_expansion_sheet, ENTITIES),
    ("no sheet", files.workbook_without_sheets, f"{NAME} has no sheet."),
]
# Refused by the page's limits only: the command reads larger files.
HOSTILE_TO_THE_PAGE = [
    (
        "70 MB of text in one cell",
        files.huge_text_sheet,
        f"{NAME} unpacks to 70.0 MB; the import reads workbooks of up to 64.0 MB unpacked. Split "
        "it into smaller files.",
    ),
    (
        "600,000 shared texts",
        files.shared_strings_bomb,
        f"{NAME} holds more than 500,000 different texts; the import reads at most that many from "
        "one file. Split it into smaller files.",
    ),
]


@functools.cache
def crafted(make):
    """Each file is made once per run (the largest takes a second or two)."""
    return make()


def ids(cases):
    return [case[0] for case in cases]


@pytest.fixture
def hostile_file(tmp_path):
    def write(make):
        path = tmp_path / NAME
        path.write_bytes(crafted(make))
        return path

    return write


# --- bounded: the reader in a process of its own, with little memory and time -----------------

# The address space the reading process may have: Python, Django and openpyxl take some 250 MB
# of it; the files above asked for 0.8 to 4 GB before they were checked.
MEMORY_LIMIT = 400 * 1024 * 1024
TIME_LIMIT = 30  # seconds; each is read in under 5 on an idle machine

READER = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]),) * 2)
import django
django.setup()
from programs.transfer import spreadsheet_read
data = open(sys.argv[1], "rb").read()
# The page's limits are the default; the command's are named.
bounds = () if sys.argv[2] == "page" else (spreadsheet_read.COMMAND_LIMITS,)
try:
    table = spreadsheet_read.read_table(data, "hostile.xlsx", *bounds)
except spreadsheet_read.SpreadsheetError as refusal:
    print(json.dumps({"refused": str(refusal)}))
else:
    print(json.dumps({"rows": [line for line, _cells in table.rows]}))
"""


def read_in_a_small_process(path, limits):
    """What read_table answers in a process that can't have more than MEMORY_LIMIT."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", READER, str(path), limits, str(MEMORY_LIMIT)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT * 2,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr[-3000:]
    assert elapsed < TIME_LIMIT
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("limits", ["page", "command"])
@pytest.mark.parametrize(("make", "message"), [case[1:] for case in HOSTILE], ids=ids(HOSTILE))
def test_a_hostile_workbook_is_refused_in_little_memory_and_time(
    hostile_file, limits, make, message
):
    assert read_in_a_small_process(hostile_file(make), limits) == {"refused": message}


@pytest.mark.parametrize(
    ("make", "message"), [case[1:] for case in HOSTILE_TO_THE_PAGE], ids=ids(HOSTILE_TO_THE_PAGE)
)
def test_the_page_refuses_what_unpacks_past_its_limits_in_little_memory_and_time(
    hostile_file, make, message
):
    assert read_in_a_small_process(hostile_file(make), "page") == {"refused": message}


@pytest.mark.parametrize("limits", ["page", "command"])
def test_a_false_dimension_is_ignored_and_its_one_far_cell_read(hostile_file, limits):
    """A1:XFD1048576 declared, one cell in B1048576: read as the one row it is, in its place."""
    path = hostile_file(files.declared_dimension_bomb)
    assert read_in_a_small_process(path, limits) == {"rows": [1048576]}


# --- the admin's upload page ---------------------------------------------------------------------

PASSWORD = "correct horse battery staple"  # the factories' password


@pytest.fixture
def staff_page(client, catalog, settings):
    """The client signed in to the admin as RWTH staff, with password and authenticator code."""
    settings.ADMIN_REQUIRE_2FA = True
    alice = StaffUserFactory(
        username="alice", universities=[University.objects.get(slug="rwth-aachen")]
    )
    device = TOTPDevice.objects.create(user=alice, name="Authenticator app", confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    signed_in = client.post(
        reverse("admin:login"),
        {
            "username": "alice",
            "password": PASSWORD,
            "otp_token": f"{code:0{device.digits}d}",
            "next": reverse("admin:index"),
        },
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    return client


def catalog_rows():
    return sorted(Programme.objects.values_list("slug", "version"))


@pytest.mark.parametrize(
    ("make", "message"),
    [case[1:] for case in HOSTILE + HOSTILE_TO_THE_PAGE],
    ids=ids(HOSTILE + HOSTILE_TO_THE_PAGE),
)
def test_the_upload_page_refuses_a_hostile_workbook_with_its_message(staff_page, make, message):
    before = catalog_rows()
    response = files.upload(staff_page, crafted(make), names=(NAME, ""))
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert catalog_rows() == before


def test_the_upload_page_previews_the_one_cell_of_a_false_dimension(staff_page):
    response = files.upload(staff_page, crafted(files.declared_dimension_bomb), names=(NAME, ""))
    assert response.status_code == 200
    ((_sheet, line, _key, status, _changes, errors),) = files.rows_of(response)
    assert (line, status) == (1048576, "error")
    assert ("A1048576", "slug", "is required") in errors


def test_the_upload_page_refuses_more_rows_than_it_reads(staff_page):
    rows = [files.programme_row(slug=f"p{number}") for number in range(50_001)]
    content = files.csv_bytes(rows, ["slug", "title", "universities"])
    response = files.upload(staff_page, content, names=("many.csv", ""))
    assert response.status_code == 400
    assert (
        "many.csv has more than 50,000 rows of data; the import reads at most that many from one "
        "file. Split it into smaller files."
    ) in html.unescape(response.content.decode())


# --- manage.py import_programmes -----------------------------------------------------------------


@pytest.fixture
def alice(catalog):
    return StaffUserFactory(
        username="alice", universities=[University.objects.get(slug="rwth-aachen")]
    )


@pytest.mark.usefixtures("alice")
@pytest.mark.parametrize(("make", "message"), [case[1:] for case in HOSTILE], ids=ids(HOSTILE))
def test_the_command_refuses_a_hostile_workbook_with_its_message(hostile_file, make, message):
    before = catalog_rows()
    with pytest.raises(CommandError) as refusal:
        call_command("import_programmes", str(hostile_file(make)), "--user", "alice", "--commit")
    assert str(refusal.value) == f"Nothing was imported. {message}"
    assert catalog_rows() == before


@pytest.mark.usefixtures("alice")
def test_the_command_reads_the_one_cell_of_a_false_dimension(hostile_file, capsys):
    path = hostile_file(files.declared_dimension_bomb)
    with pytest.raises(CommandError) as refusal:
        call_command("import_programmes", str(path), "--user", "alice", "--no-progress")
    assert str(refusal.value) == "The file has errors; nothing was imported."
    assert "programmes row 1048576" in capsys.readouterr().out
