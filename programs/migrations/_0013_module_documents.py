"""Migration 0013's code, frozen: the modules' search documents, written in plain SQL.

A copy of what programs/search/module_documents.py's `refresh_programmes()` ran for this migration,
as it was when the migration was frozen, so that it keeps doing what it did whatever becomes of
the live code. It reads and writes the tables in SQL, so it needs no models; the PostgreSQL path
(COPY) and the SQLite path (the FTS5 table filled in one statement) are kept as they were.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

import re
import unicodedata
from functools import lru_cache

from django.db import connections

# The FTS5 table of SQLite (its rowid is the document's key).
SQLITE_TABLE = "programs_modulesearch_fts"
DOCUMENT_TABLE = "programs_modulesearchdocument"
# A document's key: programme id * KEY_FACTOR + module id (module ids stay below 2**32).
KEY_FACTOR = 2**32
# How many programmes' modules are rebuilt per round of queries.
REFRESH_CHUNK = 500


def key(programme_id, module_id):
    """The document key that orders modules by programme, then by module id."""
    return programme_id * KEY_FACTOR + module_id


def words(text):
    """The words of `text` as the search stores them: lower case, no accents; dots and
    apostrophes inside a word dropped, anything else neither a letter nor a digit separates."""
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    text = "".join(letter for letter in text if not unicodedata.combining(letter))
    text = re.sub(r"(?<=\w)[.'\u2019](?=\w)", "", text)
    return re.findall(r"[^\W_]+", text)


@lru_cache(maxsize=4096)
def document_words(title, description, track_name):
    """A module's words as its document stores them: " word word … "."""
    seen = dict.fromkeys(word for text in (title, description, track_name) for word in words(text))
    return f" {' '.join(seen)} " if seen else ""


def refresh_programmes(programme_ids, using):
    """Rebuild the search documents of these programmes' modules."""
    ids = sorted(set(programme_ids))
    connection = connections[using]
    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        for start in range(0, len(ids), REFRESH_CHUNK):
            chunk = ids[start : start + REFRESH_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
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
            insert_documents(cursor, connection, rows)
            if sqlite:
                # New documents enter the FTS5 table here, in one statement (a trigger removes
                # deleted ones).
                cursor.execute(
                    f"INSERT INTO {SQLITE_TABLE}(rowid, words) SELECT key, words "
                    f"FROM {DOCUMENT_TABLE} WHERE programme_id IN ({marks})",
                    chunk,
                )


def _delete_documents(cursor, programme_ids):
    """Delete the documents of these programmes' modules, and also a document of one of their
    modules under another programme's key (the module was moved)."""
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
    (COPY on PostgreSQL)."""
    columns = "key, module_id, programme_id, words"
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {DOCUMENT_TABLE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor.executemany(f"INSERT INTO {DOCUMENT_TABLE} ({columns}) VALUES (%s, %s, %s, %s)", rows)
