"""Country and language names in the page's language, from Babel's copy of the CLDR data.

No hand-written tables: CLDR is what operating systems and browsers name countries and languages
with, in every language the site speaks. `sort_key` orders such names as a reader of the page's
language expects.
"""

import unicodedata
from functools import lru_cache

from babel import Locale
from django.utils import translation

# Swedish sorts å, ä and ö as letters of their own after z (and æ, ø with ä, ö); "{" follows "z".
SWEDISH_LAST_LETTERS = {"å": "{0", "ä": "{1", "æ": "{1", "ö": "{2", "ø": "{2"}


@lru_cache(maxsize=8)
def _locale(language):
    return Locale.parse(translation.to_locale(language))


def _page_language(language):
    return language or translation.get_language() or "en"


def country_name(code, language=None):
    """The name of ISO 3166-1 country `code` in `language` (default: the page's), or the code."""
    if not code:
        return code
    return _locale(_page_language(language)).territories.get(code.upper(), code)


def language_name(code, language=None, default=None, in_sentence=False):
    """The name of ISO 639-1 language `code` in `language` (default: the page's).

    Italian and Swedish write language names in lower case inside a sentence (`in_sentence`);
    shown on their own, as a value or an option, they start with a capital like every label.
    """
    name = _locale(_page_language(language)).languages.get(code)
    if not name:
        return default or code
    return name if in_sentence else name[:1].upper() + name[1:]


def sort_key(text, language=None):
    """A key that sorts `text` as a dictionary in `language` (default: the page's) would.

    Case and accents are ignored (German files Ö with O, Italian È with E), except in Swedish,
    whose alphabet ends ... x, y, z, å, ä, ö.
    """
    text = text.casefold()
    if _page_language(language).startswith("sv"):
        text = "".join(SWEDISH_LAST_LETTERS.get(letter, letter) for letter in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(letter for letter in decomposed if not unicodedata.combining(letter))
