"""Reading a spreadsheet's cells: each column's rule, and the sheet's header row.

Each cell is checked by the rule of its field (choices, ranges, lengths), and a cell a
spreadsheet would run as a formula is refused (written as text, it starts with an apostrophe, as
the export writes it). A broken rule is a CellError, noted on the row's RowChange: the person
importing sees every problem of the file at once, cell by cell.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.utils import formats
from django.utils.translation import gettext as _

from programs.core.cells import formula_sign, unescape_formula
from programs.core.limits import MODULE_ECTS_MAX, POSITION_MAX, PROGRAMME_ECTS_MAX, SEMESTERS_MAX
from programs.models import (
    ApplicationDeadline,
    Delivery,
    FieldOfStudy,
    Level,
    Module,
    ModuleKind,
    Programme,
    StartTerm,
    StudyMode,
    Track,
    Tuition,
)
from programs.transfer.spreadsheet_columns import LIST_SEPARATOR
from programs.transfer.spreadsheet_fees import parse_deadlines, parse_tuition
from programs.transfer.spreadsheet_preview import ERROR, NEW, RowChange

REQUIRED_PROGRAMME_COLUMNS = ("slug", "title", "universities")
REQUIRED_MODULE_COLUMNS = ("programme", "position", "title", "kind")
# Cells that may not be empty (checked before any other rule).
REQUIRED_CELLS = {"slug", "title", "position", "kind"}
# An empty cell is a fact not stated (None), except in these: a list cell reads as no items, and
# an empty retired cell as still admitting. An empty cell never reaches its column's parser
# (parse_rows), so this is where that is said; a None would be written into a NOT NULL column.
LIST_COLUMNS = {"universities", "languages", "tuition_fees", "application_deadlines"}
EMPTY_CELL_VALUES = {"retired": False}


def column_letter(index):
    """The spreadsheet letter of a 0-based column: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class CellError(ValueError):
    """A cell's value breaks a rule; the message says which, for the person importing."""


def unquote(text):
    """A text cell's value: the apostrophes escape_formula() puts before formula signs are taken
    off; a formula refused. Only a formula sign at the start (after any spaces or line breaks a
    spreadsheet skips) is one: after a separator inside a cell it is text, which every export
    writes escaped again."""
    sign = formula_sign(text)
    if sign is not None:
        raise CellError(
            _(
                "starts with “%(sign)s”, so a spreadsheet would run it as a formula. If it is "
                "text, start the cell with an apostrophe (')."
            )
            % {"sign": sign.replace("\t", "tab").replace("\r", "carriage return")}
        )
    return unescape_formula(text)


def text_of(model, name, required=False, strip=False):
    max_length = model._meta.get_field(name).max_length

    def parse(cell):
        value = unquote(cell)
        if strip:
            value = value.strip()
        if value == "" or (not value.strip()):
            if required:
                raise CellError(_("is required"))
            return None
        if max_length and len(value) > max_length:
            raise CellError(
                _("is %(length)s characters long; at most %(max)s fit")
                % {"length": len(value), "max": max_length}
            )
        return value

    return parse


def choice_of(choices):
    allowed = [value for value, _label in choices]

    def parse(cell):
        value = unquote(cell).strip()
        if not value:
            return None
        if value not in allowed:
            raise CellError(
                _("“%(value)s” is not one of: %(allowed)s")
                % {"value": value, "allowed": ", ".join(allowed)}
            )
        return value

    return parse


def required(parse):
    def parse_required(cell):
        value = parse(cell)
        if value is None:
            raise CellError(_("is required"))
        return value

    return parse_required


def whole_number(low, high):
    def parse(cell):
        value = cell.strip()
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            unquote(value)  # a formula says so
            raise CellError(_("“%(value)s” is not a whole number") % {"value": value}) from None
        if not low <= number <= high:
            raise CellError(
                _("%(value)s is out of range (%(low)s to %(high)s)")
                % {"value": number, "low": low, "high": high}
            )
        return number

    return parse


def module_credits(cell):
    value = cell.strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        unquote(value)
        raise CellError(_("“%(value)s” is not a number") % {"value": value}) from None
    if not number.is_finite() or not Decimal(0) <= number <= MODULE_ECTS_MAX:
        raise CellError(
            _("%(value)s is out of range (%(low)s to %(high)s)")
            % {"value": value, "low": 0, "high": formats.number_format(MODULE_ECTS_MAX)}
        )
    if number != number.quantize(Decimal("0.1")):
        raise CellError(_("%(value)s has more than one decimal place") % {"value": value})
    return number.quantize(Decimal("0.1"))


def yes_or_no(cell):
    value = unquote(cell).strip().lower()
    if not value:
        return None
    if value in {"yes", "true", "1"}:
        return True
    if value in {"no", "false", "0"}:
        return False
    raise CellError(_("“%(value)s” is not yes or no") % {"value": cell})


def iso_date(cell):
    value = unquote(cell).strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CellError(_("“%(value)s” is not a date (YYYY-MM-DD)") % {"value": value}) from None


def slug(cell):
    value = text_of(Programme, "slug", required=True, strip=True)(cell)
    try:
        validate_slug(value)
    except ValidationError:
        raise CellError(
            _("“%(value)s” is not a slug (letters, digits, hyphens and underscores)")
            % {"value": value}
        ) from None
    return value


def web_address(cell):
    value = text_of(Programme, "source_url", strip=True)(cell)
    if value is not None:
        try:
            URLValidator()(value)
        except ValidationError:
            raise CellError(_("“%(value)s” is not a web address") % {"value": value}) from None
    return value


