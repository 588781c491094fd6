"""How a search in German, Italian or Swedish is read into the catalog's English words, and how
a misspelt word is respelt: the vocabulary as translated in locale/, no database."""

import pytest

from programs.search.query_understanding import languages_named, respelt, understand


@pytest.mark.parametrize(
    ("language", "typed", "searched"),
    [
        # A word, whatever its ending: both sides are compared by their stems.
        ("de", "Gesundheit", "health"),
        ("it", "sanitaria", "health"),
        ("sv", "statistiken", "statistics"),
        # A run of words that is one term.
        ("it", "dati sanitari", "health data"),
        ("de", "künstliche Intelligenz", "artificial intelligence"),
        ("sv", "maskininlärning", "machine learning"),
        # Compounds of vocabulary words, joined with or without a linking letter.
        ("de", "Gesundheitsforschung", "health research"),
        ("de", "Medizinstatistik", "medicine statistics"),
        ("sv", "hälsoforskning", "health research"),
        # Other words are searched as typed: names, places, English words.
        ("de", "Gesundheitsdaten Aachen", "health data Aachen"),
        ("de", "health data", "health data"),
    ],
)
def test_the_pages_words_are_read_as_the_catalogs_english(language, typed, searched):
    understood = understand(typed, language)
    assert understood.searched.casefold() == searched.casefold()


def test_english_is_searched_as_typed():
    understood = understand("Medizin", "en")
    assert understood.searched == "Medizin"
    assert not understood.is_translated


def test_an_ordinary_word_is_not_split_into_accidental_pieces():
    # "Datum" starts like "Daten" and "Berlin" holds no term: neither is translated.
    assert not understand("Datum Berlin", "de").is_translated


def test_a_very_long_word_is_searched_as_typed_without_splitting():
    word = "gesundheits" * 10
    assert understand(word, "de").searched == word


def test_a_misspelt_vocabulary_word_is_respelt_as_the_vocabulary_writes_it():
    assert respelt("Gesundhiet", "de") == "Gesundheit"
    assert respelt("medicna", "it") == "medicina"
    assert respelt("hälsna", "sv") == "hälsa"
    assert respelt("xqzvkwpt", "de") is None
    assert respelt("helth", "en") is None


def test_a_language_is_named_in_any_of_the_sites_languages():
    codes = ["de", "en", "it", "sv"]
    assert languages_named("Data science english", codes) == [("en", "english")]
    assert languages_named("Deutsch", codes) == [("de", "deutsch")]
    assert languages_named("corsi in inglese", codes) == [("en", "inglese")]
    assert languages_named("program på engelska", codes) == [("en", "engelska")]
    # A language no programme is taught in is never offered.
    assert languages_named("français", codes) == []


def test_an_english_abbreviation_in_a_swedish_search_is_searched_as_typed():
    # Swedes write "AI" as the catalog's texts do ("Applied AI in Healthcare"): it is no
    # Swedish word for "artificial intelligence", whose programmes may not spell that out.
    assert understand("AI", "sv").searched == "AI"
    assert understand("artificiell intelligens", "sv").searched == "artificial intelligence"
