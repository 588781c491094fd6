"""The words a search compares, as the search documents store them and as a search text gives
them: lower case, without accents, with degrees' abbreviations. Pure text, no database: the
documents (programs/search/), the SQL that reads them (programs/models/text_search.py) and the
in-memory word index all cut words the same way here."""

import re
import unicodedata
from functools import lru_cache

from programs.core.limits import SEARCH_MAX_WORDS

# Words this short match only whole words: as prefixes they would match almost everything.
SHORTEST_PREFIX = 3

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


def query_words(text):
    """The words of a search text that are searched for (at most SEARCH_MAX_WORDS), each with
    whether it matches only whole words."""
    _, abbreviations = _abbreviation_index()
    found = list(dict.fromkeys(words(text)))[:SEARCH_MAX_WORDS]
    return [(word, len(word) < SHORTEST_PREFIX or word in abbreviations) for word in found]
