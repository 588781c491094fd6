"""The SQL that reads the search documents: which programmes or modules hold every searched
word, and a programme's rank. It sits with the models, below the search package that writes the
documents, because the querysets' `search()` methods read through it (models import only core).
The words themselves are cut by programs/core/search_words.py."""

from django.db import connections, models
from django.db.models.expressions import RawSQL

from programs.core.search_words import query_words

# --- programmes ---------------------------------------------------------------------------------

# The FTS5 table of SQLite (its rowid is the programme's id).
SQLITE_TABLE = "programs_programmesearch_fts"

# Rank points of a word found in the title, else in the summary and related names, else elsewhere.
TITLE_POINTS, MAIN_POINTS, OTHER_POINTS = 4, 2, 1


def programme_match_sql(vendor, searched, part=None):
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
    in_title, anywhere = (
        programme_match_sql(vendor, searched, "title"),
        programme_match_sql(vendor, searched),
    )
    if in_title is None:
        return None, None
    return RawSQL(*in_title), RawSQL(*anywhere)


def matching(queryset, searched):
    """`queryset` narrowed to the programmes holding every searched word (see query_words)."""
    sql = programme_match_sql(connections[queryset.db].vendor, searched)
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
        title, main = (
            programme_match_sql(vendor, [(word, whole)], part) for part in ("title", "main")
        )
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


# --- modules ----------------------------------------------------------------------------------

# The FTS5 table of SQLite (its rowid is the document's key).
MODULE_SQLITE_TABLE = "programs_modulesearch_fts"
MODULE_DOCUMENT_TABLE = "programs_modulesearchdocument"


def module_match_sql(vendor, searched):
    """SQL selecting the keys of the published programmes' module documents holding every
    searched word (see query_words), or every document when `searched` is None,
    read in key order; and its parameters. With LIMIT it stops after the rows it returns."""
    if searched is None:
        return (
            f"SELECT d.key FROM {MODULE_DOCUMENT_TABLE} d "
            "JOIN programs_programme p ON p.id = d.programme_id "
            "WHERE p.published ORDER BY d.key"
        ), []
    if vendor == "sqlite":
        # Each word quoted (it holds only letters and digits), so nothing in a search text can
        # be read as FTS5 syntax; `*` makes it a prefix. The text index is the outer loop and
        # gives its rowids (the keys) in order; the programme's id is the key's high half.
        expression = " ".join(f'"{word}"' + ("" if whole else "*") for word, whole in searched)
        return (
            f"SELECT f.rowid FROM {MODULE_SQLITE_TABLE} f "
            f"JOIN programs_programme p ON p.id = (f.rowid >> 32) "
            f"WHERE {MODULE_SQLITE_TABLE} MATCH %s AND p.published ORDER BY f.rowid"
        ), [expression]
    if vendor == "postgresql":
        condition = "d.search_vector @@ to_tsquery('simple', %s)"
        parameters = [" & ".join(f"'{word}'" + ("" if whole else ":*") for word, whole in searched)]
    else:  # any other database: the stored words, read with LIKE (the same answer, slower)
        condition = " AND ".join(["d.words LIKE %s"] * len(searched))
        parameters = [f"% {word} %" if whole else f"% {word}%" for word, whole in searched]
    return (
        f"SELECT d.key FROM {MODULE_DOCUMENT_TABLE} d "
        "JOIN programs_programme p ON p.id = d.programme_id "
        f"WHERE {condition} AND p.published ORDER BY d.key"
    ), parameters


def matching_modules(queryset, text):
    """`queryset` (of modules) narrowed to those holding every word of `text`; none when the
    text holds no word at all."""
    searched = query_words(text)
    if not searched:
        return queryset.none() if text.strip() else queryset
    sql, parameters = module_match_sql(connections[queryset.db].vendor, searched)
    return queryset.filter(search_document__key__in=RawSQL(sql, parameters))
