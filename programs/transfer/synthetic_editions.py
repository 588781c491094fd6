"""Catalog editions of the synthetic catalog, for measuring editions at scale (`make bench`).

A year of a catalog, as the benchmark plays it: staff revise a share of the programmes (a tenth
by default), then the next edition is published and the one it takes over from is archived. The
revisions are written as the spreadsheet importer writes a changed programme (one programme
write: versions claimed, history records, search words, the public change log and the catalog
revision, all as for any save), so the editions differ exactly as a real catalog's would. The
same seed revises the same programmes the same way.

`edition_storage_bytes()` is what the edition tables take on disk with their indexes, so each
archive's growth can be reported against the first's (the goal: an edition of a catalog where a
tenth changed costs under a quarter of the first, docs/editions.md).
"""

import datetime
import random
import time
from dataclasses import asdict, dataclass

from django.db import connection
from django.utils import timezone

from programs.actions.editions import open_edition, publish_edition
from programs.actions.saving import programme_write
from programs.models import Addendum, Edition, EditionProgramme, FrozenProgramme, Programme
from programs.transfer.synthetic import SLUG_PREFIX

EDITION_MODELS = (Edition, EditionProgramme, FrozenProgramme, Addendum)
# Programmes revised in one programme write (one transaction, the search words rebuilt and the
# change log written once for them).
REVISED_AT_ONCE = 500
# ECTS totals a revised programme may move to (the generator's own choices).
REVISED_ECTS = (60, 90, 120, 180, 210, 240, 300)
# An edition becomes current on this day of its first year.
EDITION_DAY = (9, 1)


@dataclass
class ArchivedEdition:
    """What archiving one edition took and left on disk."""

    label: str
    programmes: int
    # Programmes revised since the edition before it was archived (none for the first).
    revised: int
    # Frozen programmes the archive wrote (the others it shares with an earlier edition).
    frozen_new: int
    seconds: float
    # What the edition tables, with their indexes, grew by.
    bytes: int


def academic_year(day):
    """The year the academic year `day` falls in starts in (2026 from September 2026 on)."""
    return day.year if (day.month, day.day) >= EDITION_DAY else day.year - 1


def make_editions(count=3, share=0.1, seed=1, progress=None):
    """Archive `count` editions of the synthetic catalog, revising `share` of its published
    programmes before each but the first, and leave the catalog current in the edition after
    them (this academic year's). Returns an ArchivedEdition for each, oldest first.

    Needs a database without editions (the years are the `count` before this one)."""
    if Edition.objects.exists():
        raise ValueError("The database holds catalog editions already.")
    first = academic_year(timezone.localdate()) - count
    previous = open_edition(first, datetime.date(first, *EDITION_DAY))
    publish_edition(previous)
    archived = []
    for number in range(count):
        revised = revise_programmes(share, seed, previous.label, progress) if number else 0
        year = first + number + 1
        before, frozen_before = edition_storage_bytes(), FrozenProgramme.objects.count()
        started = time.perf_counter()
        following = open_edition(year, datetime.date(year, *EDITION_DAY))
        publish_edition(following)  # archives the edition it takes over from
        seconds = time.perf_counter() - started
        previous.refresh_from_db()
        if not previous.is_archived:
            raise RuntimeError(f"Publishing {following} did not archive {previous}.")
        archived.append(
            ArchivedEdition(
                label=previous.label,
                programmes=previous.programmes.count(),
                revised=revised,
                frozen_new=FrozenProgramme.objects.count() - frozen_before,
                seconds=seconds,
                bytes=edition_storage_bytes() - before,
            )
        )
        previous = following
    return archived


def as_dicts(editions):
    """ArchivedEdition rows as JSON-ready dicts."""
    return [asdict(edition) for edition in editions]


def revise_programmes(share, seed, label, progress=None):
    """Revise `share` of the published synthetic programmes for the year after `label`: a new
    ECTS total and a sentence more in the summary, saved as the importer saves a changed
    programme. The same `seed` and `label` revise the same programmes. Returns how many."""
    rng = random.Random(f"revisions {seed} {label}")
    ids = list(
        Programme.objects.published()
        .filter(slug__startswith=SLUG_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = sorted(rng.sample(ids, round(len(ids) * share)))
    reason = f"synthetic revision after {label}"
    for start in range(0, len(chosen), REVISED_AT_ONCE):
        batch = chosen[start : start + REVISED_AT_ONCE]
        with programme_write() as write:
            for programme in Programme.objects.filter(pk__in=batch).order_by("pk"):
                # Optimistic locking, as the importer does from its preview.
                programme.version = write.claim(programme.pk, programme.version)
                programme.ects = rng.choice([e for e in REVISED_ECTS if e != programme.ects])
                programme.summary = f"{programme.summary} Revised after {label}."
                programme._change_reason = reason
                programme.save()
        if progress:
            progress(f"Revising programmes after {label}", start + len(batch), len(chosen))
    return len(chosen)


def edition_storage_bytes():
    """The bytes the edition tables and their indexes take on disk now (PostgreSQL: their total
    relation size, TOAST included; SQLite: their pages, from the dbstat table)."""
    tables = [model._meta.db_table for model in EDITION_MODELS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT SUM(pg_total_relation_size(name::regclass)) FROM unnest(%s::text[]) name",
                [tables],
            )
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN "
                f"(SELECT name FROM sqlite_master WHERE tbl_name IN ({marks}))",
                tables,
            )
        return int(cursor.fetchone()[0] or 0)
