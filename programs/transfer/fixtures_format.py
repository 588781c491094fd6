"""The fixture files' format: which keys a record has, how each JSON value is read, and where in
the files a faulty value is, for error messages (programs.transfer.fixtures_load loads them,
programs.transfer.fixtures_dump writes them)."""

import datetime
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from programs.core.quotes import QUOTE_SEPARATOR
from programs.models import PROGRAMME_PARTS, KeyFact


class CatalogLoadError(Exception):
    """A fixture could not be loaded; the message names the file, the record and the field."""


@dataclass
class Location:
    """Where in the fixtures a value came from, for error messages a reviewer can follow."""

    file: str
    record: str = ""

    def at(self, record):
        return Location(self.file, record)

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


def _identifier(value):
    """A stable identifier (UUID), or None when the file has none: the row then keeps the one it
    has, or a new row gets a new one."""
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except (AttributeError, TypeError, ValueError) as exc:
        raise ValueError(f"{json.dumps(value)[:60]} is not a UUID") from exc


def _passages(value):
    if isinstance(value, str):
        return [_text(value)]
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return [_text(item) for item in value]
    raise ValueError(f"{json.dumps(value)[:60]} is not a quote (a text or a list of texts)")


def provenance(value):
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


def code_list(value):
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValueError(f"{json.dumps(value)} is not a list of language codes")
    return value


# Which keys each kind of record may hold, and how each is read. Keys naming other records
# (universities, track, original_language, languages) are resolved separately.
LANGUAGE_FIELDS = {"code": _required_text, "name": _required_text}
UNIVERSITY_FIELDS = {
    "slug": _required_text,
    "uuid": _identifier,
    "name": _required_text,
    "short_name": _text,
    "country": _required_text,
    "city": _text,
    "website": _text,
    "location_source": _text,
}
PROGRAMME_FIELDS = {
    "slug": _required_text,
    "uuid": _identifier,
    "title": _required_text,
    "degree": _text,
    "level": _text,
    "field_of_study": _text,
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
    # A retired programme: written only when retired (with its successor's slug, a reference).
    "retired": _boolean,
    "admission_ends": _text,
}
# The programme fields a file holds only for a retired programme.
RETIREMENT_KEYS = ("retired", "admission_ends", "successor")
# Where each key fact's provenance sits: beside the fixture key that holds the fact.
FACT_SOURCE_KEYS = {
    "title_source": KeyFact.TITLE,
    "degree_source": KeyFact.DEGREE,
    "level_source": KeyFact.LEVEL,
    "field_of_study_source": KeyFact.FIELD_OF_STUDY,
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
# The keys of a programme's file that aren't its own fields: its languages, each part's list
# (programs.models.parts) and each key fact's source.
PROGRAMME_CHILD_KEYS = (
    "successor",
    "languages",
    *(part.fixture_key for part in PROGRAMME_PARTS if part.fixture_key),
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
    "placement_inferred_because": _text,
    "background": _text,
    "description": _text,
}
MODULE_FIELDS = {
    "uuid": _identifier,
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


def read_values(record, fields, where, references=(), sourced=False):
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
    if values.get("uuid", "") is None:
        # No identifier in the file: the row keeps its own (a new row gets one), never "none".
        del values["uuid"]
    if sourced:
        try:
            values.update(provenance(record.get("source")))
        except ValueError as exc:
            raise where.error("source", str(exc)) from None
    return values


def read_list(record, key, where):
    value = record.get(key, [])
    if not isinstance(value, list):
        raise where.error(key, f"{json.dumps(value)[:60]} is not a list")
    return value
