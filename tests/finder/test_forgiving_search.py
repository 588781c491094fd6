"""Search that forgives: subject words in the page's language find what the English ones find,
a misspelt word gets "did you mean", a language's name offers the teaching-language filter, and
a search finding nothing on a German, Italian or Swedish page says the texts are English.

On the four real programmes (whose texts are English), through the list's public addresses in
each language, as a visitor sees them.
"""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from programs.actions.editions import archive_edition, open_edition, publish_edition
from tests.support.list_pages import html_of, shown_slugs, text_of


def list_page(client, language, params):
    prefix = "" if language == "en" else f"/{language}"
    response = client.get(f"{prefix}/programmes/", params)
    assert response.status_code == 200
    return response


def found(client, language, text):
    return sorted(shown_slugs(list_page(client, language, {"q": text})))


def help_section(response):
    found = re.search(
        r'<div class="notice search-help" id="search-help">(.*?)</div>', html_of(response), re.S
    )
    return found.group(1) if found else ""


def help_text(response):
    """The search help as read: its tags gone (a link's words run on with the sentence's)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", help_section(response))).split())


def help_links(response):
    """{link text: its query parameters} of the search help's links."""
    links = re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', help_section(response))
    return {text_of(text): parse_qs(urlsplit(unescape(href)).query) for href, text in links}


@pytest.mark.parametrize(
    ("language", "typed", "english"),
    [
        ("de", "Gesundheit", "health"),
        ("de", "Medizin", "medicine"),
        ("de", "medizinisch", "medical"),
        # Inflected, it stems as "Medizin" does, but it is the vocabulary's "medizinisch".
        ("de", "medizinische", "medical"),
        ("de", "medizinischen", "medical"),
        ("de", "Daten", "data"),
        ("de", "Informatik", "informatics"),
        ("de", "Gesundheitsdaten", "health data"),
        ("de", "Medizininformatik", "medical informatics"),
        ("it", "dati sanitari", "health data"),
        ("it", "informatica medica", "medical informatics"),
        ("sv", "hälsodata", "health data"),
        ("sv", "medicinsk", "medical"),
        ("sv", "medicinska", "medical"),
    ],
)
def test_subject_words_in_the_pages_language_find_what_the_english_ones_find(
    client, catalog, language, typed, english
):
    expected = found(client, "en", english)
    assert expected, f"the English {english!r} finds nothing: the example proves nothing"
    assert found(client, language, typed) == expected


def test_a_german_compound_is_split_into_the_vocabularys_words(client, catalog):
    # No term is "Gesundheitsinformatikdaten": it is read as Gesundheitsinformatik + Daten.
    assert found(client, "de", "Gesundheitsinformatikdaten") == found(
        client, "en", "health informatics data"
    )


def test_the_page_says_what_it_searched_for_and_from_what(client, catalog):
    response = list_page(client, "de", {"q": "Gesundheitsdaten"})
    assert "Ergebnisse für health data (aus „Gesundheitsdaten“)." in help_text(response)
    # The searched words are English, and marked so for a screen reader.
    assert '<strong lang="en">health data</strong>' in html_of(response)


def test_an_inflected_word_is_the_vocabularys_word_it_inflects(client, catalog):
    # "medizinische" stems as "Medizin" (medicine) does; it inflects "medizinisch" (medical).
    response = list_page(client, "de", {"q": "medizinische Daten"})
    assert "Ergebnisse für medical data (aus „medizinische Daten“)." in help_text(response)
    response = list_page(client, "sv", {"q": "medicinska"})
    assert "medical" in help_text(response)


def test_an_english_search_on_a_german_page_is_searched_as_typed(client, catalog):
    response = list_page(client, "de", {"q": "informatics"})
    assert sorted(shown_slugs(response)) == found(client, "en", "informatics")
    assert "Ergebnisse für" not in html_of(response)


def test_the_same_words_are_not_translated_on_the_english_page(client, catalog):
    # "Medizin" is no English word: the English page searches it as typed and finds nothing.
    assert found(client, "en", "Medizin") == []


def test_the_same_address_in_two_languages_is_kept_apart(client, catalog):
    """The kept pages and counts are per language: the German page's translation never
    answers the English address."""
    assert found(client, "de", "Medizin") != []
    assert found(client, "en", "Medizin") == []
    assert found(client, "de", "Medizin") != []


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("helth", "health"), ("heath data", "health data"), ("medcal", "medical")],
)
def test_a_misspelt_search_is_offered_the_catalogs_word(client, catalog, typed, meant):
    response = list_page(client, "en", {"q": typed, "language": "en"})
    assert shown_slugs(response) == []
    assert f"Did you mean: {meant}?" in help_text(response)
    link = help_links(response)[meant]
    # The link searches the catalog's words, keeping the other filters.
    assert link == {"q": [meant], "language": ["en"]}
    assert shown_slugs(list_page(client, "en", {"q": meant, "language": "en"}))


def test_gibberish_gets_no_suggestion(client, catalog):
    response = list_page(client, "en", {"q": "xqzvkwpt"})
    assert shown_slugs(response) == []
    assert "Did you mean" not in html_of(response)


