"""The programme list's search: the words each programme is found by, and how a search finds them.

Every programme has one search document (ProgrammeSearchDocument) holding its words in three
parts by weight: its title; its summary, degree (with the degree's usual abbreviations),
universities, cities and countries (named in every language the site speaks, so "Schweden",
"Svezia" and "Sverige" find what "Sweden" finds); and its description, modules and tracks.
Words are stored lower case and without accents, so matching ignores both.

A search finds the programmes holding every word it gives (AND), each as the start of a word
("inform" finds "Informatics"); short words and degree abbreviations ("AI", "MA") only as whole
words, or "ma" would find every "management". The programme list asks the copy of the documents'
words each process keeps in memory (programs/search/word_index.py), which answers a search matching
most of the catalog without reading it. The other searches (the list sorted by another column, the
compare chooser) ask the database's own text index: an FTS5 table on SQLite and a GIN-indexed
tsvector on PostgreSQL (both made by migration 0011 and fed from the document table, by triggers
on SQLite and a generated column on PostgreSQL).

The documents are rebuilt by signals on every ORM write to a programme or a row it is found by,
and by `refresh()` in the paths that write in bulk without signals (imports, generate_catalog).
"""

import contextvars
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db import connections, transaction

from programs.core import names
from programs.core.search_words import degree_words, words
from programs.display import facet_provenance
from programs.models import (
    EVERY_PROGRAMME,
    CatalogRevision,
    FactSource,
    Module,
    Programme,
    ProgrammeSearchDocument,
    ProgrammeUniversity,
    Track,
)
from programs.search import module_documents

# How many programmes are rebuilt per round of queries (SQLite allows only so many parameters).
REFRESH_CHUNK = 500
# Beyond this many programmes written at once, the facet indexes are rebuilt whole rather than
# told which ones changed.
FACET_CHANGES_LISTED = 1_000


def _joined(texts):
    """The words of several texts as one document part: " word word … " (see the model)."""
    seen = dict.fromkeys(word for text in texts for word in words(text))
    return f" {' '.join(seen)} " if seen else ""


@lru_cache(maxsize=512)
def country_names(code):
    """The country's name in each language the site speaks."""
    return tuple(
        dict.fromkeys(names.country_name(code, language) for language, _ in settings.LANGUAGES)
    )


