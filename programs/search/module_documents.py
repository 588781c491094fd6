"""The module search of /modules/: the words each module is found by, and how a search finds them.

Every module has one search document (ModuleSearchDocument) holding the words of its title, its
description and its track's name, lower case and without accents, as the programme search stores
its words (programs/search/programme_documents.py): a search finds the modules holding every word
it gives, each as the start of a word ("imag" finds "Imaging"; words under three letters only
whole), ignoring case and accents. The database's own text index answers which modules match: an
FTS5 table on SQLite and a GIN-indexed tsvector on PostgreSQL (migration 0012). Only
`refresh_programmes()` writes documents, and on SQLite it adds them to the FTS5 table itself.

Each document's key is its programme's id and its module's id in one number (programme id * 2**32
+ module id), so reading the matches in key order, which both text indexes and the table's
primary key give without sorting, keeps each programme's modules together: a page of results
costs what it shows, however many modules match.

The documents are rebuilt with the programme search's documents: `programme_documents.refresh()`
(on every ORM write through its signals, and in the bulk paths: imports, load_catalog,
generate_catalog) calls `refresh_programmes()` for the same programmes.
"""

from functools import lru_cache

from django.db import connections

from programs.core.search_words import query_words, words
from programs.models import Module
from programs.models.text_search import MODULE_DOCUMENT_TABLE as DOCUMENT_TABLE
from programs.models.text_search import MODULE_SQLITE_TABLE as SQLITE_TABLE
from programs.models.text_search import module_match_sql

# A document's key: programme id * KEY_FACTOR + module id (module ids stay below 2**32).
KEY_FACTOR = 2**32
# PostgreSQL: up to this many matches are read through the GIN index and sorted; more are
# found by walking the key order (see PublishedMatches).
POSTGRESQL_FEW = 1000
MANY = object()
# How many programmes' modules are rebuilt per round of queries.
REFRESH_CHUNK = 500


def key(programme_id, module_id):
    """The document key that orders modules by programme, then by module id."""
    return programme_id * KEY_FACTOR + module_id


@lru_cache(maxsize=4096)
def document_words(title, description, track_name):
    """A module's words as its document stores them: " word word … " (see
    words).

    Cached: a catalog repeats the same titles and track names many times over.
    """
    seen = dict.fromkeys(word for text in (title, description, track_name) for word in words(text))
    return f" {' '.join(seen)} " if seen else ""


