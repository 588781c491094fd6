"""Issue 30: staff give tuition fees and application deadlines in the programmes sheet, with the
source rule of every fact (the source's words, or why they are inferred)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from programs.models import ApplicationDeadline, Programme, Tuition, University
from programs.transfer.spreadsheet_columns import PROGRAMME_COLUMNS
from tests.support.factories import StaffUserFactory
from tests.support.spreadsheet_files import (
    confirm,
    csv_bytes,
    export,
    programme_row,
    rows_of,
    upload,
)

pytestmark = pytest.mark.django_db

FEES = "1500 EUR semester non-eu; 0 EUR semester eu"
DEADLINES = "2027-01-15 winter 2027 non-eu; 2027-07-15 winter 2027 eu"


@pytest.fixture
def rwth_staff(client, catalog):
    user = StaffUserFactory(
        username="alice", universities=[University.objects.get(slug="rwth-aachen")]
    )
    client.force_login(user)
    return client


def with_fees(**values):
    given = {
        "slug": "clinical-data-science",
        "tuition_fees": FEES,
        "tuition_source_quote": "1,500 euros per semester for non-EU students",
        "application_deadlines": DEADLINES,
        "deadlines_inferred_because": "The faculty's calendar, not the programme's page.",
    }
    return programme_row(**{**given, **values})


def test_fees_and_deadlines_are_imported_with_how_they_are_known(rwth_staff):
    preview = upload(rwth_staff, csv_bytes([with_fees()], PROGRAMME_COLUMNS))
    assert [row[5] for row in rows_of(preview)] == [[]]
    assert confirm(rwth_staff, preview).status_code == 302

    programme = Programme.objects.get(slug="clinical-data-science")
    fees = list(programme.tuition_fees.order_by("position"))
    assert [(f.amount, f.currency, f.period, f.applicant_group) for f in fees] == [
        (Decimal("1500"), "EUR", "semester", "non-eu"),
        (Decimal("0"), "EUR", "semester", "eu"),
    ]
    assert {f.source_quote for f in fees} == {"1,500 euros per semester for non-EU students"}
    deadlines = list(programme.application_deadlines.order_by("position"))
    assert [(d.deadline, d.intake, d.intake_year, d.applicant_group) for d in deadlines] == [
        (datetime.date(2027, 1, 15), "winter", 2027, "non-eu"),
        (datetime.date(2027, 7, 15), "winter", 2027, "eu"),
    ]
    assert all(d.inferred_because for d in deadlines)
    # Recorded in history as the importing user's, like every other part.
    assert Tuition.history.filter(programme_id=programme.pk).count() == 2


def test_a_fee_without_its_source_is_refused(rwth_staff):
    row = with_fees(tuition_source_quote="")
    response = upload(rwth_staff, csv_bytes([row], PROGRAMME_COLUMNS))
    (errors,) = [row[5] for row in rows_of(response)]
    assert len(errors) == 1
    _cell, column, message = errors[0]
    assert column == "tuition_fees"
    assert "tuition_source_quote" in message and "tuition_inferred_because" in message
    assert "Some rows have errors, so nothing can be imported" in response.content.decode()


@pytest.mark.parametrize(
    ("column", "cell", "says"),
    [
        ("tuition_fees", "lots EUR semester", "is not an amount"),
        ("tuition_fees", "1500 euro semester", "is not a currency code"),
        ("tuition_fees", "1500 EUR month", "is not one of: semester, year, programme"),
        ("application_deadlines", "15.01.2027", "is not a date as YYYY-MM-DD"),
        ("application_deadlines", "2027-01-15 soon", "is no intake, year or applicant group"),
    ],
)
def test_a_cell_that_cant_be_read_says_why(rwth_staff, column, cell, says):
    response = upload(rwth_staff, csv_bytes([with_fees(**{column: cell})], PROGRAMME_COLUMNS))
    (errors,) = [row[5] for row in rows_of(response)]
    assert [(c, says in m) for _cell, c, m in errors] == [(column, True)]


def test_one_bad_row_writes_no_fees_at_all(rwth_staff):
    good = with_fees()
    bad = with_fees(slug="another-programme", tuition_fees="-5 EUR year")
    response = upload(rwth_staff, csv_bytes([good, bad], PROGRAMME_COLUMNS))
    assert "Some rows have errors, so nothing can be imported" in response.content.decode()
    assert (
        rwth_staff.post(
            "/admin/programs/programme/import/", {"confirm": "1", "fingerprint": "x"}
        ).status_code
        == 400
    )
    assert not Tuition.objects.exists() and not ApplicationDeadline.objects.exists()
    assert not Programme.objects.filter(slug="clinical-data-science").exists()


def test_the_export_writes_them_as_the_import_reads_them(rwth_staff):
    preview = upload(rwth_staff, csv_bytes([with_fees()], PROGRAMME_COLUMNS))
    confirm(rwth_staff, preview)
    rows = list(csv.DictReader(io.StringIO(export(rwth_staff, "programmes", "csv").decode())))
    (row,) = [row for row in rows if row["slug"] == "clinical-data-science"]
    assert row["tuition_fees"] == FEES
    assert row["application_deadlines"] == DEADLINES
    # Imported again as exported: nothing changes.
    again = upload(rwth_staff, csv_bytes(rows, list(rows[0])))
    statuses = {key: status for _s, _l, key, status, _c, _e in rows_of(again)}
    assert statuses["clinical-data-science"] == "unchanged"


def test_a_file_without_the_columns_leaves_fees_as_they_are(rwth_staff):
    confirm(rwth_staff, upload(rwth_staff, csv_bytes([with_fees()], PROGRAMME_COLUMNS)))
    columns = [c for c in PROGRAMME_COLUMNS if "tuition" not in c and "deadline" not in c]
    row = {**with_fees(), "summary": "Now with a summary."}
    preview = upload(rwth_staff, csv_bytes([row], columns))
    assert confirm(rwth_staff, preview).status_code == 302
    assert Tuition.objects.filter(programme__slug="clinical-data-science").count() == 2


def test_a_quote_not_in_the_source_text_is_refused(rwth_staff):
    """Where the catalog keeps the source text, the quote must be its words, as in the admin."""
    source = "000_7b5a055619dfbeca.txt"  # Medical Data Science's page, which states no fee
    row = with_fees(source_document=source, tuition_source_quote="1,500 euros per semester")
    response = upload(rwth_staff, csv_bytes([row], PROGRAMME_COLUMNS))
    (errors,) = [row[5] for row in rows_of(response)]
    assert [column for _cell, column, _message in errors] == ["tuition_source_quote"]
    stated = with_fees(source_document=source, tuition_source_quote="Private Course of Study")
    response = upload(rwth_staff, csv_bytes([stated], PROGRAMME_COLUMNS))
    assert [row[5] for row in rows_of(response)] == [[]]
