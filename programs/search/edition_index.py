"""An archived edition's list index: the live list's facet and word index, of its frozen programmes.

An archived edition never changes, so each process builds its index once, from the facts frozen
with each programme (the same rows the live index reads: programs/actions/editions.py), in the
edition's title order, and keeps it. The live list's code then counts, searches and orders an
edition exactly as it does the live catalog. Beside it are what the live list asks the database
for instead: each programme's duration and last check (sorts) and its deadlines and fees
(filters).
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import connection

from programs.models import Edition, EditionProgramme, FrozenProgramme, TuitionPeriod
from programs.models.frozen_graphs import unpacked
from programs.search.facet_index import FACT_COLUMNS, FACTS_LENGTH, ROWS_AT_ONCE, FacetIndex
from programs.search.word_index import PARTS

# Editions whose index a process keeps at once (the least recently asked for goes first).
EDITIONS_KEPT = 4


@dataclass
class EditionIndex:
    """The facet index of an edition, with what the list's database filters and sorts read."""

    facets: FacetIndex
    # By catalog id: duration in semesters and the day last checked (NaN / "" when not stated).
    duration: np.ndarray
    checked_on: np.ndarray
    deadlines: dict
    fees: dict

    def open_on(self, day):
        """The ids of programmes with a deadline on or after `day` (as
        ProgrammeQuerySet.open_for_applications_on)."""
        wanted = day.isoformat()
        return [pk for pk, days in self.deadlines.items() if any(d >= wanted for d in days if d)]

    def yearly_fee_at_most(self, amount, currency):
        """The ids of programmes with a yearly fee of at most `amount` in `currency` (as
        ProgrammeQuerySet.tuition_at_most: a semester's fee counts twice, a total not at all)."""
        currency = currency.upper()
        found = []
        for pk, fees in self.fees.items():
            for fee, fee_currency, period in fees:
                times = {TuitionPeriod.SEMESTER: 2, TuitionPeriod.YEAR: 1}.get(period)
                if times and fee_currency == currency and Decimal(fee) * times <= amount:
                    found.append(pk)
                    break
        return found


_lock = threading.Lock()
_kept = OrderedDict()


def of_edition(edition):
    """This process's index of the archived `edition`, built on first use."""
    key = (edition.pk, edition.archived_at)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
        index = _build(edition)
        _kept[key] = index
        while len(_kept) > EDITIONS_KEPT:
            _kept.popitem(last=False)
        return index


def warm_up(may_go_on=lambda: True):
    """Build the indexes of the latest archived editions now (a server process starting, as the
    live list's index is read: programs/search/facet_index.warm_up), newest first, as many as
    a process keeps, while `may_go_on()`; returns how many were built. Otherwise the first
    visitor of each edition's list in each process waits for its index, seconds at 100,000
    programmes."""
    from django.db import DatabaseError, close_old_connections

    built = 0
    try:
        for edition in Edition.objects.archived().order_by("-starts_in")[:EDITIONS_KEPT]:
            if not may_go_on():
                break
            of_edition(edition)
            built += 1
    except DatabaseError:
        pass  # not migrated yet, or down: the first request builds it
    finally:
        close_old_connections()
    return built


def forget():
    """Drop the kept indexes (tests reuse ids)."""
    with _lock:
        _kept.clear()


# Where a frozen row holds the duration: frozen before the list filtered by it, a row lacks it.
DURATION_AT = 1 + FACT_COLUMNS.index("duration_semesters")


def _in_current_layout(row, duration):
    """A frozen fact row as the index reads rows today: one frozen before the duration was
    among its columns gets it from the facts frozen beside it (`duration`). Its field of study
    needs nothing: a row without the key reads as not stating one."""
    if len(row) == FACTS_LENGTH - 1 + len(PARTS):
        return [*row[:DURATION_AT], duration, *row[DURATION_AT:]]
    return row


def _build(edition):
    entries = EditionProgramme._meta.db_table
    frozen = FrozenProgramme._meta.db_table
    extras = {"duration": {}, "checked_on": {}, "deadlines": {}, "fees": {}}

    def batches(cursor):
        while rows := cursor.fetchmany(ROWS_AT_ONCE):
            batch = []
            for blob in rows:
                facts = unpacked(blob[0])
                row = _in_current_layout(facts["row"], facts["duration"])
                pk = row[0]
                extras["duration"][pk] = facts["duration"]
                extras["checked_on"][pk] = facts["checked_on"]
                if facts["deadlines"]:
                    extras["deadlines"][pk] = facts["deadlines"]
                if facts["fees"]:
                    extras["fees"][pk] = facts["fees"]
                batch.append(row)
            yield batch

    with connection.chunked_cursor() as cursor:
        # The list's title order, as the live index reads it (the same columns' collation).
        cursor.execute(
            f"SELECT f.facts FROM {entries} e JOIN {frozen} f ON f.id = e.frozen_id "
            "WHERE e.edition_id = %s ORDER BY e.title, e.slug",
            [edition.pk],
        )
        facets = FacetIndex.of_batches(f"edition-{edition.pk}", 0, batches(cursor))
    size = len(facets.published)
    duration = np.full(size, np.nan)
    checked_on = np.full(size, "", dtype=object)
    for pk, value in extras["duration"].items():
        if value is not None:
            duration[pk] = value
    for pk, value in extras["checked_on"].items():
        if value is not None:
            checked_on[pk] = value
    return EditionIndex(facets, duration, checked_on, extras["deadlines"], extras["fees"])
