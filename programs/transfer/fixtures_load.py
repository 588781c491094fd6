"""Load the transcribed catalog (fixtures/*.json) into the database: atomically and idempotently.

The fixtures hold natural keys only (slugs, language codes, semester numbers, list positions), so
they never depend on database ids and a second load finds every row the first one made. Each row is
compared before it is saved: an unchanged catalog writes nothing, so it adds no history rows and
bumps no `updated_at`. Any fault (bad JSON, a value of the wrong type, a model validation error, a
database constraint) aborts the whole load, and the error says which file, record and field.

Keys starting with "_" (e.g. "_note", a transcriber's remark for reviewers) are ignored.

Provenance sits beside each value: a key fact `x` has `"x_source"` and every part row a
`"source"`, each an object with `"stated"` (the source's words: a text, or a list of passages
from different places) and/or `"inferred"` (why it is inferred, for a student to follow). A fact
whose value is null is simply not stated and needs none. `validate_catalog` checks the quotes
against the source texts in fixtures/sources/.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programs.actions.programme_writes import claim_version
from programs.actions.restore import edited_by_people
from programs.changelog.changes import record_public_changes
from programs.models import (
    QUOTE_SEPARATOR,
    AdmissionRequirement,
    ApplicationDeadline,
    Career,
    FactSource,
    KeyFact,
    Language,
    Module,
    Programme,
    ProgrammeUniversity,
    Semester,
    Track,
    Tuition,
    University,
)
from programs.search import programme_documents

DEFAULT_FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class CatalogLoadError(Exception):
    """A fixture could not be loaded; the message names the file, the record and the field."""


@dataclass
class _Location:
    """Where in the fixtures a value came from, for error messages a reviewer can follow."""

    file: str
    record: str = ""

    def at(self, record):
        return _Location(self.file, record)

    def error(self, field_name, message):
        where = ".".join(part for part in (self.record, field_name) if part)
        return CatalogLoadError(
            f"{self.file}: {where}: {message}" if where else f"{self.file}: {message}"
        )


# --- value parsers: JSON value -> model value, or a CatalogLoadError naming the field ----------


def _text(value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{json.dumps(value)} is not text")
    if not value.strip():
        # "" would read as a stated-but-empty fact; the catalog's convention is null = not stated.
        raise ValueError("empty text: write null for a fact the source does not state")
    return value


def _required_text(value):
    if value is None:
        raise ValueError("is required")
    return _text(value)


def _integer(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{json.dumps(value)} is not a whole number")
    return value


def _required_integer(value):
    if value is None:
        raise ValueError("is required")
    return _integer(value)


def _decimal(value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{json.dumps(value)} is not a number")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:  # pragma: no cover - json never yields such floats
        raise ValueError(f"{json.dumps(value)} is not a number") from exc


def _boolean(value):
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f"{json.dumps(value)} is not true, false or null")


def _date(value):
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{json.dumps(value)} is not a date (YYYY-MM-DD)") from exc


def _passages(value):
    if isinstance(value, str):
        return [_text(value)]
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return [_text(item) for item in value]
    raise ValueError(f"{json.dumps(value)[:60]} is not a quote (a text or a list of texts)")


def _provenance(value):
    """A `source` object -> the Sourced fields {source_quote, inferred_because}."""
    if value is None:
        return {"source_quote": None, "inferred_because": None}
    if not isinstance(value, dict) or not value or set(value) - {"stated", "inferred"}:
        raise ValueError(
            f'{json.dumps(value)[:60]} is not a source: write {{"stated": "the source\'s words"}}'
            ' and/or {"inferred": "why"}'
        )
    quote = value.get("stated")
    return {
        # Passages from different places are kept apart by a line holding only the separator.
        "source_quote": None if quote is None else f"\n{QUOTE_SEPARATOR}\n".join(_passages(quote)),
        "inferred_because": _text(value.get("inferred")),
    }


def _code_list(value):
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValueError(f"{json.dumps(value)} is not a list of language codes")
    return value


# Which keys each kind of record may hold, and how each is read. Keys naming other records
# (universities, track, original_language, languages) are resolved separately.
LANGUAGE_FIELDS = {"code": _required_text, "name": _required_text}
UNIVERSITY_FIELDS = {
    "slug": _required_text,
    "name": _required_text,
    "short_name": _text,
    "country": _required_text,
    "city": _text,
    "website": _text,
}
PROGRAMME_FIELDS = {
    "slug": _required_text,
    "title": _required_text,
    "degree": _text,
    "level": _text,
    "is_joint_degree": _boolean,
    "faculty": _text,
    "campus": _text,
    "city": _text,
    "ects": _integer,
    "duration_semesters": _integer,
    "duration_as_stated": _text,
    "start_term": _text,
    "study_mode": _text,
    "delivery": _text,
    "tuition_type": _text,
    "approval_status": _text,
    "summary": _text,
    "description": _text,
    "career_prospects": _text,
    "source_document": _text,
    "source_url": _text,
    "transcribed_on": _date,
    "checked_on": _date,
    "published": _boolean,
}
# Where each key fact's provenance sits: beside the fixture key that holds the fact.
FACT_SOURCE_KEYS = {
    "degree_source": KeyFact.DEGREE,
    "level_source": KeyFact.LEVEL,
    "universities_source": KeyFact.UNIVERSITIES,
    "is_joint_degree_source": KeyFact.JOINT_DEGREE,
    "faculty_source": KeyFact.FACULTY,
    "campus_source": KeyFact.CAMPUS,
    "city_source": KeyFact.CITY,
    "ects_source": KeyFact.ECTS,
    "duration_source": KeyFact.DURATION,
    "languages_source": KeyFact.LANGUAGES,
    "start_term_source": KeyFact.START_TERM,
    "study_mode_source": KeyFact.STUDY_MODE,
    "delivery_source": KeyFact.DELIVERY,
    "tuition_type_source": KeyFact.TUITION_TYPE,
    "approval_status_source": KeyFact.APPROVAL_STATUS,
}
PROGRAMME_CHILD_KEYS = (
    "languages",
    "universities",
    "semesters",
    "tracks",
    "modules",
    "admission_requirements",
    "application_deadlines",
    "tuition_fees",
    "careers",
    *FACT_SOURCE_KEYS,
)
OFFERING_FIELDS = {"role": _text}
SEMESTER_FIELDS = {
    "number": _required_integer,
    "title": _text,
    "summary": _text,
    "goal": _text,
    "module_count": _integer,
}
TRACK_FIELDS = {
    "name": _required_text,
    "kind": _required_text,
    "semester": _integer,
    "year": _integer,
    "background": _text,
    "description": _text,
}
MODULE_FIELDS = {
    "title": _required_text,
    "kind": _required_text,
    "semester": _integer,
    "year": _integer,
    "ects": _decimal,
    "description": _text,
}
REQUIREMENT_FIELDS = {"kind": _required_text, "text": _required_text, "original_text": _text}
CAREER_FIELDS = {"kind": _required_text, "text": _required_text}
DEADLINE_FIELDS = {
    "intake": _text,
    "intake_year": _integer,
    "applicant_group": _required_text,
    "deadline": _date,
}
TUITION_FIELDS = {
    "amount": _decimal,
    "currency": _required_text,
    "period": _required_text,
    "applicant_group": _required_text,
}


def _read_values(record, fields, where, references=(), sourced=False):
    """Parse `record` (a JSON object) by `fields`; unknown keys are errors, "_" keys are notes.

    With `sourced`, the record's "source" object becomes its provenance fields.
    """
    if not isinstance(record, dict):
        raise where.error("", f"{json.dumps(record)[:60]} is not an object")
    for key in record:
        known = key in fields or key in references or (sourced and key == "source")
        if not key.startswith("_") and not known:
            raise where.error(key, "unknown field")
    values = {}
    for name, parse in fields.items():
        try:
            values[name] = parse(record.get(name))
        except ValueError as exc:
            raise where.error(name, str(exc)) from None
    if sourced:
        try:
            values.update(_provenance(record.get("source")))
        except ValueError as exc:
            raise where.error("source", str(exc)) from None
    return values


def _list(record, key, where):
    value = record.get(key, [])
    if not isinstance(value, list):
        raise where.error(key, f"{json.dumps(value)[:60]} is not a list")
    return value


# --- writing rows: compare first, save only what changed ---------------------------------------


@dataclass
class _Changes:
    """What one load did to one programme (or to the shared languages and universities)."""

    created: bool = False
    kept_for_staff: bool = False
    parts: set = field(default_factory=set)

    def describe(self):
        if self.kept_for_staff:
            return "kept as edited in the admin (load_catalog --force overwrites it)"
        if self.created:
            return "created"
        if self.parts:
            return "updated (" + ", ".join(sorted(self.parts)) + ")"
        return "unchanged"


def _save(instance, where):
    """Validate and save one row, reporting model and database errors at `where`."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        field_name = "" if field_name == "__all__" else field_name
        raise where.error(field_name, " ".join(messages)) from None
    try:
        # A savepoint, so a constraint violation on PostgreSQL leaves the outer transaction usable
        # long enough to roll back cleanly with our message rather than the driver's.
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise where.error("", f"the database refused the row: {exc}") from None


