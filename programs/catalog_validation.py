"""Consistency checks over the stored catalog, for `manage.py validate_catalog`.

The rules themselves are the pure functions in programs/consistency.py (the admin's forms use the
same ones); this module only gathers each programme's stored values, applies the rules and says
where each problem lies: the programme's slug and the field.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from programs.consistency import (
    language_code_problems,
    module_ects_problems,
    semester_number_problems,
)
from programs.models import AdmissionRequirement, Programme


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
        "semesters",
        "tracks",
        "modules",
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
    return problems


def catalog_problems():
    """Check every programme, drafts included; returns (number checked, list of Problems)."""
    programmes = list(_programmes_to_check())
    problems = [problem for programme in programmes for problem in programme_problems(programme)]
    return len(programmes), problems
