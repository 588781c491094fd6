"""Synthetic programmes for measuring the catalog at scale, never for the public catalog.

Every generated row is labelled as synthetic in its title, slug and source, so it can't be
mistaken for transcribed data, and `delete_synthetic_programmes()` removes them all again.
"""

import itertools

from django.db import transaction

from programs.models import (
    Delivery,
    Language,
    Level,
    Module,
    ModuleKind,
    Programme,
    ProgrammeUniversity,
    Semester,
    StudyMode,
    Track,
    TrackKind,
    University,
)

SLUG_PREFIX = "synthetic-"
LANGUAGES = [("en", "English"), ("de", "German"), ("fr", "French"), ("it", "Italian")]
COUNTRIES = ["DE", "AT", "SE", "IT", "NL", "FR"]


@transaction.atomic
def generate_programmes(count: int, modules_per_programme: int = 12) -> int:
    """Create `count` published synthetic programmes with universities, semesters and modules."""
    languages = [
        Language.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in LANGUAGES
    ]
    universities = [
        University.objects.get_or_create(
            slug=f"{SLUG_PREFIX}university-{index}",
            defaults={"name": f"Synthetic University {index}", "country": country},
        )[0]
        for index, country in enumerate(COUNTRIES)
    ]
    start = Programme.objects.filter(slug__startswith=SLUG_PREFIX).count()
    programmes = Programme.objects.bulk_create(
        Programme(
            title=f"Synthetic programme {number}",
            slug=f"{SLUG_PREFIX}{number}",
            level=Level.MASTER,
            degree="Master of Science",
            ects=[60, 90, 120, None][number % 4],
            duration_semesters=[2, 3, 4, None][number % 4],
            study_mode=[StudyMode.FULL_TIME, StudyMode.PART_TIME, None][number % 3],
            delivery=[Delivery.ON_CAMPUS, Delivery.BLENDED, Delivery.ONLINE, None][number % 4],
            summary=f"A generated programme for load tests, number {number}, on health data.",
            source_document="synthetic (manage.py generate_catalog)",
            published=True,
        )
        for number in range(start + 1, start + count + 1)
    )
    cycle = itertools.count()
    ProgrammeUniversity.objects.bulk_create(
        ProgrammeUniversity(programme=p, university=universities[next(cycle) % len(universities)])
        for p in programmes
    )
    Programme.languages.through.objects.bulk_create(
        Programme.languages.through(programme=p, language=languages[i % len(languages)])
        for i, p in enumerate(programmes)
    )
    Semester.objects.bulk_create(
        Semester(programme=p, number=n, title=f"Semester {n}") for p in programmes for n in (1, 2)
    )
    Track.objects.bulk_create(
        Track(programme=p, name="Data Analytics", kind=TrackKind.SPECIALISATION) for p in programmes
    )
    Module.objects.bulk_create(
        Module(
            programme=p,
            title=f"Synthetic module {n} on medical data",
            kind=ModuleKind.COMPULSORY,
            semester=1 + n % 2,
            position=n,
        )
        for p in programmes
        for n in range(modules_per_programme)
    )
    return len(programmes)


@transaction.atomic
def delete_synthetic_programmes() -> int:
    """Remove every synthetic programme and university; returns how many programmes went."""
    deleted = Programme.objects.filter(slug__startswith=SLUG_PREFIX).delete()[1]
    University.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    return deleted.get("programs.Programme", 0)
