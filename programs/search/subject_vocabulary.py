"""The subject words the catalog keeps, in English and in the site's other languages.

The programmes' texts are in English, so a German, Italian or Swedish visitor's subject words
("Gesundheit", "dati sanitari", "hälsodata") find nothing in them as typed. This vocabulary says
which English term each of their words stands for; query_understanding.py turns a search into
those English words before it is searched.

Each term is an English search phrase marked for translation like every label of the site (the
context "subject vocabulary" in locale/<language>/LC_MESSAGES/django.po), so the translators who
review the interface review these words too, and the translation tests fail while one is
missing. A term's translation lists the words that stand for it in that language, separated by
commas: its nouns, adjectives and set phrases ("Medizin, medizinisch"); inflected forms need
not be listed, as both sides are compared by their Snowball stems.

The English side is what is searched, so it is worded as the catalog's texts word it: "informatics"
for German "Informatik", as the four transcribed programmes say. One term stands for one English
phrase (the search finds programmes holding every word of it); a word with two English senses is
listed under the one the catalog uses.
"""

from functools import lru_cache

from django.utils import translation
from django.utils.translation import pgettext_lazy

from programs.core.search_words import words

CONTEXT = "subject vocabulary"

# What the four real programmes (fixtures/programmes/) and the generated catalog
# (programs/transfer/synthetic.py) are about, and the neighbouring subjects students search by.
SUBJECT_TERMS = [
    pgettext_lazy("subject vocabulary", "health"),
    pgettext_lazy("subject vocabulary", "health data"),
    pgettext_lazy("subject vocabulary", "healthcare"),
    pgettext_lazy("subject vocabulary", "public health"),
    pgettext_lazy("subject vocabulary", "digital health"),
    pgettext_lazy("subject vocabulary", "medicine"),
    pgettext_lazy("subject vocabulary", "medical"),
    pgettext_lazy("subject vocabulary", "clinical"),
    pgettext_lazy("subject vocabulary", "nursing"),
    pgettext_lazy("subject vocabulary", "pharmacy"),
    pgettext_lazy("subject vocabulary", "epidemiology"),
    pgettext_lazy("subject vocabulary", "data"),
    pgettext_lazy("subject vocabulary", "data science"),
    pgettext_lazy("subject vocabulary", "databases"),
    pgettext_lazy("subject vocabulary", "informatics"),
    pgettext_lazy("subject vocabulary", "health informatics"),
    pgettext_lazy("subject vocabulary", "medical informatics"),
    pgettext_lazy("subject vocabulary", "computer science"),
    pgettext_lazy("subject vocabulary", "computing"),
    pgettext_lazy("subject vocabulary", "programming"),
    pgettext_lazy("subject vocabulary", "software"),
    pgettext_lazy("subject vocabulary", "artificial intelligence"),
    pgettext_lazy("subject vocabulary", "machine learning"),
    pgettext_lazy("subject vocabulary", "statistics"),
    pgettext_lazy("subject vocabulary", "biostatistics"),
    pgettext_lazy("subject vocabulary", "mathematics"),
    pgettext_lazy("subject vocabulary", "biology"),
    pgettext_lazy("subject vocabulary", "bioinformatics"),
    pgettext_lazy("subject vocabulary", "biomedical"),
    pgettext_lazy("subject vocabulary", "engineering"),
    pgettext_lazy("subject vocabulary", "economics"),
    pgettext_lazy("subject vocabulary", "business"),
    pgettext_lazy("subject vocabulary", "management"),
    pgettext_lazy("subject vocabulary", "law"),
    pgettext_lazy("subject vocabulary", "ethics"),
    pgettext_lazy("subject vocabulary", "privacy"),
    pgettext_lazy("subject vocabulary", "society"),
    pgettext_lazy("subject vocabulary", "environment"),
    pgettext_lazy("subject vocabulary", "research"),
    pgettext_lazy("subject vocabulary", "science"),
    pgettext_lazy("subject vocabulary", "technology"),
    pgettext_lazy("subject vocabulary", "psychology"),
    pgettext_lazy("subject vocabulary", "education"),
]

# More terms from elsewhere, each a callable giving lazily translated English terms as above.
# The fields of study are not among them: their names ("Inter-disciplinary programmes and
# qualifications involving ...") are no search words; a search naming a field is offered the
# field's filter instead (field_names.py).
MORE_TERMS = []


def terms():
    """Every term of the vocabulary, lazily translated: the catalog's and those of MORE_TERMS."""
    return [*SUBJECT_TERMS, *(term for more in MORE_TERMS for term in more())]


@lru_cache(maxsize=8)
def in_language(language):
    """[(English term, [its words in `language`: (their normal words, as written)])] of every term
    translated into `language` (a term nobody has translated yet stands for itself, as do terms
    a language writes as English does: Swedish "data").

    Cached per language: the catalogs are read once a process, as Django reads them.
    """
    found = []
    for term in terms():
        with translation.override("en"):
            english = " ".join(words(str(term)))
        with translation.override(language):
            translated = str(term)
        forms = [(tuple(words(form)), form.strip()) for form in translated.split(",")]
        found.append((english, [(normal, written) for normal, written in forms if normal]))
    return found
