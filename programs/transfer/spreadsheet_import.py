"""Importing programmes and their modules from spreadsheets: first a preview of every row's
change, then all of it in one transaction, or nothing.

The same rules hold for the admin's import page and for `manage.py import_programmes`:

- Columns are those the export writes (`programs.transfer.spreadsheet_columns`); a missing required
column or an unknown one refuses the whole file. Each cell is checked by the rule of its field
(choices, ranges, lengths, known languages and universities), and a cell a spreadsheet would run as
a formula is refused (written as text, it starts with an apostrophe, as the export writes it).
- Staff create and change only programmes of their own universities, and may change only their
  own universities' part in a joint programme (`programme_writes.staff_offering_check`); any
  other row is an error in the preview, never a write.
- A new programme is a draft unless the file says `published` and the user may publish (the
  admin's Publish action needs the change permission).
- A modules file replaces the modules of each programme it names: rows are matched by the
  programme's slug and the module's position; a stored module the file doesn't list is removed.
- One error anywhere and nothing is written. History records each write as the importing user,
  with the reason "Imported from <file>".

New programmes, all modules, their history and the public change log are written in bulk, so a
file of 10,000 programmes with 200,000 modules imports in well under two minutes.
"""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from programs.actions.programme_writes import (
    StaleVersion,
    claim_version,
    insert_parts,
    own_university_ids,
    record_history_in_bulk,
    record_public_changes_in_bulk,
    replace_offerings,
    staff_offering_check,
    update_parts,
)
from programs.core import consistency
from programs.models import (
    CatalogRevision,
    Delivery,
    Language,
    Level,
    Module,
    ModuleKind,
    Programme,
    ProgrammeUniversity,
    StartTerm,
    StudyMode,
    Track,
    University,
    split_quote,
)
from programs.search import programme_documents
from programs.transfer.fixtures_check import normalise_spacing, source_text
from programs.transfer.spreadsheet_columns import (
    LIST_SEPARATOR,
    MODULE_COLUMNS,
    PROGRAMME_COLUMNS,
    ProgrammeResource,
    cell_text,
)
from programs.web.csv_export import FORMULA_STARTS

NEW, CHANGED, UNCHANGED, ERROR, REMOVED = "new", "changed", "unchanged", "error", "removed"
STATUSES = (NEW, CHANGED, UNCHANGED, REMOVED, ERROR)

REQUIRED_PROGRAMME_COLUMNS = ("slug", "title", "universities")
REQUIRED_MODULE_COLUMNS = ("programme", "position", "title", "kind")
# 600 ECTS is ten years of full-time study (60 a year): room for any programme, while a typo
# such as 1200 is caught.
MAX_PROGRAMME_ECTS = 600
MAX_SEMESTERS = 20
MAX_POSITION = 32767  # a PositiveSmallIntegerField
BATCH = 2000
# Cells that may not be empty (checked before any other rule); list cells read empty as [].
# What the modules' comparison reads of each stored module.
STORED_MODULE_VALUES = (
    "pk",
    "programme_id",
    "programme__slug",
    "position",
    "title",
    "kind",
    "semester",
    "year",
    "track__name",
    "ects",
    "description",
    "source_quote",
    "inferred_because",
)
REQUIRED_CELLS = {"slug", "title", "position", "kind"}
LIST_COLUMNS = {"universities", "languages"}


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


