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
import re
import unicodedata
from contextlib import contextmanager, nullcontext
from functools import lru_cache

from django.apps import apps as global_apps
from django.conf import settings
from django.db import connections, models, transaction
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save

from programs.core import names
from programs.core.limits import SEARCH_MAX_WORDS
from programs.models import EVERY_PROGRAMME

# Words this short match only whole words: as prefixes they would match almost everything.
SHORTEST_PREFIX = 3
# The FTS5 table of SQLite (its rowid is the programme's id).
SQLITE_TABLE = "programs_programmesearch_fts"
# Rank points of a word found in the title, else in the summary and related names, else elsewhere.
TITLE_POINTS, MAIN_POINTS, OTHER_POINTS = 4, 2, 1
# How many programmes are rebuilt per round of queries (SQLite allows only so many parameters).
REFRESH_CHUNK = 500
# Beyond this many programmes written at once, the facet indexes are rebuilt whole rather than
# told which ones changed.
FACET_CHANGES_LISTED = 1_000

# Degrees and the abbreviations people search them by; either form in a programme's degree
# makes it findable by the other.
DEGREE_ABBREVIATIONS = {
    "master of science": ("MSc", "M.Sc.", "MS", "M.S."),
    "master of arts": ("MA", "M.A."),
    "master of engineering": ("MEng", "M.Eng."),
    "master of business administration": ("MBA",),
    "master of public health": ("MPH",),
    "master of philosophy": ("MPhil", "M.Phil."),
    "master of research": ("MRes",),
    "master of laws": ("LLM", "LL.M."),
    "master of fine arts": ("MFA",),
    "bachelor of science": ("BSc", "B.Sc.", "BS", "B.S."),
    "bachelor of arts": ("BA", "B.A."),
    "bachelor of engineering": ("BEng", "B.Eng."),
    "doctor of philosophy": ("PhD", "Ph.D.", "DPhil", "D.Phil."),
}


def words(text):
    """The words of `text` as the search stores and compares them: lower case, no accents.

    Dots and apostrophes inside a word are dropped, so "M.Sc." is "msc" and "Master's" is
    "masters"; anything else that is neither a letter nor a digit separates words.
    """
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    text = "".join(letter for letter in text if not unicodedata.combining(letter))
    text = re.sub(r"(?<=\w)[.'\u2019](?=\w)", "", text)
    return re.findall(r"[^\W_]+", text)


def _joined(texts):
    """The words of several texts as one document part: " word word … " (see the model)."""
    seen = dict.fromkeys(word for text in texts for word in words(text))
    return f" {' '.join(seen)} " if seen else ""


@lru_cache(maxsize=1)
def _abbreviation_index():
    """{degree name's words: abbreviations' words} and the other way round, and every
    abbreviation's single word (which matches only whole)."""
    both_ways = {}
    for degree, abbreviations in DEGREE_ABBREVIATIONS.items():
        name = " ".join(words(degree))
        short = {" ".join(words(abbreviation)) for abbreviation in abbreviations}
        both_ways[name] = sorted(short)
        for abbreviation in short:
            both_ways.setdefault(abbreviation, []).append(name)
    singles = frozenset(key for key in both_ways if " " not in key)
    return both_ways, singles


def degree_words(degree):
    """The degree as stated, plus the other names it goes by ("Master of Science": MSc, MS)."""
    both_ways, _ = _abbreviation_index()
    normal = " ".join(words(degree))
    # A degree of "Master of Science in Data Science" contains "master of science", but no
    # degree contains "ms" by accident: abbreviations count only as the whole degree.
    extra = [
        other
        for name, others in both_ways.items()
        if (name == normal if " " not in name else f" {name} " in f" {normal} ")
        for other in others
    ]
    return [degree or "", *extra]


@lru_cache(maxsize=512)
def country_names(code):
    """The country's name in each language the site speaks."""
    return tuple(
        dict.fromkeys(names.country_name(code, language) for language, _ in settings.LANGUAGES)
    )


