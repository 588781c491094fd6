"""Write the whole catalog as files in the fixture format `load_catalog` reads: the backup.

`export_catalog(directory)` writes languages.json, universities.json and programmes/<slug>.json
for every programme (drafts included), as it is stored now, staff edits and all, with each fact's
provenance beside it (`x_source`, each part's `source`). `load_catalog` on an empty database
gives back the same catalog. What the files don't hold: who works for which university (user
accounts), who last checked a programme (the date is kept), the history and the public change
log, which start afresh from a restore.
"""

import json
import uuid
from decimal import Decimal
from pathlib import Path

from programs.core.quotes import split_quote
from programs.models import (
    PROGRAMME_PARTS,
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
    PROGRAMME_FIELDS,
    REQUIREMENT_FIELDS,
    RETIREMENT_KEYS,
    SEMESTER_FIELDS,
    TRACK_FIELDS,
    TUITION_FIELDS,
    UNIVERSITY_FIELDS,
)


def json_value(value):
    """A stored value as the fixtures write it (dates as YYYY-MM-DD, credits as numbers)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value == "":
        return None  # the fixtures' "not stated"; load_catalog refuses empty text
    return value


def source_of(row):
    """A part's provenance as a fixture's `source` object, or None when it has none."""
    source = {}
    passages = split_quote(row.source_quote)
    if passages:
        source["stated"] = passages[0] if len(passages) == 1 else passages
    if row.inferred_because is not None:
        source["inferred"] = row.inferred_because
    return source or None


def values_of(row, fields):
    return {name: json_value(getattr(row, name)) for name in fields}


def sourced(row, fields, **extra):
    record = {**values_of(row, fields), **extra}
    source = source_of(row)
    if source is not None:
        record["source"] = source
    return record


def programme_record(programme):
    """One programme as its fixture file's object."""
    record = {}
    sources = {source.fact: source_of(source) for source in programme.fact_sources.all()}
    for name in PROGRAMME_FIELDS:
        if name in RETIREMENT_KEYS and not programme.retired:
            continue  # a programme still admitting says nothing of retirement
        record[name] = json_value(getattr(programme, name))
        # Each fact's source right after the fact, as the transcribers write them.
        key = "duration_source" if name == "duration_as_stated" else f"{name}_source"
        if FACT_SOURCE_KEYS.get(key) in sources:
            record[key] = sources[FACT_SOURCE_KEYS[key]]
    if programme.retired:
        record["successor"] = programme.successor.slug if programme.successor_id else None
    record["languages"] = sorted(language.code for language in programme.languages.all())
    for part in PROGRAMME_PARTS:
        if part.fixture_key:
            record[part.fixture_key] = PART_LISTS[part.model](programme)
    for key, fact in FACT_SOURCE_KEYS.items():
        if fact in sources and key not in record:
            record[key] = sources[fact]
    return record


def _careers(programme):
    # In their own order: the pages group them by kind, keeping it within a kind.
    careers = sorted(programme.careers.all(), key=lambda career: (career.position, career.pk))
    return [sourced(c, CAREER_FIELDS) for c in careers]


# Each part's list in a programme's file, for every part of programs.models.parts with a
# fixture key (a KeyError is a part added there and not here). Fact sources sit beside the facts.
PART_LISTS = {
    ProgrammeUniversity: lambda programme: [
        {"university": offering.university.slug, "role": offering.role}
        for offering in programme.offerings.all()
    ],
    FactSource: None,
    Semester: lambda programme: [sourced(s, SEMESTER_FIELDS) for s in programme.semesters.all()],
    Track: lambda programme: [sourced(t, TRACK_FIELDS) for t in programme.tracks.all()],
    Module: lambda programme: [
        sourced(m, MODULE_FIELDS, track=m.track.name if m.track_id else None)
        for m in programme.modules.all()
    ],
    AdmissionRequirement: lambda programme: [
        sourced(r, REQUIREMENT_FIELDS, original_language=r.original_language_id)
        for r in programme.admission_requirements.all()
    ],
    ApplicationDeadline: lambda programme: [
        sourced(d, DEADLINE_FIELDS) for d in programme.application_deadlines.all()
    ],
    Tuition: lambda programme: [sourced(t, TUITION_FIELDS) for t in programme.tuition_fees.all()],
    Career: _careers,
}


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def export_catalog(directory):
    """Write the catalog into `directory` (created if need be); returns a line per file.

    Programme files of programmes no longer stored are removed, so that loading the directory
    gives back exactly this catalog.
    """
    directory = Path(directory)
    (directory / "programmes").mkdir(parents=True, exist_ok=True)
    write_json(
        directory / "languages.json",
        [values_of(language, LANGUAGE_FIELDS) for language in Language.objects.order_by("code")],
    )
    write_json(
        directory / "universities.json",
        [values_of(u, UNIVERSITY_FIELDS) for u in University.objects.order_by("slug")],
    )
    report = ["languages.json", "universities.json"]
    written = set()
    # The parts in the order the public pages show them; load_catalog numbers them in it.
    for programme in Programme.objects.with_detail_data().order_by("slug").iterator(chunk_size=500):
        path = directory / "programmes" / f"{programme.slug}.json"
        write_json(path, programme_record(programme))
        written.add(path.name)
        report.append(f"programmes/{path.name}")
    for stale in (directory / "programmes").glob("*.json"):
        if stale.name not in written:
            stale.unlink()
    return report
