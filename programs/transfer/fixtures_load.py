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

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programs.actions.restore import edited_by_people
from programs.actions.saving import ProgrammeWrite, programme_write
from programs.models import (
    PART_MODELS,
    AdmissionRequirement,
    ApplicationDeadline,
    Career,
    FactSource,
    Language,
    Module,
    Programme,
    ProgrammeUniversity,
    Semester,
    Track,
    Tuition,
    University,
)
from programs.transfer.fixtures_format import (
    CAREER_FIELDS,
    DEADLINE_FIELDS,
    FACT_SOURCE_KEYS,
    LANGUAGE_FIELDS,
    MODULE_FIELDS,
    OFFERING_FIELDS,
    PROGRAMME_CHILD_KEYS,
    PROGRAMME_FIELDS,
    REQUIREMENT_FIELDS,
    SEMESTER_FIELDS,
    TRACK_FIELDS,
    TUITION_FIELDS,
    UNIVERSITY_FIELDS,
    CatalogLoadError,
    Location,
    code_list,
    provenance,
    read_list,
    read_values,
)

DEFAULT_FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


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
        read_values(record, fields, where.at(f"[{index}]")) for index, record in enumerate(records)
    ]
    _check_unique([values[key] for values in parsed], "", key, where)
    for index, values in enumerate(parsed):
        row = existing.get(values[key])
        _, changed = _upsert(model, row, values, where.at(f"[{index}]"))
        counts["unchanged" if not changed else "created" if row is None else "updated"] += 1
    return ", ".join(f"{count} {outcome}" for outcome, count in counts.items())


def _load_programme(record, where, expected_slug, force, write, successors_later=None):
    """Create or update one programme and all its parts from its file, as part of `write` (the
    whole load's ProgrammeWrite); returns its _Changes.

    A programme that people have edited in the admin since it was loaded is theirs: it is left
    as it is (and reported) unless `force` is set, so a redeploy never undoes staff work.
    """
    values = read_values(record, PROGRAMME_FIELDS, where, references=PROGRAMME_CHILD_KEYS)
    if values["slug"] != expected_slug:
        raise where.error("slug", f'"{values["slug"]}" does not match the file name')
    if values["published"] is None:
        values.pop("published")
    if values["retired"] is None:
        values["retired"] = False  # a file that says nothing of retirement: still admitting
    successor = record.get("successor")
    if successor is not None and not isinstance(successor, str):
        raise where.error("successor", f"{json.dumps(successor)[:60]} is not a programme's slug")
    # A successor not stored yet is set once every programme of the load exists (it may be
    # named before its own file is read).
    values["successor_id"] = None if successor is None else _programme_pk(successor)
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
        values["version"] = write.claim(existing.pk)
    programme, changed = _upsert(Programme, existing, values, where)
    changes.created = existing is None
    if changed:
        changes.parts.add("facts")

    if _set_languages(programme, _code_list_at(record, where), where):
        changes.parts.add("languages")
    for model in PART_MODELS:
        loaded = PART_LOADERS[model]
        if loaded is not None and loaded.loader(programme, record, where):
            changes.parts.add(loaded.reported_as)
    if values["successor_id"] is None and successor is not None and successors_later is not None:
        successors_later.append((programme, successor, where))
    if changes.parts:
        # Its public change is recorded with the others', when the load's write ends.
        write.wrote(programme.pk)
    return changes


def _check_by_loading_and_undoing(record, where, expected_slug):
    """Check a programme's file by every rule a real load applies, then undo all it wrote."""
    with transaction.atomic():
        # A ProgrammeWrite of its own, never ended: what it writes is undone, so nothing of it
        # is for the load's write to record.
        _load_programme(record, where, expected_slug, force=True, write=ProgrammeWrite())
        transaction.set_rollback(True)  # back to the savepoint: only the check happened