@dataclass
class RowChange:
    """What the import does with one row of a sheet (or one stored module it removes)."""

    sheet: str
    line: int | None
    key: str
    status: str
    label: str = ""
    changes: list = field(default_factory=list)  # (column, old text, new text)
    errors: list = field(default_factory=list)  # (cell reference, column, message)
    notes: list = field(default_factory=list)

    def as_text(self):
        where = f"{self.sheet} row {self.line}" if self.line else self.sheet
        head = f"{where}: {self.key}: {self.status}"
        if self.label:
            head += f" ({self.label})"
        lines = [head]
        if self.status == CHANGED:
            lines += [
                f"    {column}: {old or '(empty)'} → {new or '(empty)'}"
                for column, old, new in self.changes
            ]
        lines += [f"    {cell} {column}: {message}" for cell, column, message in self.errors]
        lines += [f"    note: {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass
class Preview:
    """Every row's change, in file order; whole-file problems come first, as error rows."""

    rows: list = field(default_factory=list)

    @property
    def counts(self):
        counted = Counter(row.status for row in self.rows)
        return {status: counted.get(status, 0) for status in STATUSES}

    @property
    def ok(self):
        return not any(row.status == ERROR for row in self.rows)

    @property
    def writes_anything(self):
        return any(row.status in (NEW, CHANGED, REMOVED) for row in self.rows)

    @property
    def fingerprint(self):
        """A digest of what the import would do, to tell whether the catalog moved on since the
        preview was shown."""
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update(repr((row.sheet, row.line, row.key, row.status, row.changes)).encode())
        return digest.hexdigest()

    def summary(self):
        counts = self.counts
        return (
            _(
                "%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(removed)s removed, "
                "%(error)s with errors"
            )
            % counts
        )


class ImportRefused(Exception):
    """The import can't be written as previewed; nothing was written. Carries the preview."""

    def __init__(self, preview, message):
        super().__init__(message)
        self.preview = preview


# --- reading cells -------------------------------------------------------------------------------


def unquote(text):
    """A text cell's value: an apostrophe before a formula sign is taken off; a formula refused."""
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]
    if text[:1] in FORMULA_STARTS:
        raise CellError(
            _(
                "starts with “%(sign)s”, so a spreadsheet would run it as a formula. If it is "
                "text, start the cell with an apostrophe (')."
            )
            % {"sign": text[:1].replace("\t", "tab").replace("\r", "carriage return")}
        )
    return text


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
    if not number.is_finite() or not Decimal(0) <= number <= Decimal("999.9"):
        raise CellError(_("%(value)s is out of range (0 to 999.9)") % {"value": value})
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
    import datetime

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
    "is_joint_degree": yes_or_no,
    "faculty": text_of(Programme, "faculty"),
    "campus": text_of(Programme, "campus"),
    "city": text_of(Programme, "city"),
    "languages": code_list,
    "ects": whole_number(0, MAX_PROGRAMME_ECTS),
    "duration_semesters": whole_number(1, MAX_SEMESTERS),
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
}
MODULE_PARSERS = {
    "programme": lambda cell: unquote(cell).strip() or None,
    "position": required(whole_number(0, MAX_POSITION)),
    "title": text_of(Module, "title", required=True),
    "kind": required(choice_of(ModuleKind.choices)),
    "semester": whole_number(1, MAX_SEMESTERS),
    "year": whole_number(1, MAX_SEMESTERS),
    "track": text_of(Track, "name"),
    "ects": module_credits,
    "description": text_of(Module, "description"),
    "source_quote": text_of(Module, "source_quote"),
    "inferred_because": text_of(Module, "inferred_because"),
}
# The fields of a Programme row set directly from its cell (the rest are relations).
PROGRAMME_FIELDS = [name for name in PROGRAMME_COLUMNS if name not in {"universities", "languages"}]
MODULE_FIELDS = [
    "title",
    "kind",
    "semester",
    "year",
    "track_id",
    "ects",
    "description",
    "source_quote",
    "inferred_because",
]


@dataclass
class ParsedRow:
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
                    values[header] = None if header not in LIST_COLUMNS else []
                continue
            try:
                values[header] = parse(text)
            except CellError as problem:
                parsed.error(header, problem)
        parsed.change.key = key_of(parsed)
        rows.append(parsed)
    return rows


# --- the plan ------------------------------------------------------------------------------------