def test_a_search_that_finds_programmes_gets_no_suggestion(client, catalog):
    response = list_page(client, "en", {"q": "health"})
    assert shown_slugs(response)
    assert "Did you mean" not in html_of(response)


@pytest.mark.parametrize(
    ("language", "typed", "offer"),
    [
        ("en", "english", "Taught in English? Filter by teaching language"),
        ("de", "Deutsch", "Unterricht auf Deutsch? Nach Unterrichtssprache filtern"),
        ("it", "inglese", "Insegnato in inglese? Filtra per lingua di insegnamento"),
        ("sv", "engelska", "Undervisning på engelska? Filtrera på undervisningsspråk"),
    ],
)
def test_a_teaching_languages_name_offers_the_language_filter(
    client, catalog, language, typed, offer
):
    response = list_page(client, language, {"q": f"health {typed}"})
    assert offer in help_text(response)
    code = {"english": "en", "Deutsch": "de", "inglese": "en", "engelska": "en"}[typed]
    link = next(query for text, query in help_links(response).items() if "language" in query)
    # The language's name leaves the search; the filter takes its place.
    assert link == {"q": ["health"], "language": [code]}
    filtered = list_page(client, language, {"q": "health", "language": code})
    assert shown_slugs(filtered)


@pytest.mark.parametrize(
    ("language", "sentence", "offer"),
    [
        (
            "de",
            "Die Texte der Studiengänge sind auf Englisch",
            "Nach dem englischen Begriff suchen: health data",
        ),
        (
            "it",
            "I testi dei corsi di studio sono in inglese",
            "Cerca il termine inglese: health data",
        ),
        ("sv", "Programmens texter är på engelska", "Sök på den engelska termen: health data"),
    ],
)
def test_no_result_in_german_italian_or_swedish_says_the_texts_are_english(
    client, catalog, language, sentence, offer
):
    typed = {"de": "Gesundheitsdaten", "it": "dati sanitari", "sv": "hälsodata"}[language]
    # Nothing about health data is taught in Swedish: the search finds nothing.
    response = list_page(client, language, {"q": typed, "language": "sv"})
    assert shown_slugs(response) == []
    text = help_text(response)
    assert sentence in text
    assert offer in text
    assert help_links(response)["health data"] == {"q": ["health data"], "language": ["sv"]}


def test_no_result_of_an_unknown_word_still_says_the_texts_are_english(client, catalog):
    response = list_page(client, "de", {"q": "xqzvkwpt"})
    assert "Die Texte der Studiengänge sind auf Englisch" in help_text(response)
    assert "Nach dem englischen Begriff suchen" not in help_text(response)


def test_no_result_on_the_english_page_says_nothing_of_languages(client, catalog):
    response = list_page(client, "en", {"q": "xqzvkwpt"})
    assert "texts are in English" not in html_of(response)


def test_a_search_sorted_by_a_fact_translates_as_the_best_match_does(client, catalog):
    # Sorted by ECTS, the database (not the word index) answers the search.
    by_ects = list_page(client, "de", {"q": "Gesundheitsdaten", "sort": "-ects"})
    in_english = list_page(client, "en", {"q": "health data", "sort": "-ects"})
    assert shown_slugs(by_ects) == shown_slugs(in_english) != []


def test_an_archived_editions_list_understands_the_same_words(client, catalog):
    edition = open_edition(2025, datetime.date(2025, 9, 1))
    publish_edition(edition)
    archive_edition(edition)
    for language, typed in [("de", "Gesundheitsdaten"), ("it", "dati sanitari")]:
        response = client.get(f"/{language}/editions/2025-26/programmes/", {"q": typed})
        english = client.get("/editions/2025-26/programmes/", {"q": "health data"})
        assert sorted(shown_slugs(response)) == sorted(shown_slugs(english)) != []
        assert "health data" in help_text(response)
    misspelt = client.get("/editions/2025-26/programmes/", {"q": "helth", "language": "sv"})
    assert "Did you mean: health?" in help_text(misspelt)


def test_a_misspelt_subject_word_of_the_pages_language_is_offered_the_vocabularys(client, catalog):
    response = list_page(client, "de", {"q": "Gesundhiet"})
    assert shown_slugs(response) == []
    assert "Meinten Sie: Gesundheit?" in help_text(response)
    link = help_links(response)["Gesundheit"]
    assert sorted(shown_slugs(list_page(client, "de", link))) == found(client, "en", "health")
    # Written as the vocabulary writes it, accents and all.
    assert "Menade du: hälsa?" in help_text(list_page(client, "sv", {"q": "hälsna"}))


def test_a_language_the_list_filters_by_already_is_not_offered_again(client, catalog):
    response = list_page(client, "en", {"q": "health english", "language": "en"})
    assert "Filter by teaching language" not in html_of(response)


def test_the_csv_of_a_translated_search_holds_what_the_english_search_finds(client, catalog):
    german = client.get("/de/programmes/export.csv", {"q": "Gesundheitsdaten"})
    english = client.get("/de/programmes/export.csv", {"q": "health data"})
    assert german.status_code == english.status_code == 200
    rows = b"".join(german.streaming_content if german.streaming else [german.content])
    same = b"".join(english.streaming_content if english.streaming else [english.content])
    assert rows == same
    assert rows.count(b"\n") > 1
