"""Rules written once in programs/core/ and enforced everywhere they apply, in the same words.

The quote-in-source rule (core/quotes.py) speaks through the admin's form, the spreadsheet import
and validate_catalog; the ECTS ceiling (core/limits.py) holds in the model, the database and the
import; the formula escaping (core/cells.py) is undone by the import exactly as the exports do it.
"""

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from programs.core.cells import FORMULA_STARTS, escape_formula, formula_sign, unescape_formula
from programs.core.limits import ECTS_FILTER_MAX, PROGRAMME_ECTS_MAX
from programs.core.offering_rule import as_sentence, staff_offering_problems
from programs.core.quotes import SourceText, not_in_source
from programs.models import KeyFact, Programme
from programs.transfer.spreadsheet_cells import PROGRAMME_PARSERS, CellError, unquote
from programs.transfer.spreadsheet_columns import MODULE_COLUMNS, cell_text
from programs.web.csv_export import csv_cell
from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data, row_index
from tests.support.spreadsheet_files import csv_bytes, export, rows_of, upload

INVENTED = "Taught entirely at the invented campus."


@pytest.fixture
def superuser_client(client, catalog):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True, username="root"))
    return client


# --- a quote must be the source's own words ----------------------------------------------------


def test_a_quote_is_checked_passage_by_passage_spacing_aside():
    source = SourceText("The first year\n  is compulsory. The second is not.")
    assert source.missing_passages("The first year is compulsory.") == []
    assert source.missing_passages("The first year\n…\nThe third is not.") == ["The third is not."]
    assert source.missing_passages(None) == []


def test_the_admin_refuses_a_made_up_quote_in_the_rules_words(superuser_client):
    programme = Programme.objects.get(slug="data-driven-health")
    data = form_data(superuser_client.get(change_url(programme)))
    row = row_index(data, "fact_sources", "fact", KeyFact.CAMPUS)
    data[f"fact_sources-{row}-source_quote"] = INVENTED

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 200
    assert not_in_source(INVENTED) in errors_of(response)


def test_the_import_refuses_a_made_up_quote_in_the_rules_words(superuser_client):
    modules = list(csv.DictReader(io.StringIO(export(superuser_client, "modules", "csv").decode())))
    row = next(i for i, m in enumerate(modules) if m["programme"] == "data-driven-health")
    modules[row]["source_quote"] = INVENTED

    response = upload(superuser_client, modules=csv_bytes(modules, MODULE_COLUMNS))

    errors = [error for preview_row in rows_of(response) for error in preview_row[5]]
    assert [message for _cell, column, message in errors if column == "source_quote"] == [
        not_in_source(INVENTED)
    ]


def test_validate_catalog_reports_a_made_up_quote_in_the_rules_words(catalog):
    module = Programme.objects.get(slug="data-driven-health").modules.first()
    module.source_quote = INVENTED
    module.save()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("validate_catalog", stdout=out)
    assert not_in_source(INVENTED) in out.getvalue()


# --- a programme's ECTS total has one ceiling --------------------------------------------------


def test_the_model_refuses_an_ects_total_above_the_ceiling_with_a_clear_message(db):
    programme = factories.ProgrammeFactory(ects=PROGRAMME_ECTS_MAX)
    programme.validate_constraints()  # the ceiling itself is allowed
    programme.ects = PROGRAMME_ECTS_MAX + 1
    with pytest.raises(ValidationError) as refused:
        programme.validate_constraints()
    assert refused.value.messages == [
        f"ECTS credits can't be more than {PROGRAMME_ECTS_MAX} (ten years of full-time study)."
    ]


def test_the_database_refuses_an_ects_total_above_the_ceiling(db):
    programme = factories.ProgrammeFactory(ects=120)
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(ects=PROGRAMME_ECTS_MAX + 1)


def test_the_admin_refuses_an_ects_total_above_the_ceiling(superuser_client):
    programme = Programme.objects.get(slug="data-driven-health")
    data = form_data(superuser_client.get(change_url(programme)))
    data["ects"] = str(PROGRAMME_ECTS_MAX + 1)

    response = superuser_client.post(change_url(programme), data)

    assert response.status_code == 200
    assert f"ECTS credits can't be more than {PROGRAMME_ECTS_MAX}" in errors_of(response)


