"""The programme list's facet counts and title order, from an index each process keeps in memory.

Counting the list's nine facets in SQL costs a grouped query each, and each rescans the matching
programmes: at 100,000 programmes that is seconds. Here every programme's filterable facts (its
level, study mode, delivery, start, ECTS, duration, and its languages, countries, universities,
backgrounds and field of study) sit in numpy arrays indexed by the programme's id, so a facet's
counts are one `bincount` over the programmes the other filters leave (a few milliseconds,
whatever the size).
Each value also says whether the programme holds it only as an inference (its country always,
its university or level when the source leaves them to be inferred), as its search document
says, so a facet tells "12 (1 inferred)" with one more `bincount` over the same programmes, and
how many of them state no value at all. Beside them sits the programmes' search words
(programs/search/word_index.py), so a search is answered here too. The database still answers
what the arrays can't: deadlines and fees give a set of ids.

The index follows the catalog revision (programs/finder/cache.py). Writes that change a
programme's facts log its id as a CatalogChange under their revision number, so a process that
finds the revision moved on re-reads only those programmes, in one query; a bulk write logs
"every programme", and the index is rebuilt whole, as it is when a process starts.
"""

import copy
import gc
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from programs.models import (
    CHANGE_LOG_KEPT,
    CatalogChange,
    CatalogRevision,
    Programme,
    ProgrammeSearchDocument,
    text_search,
)
from programs.search.programme_documents import INFERRED_MARK
from programs.search.word_index import PARTS, WordIndex

# Facets whose value is a column of the programme (parameter: column).
COLUMN_FACETS = {
    "level": "level",
    "study_mode": "study_mode",
    "delivery": "delivery",
    "start": "start_term",
}
# Facets a programme can hold several values of, read from its search document's facet keys.
KEY_FACETS = ("language", "country", "university", "background", "field")
FACETS = (*COLUMN_FACETS, *KEY_FACETS)

# One programme's facts as the index reads them, in this order. New ones go last: an archived
# edition's frozen rows hold the columns of their day (programs/search/edition_index.py).
FACT_COLUMNS = (
    "published",
    *COLUMN_FACETS.values(),
    "ects",
    "title",
    "slug",
    "retired",
    "duration_semesters",
)
# The facts bounded by a range (parameter prefix: array attribute), each "not stated" as NaN.
RANGES = ("ects", "duration")
NO_VALUE = -1


@dataclass
class Summary:
    """The numbers the list shows for one set of filters (small: it is cached)."""

    total: int
    # {facet: {value: number of programmes}}, each counted with the other facets' choices.
    by_facet: dict
    # How many an ECTS bound left out only because their ECTS is not stated.
    ects_unknown: int
    # The counted universities' names, by slug.
    university_names: dict = field(default_factory=dict)
    # {facet: {value: how many of by_facet's programmes hold it only as an inference}}, zeros
    # left out.
    inferred_by_facet: dict = field(default_factory=dict)
    # {facet: how many of the programmes it counted among hold no value of it (not stated)}.
    unstated_by_facet: dict = field(default_factory=dict)
    # How many a duration bound left out only because their duration is not stated.
    duration_unknown: int = 0


@dataclass
class Counts(Summary):
    """The numbers, and the matching programmes' ids in the list's title order."""

    in_title_order: np.ndarray = None

    def summary(self):
        return Summary(
            self.total,
            self.by_facet,
            self.ects_unknown,
            self.university_names,
            self.inferred_by_facet,
            self.unstated_by_facet,
            self.duration_unknown,
        )


