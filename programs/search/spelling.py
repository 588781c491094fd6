"""The "did you mean" of a search word nothing in the catalog starts with, from the catalog's
own words.

The candidates are the words of the word index (word_index.py): every word a programme's search
document holds, weighted by how many programmes hold it. A misspelt word ("helth", "medcal") is
replaced by the nearest of them by edit distance (rapidfuzz; two letters swapped count as one
edit, as in "helath"), the most common among equally near ones; a word with none near enough
(gibberish, a name the catalog doesn't hold) gets no suggestion rather than a wrong one.

It costs a pass over the catalog's vocabulary, so the list asks only when a search finds
nothing or very little (see FEW_RESULTS). The candidates are gathered once per built index.
"""

import weakref

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from programs.core.search_words import SHORTEST_PREFIX

# A search finding fewer programmes than this may be a misspelling: its rare words are checked.
FEW_RESULTS = 3
# A word found by so few programmes is replaced only by a much commoner word one edit away
# (a typo the catalog itself holds once, say): this many times as many programmes.
COMMONER_BY = 10

_gathered = weakref.WeakKeyDictionary()


class CatalogWords:
    """The words of a word index that may be suggested, and how many programmes hold each."""

    def __init__(self, word_index):
        weights = {}
        for postings in word_index.built.values():
            counts = np.diff(postings.starts)
            for word, count in zip(postings.vocabulary, counts.tolist(), strict=True):
                # Numbers and short words are never what a misspelt subject meant.
                if len(word) >= SHORTEST_PREFIX and word.isalpha():
                    weights[word] = weights.get(word, 0) + count
        self.words = list(weights)
        self.weights = np.fromiter(weights.values(), dtype=np.int64, count=len(weights))

    def nearest(self, word, held_by=0):
        """The catalog word nearest to `word`, or None when none is near enough; for a word
        `held_by` some programmes, only a word one edit away held by many more."""
        most = 1 if held_by or len(word) <= 4 else 2
        if len(word) < SHORTEST_PREFIX:
            return None
        near = process.extract(word, self.words, scorer=OSA.distance, score_cutoff=most, limit=None)
        near = [
            (distance, -int(self.weights[n]), candidate)
            for candidate, distance, n in near
            if candidate != word and self.weights[n] >= held_by * COMMONER_BY
        ]
        return min(near)[2] if near else None


def catalog_words(word_index):
    """The CatalogWords of `word_index`, gathered once per built index (the indexes a catalog
    change makes share their built part, and their candidates with it)."""
    key = word_index.built["title"]
    if key not in _gathered:
        _gathered[key] = CatalogWords(word_index)
    return _gathered[key]


def held_by(word_index, word, whole):
    """How many postings the word (or, unless `whole`, the words it starts) has in the index."""
    parts = [*word_index.built.values(), *word_index.changed.values()]
    return sum(len(postings.holding(word, whole)) for postings in parts)


def suggestion(word_index, searched):
    """The searched words with the misspelt ones replaced, as a search text; None when no word
    was replaced. `searched` as core.search_words.query_words gives it."""
    candidates = catalog_words(word_index)
    replaced = False
    suggested = []
    for word, whole in searched:
        holders = held_by(word_index, word, whole)
        better = candidates.nearest(word, holders) if holders < FEW_RESULTS else None
        replaced = replaced or better is not None
        suggested.append(better or word)
    return " ".join(suggested) if replaced else None