class CatalogImport:
    """An import of a programmes sheet, a modules sheet, or both, by one user.

    `preview()` says what each row would do and writes nothing; `commit()` checks again in a
    transaction and writes everything, or raises ImportRefused having written nothing.
    """

    def __init__(self, user, programmes=None, modules=None, progress=None):
        self.user = user
        self.programmes = programmes
        self.modules = modules
        self.progress = progress or (lambda step, done, total: None)
        names = [table.name for table in (programmes, modules) if table is not None]
        self.reason = (_("Imported from %(file)s") % {"file": " and ".join(names)})[:100]

    # Planning

    def preview(self):
        self.preview_rows = []
        self.new_programmes = {}  # slug -> ParsedRow
        self.changed_programmes = {}  # slug -> (stored Programme, ParsedRow)
        self.module_plan = {}  # slug -> (its module rows, the stored modules they drop)
        header_problems = [
            problem
            for problem in (
                self.programmes
                and column_problems(
                    self.programmes, "programmes", PROGRAMME_COLUMNS, REQUIRED_PROGRAMME_COLUMNS
                ),
                self.modules
                and column_problems(
                    self.modules, "modules", MODULE_COLUMNS, REQUIRED_MODULE_COLUMNS
                ),
            )
            if problem
        ]
        if header_problems:
            # Without the right columns no row can be read as meant.
            return Preview(header_problems)
        self.own = own_university_ids(self.user)
        self.may_add = self.user.has_perm("programs.add_programme")
        self.may_change = self.user.has_perm("programs.change_programme")
        # Publishing is what the admin's Publish action does, which needs the change permission.
        self.may_publish = self.may_change
        self.stored = {}
        self.editable = set()
        self.stored_module_credits = {}
        self.slugs_with_modules = set()
        if self.modules is not None and "programme" in self.modules.headers:
            index = self.modules.headers.index("programme")
            self.slugs_with_modules = {
                cells[index].strip() for _line, cells in self.modules.rows if len(cells) > index
            }
        if self.programmes is not None:
            self.plan_programmes()
        if self.modules is not None:
            self.plan_modules()
        return Preview(self.preview_rows)

    def load_stored(self, slugs):
        """The stored programmes with these slugs, and which of them this user may change."""
        missing = set(slugs) - set(self.stored)
        if not missing:
            return
        stored = Programme.objects.prefetch_related("offerings__university", "languages")
        for chunk in chunked(sorted(missing)):
            self.stored.update(
                (programme.slug, programme) for programme in stored.filter(slug__in=chunk)
            )
            self.editable.update(
                Programme.objects.editable_by(self.user)
                .filter(slug__in=chunk)
                .values_list("slug", flat=True)
            )
            self.stored_module_credits.update(
                Module.objects.filter(programme__slug__in=chunk, ects__isnull=False)
                .values("programme_id")
                .annotate(total=Sum("ects"))
                .values_list("programme_id", "total")
            )

    def plan_programmes(self):
        rows = parse_rows(
            self.programmes,
            "programmes",
            PROGRAMME_PARSERS,
            lambda row: row.values.get("slug") or "?",
        )
        self.load_stored([row.values["slug"] for row in rows if row.values.get("slug")])
        self.file_programmes = {row.values["slug"]: row for row in rows if row.values.get("slug")}
        universities = University.objects.in_bulk(field_name="slug")
        languages = set(Language.objects.values_list("code", flat=True))
        first_seen = {}
        exporter = ProgrammeResource()
        columns = [c for c in PROGRAMME_COLUMNS if c in self.programmes.headers]
        checking = _("Checking programmes")
        for index, row in enumerate(rows):
            self.progress(checking, index + 1, len(rows))
            slug_value = row.values.get("slug")
            stored = self.stored.get(slug_value) if slug_value else None
            if slug_value in first_seen:
                row.error(
                    "slug",
                    _("“%(slug)s” appears again: it is already on row %(line)s")
                    % {"slug": slug_value, "line": first_seen[slug_value]},
                )
            elif slug_value:
                first_seen[slug_value] = row.line
            if stored is not None and slug_value not in self.editable:
                row.error(
                    "slug",
                    _(
                        "a programme with this slug exists and is not offered by your "
                        "universities: you may not change it"
                    ),
                )
                self.preview_rows.append(row.change)
                continue
            if stored is None and not self.may_add:
                row.error("slug", _("you may not add programmes"))
            self.check_universities(row, stored, universities)
            self.check_languages(row, languages)
            wanted_published = row.values.get("published")
            if wanted_published and not self.may_publish:
                row.values["published"] = stored.published if stored else False
                if not row.values["published"]:
                    row.change.notes.append(_("stays a draft: you may not publish programmes"))
            self.check_stored_module_credits(row, stored)
            if row.values.get("published") is None and "published" in row.values:
                # An empty cell: a new programme is a draft, a stored one stays as it is.
                row.values["published"] = stored.published if stored else False
            row.change.label = row.values.get("title") or ""
            if stored is None:
                if row.change.status != ERROR:
                    self.new_programmes[slug_value] = row
            else:
                old_cells = dict(
                    zip(
                        exporter.get_export_headers(),
                        exporter.export_resource(stored),
                        strict=True,
                    )
                )
                new_cells = {column: self.cell_of(row, column) for column in columns}
                row.change.changes = [
                    (column, old_cells[column], new_cells[column])
                    for column in columns
                    if old_cells[column] != new_cells[column]
                ]
                if row.change.status != ERROR:
                    if not row.change.changes:
                        row.change.status = UNCHANGED
                    else:
                        if not self.may_change:
                            row.error("slug", _("you may not change programmes"))
                        else:
                            row.change.status = CHANGED
                            self.changed_programmes[slug_value] = (stored, row)
            self.preview_rows.append(row.change)

    def check_stored_module_credits(self, row, stored):
        """A programme's new ECTS total can't be below its stored modules' credits, unless the
        modules sheet gives it new modules (checked there)."""
        ects = row.values.get("ects")
        if stored is None or ects is None or row.values.get("slug") in self.slugs_with_modules:
            return
        total = self.stored_module_credits.get(stored.pk)
        for problem in consistency.module_ects_problems([total], ects):
            row.error("ects", problem)

    def cell_of(self, row, column):
        """A parsed cell written back as text, so it compares with the stored value's text."""
        value = row.values.get(column)
        if column == "languages":
            value = sorted(value or [])
        return cell_text(value)

    def check_universities(self, row, stored, universities):
        slugs = row.values.get("universities") or []
        unknown = [s for s in slugs if s not in universities]
        if unknown:
            row.error(
                "universities",
                _("no university with the slug “%(slug)s”") % {"slug": unknown[0]},
            )
            return
        if len(set(slugs)) != len(slugs):
            row.error("universities", _("a university is named twice"))
            return
        if not slugs:
            row.error("universities", _("a programme needs at least one offering university"))
            return
        current = {}
        if stored is not None:
            offerings = sorted(stored.offerings.all(), key=lambda o: (o.position, o.pk))
            if [offering.university.slug for offering in offerings] == slugs:
                # As stored (and as exported): nothing to change, whatever the positions are.
                row.values["university_ids"] = None
                return
            current = {
                offering.university_id: (offering.role, offering.position) for offering in offerings
            }
        wanted = {
            universities[s].pk: (current.get(universities[s].pk, (None, None))[0], index)
            for index, s in enumerate(slugs)
        }
        row.values["university_ids"] = list(wanted)
        check = staff_offering_check(self.own, current, wanted)
        by_pk = {university.pk: university for university in universities.values()}
        for university_id in check.foreign_added:
            row.error(
                "universities",
                _("you don't work for %(university)s: only its staff can add it")
                % {"university": by_pk[university_id].name},
            )
        for university_id in check.partners_touched:
            row.error(
                "universities",
                _("only staff of %(university)s can change or remove its part in this programme")
                % {"university": by_pk[university_id].name},
            )
        if not check.keeps_own:
            row.error(
                "universities",
                _("the programme must stay offered by at least one of your universities"),
            )

    def check_languages(self, row, languages):
        codes = row.values.get("languages") or []
        for code in codes:
            if code not in languages:
                row.error(
                    "languages",
                    _("“%(code)s” is not a language of the catalog") % {"code": code},
                )
                return
        if len(set(codes)) != len(codes):
            row.error("languages", _("a language is named twice"))

    def plan_modules(self):
        rows = parse_rows(
            self.modules,
            "modules",
            MODULE_PARSERS,
            lambda row: f"{row.values.get('programme') or '?'} #{row.values.get('position', '?')}",
        )
        slugs = {row.values["programme"] for row in rows if row.values.get("programme")}
        self.load_stored(slugs - set(self.new_programmes))
        stored_slugs = [s for s in slugs if s in self.stored and s in self.editable]
        stored_modules = defaultdict(dict)  # slug -> position -> the first module there
        all_stored = defaultdict(list)
        tracks = defaultdict(dict)
        for chunk in chunked(stored_slugs):
            # Plain values, not model instances: a re-import of 200,000 modules compares them all.
            for module in (
                Module.objects.filter(programme__slug__in=chunk)
                .order_by("programme_id", "position", "title", "pk")
                .values(*STORED_MODULE_VALUES)
            ):
                module["programme"] = module.pop("programme__slug")
                module["track"] = module.pop("track__name")
                stored_modules[module["programme"]].setdefault(module["position"], module)
                all_stored[module["programme"]].append(module)
            for track in self.stored_tracks(chunk):
                tracks[track.programme.slug][track.name] = track
        file_programmes = getattr(self, "file_programmes", {})
        columns = [c for c in MODULE_COLUMNS if c in self.modules.headers]
        seen = {}
        by_programme = defaultdict(list)
        checking = _("Checking modules")
        for index, row in enumerate(rows):
            self.progress(checking, index + 1, len(rows))
            slug_value = row.values.get("programme")
            position = row.values.get("position")
            if not slug_value:
                row.error("programme", _("is required"))
            elif slug_value in self.stored and slug_value not in self.editable:
                row.error(
                    "programme",
                    _("“%(slug)s” is not offered by your universities: you may not change it")
                    % {"slug": slug_value},
                )
            elif slug_value not in self.stored and slug_value not in file_programmes:
                row.error(
                    "programme",
                    _("no programme with the slug “%(slug)s” (here or in the programmes file)")
                    % {"slug": slug_value},
                )
            if row.change.status == ERROR:
                # Not a programme this user may fill: its other cells can't be checked against it.
                self.preview_rows.append(row.change)
                continue
            if slug_value and position is not None:
                key = (slug_value, position)
                if key in seen:
                    row.error(
                        "position",
                        _("position %(position)s of %(slug)s is already on row %(line)s")
                        % {"position": position, "slug": slug_value, "line": seen[key]},
                    )
                else:
                    seen[key] = row.line
            programme_row = file_programmes.get(slug_value)
            stored_programme = self.stored.get(slug_value)
            duration = (
                programme_row.values.get("duration_semesters")
                if programme_row is not None and "duration_semesters" in programme_row.values
                else getattr(stored_programme, "duration_semesters", None)
            )
            semester = row.values.get("semester")
            if semester is not None and duration is not None and semester > duration:
                row.error(
                    "semester",
                    _("semester %(number)s is beyond the standard period of %(duration)s")
                    % {"number": semester, "duration": duration},
                )
            track_name = row.values.get("track")
            row.values["track_id"] = None
            if track_name is not None and slug_value:
                track = tracks.get(slug_value, {}).get(track_name)
                if track is None:
                    row.error(
                        "track",
                        _("“%(track)s” is not a track of this programme") % {"track": track_name},
                    )
                else:
                    row.values["track_id"] = track.pk
            self.check_quote(row, programme_row, stored_programme)
            row.change.label = row.values.get("title") or ""
            by_programme[slug_value].append(row)
            stored_module = stored_modules.get(slug_value, {}).get(position)
            if stored_module is not None:
                row.change.changes = [
                    (column, old, new)
                    for column in columns
                    if (old := cell_text(stored_module[column]))
                    != (new := cell_text(row.values.get(column)))
                ]
                if row.change.status != ERROR:
                    row.change.status = CHANGED if row.change.changes else UNCHANGED
            row.stored_module = stored_module
            self.preview_rows.append(row.change)

        # Rules over all of a programme's modules, and the stored modules the file drops.
        for slug_value, module_rows in by_programme.items():
            if not slug_value:
                continue
            programme_row = file_programmes.get(slug_value)
            stored_programme = self.stored.get(slug_value)
            ects = (
                programme_row.values.get("ects")
                if programme_row is not None and "ects" in programme_row.values
                else getattr(stored_programme, "ects", None)
            )
            problems = consistency.module_ects_problems(
                [row.values.get("ects") for row in module_rows], ects
            )
            for problem in problems:
                module_rows[-1].error("ects", problem)
            # Every stored module the file doesn't match goes: those at positions the file
            # doesn't list, and any second module sharing a position with a matched one.
            matched = {row.stored_module["pk"] for row in module_rows if row.stored_module}
            removed = [m for m in all_stored.get(slug_value, []) if m["pk"] not in matched]
            for module in removed:
                self.preview_rows.append(
                    RowChange(
                        sheet="modules",
                        line=None,
                        key=f"{slug_value} #{module['position']}",
                        status=REMOVED,
                        label=module["title"],
                    )
                )
            self.module_plan[slug_value] = (module_rows, removed)

    def stored_tracks(self, slugs):
        return Track.objects.filter(programme__slug__in=slugs).select_related("programme")

    def check_quote(self, row, programme_row, stored_programme):
        """A quote must be the source's own words, where the source text travels with the
        catalog (as in the admin's module rows)."""
        quote = row.values.get("source_quote")
        if quote is None:
            return
        document = (
            programme_row.values.get("source_document")
            if programme_row is not None
            else getattr(stored_programme, "source_document", None)
        )
        text = source_text(Programme(source_document=document))
        if text is None:
            return
        text = normalise_spacing(text)
        missing = [p for p in split_quote(quote) if normalise_spacing(p) not in text]
        if missing:
            row.error(
                "source_quote",
                _("these words are not in the source text (%(document)s): “%(words)s”")
                % {"document": document, "words": missing[0][:80]},
            )

    # Writing

    @transaction.atomic
    def commit(self, fingerprint=None):
        """Check everything again and write it in this one transaction, or raise ImportRefused.

        With `fingerprint` (the previewed plan's), refuse when the plan has changed since: the
        catalog moved on and the person should look at the new preview first.
        """
        preview = self.preview()
        if not preview.ok:
            raise ImportRefused(preview, _("The file has errors; nothing was imported."))
        if fingerprint is not None and fingerprint != preview.fingerprint:
            raise ImportRefused(
                preview,
                _(
                    "The catalog changed since the preview, so nothing was imported. Look at "
                    "the new preview and confirm again."
                ),
            )
        try:
            # A savepoint, so that on PostgreSQL a refused write leaves a usable transaction.
            with transaction.atomic(), programme_documents.refreshed_together():
                touched = set()
                touched |= self.write_new_programmes()
                touched |= self.write_changed_programmes()
                touched |= self.write_modules()
                record_public_changes_in_bulk(touched)
                # Their search words are rebuilt once each, at the end of the block.
                programme_documents.programmes_changed(touched)
                # The bulk writes bypass the signals that bump the revision for each save.
                CatalogRevision.objects.bump()
        except (StaleVersion, IntegrityError):
            # Someone saved a programme (or took a slug) while this import was being written.
            raise ImportRefused(
                preview,
                _(
                    "Someone changed the catalog while the import was being written, so nothing "
                    "was imported. Upload the file again to see the new preview."
                ),
            ) from None
        return preview

    def write_new_programmes(self):
        rows = list(self.new_programmes.values())
        if not rows:
            return set()
        programmes = [
            Programme(**{name: row.values[name] for name in PROGRAMME_FIELDS if name in row.values})
            for row in rows
        ]
        for done in range(0, len(programmes), BATCH):
            self.progress(_("Writing programmes"), min(done + BATCH, len(programmes)), len(rows))
            Programme.objects.bulk_create(programmes[done : done + BATCH])
        language_rows = Programme.languages.through.objects.bulk_create(
            [
                Programme.languages.through(programme_id=programme.pk, language_id=code)
                for programme, row in zip(programmes, rows, strict=True)
                for code in row.values.get("languages") or []
            ],
            batch_size=BATCH,
        )
        record_history_in_bulk(programmes, self.user, self.reason, language_rows)
        insert_parts(
            ProgrammeUniversity,
            [
                ProgrammeUniversity(programme_id=programme.pk, university_id=university, position=i)
                for programme, row in zip(programmes, rows, strict=True)
                for i, university in enumerate(row.values["university_ids"])
            ],
            self.user,
            self.reason,
        )
        self.created = {programme.slug: programme for programme in programmes}
        return {programme.pk for programme in programmes}

    def write_changed_programmes(self):
        touched = set()
        writing = _("Writing programmes")
        for done, (stored, row) in enumerate(self.changed_programmes.values(), start=1):
            self.progress(writing, done, len(self.changed_programmes))
            programme = Programme.objects.get(pk=stored.pk)
            # Optimistic locking, as in the admin: a save since the preview refuses the import.
            programme.version = claim_version(programme.pk, stored.version)
            for name in PROGRAMME_FIELDS:
                if name in row.values:
                    setattr(programme, name, row.values[name])
            programme._history_user = self.user
            programme._change_reason = self.reason
            if "languages" in row.values:
                # Set before the save, without a record of their own, so that the programme's
                # record holds the new languages (as a restore does).
                programme.skip_history_when_saving = True
                try:
                    programme.languages.set(row.values["languages"])
                finally:
                    del programme.skip_history_when_saving
            programme.save()
            if row.values.get("university_ids") is not None:
                replace_offerings(programme, row.values["university_ids"], self.user, self.reason)
            touched.add(programme.pk)
        return touched

    def write_modules(self):
        created = getattr(self, "created", {})
        creates, updates, deletes = [], [], []
        touched = set()
        for slug_value, (module_rows, removed) in self.module_plan.items():
            programme = created.get(slug_value) or self.stored[slug_value]
            for row in module_rows:
                values = {name: row.values.get(name) for name in MODULE_FIELDS}
                module = row.stored_module
                if module is None:
                    creates.append(
                        Module(programme_id=programme.pk, position=row.values["position"], **values)
                    )
                elif row.change.status == CHANGED:
                    updates.append(Module(pk=module["pk"], programme_id=programme.pk, **values))
                else:
                    continue
                touched.add(programme.pk)
            deletes += [module["pk"] for module in removed]
            if removed:
                touched.add(programme.pk)
        for chunk in chunked(deletes):
            # One by one, so that each deletion is in the history as this user's.
            for module in Module.objects.filter(pk__in=chunk):
                module._history_user = self.user
                module._change_reason = self.reason
                module.delete()
        if updates:
            update_parts(Module, updates, MODULE_FIELDS, self.user, self.reason)
        for done in range(0, len(creates), BATCH * 5):
            self.progress(_("Writing modules"), min(done + BATCH * 5, len(creates)), len(creates))
            insert_parts(Module, creates[done : done + BATCH * 5], self.user, self.reason)
        # A programme whose modules changed is a new version, so forms opened before are stale.
        already = {stored.pk for stored, _row in self.changed_programmes.values()} | {
            programme.pk for programme in created.values()
        }
        for pk in touched - already:
            claim_version(pk)
        return touched


def chunked(items, size=500):
    """The items in lists of at most `size` (SQLite allows only so many query parameters)."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