def code_list(cell):
    value = unquote(cell)
    return [code.strip() for code in value.split(LIST_SEPARATOR) if code.strip()]


PROGRAMME_PARSERS = {
    "slug": slug,
    "title": text_of(Programme, "title", required=True),
    "universities": code_list,
    "degree": text_of(Programme, "degree"),
    "level": choice_of(Level.choices),
    # By its ISCED-F 2013 code ("091"), as the list's `field` parameter names it.
    "field_of_study": choice_of(FieldOfStudy.choices),
    "is_joint_degree": yes_or_no,
    "faculty": text_of(Programme, "faculty"),
    "campus": text_of(Programme, "campus"),
    "city": text_of(Programme, "city"),
    "languages": code_list,
    "ects": whole_number(0, PROGRAMME_ECTS_MAX),
    "duration_semesters": whole_number(1, SEMESTERS_MAX),
    "duration_as_stated": text_of(Programme, "duration_as_stated"),
    "start_term": choice_of(StartTerm.choices),
    "study_mode": choice_of(StudyMode.choices),
    "delivery": choice_of(Delivery.choices),
    "tuition_type": text_of(Programme, "tuition_type"),
    "approval_status": text_of(Programme, "approval_status"),
    "summary": text_of(Programme, "summary"),
    "description": text_of(Programme, "description"),
    "career_prospects": text_of(Programme, "career_prospects"),
    "source_document": text_of(Programme, "source_document", strip=True),
    "source_url": web_address,
    "transcribed_on": iso_date,
    "published": yes_or_no,
    # A blank cell: still admitting (the default), never "not stated"; an empty one is read as
    # such in parse_rows (EMPTY_CELL_VALUES).
    "retired": lambda cell: bool(yes_or_no(cell)),
    "admission_ends": text_of(Programme, "admission_ends"),
    "tuition_fees": lambda cell: parse_tuition(unquote(cell), CellError),
    "tuition_source_quote": text_of(Tuition, "source_quote"),
    "tuition_inferred_because": text_of(Tuition, "inferred_because"),
    "application_deadlines": lambda cell: parse_deadlines(unquote(cell), CellError),
    "deadlines_source_quote": text_of(ApplicationDeadline, "source_quote"),
    "deadlines_inferred_because": text_of(ApplicationDeadline, "inferred_because"),
}
MODULE_PARSERS = {
    "programme": lambda cell: unquote(cell).strip() or None,
    "position": required(whole_number(0, POSITION_MAX)),
    "title": text_of(Module, "title", required=True),
    "kind": required(choice_of(ModuleKind.choices)),
    "semester": whole_number(1, SEMESTERS_MAX),
    "year": whole_number(1, SEMESTERS_MAX),
    "track": text_of(Track, "name"),
    "ects": module_credits,
    "description": text_of(Module, "description"),
    "source_quote": text_of(Module, "source_quote"),
    "inferred_because": text_of(Module, "inferred_because"),
}


@dataclass
class ParsedRow:
    """A data row as read: its values by column, and the RowChange its problems are noted on."""

    line: int
    values: dict
    cells: list  # the row's raw text cells
    columns: dict  # column name -> (index, spreadsheet letter), shared by a sheet's rows
    change: RowChange
    stored_module: dict | None = None  # the stored module's STORED_MODULE_VALUES

    def error(self, column, message):
        place = self.columns.get(column)
        cell = f"{place[1]}{self.line}" if place else ""
        self.change.errors.append((cell, column, str(message)))
        self.change.status = ERROR


def column_problems(table, sheet, known, needed):
    """Whole-file errors of a sheet's header row: missing, unknown and repeated columns."""
    problems = []
    seen = set()
    for index, header in enumerate(table.headers):
        cell = f"{column_letter(index)}{table.header_line}"
        if not header:
            problems.append((cell, "", _("this column has no name")))
        elif header not in known:
            problems.append(
                (
                    cell,
                    header,
                    _("unknown column “%(column)s”; the columns are: %(known)s")
                    % {"column": header, "known": ", ".join(known)},
                )
            )
        elif header in seen:
            problems.append((cell, header, _("the column appears more than once")))
        seen.add(header)
    for name in needed:
        if name not in table.headers:
            missing = _("the column “%(column)s” is missing") % {"column": name}
            problems.append((str(table.header_line), name, missing))
    if not problems:
        return None
    return RowChange(
        sheet=sheet,
        line=table.header_line,
        key=table.name,
        status=ERROR,
        label=_("header"),
        errors=problems,
    )


def parse_rows(table, sheet, parsers, key_of):
    """Each data row as a ParsedRow: its cells read by the column rules, errors noted."""
    rows = []
    columns = {header: (index, column_letter(index)) for index, header in enumerate(table.headers)}
    indexed = [(index, header, parsers[header]) for index, header in enumerate(table.headers)]
    width = len(table.headers)
    for line, cells in table.rows:
        parsed = ParsedRow(
            line, {}, cells, columns, RowChange(sheet=sheet, line=line, key="", status=NEW)
        )
        if len(cells) > width and any(cells[width:]):
            parsed.error("", _("this row has more cells than the header has columns"))
        values = parsed.values
        for index, header, parse in indexed:
            text = cells[index] if index < len(cells) else ""
            if not text:
                # An empty cell is a fact not stated, unless the column requires one.
                if header in REQUIRED_CELLS:
                    parsed.error(header, _("is required"))
                else:
                    values[header] = [] if header in LIST_COLUMNS else EMPTY_CELL_VALUES.get(header)
                continue
            try:
                values[header] = parse(text)
            except CellError as problem:
                parsed.error(header, problem)
        parsed.change.key = key_of(parsed)
        rows.append(parsed)
    return rows