def _upsert(model, existing, values, where, **fixed):
    """Create the row, or update `existing` in place if any value differs; -> (row, changed)."""
    if existing is None:
        instance = model(**fixed, **values)
        _save(instance, where)
        return instance, True
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if not changed:
        return existing, False
    for name in changed:
        setattr(existing, name, values[name])
    _save(existing, where)
    return existing, True


def _delete_missing(rows_by_key, kept_keys):
    """Delete the rows whose natural key is no longer in the file; returns whether any were."""
    stale = [row for key, row in rows_by_key.items() if key not in kept_keys]
    for row in stale:
        row.delete()
    return bool(stale)


def _check_unique(keys, list_name, key_name, where):
    seen = set()
    for index, key in enumerate(keys):
        if key in seen:
            raise where.error(
                f"{list_name}[{index}].{key_name}", f"{json.dumps(key)} appears more than once"
            )
        seen.add(key)


# --- the three kinds of file -------------------------------------------------------------------


def _load_shared(model, fields, key, records, where):
    """Upsert the languages or universities by their natural key; returns a count per outcome."""
    existing = model.objects.in_bulk(field_name=key)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    parsed = [
        _read_values(record, fields, where.at(f"[{index}]")) for index, record in enumerate(records)
    ]
    _check_unique([values[key] for values in parsed], "", key, where)
    for index, values in enumerate(parsed):
        row = existing.get(values[key])
        _, changed = _upsert(model, row, values, where.at(f"[{index}]"))
        counts["unchanged" if not changed else "created" if row is None else "updated"] += 1
    return ", ".join(f"{count} {outcome}" for outcome, count in counts.items())


