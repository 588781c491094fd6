"""What the translation review found, held: the umbrella term for a programme in Italian, the
word for an inferred value in German, one system of degree levels in Swedish, and the source's
English words quoted, not dropped into a translated sentence."""

import re

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from programs.core.choices import Level
from tests.web.test_reasons_translated import page_text

LOCALE = settings.BASE_DIR / "locale"


def translations(language, domain="django"):
    with open(LOCALE / language / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else [message.string]
            found += [" ".join(string.split()) for string in strings]
    return found


@pytest.mark.parametrize("domain", ["django", "reasons"])
def test_italian_calls_a_programme_corso_di_studio_not_corso_di_laurea(domain):
    """ "Corso di laurea" is a first-cycle programme only: wrong for a master's or a doctorate."""
    wrong = [
        text for text in translations("it", domain) if re.search(r"cors[oi] di laurea", text, re.I)
    ]
    assert wrong == []
    assert any("corsi di studio" in text for text in translations("it"))


@pytest.mark.parametrize("domain", ["django", "reasons"])
def test_german_says_abgeleitet_for_inferred(domain):
    assert [
        text for text in translations("de", domain) if re.search(r"erschl(oss|ieß)", text, re.I)
    ] == []
    with translation.override("de"):
        assert translation.gettext("Inferred:") == "Abgeleitet:"
        assert translation.gettext("(inferred)") == "(abgeleitet)"


def test_swedish_names_every_level_in_one_system():
    """The levels are the degrees of the Swedish Higher Education Ordinance: kandidatexamen,
    masterexamen, doktorsexamen (not a degree beside a cycle, as "Kandidat" beside
    "Forskarnivå" was)."""
    with translation.override("sv"):
        names = {level: str(level.label) for level in Level if level != Level.OTHER}
    assert names == {
        Level.BACHELOR: "Kandidatexamen",
        Level.MASTER: "Masterexamen",
        Level.DOCTORATE: "Doktorsexamen",
    }


# The quotation marks are the page's language, the words inside them the source's.
WORDS = '<span lang="en">under ministerial approval</span>'
QUOTED = {
    "de": f"Laut Quelle ist dieser Studiengang „{WORDS}“.",
    "it": f"secondo la fonte questo corso è «{WORDS}».",
    "sv": f"enligt källan är programmet ”{WORDS}”.",
}


@pytest.mark.parametrize("language", QUOTED)
def test_the_sources_english_words_are_quoted_in_a_translated_sentence(client, catalog, language):
    response = client.get(f"/{language}/programmes/health-informatics/")
    assert QUOTED[language] in response.content.decode()


def test_an_english_page_keeps_the_sources_words_in_its_sentence(client, catalog):
    text = page_text(client, "/programmes/health-informatics/")
    assert "the source says this programme is under ministerial approval." in text