def refresh_programmes(programme_ids, using="default", new=False):
    """Rebuild the search documents of these programmes' modules (in a few queries per 500
    programmes; ids of deleted programmes are ignored). `new`: the programmes were just written
    and have no documents yet, so none is looked for to remove."""
    ids = sorted(set(programme_ids))
    connection = connections[using]
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        for start in range(0, len(ids), REFRESH_CHUNK):
            chunk = ids[start : start + REFRESH_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            if not new:
                _delete_documents(cursor, chunk)
            cursor.execute(
                "SELECT m.id, m.programme_id, m.title, m.description, t.name "
                "FROM programs_module m LEFT JOIN programs_track t ON t.id = m.track_id "
                f"WHERE m.programme_id IN ({marks})",
                chunk,
            )
            rows = [
                (key(programme_id, module_id), module_id, programme_id, document_words(*texts))
                for module_id, programme_id, *texts in cursor.fetchall()
            ]
            if not rows:  # a programme without modules: nothing to write or to index
                continue
            insert_documents(cursor, connection, rows)
            if sqlite:
                # New documents enter the FTS5 table here, in one statement, rather than by a
                # trigger run per row, which makes writing two million of them several times
                # slower. (A trigger removes deleted ones: rows go with their modules too.)
                cursor.execute(
                    f"INSERT INTO {SQLITE_TABLE}(rowid, words) SELECT key, words "
                    f"FROM {DOCUMENT_TABLE} WHERE programme_id IN ({marks})",
                    chunk,
                )


def _delete_documents(cursor, programme_ids):
    """Delete the documents of these programmes' modules, and also a document of one of their
    modules under another programme's key (the module was moved). Two subqueries, each read
    through an index: an OR of both conditions would scan the table."""
    marks = ", ".join(["%s"] * len(programme_ids))
    cursor.execute(
        f"DELETE FROM {DOCUMENT_TABLE} WHERE key IN ("
        f"SELECT key FROM {DOCUMENT_TABLE} WHERE programme_id IN ({marks}) UNION ALL "
        f"SELECT key FROM {DOCUMENT_TABLE} WHERE module_id IN "
        f"(SELECT id FROM programs_module WHERE programme_id IN ({marks})))",
        programme_ids + programme_ids,
    )


def insert_documents(cursor, connection, rows):
    """Write document rows (key, module id, programme id, words) with one statement per batch
    (COPY on PostgreSQL): generate_catalog writes two million of them."""
    columns = "key, module_id, programme_id, words"
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {DOCUMENT_TABLE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor.executemany(f"INSERT INTO {DOCUMENT_TABLE} ({columns}) VALUES (%s, %s, %s, %s)", rows)


class PublishedMatches:
    """The modules of published programmes holding every word of a search text (all of them
    for an empty text), in key order: what /modules/ pages through.

    A sequence for Django's Paginator: `count_up_to()` counts no further than asked, and a
    slice reads only its own rows' keys from the text index (one query), then those modules
    with what the page shows (two more).
    """

    def __init__(self, text, using="default"):
        self.using = using
        self.searched = query_words(text) if text.strip() else None
        # A text without any word ("!?") finds nothing, without asking the database.
        self.empty = self.searched == []
        self._postgresql_few = None

    @classmethod
    def none(cls):
        """No modules at all (for a search text that could not be used)."""
        return cls("!")

    def _sql(self):
        return module_match_sql(connections[self.using].vendor, self.searched)

    def count_up_to(self, limit):
        """How many modules match, counting no further than `limit`."""
        if self.empty:
            return 0
        few = self._few_on_postgresql()
        if few is not None:
            return min(len(few) if few is not MANY else limit, limit)
        sql, parameters = self._sql()
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql} LIMIT %s) matches", [*parameters, limit])
            return cursor.fetchone()[0]

    def keys(self, offset, limit):
        """The keys of the matches from `offset` on, at most `limit` of them, in order."""
        if self.empty or limit <= 0:
            return []
        few = self._few_on_postgresql()
        if few is not None and few is not MANY:
            return few[offset : offset + limit]
        sql, parameters = self._sql()
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*parameters, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def _few_on_postgresql(self):
        """On PostgreSQL, for a search: the keys of all matches, sorted, when there are at most
        POSTGRESQL_FEW of them, else MANY (None elsewhere).

        Its GIN index can't give matches in key order, and its estimate of how many documents a
        word's start matches is too rough to choose a plan by: so the matches are first read
        through that index, at most POSTGRESQL_FEW + 1 of them. Few: they are sorted here. Many:
        walking the key order and testing each document finds a page's worth soon.
        """
        if self.searched is None or connections[self.using].vendor != "postgresql":
            return None
        if self._postgresql_few is None:
            sql, parameters = self._sql()
            # Unordered: the index scan stops after POSTGRESQL_FEW + 1 rows instead of reading
            # and sorting every match (a tenth of the time for a word in 100,000 modules).
            sql = sql.removesuffix(" ORDER BY d.key")
            found = self._through_text_index(f"{sql} LIMIT %s", [*parameters, POSTGRESQL_FEW + 1])
            self._postgresql_few = sorted(found) if len(found) <= POSTGRESQL_FEW else MANY
        return self._postgresql_few

    def _through_text_index(self, sql, parameters):
        """The first column of `sql`'s rows, read through the GIN index: the planner may use
        neither a table scan nor the key order for it."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', false), "
                "set_config('enable_indexscan', 'off', false)"
            )
            try:
                cursor.execute(sql, parameters)
                return [row[0] for row in cursor.fetchall()]
            finally:
                cursor.execute(
                    "SELECT set_config('enable_seqscan', 'on', false), "
                    "set_config('enable_indexscan', 'on', false)"
                )

    def __getitem__(self, index):
        """Modules start:stop (with their programmes, tracks and universities) in page order:
        by programme as the keys give them, and within a programme as its own page lists them
        (by semester, year and position)."""
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("PublishedMatches can only be sliced, without a step.")
        start = index.start or 0
        keys = self.keys(start, index.stop - start)
        if not keys:
            return []
        programme_order = {}
        for found in keys:
            programme_order.setdefault(found // KEY_FACTOR, len(programme_order))
        modules = Module.objects.using(self.using).filter(
            pk__in=[found % KEY_FACTOR for found in keys]
        )
        return sorted(
            modules.with_programme_data(),
            key=lambda module: (
                programme_order[module.programme_id],
                module.semester is None,
                module.semester or 0,
                module.year is None,
                module.year or 0,
                module.position,
                module.title,
                module.pk,
            ),
        )