def _load_programme(record, where, expected_slug, force):
    """Create or update one programme and all its parts from its file; returns its _Changes.

    A programme that people have edited in the admin since it was loaded is theirs: it is left
    as it is (and reported) unless `force` is set, so a redeploy never undoes staff work.
    """
    values = _read_values(record, PROGRAMME_FIELDS, where, references=PROGRAMME_CHILD_KEYS)
    if values["slug"] != expected_slug:
        raise where.error("slug", f'"{values["slug"]}" does not match the file name')
    if values["published"] is None:
        values.pop("published")
    # The fixture's check date is the transcribers' check, not a staff member's.
    values["checked_by_id"] = None
    changes = _Changes()
    existing = Programme.objects.filter(slug=values["slug"]).first()
    if existing is not None and not force and edited_by_people(existing):
        # Kept as staff edited it, but the file is still checked: a fault in it must not pass
        # unnoticed until the day someone loads it with --force.
        _check_by_loading_and_undoing(record, where, expected_slug)
        changes.kept_for_staff = True
        return changes
    if existing is not None and any(getattr(existing, k) != v for k, v in values.items()):
        # Loading over a programme counts as an edit: a staff member's open admin form is stale.
        values["version"] = claim_version(existing.pk)
    programme, changed = _upsert(Programme, existing, values, where)
    changes.created = existing is None
    if changed:
        changes.parts.add("facts")

    if _set_languages(programme, _code_list_at(record, where), where):
        changes.parts.add("languages")
    loaders = (
        ("universities", _load_offerings),
        ("fact sources", _load_fact_sources),
        ("semesters", _load_semesters),
        ("tracks+modules", _load_tracks_and_modules),
        ("admission requirements", _load_requirements),
        ("application deadlines", _load_deadlines),
        ("tuition fees", _load_tuition_fees),
        ("careers", _load_careers),
    )
    for part, loader in loaders:
        if loader(programme, record, where):
            changes.parts.add(part)
    if changes.parts:
        record_public_changes(programme)
    return changes


def _check_by_loading_and_undoing(record, where, expected_slug):
    """Check a programme's file by every rule a real load applies, then undo all it wrote."""
    with transaction.atomic():
        _load_programme(record, where, expected_slug, force=True)
        transaction.set_rollback(True)  # back to the savepoint: only the check happened


def _code_list_at(record, where):
    try:
        return _code_list(record.get("languages", []))
    except ValueError as exc:
        raise where.error("languages", str(exc)) from None


