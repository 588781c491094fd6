"""Consistency checks over the stored catalog, for `manage.py validate_catalog`.

The rules themselves are the pure functions in programs/core/consistency.py (the admin's forms use
the same ones); this module only gathers each programme's stored values, applies the rules and says
where each problem lies: the programme's slug and the field.

Provenance: every stated key fact and every part row must say how it is known (a quote, a reason
for an inference, or both), and every quote must occur in the programme's source text, which
travels with the fixtures in fixtures/sources/<source_document>. Only whitespace is normalised
when comparing (runs of spaces and line breaks count as one space); quotation marks, apostrophes
and spelling must be exactly the source's.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch

from programs.core.consistency import (
    language_code_problems,
    module_ects_problems,
    semester_number_problems,
)
from programs.core.quotes import SourceText, not_in_source
from programs.display.facts import key_fact_values
from programs.models import (
    PROGRAMME_PARTS,
    AdmissionRequirement,
    FactSource,
    Programme,
    Semester,
    Sourced,
    Track,
)

SOURCES_DIR = Path(settings.BASE_DIR) / "fixtures" / "sources"


@dataclass(frozen=True)
class Problem:
    """One inconsistency: which programme, which field, what is wrong."""

    programme: str
    field: str
    message: str

    def __str__(self):
        return f"{self.programme}: {self.field}: {self.message}"


def _programmes_to_check():
    return Programme.objects.order_by("slug").prefetch_related(
        *(part.related_name for part in PROGRAMME_PARTS),
        "languages",
        Prefetch(
            "admission_requirements",
            queryset=AdmissionRequirement.objects.filter(original_language__isnull=False),
            to_attr="translated_requirements",
        ),
    )


def programme_problems(programme):
    """Every consistency problem of one programme (with its parts prefetched or not)."""
    duration = programme.duration_semesters
    problems = []

    def report(field, messages):
        problems.extend(Problem(programme.slug, field, message) for message in messages)

    report(
        "semesters.number",
        semester_number_problems(
            [semester.number for semester in programme.semesters.all()], duration
        ),
    )
    # Tracks and modules share semesters with each other, so each is checked on its own: only
    # the range matters for them, not repetition.
    for track in programme.tracks.all():
        report(
            f'tracks["{track.name}"].semester', semester_number_problems([track.semester], duration)
        )
    modules = list(programme.modules.all())
    for module in modules:
        report(
            f"modules[{module.position}].semester",
            semester_number_problems([module.semester], duration),
        )
    report(
        "modules.ects", module_ects_problems([module.ects for module in modules], programme.ects)
    )

    report(
        "languages", language_code_problems(language.code for language in programme.languages.all())
    )
    requirements = getattr(programme, "translated_requirements", None)
    if requirements is None:
        requirements = programme.admission_requirements.filter(original_language__isnull=False)
    for requirement in requirements:
        report(
            f"admission_requirements[{requirement.position}].original_language",
            language_code_problems([requirement.original_language_id]),
        )

    for field in ("source_document", "source_url"):
        if not (getattr(programme, field) or "").strip():
            report(field, ["is missing: every programme must record its source"])
    for field, messages in provenance_problems(programme):
        report(field, messages)
    return problems


def source_text(programme, directory=None):
    """The programme's source text from fixtures/sources/, or None when there is none."""
    name = (programme.source_document or "").strip()
    if not name or Path(name).name != name:
        return None
    path = Path(directory or SOURCES_DIR) / name
    return path.read_text(encoding="utf-8") if path.is_file() else None


def sourced_rows(programme):
    """(field label, row) for each of the programme's rows that carries provenance."""
    return [
        (_row_name(part, row), row)
        for part in PROGRAMME_PARTS
        # An offering is a key fact of its own, with its own source row.
        if issubclass(part.model, Sourced)
        for row in getattr(programme, part.related_name).all()
    ]


def _row_name(part, row):
    """How a validation message names a row's provenance: "modules[3].source"."""
    if part.model is FactSource:
        return f"{row.fact}_source"
    if part.model is Semester:
        return f"semesters[{row.number}].source"
    if part.model is Track:
        return f'tracks["{row.name}"].source'
    return f"{part.fixture_key}[{row.position}].source"


def provenance_problems(programme, directory=None):
    """[(field, [messages])]: facts that don't say how they are known, quotes not in the source."""
    problems = []
    recorded = {source.fact for source in programme.fact_sources.all()}
    for fact, value in key_fact_values(programme).items():
        if value is not None and fact not in recorded:
            problems.append(
                (f"{fact}_source", ["is missing: a stated fact needs a quote or a reason"])
            )
        elif value is None and fact in recorded:
            # The page shows "not stated" and hides the source: one of the two is a slip.
            problems.append((f"{fact}_source", ["is given, but the fact itself is empty"]))
    rows = sourced_rows(programme)
    for field, row in rows:
        if not row.source_quote and not row.inferred_because:
            problems.append((field, ["is missing: give the source's words or a reason"]))
    quoted = [(field, row) for field, row in rows if row.source_quote]
    if not quoted:
        return problems
    text = source_text(programme, directory)
    if text is None:
        problems.append(
            (
                "source_document",
                [f"no source text fixtures/sources/{programme.source_document} to check quotes"],
            )
        )
        return problems
    source = SourceText(text)
    for field, row in quoted:
        problems += [(field, [not_in_source(p)]) for p in source.missing_passages(row.source_quote)]
    return problems


def catalog_problems():
    """Check every programme, drafts included; returns (number checked, list of Problems)."""
    programmes = list(_programmes_to_check())
    problems = [problem for programme in programmes for problem in programme_problems(programme)]
    return len(programmes), problems
