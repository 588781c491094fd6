"""Migrations 0011 and 0012's code, frozen: the programmes' search documents, built and stored.

A copy of what programs/search/programme_documents.py's `refresh()` ran for these migrations (with
their historical models: no module documents, no revision bump), as it was when the migrations
were frozen, so that they keep doing what they did whatever becomes of the live code. Country
names come from Babel in the site's languages of then.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

import re
import unicodedata
from functools import lru_cache

from babel import Locale
from django.db import transaction

# How many programmes are rebuilt per round of queries (SQLite allows only so many parameters).
REFRESH_CHUNK = 500
# The site's languages, each of which names the countries a search finds.
LANGUAGES = ("en", "de", "it", "sv")

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
    """The words of `text` as the search stores them: lower case, no accents; dots and
    apostrophes inside a word dropped, anything else neither a letter nor a digit separates."""
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    text = "".join(letter for letter in text if not unicodedata.combining(letter))
    text = re.sub(r"(?<=\w)[.'\u2019](?=\w)", "", text)
    return re.findall(r"[^\W_]+", text)


def _joined(texts):
    """The words of several texts as one document part: " word word … "."""
    seen = dict.fromkeys(word for text in texts for word in words(text))
    return f" {' '.join(seen)} " if seen else ""


@lru_cache(maxsize=1)
def _abbreviation_index():
    """{degree name's words: abbreviations' words} and the other way round."""
    both_ways = {}
    for degree, abbreviations in DEGREE_ABBREVIATIONS.items():
        name = " ".join(words(degree))
        short = {" ".join(words(abbreviation)) for abbreviation in abbreviations}
        both_ways[name] = sorted(short)
        for abbreviation in short:
            both_ways.setdefault(abbreviation, []).append(name)
    return both_ways


def degree_words(degree):
    """The degree as stated, plus the other names it goes by ("Master of Science": MSc, MS)."""
    both_ways = _abbreviation_index()
    normal = " ".join(words(degree))
    # Abbreviations count only as the whole degree.
    extra = [
        other
        for name, others in both_ways.items()
        if (name == normal if " " not in name else f" {name} " in f" {normal} ")
        for other in others
    ]
    return [degree or "", *extra]


def _country_name(code, language):
    if not code:
        return code
    return Locale.parse(language).territories.get(code.upper(), code)


@lru_cache(maxsize=512)
def country_names(code):
    """The country's name in each of the site's languages."""
    return tuple(dict.fromkeys(_country_name(code, language) for language in LANGUAGES))


def documents(programme_ids, apps, using):
    """The search documents of these programmes (unsaved), built in four queries."""
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


def refresh(programme_ids, apps, using):
    """Write (or rewrite) the search documents of these programmes."""
    ids = sorted(set(programme_ids))
    Document = apps.get_model("programs", "ProgrammeSearchDocument")
    with transaction.atomic(using=using):
        for start in range(0, len(ids), REFRESH_CHUNK):
            Document.objects.using(using).bulk_create(
                documents(ids[start : start + REFRESH_CHUNK], apps, using),
                update_conflicts=True,
                unique_fields=["programme"],
                update_fields=["title_text", "main_text", "more_text"]
                + (["facet_keys"] if _has_facet_keys(Document) else []),
            )