def _languages_by_code(codes, where, field_name):
    found = Language.objects.in_bulk(codes)
    for index, code in enumerate(codes):
        if code not in found:
            raise where.error(
                f"{field_name}[{index}]" if field_name == "languages" else field_name,
                f'"{code}" is not in languages.json',
            )
    return found


def _set_languages(programme, codes, where):
    if len(set(codes)) != len(codes):
        raise where.error("languages", f"{json.dumps(codes)} names a language twice")
    _languages_by_code(codes, where, "languages")
    if set(programme.languages.values_list("code", flat=True)) == set(codes):
        return False
    programme.languages.set(codes)
    return True


def _load_offerings(programme, record, where):
    records = _list(record, "universities", where)
    _check_unique(
        [item.get("university") if isinstance(item, dict) else None for item in records],
        "universities",
        "university",
        where,
    )
    universities = University.objects.in_bulk(field_name="slug")
    existing = {o.university.slug: o for o in programme.offerings.select_related("university")}
    changed = False
    for index, item in enumerate(records):
        at = where.at(f"universities[{index}]")
        values = _read_values(item, OFFERING_FIELDS, at, references=("university",))
        slug = item.get("university")
        if slug not in universities:
            raise at.error("university", f"{json.dumps(slug)} is not in universities.json")
        values["position"] = index
        _, row_changed = _upsert(
            ProgrammeUniversity,
            existing.get(slug),
            values,
            at,
            programme=programme,
            university=universities[slug],
        )
        changed |= row_changed
    kept = {item["university"] for item in records}
    return _delete_missing(existing, kept) or changed


def _load_fact_sources(programme, record, where):
    existing = {source.fact: source for source in programme.fact_sources.all()}
    changed = False
    for key, fact in FACT_SOURCE_KEYS.items():
        if key not in record:
            continue
        try:
            values = _provenance(record[key])
        except ValueError as exc:
            raise where.error(key, str(exc)) from None
        if record[key] is None:
            continue
        _, row_changed = _upsert(
            FactSource, existing.get(fact), values, where.at(key), programme=programme, fact=fact
        )
        changed |= row_changed
    kept = {fact for key, fact in FACT_SOURCE_KEYS.items() if record.get(key) is not None}
    return _delete_missing(existing, kept) or changed


def _load_semesters(programme, record, where):
    records = _list(record, "semesters", where)
    existing = {s.number: s for s in programme.semesters.all()}
    parsed = [
        _read_values(item, SEMESTER_FIELDS, where.at(f"semesters[{index}]"), sourced=True)
        for index, item in enumerate(records)
    ]
    _check_unique([values["number"] for values in parsed], "semesters", "number", where)
    changed = False
    for index, values in enumerate(parsed):
        _, row_changed = _upsert(
            Semester,
            existing.get(values["number"]),
            values,
            where.at(f"semesters[{index}]"),
            programme=programme,
        )
        changed |= row_changed
    return _delete_missing(existing, {values["number"] for values in parsed}) or changed


def _load_tracks_and_modules(programme, record, where):
    """Tracks first (modules name their track), then modules, then drop tracks no longer there."""
    track_records = _list(record, "tracks", where)
    existing_tracks = {t.name: t for t in programme.tracks.all()}
    parsed = [
        _read_values(item, TRACK_FIELDS, where.at(f"tracks[{index}]"), sourced=True)
        for index, item in enumerate(track_records)
    ]
    _check_unique([values["name"] for values in parsed], "tracks", "name", where)
    changed = False
    tracks = {}
    for index, values in enumerate(parsed):
        values["position"] = index
        track, row_changed = _upsert(
            Track,
            existing_tracks.get(values["name"]),
            values,
            where.at(f"tracks[{index}]"),
            programme=programme,
        )
        tracks[track.name] = track
        changed |= row_changed

    existing_modules = {m.position: m for m in programme.modules.all()}
    module_records = _list(record, "modules", where)
    for index, item in enumerate(module_records):
        at = where.at(f"modules[{index}]")
        values = _read_values(item, MODULE_FIELDS, at, references=("track",), sourced=True)
        track_name = item.get("track")
        if track_name is not None and track_name not in tracks:
            raise at.error("track", f"{json.dumps(track_name)} is not a track of this programme")
        values["track_id"] = tracks[track_name].pk if track_name is not None else None
        values["position"] = index
        _, row_changed = _upsert(
            Module, existing_modules.get(index), values, at, programme=programme
        )
        changed |= row_changed
    changed |= _delete_missing(existing_modules, set(range(len(module_records))))
    changed |= _delete_missing(existing_tracks, set(tracks))
    return changed


