"""The words each programme is found by, held in memory beside the facet index.

A search for "data" in a catalog of 100,000 programmes matches 95,000 of them. Asked of the
database's text index, that means testing every document's words against the prefix and sending
back 95,000 ids per part of the document: 100-300 ms on PostgreSQL, whatever the indexes. Here,
for each part of the search documents (title, main, more; see
programs/search/programme_documents.py), the words are a sorted vocabulary and the programmes
holding each word one run of a single array of ids, so every word starting with "data" is one
stretch of the vocabulary and their programmes one slice of the array: a mask of the whole catalog
in about a millisecond.

It answers exactly what the database's text index answers, from the same documents: a word
matches the start of a stored word, a short word or a degree abbreviation only a whole one
(search.query_words says which). The database still answers searches the list sorts by another
column, and the other pages' searches.

The index follows the catalog revision with the facet index (programs/search/facet_index.py). A
programme changed since the index was built is kept apart: its words go to a small second index
(rebuilt on each change, from the texts kept for it) and its entries in the big one are ignored.
Past CHANGES_KEPT changed programmes the index is read whole again.
"""

import itertools
from bisect import bisect_left

import numpy as np

# The parts of a search document, in the order the facet index reads them.
PARTS = ("title", "main", "more")
# Beyond this many programmes changed since the build, a catch-up rebuilds the index whole.
CHANGES_KEPT = 5_000
# Sorts after every character, so a prefix's words end before `prefix + LAST_CHARACTER`.
LAST_CHARACTER = "\U0010ffff"


class Postings:
    """For each word of a sorted vocabulary, the programmes holding it: those of
    `vocabulary[n]` are `ids[starts[n]:starts[n + 1]]`."""

    def __init__(self, vocabulary, ids, starts):
        self.vocabulary, self.ids, self.starts = vocabulary, ids, starts

    def holding(self, word, whole):
        """The ids of the programmes holding `word`, or a word starting with it unless `whole`
        (one id more than once when several of its words start so)."""
        first = bisect_left(self.vocabulary, word)
        if whole:
            found = first < len(self.vocabulary) and self.vocabulary[first] == word
            end = first + 1 if found else first
        else:
            end = bisect_left(self.vocabulary, word + LAST_CHARACTER, lo=first)
        return self.ids[self.starts[first] : self.starts[end]]


class PostingsBuilder:
    """Postings made from programmes' texts given a batch at a time, so that only one batch's
    words are Python strings at once (100,000 programmes' words at once take hundreds of MB)."""

    def __init__(self):
        self.number = {}  # each word's number, in the order first seen
        self.numbers, self.holders = [], []

    def add(self, programme_ids, texts):
        """`texts`: each programme's words as a document part stores them (" word word ")."""
        split = [(text or "").split() for text in texts]
        words = list(itertools.chain.from_iterable(split))
        new = set(words).difference(self.number)
        self.number.update(zip(new, itertools.count(len(self.number))))
        self.numbers.append(np.fromiter(map(self.number.__getitem__, words), np.int32, len(words)))
        per_programme = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        self.holders.append(np.repeat(np.asarray(programme_ids, np.int32), per_programme))

    def postings(self):
        vocabulary = sorted(self.number)
        # Each word's number becomes its place in the sorted vocabulary. Under 65,536 words
        # numpy sorts the places by radix, several times faster.
        dtype = np.uint16 if len(vocabulary) < 2**16 else np.int32
        place = np.zeros(len(vocabulary), dtype=dtype)
        place[list(map(self.number.__getitem__, vocabulary))] = np.arange(len(vocabulary))
        numbers = place[np.concatenate([np.zeros(0, np.int32), *self.numbers])]
        holders = np.concatenate([np.zeros(0, np.int32), *self.holders])
        per_word = np.bincount(numbers, minlength=len(vocabulary))
        starts = np.concatenate([[0], np.cumsum(per_word)])
        return Postings(vocabulary, holders[np.argsort(numbers, kind="stable")], starts)


NO_POSTINGS = Postings([], np.zeros(0, np.int32), np.zeros(1, np.int64))


class WordIndex:
    """Every programme's search words at one catalog revision."""

    def __init__(self, built, size):
        """`built`: {part: Postings} of every programme; `size`: more than the highest id."""
        self.built = built
        # Programmes changed (or deleted) since the build: their entries in `built` are stale.
        self.replaced = np.zeros(size, dtype=bool)
        # Their texts now, {id: (title, main, more)}, and the index of those.
        self.changed_texts = {}
        self.changed = dict.fromkeys(PARTS, NO_POSTINGS)

    @classmethod
    def of(cls, batches):
        """The index of the programmes in `batches`: each a list of ids and, for each part in
        PARTS, the programmes' texts in the order of the ids."""
        builders = {part: PostingsBuilder() for part in PARTS}
        size = 0
        for programme_ids, texts in batches:
            for part, part_texts in zip(PARTS, texts, strict=True):
                builders[part].add(programme_ids, part_texts)
            size = max(size, max(programme_ids, default=-1) + 1)
        return cls({part: builder.postings() for part, builder in builders.items()}, size)

    def with_changes(self, programme_ids, texts, deleted):
        """A new index with these programmes' texts (as a batch of `of()`) and without the
        `deleted` ones, sharing the big index with this one; None when too much has changed
        since the build and the index should be read whole again."""
        changed_texts = dict(self.changed_texts)
        for pk in deleted:
            changed_texts.pop(pk, None)
        changed_texts.update(zip(programme_ids, zip(*texts, strict=True), strict=True))
        if len(changed_texts) > CHANGES_KEPT:
            return None
        touched = np.array([*programme_ids, *deleted], dtype=np.int64)
        index = WordIndex(self.built, max(len(self.replaced), int(touched.max(initial=-1)) + 1))
        index.replaced[: len(self.replaced)] = self.replaced
        index.replaced[touched] = True
        index.changed_texts = changed_texts
        columns = list(zip(*changed_texts.values(), strict=True)) or [()] * len(PARTS)
        index.changed = WordIndex.of([(list(changed_texts), columns)]).built
        return index

    def holding(self, part, word, whole, size):
        """A mask (`size` long) of the programmes holding `word` in `part` (see Postings)."""
        mask = np.zeros(size, dtype=bool)
        mask[self.built[part].holding(word, whole)] = True
        replaced = self.replaced[:size]
        mask[: len(replaced)] &= ~replaced
        mask[self.changed[part].holding(word, whole)] = True
        return mask

    def found(self, searched, size):
        """Masks (`size` long) of the programmes holding every searched word (under "all"),
        and, for each word by its position, of those holding it in their title and in their
        main part: {"all": mask, ("title", 0): mask, ("main", 0): mask, ...}. `searched` as
        search.query_words() gives it (a text without any word finds nothing)."""
        found = {"all": np.full(size, bool(searched))}
        for n, (word, whole) in enumerate(searched):
            title, main, more = (self.holding(part, word, whole, size) for part in PARTS)
            found["all"] &= title | main | more
            found["title", n], found["main", n] = title, main
        return found
