"""The "did you mean" from the catalog's own words (programs/search/spelling.py), on a word
index made from texts as the search documents store them: no database."""

from programs.core.search_words import query_words
from programs.search.spelling import suggestion
from programs.search.word_index import WordIndex


def index_of(titles):
    """A word index of programmes 0, 1, 2 … with these titles (and nothing else)."""
    ids = list(range(len(titles)))
    texts = [f" {' '.join(title.lower().split())} " for title in titles]
    return WordIndex.of([(ids, [texts, [""] * len(ids), [""] * len(ids)])])


def test_a_word_nothing_starts_with_gets_the_nearest_catalog_word():
    index = index_of(["Health Data Science", "Medical Informatics", "Public Health"])
    assert suggestion(index, query_words("helth")) == "health"
    assert suggestion(index, query_words("heath data")) == "health data"
    assert suggestion(index, query_words("medcal")) == "medical"


def test_among_equally_near_words_the_one_more_programmes_hold_wins():
    # "hearth" and "health" are both one edit from "heath"; more programmes hold "health".
    index = index_of(["Health Data", "Public Health", "Digital Health", "Hearth Studies"])
    assert suggestion(index, query_words("heath")) == "health"


def test_a_rare_word_is_replaced_only_by_a_much_commoner_one():
    # The catalog itself holds "helath" once: a search for it finds that one programme, and
    # is offered the word 20 programmes hold; "science" held by 2 is not "replaced" by it.
    index = index_of(["Helath Studies", *["Health Data"] * 20, "Science", "Science"])
    assert suggestion(index, query_words("helath")) == "health"
    assert suggestion(index, query_words("science")) is None


def test_gibberish_and_found_words_get_no_suggestion():
    index = index_of(["Health Data Science", "Medical Informatics"])
    assert suggestion(index, query_words("xqzvkwpt")) is None
    assert suggestion(index, query_words("health")) is None
    # A word's start finds the words it starts: nothing to correct.
    assert suggestion(index, query_words("inform")) is None