def _load_requirements(programme, record, where):
    records = _list(record, "admission_requirements", where)
    existing = {r.position: r for r in programme.admission_requirements.all()}
    changed = False
    for index, item in enumerate(records):
        at = where.at(f"admission_requirements[{index}]")
        values = _read_values(
            item, REQUIREMENT_FIELDS, at, references=("original_language",), sourced=True
        )
        code = item.get("original_language")
        if code is not None:
            _languages_by_code([code], at, "original_language")
        values["original_language_id"] = code
        values["position"] = index
        _, row_changed = _upsert(
            AdmissionRequirement, existing.get(index), values, at, programme=programme
        )
        changed |= row_changed
    return _delete_missing(existing, set(range(len(records)))) or changed


def _load_careers(programme, record, where):
    records = _list(record, "careers", where)
    existing = {c.position: c for c in programme.careers.all()}
    changed = False
    for index, item in enumerate(records):
        at = where.at(f"careers[{index}]")
        values = _read_values(item, CAREER_FIELDS, at, sourced=True)
        values["position"] = index
        _, row_changed = _upsert(Career, existing.get(index), values, at, programme=programme)
        changed |= row_changed
    return _delete_missing(existing, set(range(len(records)))) or changed


def _load_positioned_rows(programme, record, where, key, model, fields):
    """Load the list `key` of sourced rows, kept by position: changed, added and removed."""
    records = _list(record, key, where)
    existing = {row.position: row for row in getattr(programme, key).all()}
    changed = False
    for index, item in enumerate(records):
        at = where.at(f"{key}[{index}]")
        values = _read_values(item, fields, at, sourced=True)
        values["position"] = index
        _, row_changed = _upsert(model, existing.get(index), values, at, programme=programme)
        changed |= row_changed
    return _delete_missing(existing, set(range(len(records)))) or changed


def _load_deadlines(programme, record, where):
    return _load_positioned_rows(
        programme, record, where, "application_deadlines", ApplicationDeadline, DEADLINE_FIELDS
    )


def _load_tuition_fees(programme, record, where):
    return _load_positioned_rows(programme, record, where, "tuition_fees", Tuition, TUITION_FIELDS)


# --- entry point -------------------------------------------------------------------------------


def _read_json(path, shown_as):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogLoadError(f"{shown_as}: file not found") from None
    except json.JSONDecodeError as exc:
        raise CatalogLoadError(
            f"{shown_as}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None


def load_catalog(directory=None, force=False):
    """Load languages.json, universities.json and programmes/*.json from `directory` in one
    transaction; returns a line per programme saying created / updated / unchanged.

    Raises CatalogLoadError (and changes nothing) when any file is faulty. Never deletes a
    programme, university or language that no fixture names: staff may have added it in the admin.
    Programmes edited in the admin are left alone unless `force` is set.
    """
    directory = Path(directory) if directory is not None else DEFAULT_FIXTURES_DIR
    if not directory.is_dir():
        raise CatalogLoadError(f"{directory}: no such directory")

    def shown(path):
        # Name files as a reviewer sees them: "fixtures/programmes/x.json", wherever the copy is.
        return str(Path(directory.name) / path.relative_to(directory))

    def top_level_list(path):
        data = _read_json(path, shown(path))
        if not isinstance(data, list):
            raise CatalogLoadError(f"{shown(path)}: expected a list of records")
        return data

    languages_path = directory / "languages.json"
    universities_path = directory / "universities.json"
    languages = top_level_list(languages_path)
    universities = top_level_list(universities_path)
    programme_paths = sorted((directory / "programmes").glob("*.json"))
    programmes = [(path, _read_json(path, shown(path))) for path in programme_paths]

    report = []
    # Each programme's search words rebuilt once, not after every row of it is saved.
    with transaction.atomic(), programme_documents.refreshed_together():
        where = _Location(shown(languages_path))
        outcome = _load_shared(Language, LANGUAGE_FIELDS, "code", languages, where)
        report.append(f"languages: {outcome}")
        where = _Location(shown(universities_path))
        outcome = _load_shared(University, UNIVERSITY_FIELDS, "slug", universities, where)
        report.append(f"universities: {outcome}")
        for path, record in programmes:
            outcome = _load_programme(
                record, _Location(shown(path)), expected_slug=path.stem, force=force
            )
            report.append(f"{path.stem}: {outcome.describe()}")
    return report