def documents(programme_ids, using="default"):
    """The search documents of these programmes (unsaved), built in six queries.

    One straight sequence, a query a step, each adding its words to the same main, more and
    facet lists: apart, the steps would only pass those lists around. (Migrations 0011 and 0012
    build theirs with a frozen copy: programs/migrations/_0011_programme_documents.py.)
    """
    fields = ("pk", "title", "summary", "description", "degree", "city", "campus", "faculty")
    main, more, titles, columns, fields_of_study = {}, {}, {}, {}, {}
    rows = Programme.objects.using(using).filter(pk__in=programme_ids)
    for row in rows.values(*fields, *COLUMN_FACET_FIELDS.values(), "field_of_study"):
        titles[row["pk"]] = row["title"]
        main[row["pk"]] = [
            row["summary"],
            *degree_words(row["degree"]),
            row["city"],
            row["campus"],
            row["faculty"],
        ]
        more[row["pk"]] = [row["description"]]
        columns[row["pk"]] = {facet: row[name] for facet, name in COLUMN_FACET_FIELDS.items()}
        fields_of_study[row["pk"]] = row["field_of_study"]
    # How each programme's facet values are known, decided as its page decides (programs/display/).
    sources = FactSource.objects.using(using).filter(
        programme_id__in=titles, fact__in=facet_provenance.FACET_FACTS.values()
    )
    known = {
        (programme_id, fact): facet_provenance.source_of(quote, reason)
        for programme_id, fact, quote, reason in sources.values_list(
            "programme_id", "fact", "source_quote", "inferred_because"
        )
    }

    def key(programme_id, facet, value, label=""):
        source = known.get((programme_id, facet_provenance.FACET_FACTS[facet]))
        return FacetKey(facet, value, label, facet_provenance.is_inferred(value, source))

    facets = {
        pk: [key(pk, facet, value) for facet, value in values.items()]
        for pk, values in columns.items()
    }
    # The field of study is a key, not a column the index reads: an edition archived before
    # programmes had one holds no such key, and its programmes read as not stating it.
    for pk, code in fields_of_study.items():
        facets[pk].append(key(pk, "field", code))
    offerings = (
        ProgrammeUniversity.objects.using(using)
        .filter(programme_id__in=titles)
        .values_list(
            "programme_id",
            "university__name",
            "university__short_name",
            "university__city",
            "university__country",
            "university__slug",
        )
    )
    country = facet_provenance.COUNTRY_SOURCE
    for programme_id, name, short_name, city, code, slug in offerings:
        main[programme_id] += [name, short_name, city, *country_names(code)]
        facets[programme_id] += [
            FacetKey("country", code, "", facet_provenance.is_inferred(code, country)),
            key(programme_id, "university", slug, name),
        ]
    taught = Programme.languages.through.objects.using(using).filter(programme_id__in=titles)
    for programme_id, code in taught.values_list("programme_id", "language_id"):
        facets[programme_id].append(key(programme_id, "language", code))
    tracks = Track.objects.using(using).filter(programme_id__in=titles)
    for programme_id, name, background, quote, reason in tracks.values_list(
        "programme_id", "name", "background", "source_quote", "inferred_because"
    ):
        more[programme_id].append(name)
        # Each track says how its background is known.
        track = facet_provenance.source_of(quote, reason)
        inferred = facet_provenance.is_inferred(background, track)
        facets[programme_id].append(FacetKey("background", background, "", inferred))
    modules = Module.objects.using(using).filter(programme_id__in=titles)
    for programme_id, text in modules.values_list("programme_id", "title"):
        more[programme_id].append(text)
    return [
        ProgrammeSearchDocument(
            programme_id=pk,
            title_text=_joined([title]),
            main_text=_joined(main[pk]),
            more_text=_joined(more[pk]),
            facet_keys=_facet_lines(facets[pk]),
        )
        for pk, title in titles.items()
    ]


# The facets whose value is a column of the programme (facet: field); the facet index reads the
# column itself, and the document says only when the value is inferred.
COLUMN_FACET_FIELDS = {
    "level": "level",
    "study_mode": "study_mode",
    "delivery": "delivery",
    "start": "start_term",
}
# Marks a facet key the programme holds only as an inference: "country:inferred\tAT".
INFERRED_MARK = ":inferred"


class FacetKey(NamedTuple):
    """One value a programme is counted under by a facet, and whether it is only inferred."""

    facet: str
    value: str | None
    label: str = ""
    inferred: bool = False


def _facet_lines(keys):
    """A programme's facet keys as ProgrammeSearchDocument.facet_keys stores them, once each:
    "facet\tvalue", a label after another tab (a university's name), and ":inferred" after
    the facet when the programme holds the value only as an inference (held both ways, it is
    stated). A column facet's value is written only when inferred: the column has the value."""
    held = {}
    for key in keys:
        if key.value:
            earlier = held.get((key.facet, key.value))
            held[key.facet, key.value] = key._replace(
                inferred=key.inferred and (earlier is None or earlier.inferred)
            )
    return "\n".join(
        "\t".join(
            [key.facet + (INFERRED_MARK if key.inferred else ""), key.value]
            + ([key.label] if key.label else [])
        )
        for key in held.values()
        if key.inferred or key.facet not in COLUMN_FACET_FIELDS
    )


# PostgreSQL's text indexes of the documents (migrations 0011 and 0013): index -> table.
POSTGRESQL_TEXT_INDEXES = {
    "programme_search_document_gin": "programs_programmesearchdocument",
    "module_search_document_gin": "programs_modulesearchdocument",
}