class FacetIndex:
    """Every programme's filterable facts at one catalog revision."""

    def __init__(self, token, number):
        self.token, self.number = token, number
        self.published = np.zeros(0, dtype=bool)
        # Retired programmes (no longer admitting): the list leaves them out unless asked.
        self.retired = np.zeros(0, dtype=bool)
        self.ects = np.zeros(0, dtype=np.float64)
        # The standard period in semesters (NaN: not stated).
        self.duration = np.zeros(0, dtype=np.float64)
        self.column_codes = {name: np.zeros(0, dtype=np.int32) for name in COLUMN_FACETS}
        # Whether each programme holds its column facet's value only as an inference.
        self.column_inferred = {name: np.zeros(0, dtype=bool) for name in COLUMN_FACETS}
        # Key facets as (programme id, value code, inferred) triples, one per programme and
        # value.
        self.pairs = {
            name: (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, bool))
            for name in KEY_FACETS
        }
        # The programmes holding no value of each key facet (their source states none).
        self.lacking = {name: np.zeros(0, dtype=bool) for name in KEY_FACETS}
        # Per facet, whether every value held is inferred (True), none (False) or some (None):
        # the first two are counted without looking at each programme again.
        self.inferred_throughout = dict.fromkeys(FACETS, False)
        self.values = {name: [] for name in FACETS}
        self._codes = {name: {} for name in FACETS}
        self.university_names = {}
        # (published, title, slug) of each programme, to notice when the title order changes.
        self._order_facts = {}
        self.title_order = np.zeros(0, dtype=np.int64)
        self.words = WordIndex.of([])

    # Building and catching up

    @classmethod
    def build(cls, token, number):
        """The index of every programme, read in one query (ordered as the list orders titles)."""
        columns, tables = _fact_sql()
        with _no_cycle_collection(), connection.chunked_cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {tables} ORDER BY p.title, p.slug")
            # The texts are read a batch at a time and only their words kept (see word_index);
            # the cursor (server-side on PostgreSQL) sends the rows as they are fetched, else
            # the catalog's texts would sit in memory twice, as the driver's copy and Python's.
            return cls.of_batches(token, number, iter(lambda: cursor.fetchmany(ROWS_AT_ONCE), []))

    @classmethod
    def of_batches(cls, token, number, batches):
        """The index of these programmes: batches of rows as _fact_sql() selects them, every
        programme once, in the list's title order (an archived edition's come from its frozen
        programmes: programs/search/edition_index.py)."""
        index = cls(token, number)
        facts = []

        def batches_of_words():
            for rows in batches:
                facts.extend(row[:FACTS_LENGTH] for row in rows)
                yield [row[0] for row in rows], _texts(rows)

        index.words = WordIndex.of(batches_of_words())
        index._store(facts, deleted=(), in_title_order=True)
        return index

    def caught_up(self, number):
        """A copy of this index with the changes logged up to revision `number` applied (the
        original stays whole for requests still reading it); None when it must be rebuilt."""
        if number - self.number > CHANGE_LOG_KEPT // 2:
            return None
        rows, deleted = self._changed_since(self.number, number)
        if rows is None:
            return None
        words = self.words.with_changes([row[0] for row in rows], _texts(rows), deleted)
        if words is None:
            return None
        index = self._copy()
        index._store([row[:FACTS_LENGTH] for row in rows], deleted)
        index.words, index.number = words, number
        return index

    def _copy(self):
        index = copy.copy(self)
        index.published, index.ects = self.published.copy(), self.ects.copy()
        index.duration = self.duration.copy()
        index.retired = self.retired.copy()
        index.column_codes = {name: codes.copy() for name, codes in self.column_codes.items()}
        index.column_inferred = {name: flags.copy() for name, flags in self.column_inferred.items()}
        index.pairs = dict(self.pairs)  # replaced, never changed in place
        index.lacking = dict(self.lacking)  # the same
        index.inferred_throughout = dict(self.inferred_throughout)
        index.values = {name: list(values) for name, values in self.values.items()}
        index._codes = {name: dict(codes) for name, codes in self._codes.items()}
        index.university_names = dict(self.university_names)
        index._order_facts = dict(self._order_facts)
        return index

    @staticmethod
    def _changed_since(old, new):
        """The facts of the programmes logged as changed in (old, new], and the deleted ones'
        ids; (None, None) when a write changed programmes it didn't list."""
        columns, _ = _fact_sql()
        change = CatalogChange._meta.db_table
        programme = Programme._meta.db_table
        document = ProgrammeSearchDocument._meta.db_table
        # One query: the log joined to what it names (a deleted programme joins nothing). The
        # joins are flat, so each logged id is looked up by key, not the catalog joined first.
        sql = (
            f"SELECT c.programme_id, {columns} FROM {change} c "
            f"LEFT JOIN {programme} p ON p.id = c.programme_id "
            f"LEFT JOIN {document} d ON d.programme_id = p.id "
            "WHERE c.revision > %s AND c.revision <= %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [old, new])
            logged = cursor.fetchall()
        if any(row[0] is None for row in logged):
            return None, None
        rows = {row[1]: row[1:] for row in logged if row[1] is not None}
        deleted = {row[0] for row in logged if row[1] is None}
        return list(rows.values()), deleted

    def _code(self, facet, value):
        codes = self._codes[facet]
        if value not in codes:
            codes[value] = len(self.values[facet])
            self.values[facet].append(value)
        return codes[value]

    def _grow(self, size):
        if size <= len(self.published):
            return
        grown = max(size, len(self.published) * 5 // 4)
        extra = grown - len(self.published)
        self.published = np.concatenate([self.published, np.zeros(extra, dtype=bool)])
        self.retired = np.concatenate([self.retired, np.zeros(extra, dtype=bool)])
        self.ects = np.concatenate([self.ects, np.full(extra, np.nan)])
        self.duration = np.concatenate([self.duration, np.full(extra, np.nan)])
        for name, codes in self.column_codes.items():
            self.column_codes[name] = np.concatenate(
                [codes, np.full(extra, NO_VALUE, dtype=np.int32)]
            )
        for name, flags in self.column_inferred.items():
            self.column_inferred[name] = np.concatenate([flags, np.zeros(extra, dtype=bool)])

    def _store(self, rows, deleted, in_title_order=False):
        """Write these programmes' facts (rows as _fact_sql() selects them, without the texts)
        and forget `deleted`;
        `in_title_order`: the rows are every programme, in the list's title order.

        Column by column, so a build of 100,000 programmes runs few Python steps per row.
        """
        columns = list(zip(*rows, strict=True)) or [()] * FACTS_LENGTH
        pks, published, titles, slugs = columns[0], columns[1], columns[7], columns[8]
        retired = columns[9]
        touched = [*pks, *deleted]
        self._grow(max(touched, default=-1) + 1)
        ids = np.array(pks, dtype=np.int64)
        gone = np.array(sorted(deleted), dtype=np.int64)
        self.published[gone] = False
        self.published[ids] = np.array(published, dtype=bool)
        self.retired[gone] = False
        self.retired[ids] = np.array(retired, dtype=bool)
        self.ects[gone] = np.nan
        self.ects[ids] = np.array([np.nan if ects is None else ects for ects in columns[6]])
        self.duration[gone] = np.nan
        self.duration[ids] = np.array([np.nan if n is None else n for n in columns[10]])
        for position, name in enumerate(COLUMN_FACETS, start=2):
            values = columns[position]
            code_of = {value: self._code(name, value) for value in set(values) if value}
            self.column_codes[name][gone] = NO_VALUE
            self.column_codes[name][ids] = [code_of.get(value, NO_VALUE) for value in values]
        facet_keys = columns[len(FACT_COLUMNS) + 1]
        self._store_keys(ids, facet_keys, np.array(touched, dtype=np.int64))
        if in_title_order:
            facts = zip(published, titles, slugs, strict=True)
            self._order_facts = dict(zip(pks, facts, strict=True))
            self.title_order = ids[np.array(published, dtype=bool)]
            return
        order_changed = bool(deleted)
        for facts in zip(pks, published, titles, slugs, strict=True):
            if self._order_facts.get(facts[0]) != facts[1:]:
                self._order_facts[facts[0]] = facts[1:]
                order_changed = True
        for pk in deleted:
            self._order_facts.pop(pk, None)
        if order_changed:
            self._read_title_order()

    def _store_keys(self, ids, texts, touched):
        """Replace the key facets' triples of the `touched` programmes by those in `texts` (the
        facet keys of programmes `ids`, in the same order), and their column facets' marks of
        inference by those the texts give."""
        lines_per_programme = [text.count("\n") + 1 if text else 0 for text in texts]
        lines = "\n".join(text for text in texts if text).split("\n") if any(texts) else []
        line_ids = np.repeat(ids, lines_per_programme)
        # Thousands of distinct lines among hundreds of thousands: each is parsed once.
        distinct = {}
        line_numbers = np.fromiter(
            (distinct.setdefault(line, len(distinct)) for line in lines),
            dtype=np.int64,
            count=len(lines),
        )
        facet_of = np.full(len(distinct), -1, dtype=np.int64)
        column_of = np.full(len(distinct), -1, dtype=np.int64)
        code_of = np.zeros(len(distinct), dtype=np.int32)
        inferred_of = np.zeros(len(distinct), dtype=bool)
        for line, number in distinct.items():
            facet, value, *label = line.split("\t")
            inferred_of[number] = facet.endswith(INFERRED_MARK)
            facet = facet.removesuffix(INFERRED_MARK)
            if facet in KEY_FACETS:
                facet_of[number] = KEY_FACETS.index(facet)
                code_of[number] = self._code(facet, value)
            elif facet in COLUMN_FACETS:  # only ever written when inferred: the column has it
                column_of[number] = list(COLUMN_FACETS).index(facet)
            if label:
                self.university_names[value] = label[0]
        line_facets, line_codes = facet_of[line_numbers], code_of[line_numbers]
        line_inferred = inferred_of[line_numbers]
        for position, name in enumerate(KEY_FACETS):
            programme_ids, codes, inferred = self.pairs[name]
            if len(programme_ids) and len(touched):
                kept = ~np.isin(programme_ids, touched)
                programme_ids, codes, inferred = programme_ids[kept], codes[kept], inferred[kept]
            added = line_facets == position
            self.pairs[name] = (
                np.concatenate([programme_ids, line_ids[added]]),
                np.concatenate([codes, line_codes[added]]),
                np.concatenate([inferred, line_inferred[added]]),
            )
            lacking = np.ones(len(self.published), dtype=bool)
            lacking[self.pairs[name][0]] = False
            self.lacking[name] = lacking
            self.inferred_throughout[name] = _throughout(self.pairs[name][2])
        line_columns = column_of[line_numbers]
        for position, name in enumerate(COLUMN_FACETS):
            inferred = self.column_inferred[name]
            inferred[touched] = False
            inferred[line_ids[(line_columns == position) & line_inferred]] = True
            # Never "every one": a programme stating no value has no inference either.
            self.inferred_throughout[name] = None if inferred.any() else False

    def _read_title_order(self):
        """The published programmes' ids in title order, as the database orders them (its
        collation decides where a changed title goes)."""
        published = Programme.objects.filter(published=True).order_by("title", "slug")
        ids = np.array(list(published.values_list("pk", flat=True)), dtype=np.int64)
        # A programme published after this index's revision waits for the next catch-up.
        self.title_order = ids[ids < len(self.published)]

    # Reading

    def mask_of_ids(self, ids):
        """The published programmes among `ids`, as a mask."""
        mask = np.zeros(len(self.published), dtype=bool)
        ids = ids if isinstance(ids, np.ndarray) else np.fromiter(ids, dtype=np.int64)
        mask[ids[ids < len(mask)]] = True
        return mask & self.published

    def found(self, searched):
        """What a search finds (`searched` as core.search_words.query_words gives it), as masks:
        see WordIndex.found."""
        return self.words.found(searched, len(self.published))

    def by_relevance(self, ids, word_hits):
        """`ids` (in title order) ordered by a search's rank, best first, equal ranks keeping
        title order. `word_hits`: per searched word, the masks of the programmes holding it in
        the title and in the main part (see found() and models.text_search.relevance)."""
        points = np.zeros(len(ids), dtype=np.int64)
        for in_title, in_main in word_hits:
            title, main = in_title[ids], in_main[ids]
            points += np.where(
                title,
                text_search.TITLE_POINTS,
                np.where(main, text_search.MAIN_POINTS, text_search.OTHER_POINTS),
            )
        return ids[np.argsort(-points, kind="stable")]

    def everything(self):
        return self.published.copy()

    def of_status(self, retired):
        """The published programmes that are retired (True) or still admitting (False)."""
        return self.published & (self.retired if retired else ~self.retired)

    def choice_mask(self, facet, chosen):
        """The programmes holding ANY of the `chosen` values of `facet`."""
        codes = [self._codes[facet][value] for value in chosen if value in self._codes[facet]]
        if facet in COLUMN_FACETS:
            return np.isin(self.column_codes[facet], codes)
        mask = np.zeros(len(self.published), dtype=bool)
        programme_ids, value_codes, _ = self.pairs[facet]
        mask[programme_ids[np.isin(value_codes, codes)]] = True
        return mask

    def range_mask(self, fact, low, high):
        """The programmes whose `fact` (one of RANGES) is stated and within the bounds (None:
        unbounded)."""
        values = getattr(self, fact)
        mask = ~np.isnan(values)
        with np.errstate(invalid="ignore"):
            if low is not None:
                mask &= values >= low
            if high is not None:
                mask &= values <= high
        return mask

    def tally(self, facet, among):
        """Of the programmes in mask `among`: {value: how many hold it}, {value: how many of
        those hold it only as an inference} (zeros left out in both), and how many hold no
        value of `facet` at all (their source doesn't state it)."""
        throughout = self.inferred_throughout[facet]
        if facet in COLUMN_FACETS:
            codes = self.column_codes[facet][among]
            held = codes != NO_VALUE
            unstated = len(codes) - int(np.count_nonzero(held))
            if throughout is None:
                inferred = codes[held & self.column_inferred[facet][among]]
            codes = codes[held]
        else:
            programme_ids, value_codes, value_inferred = self.pairs[facet]
            taken = among[programme_ids]
            codes = value_codes[taken]
            if throughout is None:
                inferred = value_codes[taken & value_inferred]
            unstated = int(np.count_nonzero(among & self.lacking[facet]))
        if throughout is not None:
            inferred = codes if throughout else codes[:0]
        return self._by_value(facet, codes), self._by_value(facet, inferred), unstated

    def _by_value(self, facet, codes):
        """{value: how many times its code is in `codes`}, zeros left out."""
        if not len(codes):
            return {}
        tally = np.bincount(codes)
        found = np.flatnonzero(tally)
        values = self.values[facet]
        return dict(
            zip([values[code] for code in found.tolist()], tally[found].tolist(), strict=True)
        )

    def counts(self, matching, chosen, ects_bounds=None, duration_bounds=None):
        """The list's numbers for programmes in mask `matching` (every filter but the facets
        and the ranges applied) with the facet choices `chosen` ({facet: [values]}) and the
        ECTS and duration bounds (low, high) when given.

        A bound leaves out the programmes not stating its fact; each range counts those it
        left out that every other filter (the other range's bounds too) keeps."""
        choices = {
            name: self.choice_mask(name, values) for name, values in chosen.items() if values
        }
        in_every_facet = matching.copy()
        for mask in choices.values():
            in_every_facet &= mask
        bounds = {"ects": ects_bounds, "duration": duration_bounds}
        within = {fact: self.range_mask(fact, *b) for fact, b in bounds.items() if b is not None}
        unknown = dict.fromkeys(RANGES, 0)
        for fact in within:
            others = in_every_facet.copy()
            for other, mask in within.items():
                if other != fact:
                    others &= mask
            unknown[fact] = int(np.count_nonzero(others & np.isnan(getattr(self, fact))))
        for mask in within.values():
            matching = matching & mask
            in_every_facet &= mask
        by_facet, inferred_by_facet, unstated_by_facet = {}, {}, {}
        for facet in FACETS:
            among = matching.copy()
            for other, mask in choices.items():
                if other != facet:
                    among &= mask
            tallied = self.tally(facet, among)
            by_facet[facet], inferred_by_facet[facet], unstated_by_facet[facet] = tallied
        in_order = self.title_order[in_every_facet[self.title_order]]
        return Counts(
            total=int(np.count_nonzero(in_every_facet)),
            by_facet=by_facet,
            ects_unknown=unknown["ects"],
            duration_unknown=unknown["duration"],
            university_names={
                slug: self.university_names.get(slug, slug) for slug in by_facet["university"]
            },
            inferred_by_facet=inferred_by_facet,
            unstated_by_facet=unstated_by_facet,
            in_title_order=in_order,
        )


def _throughout(flags):
    """True when every one of `flags` is set (and there is one), False when none is, else None."""
    count = int(np.count_nonzero(flags))
    if count == 0:
        return False
    return True if count == len(flags) else None


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused: a build makes millions of rows, lists and words, none
    in a cycle, and the collector would walk them all again and again (it doubled the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fact_sql():
    """The columns (id, FACT_COLUMNS, facet keys, and the search document's parts in
    word_index.PARTS order) and tables (`p`, the programmes, joined to their search documents)
    of a query for programmes' facts."""
    programme = Programme._meta.db_table
    document = ProgrammeSearchDocument._meta.db_table
    columns = ", ".join(f"p.{Programme._meta.get_field(name).column}" for name in FACT_COLUMNS)
    texts = ", ".join(f"d.{part}_text" for part in PARTS)
    return (
        f"p.id, {columns}, d.facet_keys, {texts}",
        f"{programme} p LEFT JOIN {document} d ON d.programme_id = p.id",
    )


def fact_rows(ids):
    """The rows _fact_sql() selects for these programmes, by id (what an edition freezes)."""
    columns, tables = _fact_sql()
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {tables} WHERE p.id IN ({marks})", list(ids))
        return {row[0]: list(row) for row in cursor.fetchall()}


# A row _fact_sql() selects: the facts (id, FACT_COLUMNS, facet keys), then the texts.
FACTS_LENGTH = 1 + len(FACT_COLUMNS) + 1
# How many rows a build reads at a time.
ROWS_AT_ONCE = 5_000


def _texts(rows):
    """The search document's parts of these rows (as _fact_sql() selects them), part by part."""
    return [[row[n] for row in rows] for n in range(FACTS_LENGTH, FACTS_LENGTH + len(PARTS))]


_lock = threading.Lock()
_current = None


def at_revision(token, number):
    """This process's index, brought up to the catalog revision (token, number)."""
    global _current
    with _lock:
        index = _current
        # Another database, or one rolled back to an earlier revision, is read afresh.
        if index is None or index.token != token or number < index.number:
            index = FacetIndex.build(token, number)
        elif number > index.number:
            index = index.caught_up(number) or FacetIndex.build(token, number)
        _current = index
        return index


def warm_up():
    """Read the index now (a server process starting), unless the database can't say; True
    when it was read."""
    from django.db import DatabaseError, close_old_connections

    try:
        at_revision(*CatalogRevision.objects.state())
        return True
    except DatabaseError:
        return False  # not migrated yet, or down: the first request reads it
    finally:
        close_old_connections()


def forget():
    """Drop this process's index (tests roll back revisions, so numbers repeat)."""
    global _current
    with _lock:
        _current = None