def documents(programme_ids, apps=global_apps, using="default"):
    """The search documents of these programmes (unsaved), built in five queries.

    `apps` lets migration 0011 build them with its historical models. One straight sequence, a
    query a step, each adding its words to the same main, more and facet lists: apart, the steps
    would only pass those lists around.
    """
    Programme = apps.get_model("programs", "Programme")
    Offering = apps.get_model("programs", "ProgrammeUniversity")
    Module = apps.get_model("programs", "Module")
    Track = apps.get_model("programs", "Track")
    Document = apps.get_model("programs", "ProgrammeSearchDocument")
    fields = ("pk", "title", "summary", "description", "degree", "city", "campus", "faculty")
    main, more, titles, facets = {}, {}, {}, {}
    for row in Programme.objects.using(using).filter(pk__in=programme_ids).values(*fields):
        titles[row["pk"]] = row["title"]
        main[row["pk"]] = [
            row["summary"],
            *degree_words(row["degree"]),
            row["city"],
            row["campus"],
            row["faculty"],
        ]
        more[row["pk"]] = [row["description"]]
        facets[row["pk"]] = []
    offerings = (
        Offering.objects.using(using)
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
    for programme_id, name, short_name, city, country, slug in offerings:
        main[programme_id] += [name, short_name, city, *country_names(country)]
        facets[programme_id] += [("country", country), ("university", slug, name)]
    taught = Programme.languages.through.objects.using(using).filter(programme_id__in=titles)
    for programme_id, code in taught.values_list("programme_id", "language_id"):
        facets[programme_id].append(("language", code))
    tracks = Track.objects.using(using).filter(programme_id__in=titles)
    for programme_id, name, background in tracks.values_list("programme_id", "name", "background"):
        more[programme_id].append(name)
        if background:
            facets[programme_id].append(("background", background))
    modules = Module.objects.using(using).filter(programme_id__in=titles)
    for programme_id, text in modules.values_list("programme_id", "title"):
        more[programme_id].append(text)
    # Migration 0011 builds documents before migration 0012 gave them their facet keys.
    with_facets = _has_facet_keys(Document)
    return [
        Document(
            programme_id=pk,
            title_text=_joined([title]),
            main_text=_joined(main[pk]),
            more_text=_joined(more[pk]),
            **({"facet_keys": _facet_lines(facets[pk])} if with_facets else {}),
        )
        for pk, title in titles.items()
    ]


def _has_facet_keys(document_model):
    return any(field.name == "facet_keys" for field in document_model._meta.fields)


def _facet_lines(keys):
    """A programme's facet keys as ProgrammeSearchDocument.facet_keys stores them, once each."""
    return "\n".join("\t".join(key) for key in dict.fromkeys(keys) if key[1])


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


def refresh(programme_ids, apps=global_apps, using="default", progress=None, new_catalog=False):
    """Rebuild the search documents of these programmes and of their modules (ids of deleted
    ones are ignored); `progress(what, done, total)` hears how far it got. `new_catalog`: the
    programmes were all just written at once and have no documents yet (generate_catalog), so
    none is looked for to remove, and the text indexes are built again afterwards rather than
    kept up row by row."""
    from programs.search import module_documents

    ids = sorted(set(programme_ids))
    Document = apps.get_model("programs", "ProgrammeSearchDocument")
    rebuilt = _text_indexes_built_after(using) if new_catalog else nullcontext()
    with transaction.atomic(using=using), rebuilt:
        for start in range(0, len(ids), REFRESH_CHUNK):
            Document.objects.using(using).bulk_create(
                documents(ids[start : start + REFRESH_CHUNK], apps, using),
                update_conflicts=True,
                unique_fields=["programme"],
                update_fields=["title_text", "main_text", "more_text"]
                + (["facet_keys"] if _has_facet_keys(Document) else []),
            )
            if apps is global_apps:  # migrations' models have no module documents yet
                # The module search's documents (programs/search/module_documents.py) go with these.
                module_documents.refresh_programmes(
                    ids[start : start + REFRESH_CHUNK], using, new=new_catalog
                )
            if progress:
                progress("Indexing for search", min(start + REFRESH_CHUNK, len(ids)), len(ids))
        if ids and apps is global_apps:
            # The facet indexes of every process re-read these programmes (or, for many, all).
            CatalogRevision = apps.get_model("programs", "CatalogRevision")
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


def _programme_saved(sender, instance, **kwargs):
    programmes_changed([instance.pk])


def _part_changed(sender, instance, origin=None, **kwargs):
    # Deleted with its programme (a cascade): the document goes with the programme.
    Programme = global_apps.get_model("programs", "Programme")
    if isinstance(origin, Programme) or getattr(origin, "model", None) is Programme:
        return
    programmes_changed([instance.programme_id])


def _university_saved(sender, instance, **kwargs):
    programmes_changed(instance.offerings.values_list("programme_id", flat=True))


def _languages_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        programmes_changed([instance.pk])
    elif action == "post_clear":  # a language cleared of all its programmes: unknown which
        from programs.models import CatalogRevision

        CatalogRevision.objects.bump(changed=EVERY_PROGRAMME)
    else:
        programmes_changed(pk_set or ())


def _programme_deleted(sender, instance, **kwargs):
    # Its document goes with it; the facet indexes must drop it too.
    from programs.models import CatalogRevision

    CatalogRevision.objects.bump(changed=[instance.pk])


def connect():
    """Keep the documents current on every ORM write that changes what a search finds."""
    from programs.models import Module, Programme, ProgrammeUniversity, Track, University

    post_save.connect(_programme_saved, sender=Programme, dispatch_uid="search-programme")
    post_save.connect(_university_saved, sender=University, dispatch_uid="search-university")
    post_delete.connect(_programme_deleted, sender=Programme, dispatch_uid="search-deleted")
    m2m_changed.connect(
        _languages_changed, sender=Programme.languages.through, dispatch_uid="search-languages"
    )
    for model in (ProgrammeUniversity, Module, Track):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"search-save-{model}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"search-del-{model}")


def query_words(text):
    """The words of a search text that are searched for (at most SEARCH_MAX_WORDS), each with
    whether it matches only whole words."""
    _, abbreviations = _abbreviation_index()
    found = list(dict.fromkeys(words(text)))[:SEARCH_MAX_WORDS]
    return [(word, len(word) < SHORTEST_PREFIX or word in abbreviations) for word in found]


def _match_sql(vendor, searched, part=None):
    """SQL selecting the ids of programmes holding every searched word (only in `part`, one of
    "title" and "main", when given), and its parameters; None on other databases."""
    if vendor == "sqlite":
        # Each word quoted (it holds only letters and digits), so nothing in a search text can
        # be read as FTS5 syntax; `*` makes it a prefix, `{column} :` keeps it to one column.
        column = f"{{{part}_text}} : " if part else ""
        expression = " ".join(
            column + f'"{word}"' + ("" if whole else "*") for word, whole in searched
        )
        return f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [expression]
    if vendor == "postgresql":
        # The title's words are weighted A, the main part's B (migration 0011).
        weight = {"title": "A", "main": "B", None: ""}[part]
        expression = " & ".join(
            f"'{word}'" + (":" if whole and weight else "" if whole else ":*") + weight
            for word, whole in searched
        )
        return (
            "SELECT programme_id FROM programs_programmesearchdocument "
            "WHERE search_vector @@ to_tsquery('simple', %s)"
        ), [expression]
    return None


def title_and_anywhere(searched, using="default"):
    """Subqueries of the ids of the programmes holding every searched word in the title, and
    anywhere; (None, None) on a database without a text index."""
    vendor = connections[using].vendor
    in_title, anywhere = _match_sql(vendor, searched, "title"), _match_sql(vendor, searched)
    if in_title is None:
        return None, None
    return RawSQL(*in_title), RawSQL(*anywhere)


def matching(queryset, searched):
    """`queryset` narrowed to the programmes holding every searched word (see query_words)."""
    sql = _match_sql(connections[queryset.db].vendor, searched)
    if sql:
        return queryset.filter(pk__in=RawSQL(*sql))
    every_word = models.Q()
    for word, whole in searched:
        every_word &= models.Q(
            *(
                models.Q(**{f"search_document__{part}__contains": _needle(word, whole)})
                for part in ("title_text", "main_text", "more_text")
            ),
            _connector=models.Q.OR,
        )
    return queryset.filter(every_word)


def _needle(word, whole):
    return f" {word} " if whole else f" {word}"


def relevance(queryset, searched):
    """A rank (higher first): per searched word, whether the title holds it, else the summary,
    degree, universities and places, else only the description, modules or tracks.

    Asked of the text index: one set of ids per word and part, which the database builds once
    per query, so ranking tens of thousands of matches costs a lookup each; and the counts of
    the list and its facets, which never read the rank, don't compute it at all.
    """
    vendor = connections[queryset.db].vendor
    points = []
    for word, whole in searched:
        title, main = (_match_sql(vendor, [(word, whole)], part) for part in ("title", "main"))
        if title:
            in_title, in_main = models.Q(pk__in=RawSQL(*title)), models.Q(pk__in=RawSQL(*main))
        else:
            in_title = models.Q(search_document__title_text__contains=_needle(word, whole))
            in_main = models.Q(search_document__main_text__contains=_needle(word, whole))
        points.append(
            models.Case(
                models.When(in_title, then=models.Value(TITLE_POINTS)),
                models.When(in_main, then=models.Value(MAIN_POINTS)),
                default=models.Value(OTHER_POINTS),
            )
        )
    total = points[0]
    for more in points[1:]:
        total = total + more
    return models.ExpressionWrapper(total, output_field=models.FloatField())