@contextmanager
def _text_indexes_built_after(using):
    """On PostgreSQL, drop the documents' GIN indexes for the block and build them again after
    it: built from every row at once, an index costs a fraction of adding millions of rows to it
    one by one. Its lock keeps searches waiting until the transaction ends, so only for writing
    a whole catalog at once (generate_catalog)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for index in POSTGRESQL_TEXT_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {index}")
        yield
        # A table can't be indexed while checks of its foreign keys wait for the commit: run
        # them now (Django's are all deferred), and defer the rest of the transaction's again.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for index, table in POSTGRESQL_TEXT_INDEXES.items():
            cursor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def refresh(programme_ids, using="default", progress=None, new_catalog=False):
    """Rebuild the search documents of these programmes and of their modules (ids of deleted
    ones are ignored); `progress(what, done, total)` hears how far it got. `new_catalog`: the
    programmes were all just written at once and have no documents yet (generate_catalog), so
    none is looked for to remove, and the text indexes are built again afterwards rather than
    kept up row by row."""
    ids = sorted(set(programme_ids))
    rebuilt = _text_indexes_built_after(using) if new_catalog else nullcontext()
    # No savepoint of its own inside a writer's transaction: a failure here fails the write.
    with transaction.atomic(using=using, savepoint=False), rebuilt:
        for start in range(0, len(ids), REFRESH_CHUNK):
            ProgrammeSearchDocument.objects.using(using).bulk_create(
                documents(ids[start : start + REFRESH_CHUNK], using),
                update_conflicts=True,
                unique_fields=["programme"],
                update_fields=["title_text", "main_text", "more_text", "facet_keys"],
            )
            # The module search's documents (programs/search/module_documents.py) go with these.
            module_documents.refresh_programmes(
                ids[start : start + REFRESH_CHUNK], using, new=new_catalog
            )
            if progress:
                progress("Indexing for search", min(start + REFRESH_CHUNK, len(ids)), len(ids))
        if ids:
            # The facet indexes of every process re-read these programmes (or, for many, all).
            many = len(ids) > FACET_CHANGES_LISTED
            CatalogRevision.objects.using(using).bump(changed=EVERY_PROGRAMME if many else ids)


# While set (inside `refreshed_together()`), the ids whose documents are due for a rebuild.
_due = contextvars.ContextVar("search_documents_due", default=None)


@contextmanager
def refreshed_together():
    """Rebuild the documents of every programme written inside the block once, at its end.

    For writers saving many rows of one programme (or many programmes) one by one: without it
    each save rebuilds its programme's document at once. Use it inside the writer's transaction,
    so the documents are written with the rows.
    """
    if _due.get() is not None:
        yield
        return
    token = _due.set(set())
    try:
        yield
        due = _due.get()
    finally:
        _due.reset(token)
    refresh(due)


def programmes_changed(ids):
    """The documents of these programmes are due: rebuilt now, or at the end of the enclosing
    `refreshed_together()` block. For writes that send no signals (bulk_create, bulk_update)."""
    due = _due.get()
    if due is not None:
        due.update(ids)
    else:
        refresh(ids)


def programme_saved(sender, instance, **kwargs):
    programmes_changed([instance.pk])


def part_changed(sender, instance, origin=None, **kwargs):
    # Deleted with its programme (a cascade): the document goes with the programme.
    if isinstance(origin, Programme) or getattr(origin, "model", None) is Programme:
        return
    programmes_changed([instance.programme_id])


def university_saved(sender, instance, **kwargs):
    programmes_changed(instance.offerings.values_list("programme_id", flat=True))


def languages_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        programmes_changed([instance.pk])
    elif action == "post_clear":  # a language cleared of all its programmes: unknown which
        CatalogRevision.objects.bump(changed=EVERY_PROGRAMME)
    else:
        programmes_changed(pk_set or ())


def programme_deleted(sender, instance, **kwargs):
    # Its document goes with it; the facet indexes must drop it too.
    CatalogRevision.objects.bump(changed=[instance.pk])
