"""What a visitor's search text asks for, in the words the catalog's texts use.

The programmes' texts are in English. A search on the German, Italian or Swedish pages is read
word by word against the subject vocabulary (subject_vocabulary.py): a word, or a run of words
("dati sanitari"), whose Snowball stems are those of a term's words in the page's language stands
for the English term; a German or Swedish compound no term names whole is split into terms
("Gesundheitsdaten": Gesundheit + Daten, "hälsodata": hälso + data). Any other word (a name, a
city, an English word) is searched as typed. The result is a plain search text, searched as an
English one is, by the word index and the database alike: nothing here reads the database.

The page says what was searched for and from what, so a visitor sees why a programme was found.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.conf import settings
from rapidfuzz import process
from rapidfuzz.distance import OSA

from programs.core import names
from programs.core.search_words import words
from programs.search import subject_vocabulary

# The site's languages other than English, by their Snowball stemmer.
STEMMERS = {"de": "german", "it": "italian", "sv": "swedish"}
# The letters that may join the parts of a compound ("Gesundheit-s-daten", "häls-o-data"); a
# language absent here writes its subjects as separate words (Italian "dati sanitari").
COMPOUND_LINKS = {"de": ("", "s", "es", "n", "en", "e"), "sv": ("", "s", "o", "a", "e", "u")}
# The endings a word of the vocabulary takes when inflected ("medizinisch-en", "medicinsk-a"). A
# word written in the vocabulary and followed by one of them is that word: its stem alone may be
# another term's ("medizinische" stems as "Medizin" does, but is "medical", not "medicine").
INFLECTIONS = {
    "de": ("e", "en", "er", "es", "em", "n", "s"),
    "sv": ("a", "e", "t", "n", "en", "et", "na", "ar", "er"),
}
# A compound's parts are words of at least this many letters: shorter ones would split
# ordinary words into accidental pieces.
SHORTEST_PART = 3
# The longest term, in words, looked for as a run of the search's words.
LONGEST_TERM = 4
# Longer words are not split: their pieces would cost more stems than a search is worth.
LONGEST_COMPOUND = 40
# How many words' stems a process keeps per language before starting afresh.
STEMS_KEPT = 50_000


@dataclass(frozen=True)
class UnderstoodSearch:
    """A search text and the English words searched for it."""

    text: str
    searched: str
    # (the visitor's words, the English term searched for them), for each translated part.
    translated: tuple = field(default=())

    @property
    def is_translated(self):
        return bool(self.translated)


class Vocabulary:
    """The subject vocabulary of one language, by its words' stems."""

    def __init__(self, language):
        self.language = language
        self._stemmer = snowballstemmer.stemmer(STEMMERS[language])
        self.links = COMPOUND_LINKS.get(language, ())
        self.inflections = INFLECTIONS.get(language, ())
        self._stems = {}
        # {the stems of a term's words in this language: the English term}
        self.terms = {}
        # Single words as written too (normal: "halsa"), so that an exact word needs no stem.
        self.written = {}
        # How each normal word is written in the vocabulary ("halsa": "hälsa"), for suggestions.
        self.spelling = {}
        for english, forms in subject_vocabulary.in_language(language):
            for normal, written in forms:
                self.terms.setdefault(tuple(map(self.stem, normal)), english)
                if len(normal) == 1:
                    self.written.setdefault(normal[0], english)
                    self.spelling.setdefault(normal[0], written)

    def nearest(self, word):
        """The vocabulary's word nearest to a misspelt normal `word`, as the vocabulary writes
        it ("halsoa": "hälsa"), or None when none is near enough (as in spelling.py)."""
        if len(word) < SHORTEST_PART or self.term([word]):
            return None
        most = 1 if len(word) <= 4 else 2
        near = process.extractOne(word, list(self.written), scorer=OSA.distance, score_cutoff=most)
        return self.spelling[near[0]] if near else None

    def stem(self, word):
        # Kept: a compound's split stems each of its pieces, and searches repeat.
        if word not in self._stems:
            if len(self._stems) > STEMS_KEPT:
                self._stems.clear()
            self._stems[word] = self._stemmer.stemWord(word)
        return self._stems[word]

    def term(self, run):
        """The English term for a run of normal words, or None."""
        if len(run) == 1:
            if run[0] in self.written:
                return self.written[run[0]]
            inflected = self.inflected(run[0])
            if inflected is not None:
                return inflected
        return self.terms.get(tuple(map(self.stem, run)))

    def inflected(self, word):
        """The English term of a vocabulary word that `word` is with an inflection's ending, the
        longest such word ("medizinischen": "medizinisch", not "medizin"), or None."""
        for ending in sorted(self.inflections, key=len, reverse=True):
            base = word.removesuffix(ending)
            if base != word and len(base) >= SHORTEST_PART and base in self.written:
                return self.written[base]
        return None

    def compound(self, word):
        """The English terms of the parts of a compound `word`, or None when it is not made of
        at least two terms (joined by the language's linking letters)."""
        if not self.links or len(word) > LONGEST_COMPOUND:
            return None
        # best[end]: the fewest terms that make up word[:end].
        best = {0: []}
        for start in range(len(word)):
            if start not in best:
                continue
            for end in range(start + SHORTEST_PART, len(word) + 1):
                english = self.term([word[start:end]])
                if english is None:
                    continue
                for link in self.links:
                    after = end + len(link)
                    if word[end:after] != link or (link and after == len(word)):
                        continue
                    parts = [*best[start], english]
                    if after not in best or len(parts) < len(best[after]):
                        best[after] = parts
        parts = best.get(len(word))
        return parts if parts and len(parts) > 1 else None


