"""What the list tells a visitor about their search: what it searched for, "did you mean", the
teaching-language filter a language's name asks for, the fields of study its words name, and,
on the German, Italian and Swedish pages, that the programmes' texts are English.

Each offer is a link to the list with the changed search, as the visitor would type it: the
link works without JavaScript and can be shared like any address of the list.
"""

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django.utils import translation

from programs.core import names
from programs.core.fields_of_study import field_label
from programs.core.search_words import query_words, words
from programs.search import field_names, query_understanding, spelling

# At most this many fields are offered for one search ("health" names three).
FIELDS_OFFERED = 3


@dataclass
class LanguageOffer:
    """A language the search named, and the list's query filtering by it instead."""

    code: str
    name: str
    query: str


@dataclass
class FieldOffer:
    """A field of study the search named, and the list's query filtering by it instead of the
    search, which shows `count` programmes."""

    code: str
    label: str
    count: int
    query: str


@dataclass
class SearchHelp:
    """What the list says about its search (see the module's docstring)."""

    understood: query_understanding.UnderstoodSearch
    # "Did you mean": the search text suggested and the list's query with it.
    suggestion: str = ""
    suggestion_query: str = ""
    language_offers: list = field(default_factory=list)
    field_offers: list = field(default_factory=list)
    # On a page not in English, a search that found nothing: the texts are English, and the
    # English words searched for (when the search was translated) with the query for them.
    texts_are_english: bool = False
    english_query: str = ""

    def __bool__(self):
        return bool(
            self.understood.is_translated
            or self.suggestion
            or self.language_offers
            or self.field_offers
            or self.texts_are_english
        )


def search_help(filterset, count):
    """The SearchHelp of `filterset`'s search, which found `count` programmes (one that says
    nothing when there is no search). Nothing here reads the database: the words come from the
    list's index and the subject vocabulary."""
    understood = filterset.understood_search()
    if not understood.text:
        return SearchHelp(understood)
    index = filterset.search_index()
    found = SearchHelp(understood)
    if count < spelling.FEW_RESULTS:
        better = spelling.suggestion(index.words, query_words(understood.searched))
        # A word of the page's language the catalog's English can't correct may be a
        # misspelt subject word of the vocabulary.
        better = better or query_understanding.respelt(understood.text, translation.get_language())
        if better:
            found.suggestion = better
            found.suggestion_query = _with(filterset, q=better)
    # A language the list filters by already needs no offer.
    offered = set(index.values["language"]).difference(filterset.applied_languages())
    for code, word in query_understanding.languages_named(understood.text, offered):
        rest = " ".join(typed for typed in understood.text.split() if words(typed) != [word])
        found.language_offers.append(
            LanguageOffer(
                code,
                names.language_name(code, in_sentence=True),
                _with(filterset, q=rest, language=code),
            )
        )
    found.field_offers = _field_offers(filterset, understood)
    if not count and translation.get_language() in query_understanding.STEMMERS:
        found.texts_are_english = True
        if understood.is_translated:
            found.english_query = _with(filterset, q=understood.searched)
    return found


def _field_offers(filterset, understood):
    """The fields the search names that would show programmes, most programmes first: a field
    already chosen, or one holding none of the list's other choices, is not offered."""
    named = field_names.fields_named(understood, translation.get_language())
    if not named:
        return []
    counts = filterset.field_counts_without_search()
    chosen = filterset.applied_fields()
    offered = sorted(
        (code for code in named if counts.get(code) and code not in chosen),
        key=lambda code: -counts[code],
    )
    return [
        FieldOffer(code, field_label(code), counts[code], _with(filterset, q="", field=code))
        for code in offered[:FIELDS_OFFERED]
    ]


def _with(filterset, **changed):
    """The list's applied query with `changed` parameters in place of its own (a language added
    to those chosen), from the first page."""
    pairs = [
        (name, value)
        for name, value in parse_qsl(filterset.applied_query())
        if name not in changed or name == "language"
    ]
    pairs += [(name, value) for name, value in changed.items() if value]
    return urlencode(pairs)