def _code_list_at(record, where):
    try:
        return code_list(record.get("languages", []))
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
    records = read_list(record, "universities", where)
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
        values = read_values(item, OFFERING_FIELDS, at, references=("university",))
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
            values = provenance(record[key])
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
    records = read_list(record, "semesters", where)
    existing = {s.number: s for s in programme.semesters.all()}
    parsed = [
        read_values(item, SEMESTER_FIELDS, where.at(f"semesters[{index}]"), sourced=True)
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
    track_records = read_list(record, "tracks", where)
    existing_tracks = {t.name: t for t in programme.tracks.all()}
    parsed = [
        read_values(item, TRACK_FIELDS, where.at(f"tracks[{index}]"), sourced=True)
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
    module_records = read_list(record, "modules", where)
    for index, item in enumerate(module_records):
        at = where.at(f"modules[{index}]")
        values = read_values(item, MODULE_FIELDS, at, references=("track",), sourced=True)
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
    records = read_list(record, "admission_requirements", where)
    existing = {r.position: r for r in programme.admission_requirements.all()}
    changed = False
    for index, item in enumerate(records):
        at = where.at(f"admission_requirements[{index}]")
        values = read_values(
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
    records = read_list(record, "careers", where)
    existing = {c.position: c for c in programme.careers.all()}
    changed = False
    for index, item in enumerate(records):
        at = where.at(f"careers[{index}]")
        values = read_values(item, CAREER_FIELDS, at, sourced=True)
        values["position"] = index
        _, row_changed = _upsert(Career, existing.get(index), values, at, programme=programme)
        changed |= row_changed
    return _delete_missing(existing, set(range(len(records)))) or changed


def _load_positioned_rows(programme, record, where, key, model, fields):
    """Load the list `key` of sourced rows, kept by position: changed, added and removed."""
    records = read_list(record, key, where)
    existing = {row.position: row for row in getattr(programme, key).all()}
    changed = False
    for index, item in enumerate(records):
        at = where.at(f"{key}[{index}]")
        values = read_values(item, fields, at, sourced=True)
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


@dataclass(frozen=True)
class _PartLoader:
    """How one kind of part is loaded, and what the load's report calls it when it changed."""

    reported_as: str
    loader: object


# Every kind of part in programs.models.parts, each loaded in the registry's order; a KeyError
# in a load is a part added there and not here. Modules load with their tracks (they name them).
PART_LOADERS = {
    ProgrammeUniversity: _PartLoader("universities", _load_offerings),
    FactSource: _PartLoader("fact sources", _load_fact_sources),
    Semester: _PartLoader("semesters", _load_semesters),
    Track: _PartLoader("tracks+modules", _load_tracks_and_modules),
    Module: None,
    AdmissionRequirement: _PartLoader("admission requirements", _load_requirements),
    ApplicationDeadline: _PartLoader("application deadlines", _load_deadlines),
    Tuition: _PartLoader("tuition fees", _load_tuition_fees),
    Career: _PartLoader("careers", _load_careers),
}


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
    # One programme write: each programme's search words rebuilt once, not after every row of it
    # is saved, and the public changes recorded together at the end.
    with programme_write() as write:
        where = Location(shown(languages_path))
        outcome = _load_shared(Language, LANGUAGE_FIELDS, "code", languages, where)
        report.append(f"languages: {outcome}")
        where = Location(shown(universities_path))
        outcome = _load_shared(University, UNIVERSITY_FIELDS, "slug", universities, where)
        report.append(f"universities: {outcome}")
        successors = []
        for path, record in programmes:
            outcome = _load_programme(
                record,
                Location(shown(path)),
                expected_slug=path.stem,
                force=force,
                write=write,
                successors_later=successors,
            )
            report.append(f"{path.stem}: {outcome.describe()}")
        for programme, slug, where in successors:
            _set_successor(programme, slug, where)
    return report


def _programme_pk(slug):
    return Programme.objects.filter(slug=slug).values_list("pk", flat=True).first()


def _set_successor(programme, slug, where):
    """Name the programme `slug` (loaded or stored) as the retired `programme`'s successor."""
    found = _programme_pk(slug)
    if found is None:
        raise where.error("successor", f'"{slug}" is not a programme of the catalog')
    programme.successor_id = found
    _save(programme, where)