@lru_cache(maxsize=len(STEMMERS))
def vocabulary(language):
    return Vocabulary(language)


def understand(text, language):
    """`text` as the catalog searches it on a page in `language` (see the module's docstring)."""
    if language not in STEMMERS or not text:
        return UnderstoodSearch(text, text)
    known = vocabulary(language)
    found = words(text)
    searched, translated = [], []
    start = 0
    while start < len(found):
        for length in range(min(LONGEST_TERM, len(found) - start), 0, -1):
            run = found[start : start + length]
            english = known.term(run)
            if english is None and length == 1:
                parts = known.compound(run[0])
                english = " ".join(dict.fromkeys(parts)) if parts else None
            if english is not None:
                break
        else:
            english, length, run = None, 1, found[start : start + 1]
        start += length
        if english is None or english == " ".join(run):
            searched.append(" ".join(run))
        else:
            searched.append(english)
            translated.append((" ".join(run), english))
    if not translated:
        return UnderstoodSearch(text, text)
    return UnderstoodSearch(text, " ".join(searched), tuple(translated))


def respelt(text, language):
    """`text` with each word the page's language misspells replaced by the vocabulary's word
    ("Gesundhiet Daten": "Gesundheit daten"), or None when no word was replaced."""
    if language not in STEMMERS:
        return None
    known = vocabulary(language)
    typed = words(text)
    better = [known.nearest(word) for word in typed]
    if not any(better):
        return None
    return " ".join(new or old for old, new in zip(typed, better, strict=True))


@lru_cache(maxsize=8)
def _language_names(codes):
    """{a language's name as a normal word, in any of the site's languages: its code}."""
    named = {}
    for code in codes:
        for site_language, _ in settings.LANGUAGES:
            name = words(names.language_name(code, site_language, default=""))
            if len(name) == 1:
                named.setdefault(name[0], code)
    return named


def languages_named(text, codes):
    """The codes (among `codes`, the teaching languages the catalog holds) of the languages
    `text` names by a word ("english", "Deutsch", "inglese", "engelska"), each with that word."""
    named = _language_names(tuple(sorted(codes)))
    found = {}
    for word in words(text):
        if word in named:
            found.setdefault(named[word], word)
    return list(found.items())