def test_the_import_reads_ects_up_to_the_same_ceiling():
    parse = PROGRAMME_PARSERS["ects"]
    assert parse(str(PROGRAMME_ECTS_MAX)) == PROGRAMME_ECTS_MAX
    with pytest.raises(CellError, match=f"out of range \\(0 to {PROGRAMME_ECTS_MAX}\\)"):
        parse(str(PROGRAMME_ECTS_MAX + 1))


def test_the_filters_bound_is_never_below_the_ceiling():
    # A bound below the ceiling would refuse a visitor's bound that some programme can reach.
    assert ECTS_FILTER_MAX >= PROGRAMME_ECTS_MAX


# --- the staff offering rule's words -------------------------------------------------------------


class Check:
    foreign_added = [1]
    partners_touched = [2]
    keeps_own = False


def test_the_staff_offering_rule_says_each_problem_once_in_a_fixed_order():
    problems = staff_offering_problems(Check, {1: "KTH", 2: "RWTH"})
    assert problems == [
        "you don't work for KTH: only its staff can add it",
        "only staff of RWTH can change or remove its part in this programme",
        "the programme must stay offered by at least one of your universities",
    ]
    assert as_sentence(problems[1]) == (
        "Only staff of RWTH can change or remove its part in this programme."
    )


# --- a cell a spreadsheet would run as a formula --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        *["=SUM(A1)", "+49 30", "-5", "@home", "\tx", "plain", ""],
        # after a separator a spreadsheet may split on, and apostrophes a person typed
        *["Good fees;=1+1", "a\n-1", 'a, "@b"', "'=x", "a;'-b", "''"],
    ],
)
def test_the_import_reads_back_what_the_exports_escape(text):
    assert unescape_formula(escape_formula(text)) == text
    assert unquote(cell_text(text)) == text
    if text:
        assert csv_cell(text) == escape_formula(text)


@pytest.mark.parametrize("sign", sorted(FORMULA_STARTS))
def test_a_formula_written_without_its_apostrophe_is_refused(sign):
    with pytest.raises(CellError):
        unquote(f"{sign}1")


@pytest.mark.parametrize(
    "text", [" =1+1", "  +SUM(A1)", "\n=HYPERLINK(1)", " \r\n@cmd", "\u3000-2"]
)
def test_spaces_or_line_breaks_before_a_formula_sign_dont_hide_it(text):
    """Some spreadsheets skip leading blanks when they read a cell: " =1+1" runs as a formula
    there, so it is escaped (and read back) like "=1+1", and refused without its apostrophe."""
    escaped = escape_formula(text)
    # An apostrophe just before each sign: what a spreadsheet then sees first is an apostrophe.
    assert escaped != text and formula_sign(escaped) is None
    assert csv_cell(text) == escaped
    assert cell_text(text) == escaped
    assert unescape_formula(escaped) == text
    assert unquote(cell_text(text)) == text
    with pytest.raises(CellError, match=re.escape(f"starts with “{text.strip()[0]}”")):
        unquote(text)


@pytest.mark.parametrize("text", [" plain", "\nline", "  ", "a =b"])
def test_leading_blanks_alone_are_left_as_written(text):
    assert escape_formula(text) == text
    assert unescape_formula(text) == text


# --- one list of the fields staff edit -----------------------------------------------------------


def test_every_edited_field_has_a_spreadsheet_column_a_cell_rule_and_an_admin_field():
    from programs.core.programme_fields import MODULE_FIELDS, PROGRAMME_FIELDS
    from programs.staff.forms import ProgrammeAdminForm
    from programs.transfer.spreadsheet_cells import MODULE_PARSERS
    from programs.transfer.spreadsheet_columns import PROGRAMME_COLUMNS
    from programs.transfer.spreadsheet_fees import COLUMNS as FEE_COLUMNS

    # The fees and deadlines are parts (edited in the admin's inline tables), in the sheet as
    # lists with how they are known.
    assert (
        set(PROGRAMME_PARSERS)
        == set(PROGRAMME_COLUMNS)
        == {*PROGRAMME_FIELDS, "universities", *FEE_COLUMNS}
    )
    assert set(MODULE_PARSERS) == set(MODULE_COLUMNS) == {*MODULE_FIELDS, "programme", "position"}
    assert set(ProgrammeAdminForm.base_fields) >= set(PROGRAMME_FIELDS)
