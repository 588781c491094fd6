"""The fields of study a search names, so that the list can offer them as a filter.

A visitor searching "Gesundheit", "salute", "hälsa", "Health" or "ICT" is looking for a subject.
The list searches the programmes' texts for it (query_understanding.py turns the page's words
into English ones), but a programme whose texts don't use the word may still be filed under
that field of study. Rather than adding the fields' names to the programmes' search documents
(which would need every index rebuilt, the archived editions' too, and would hide from the
visitor why a programme was found), the list offers the field as a filter link, "Field of
study: Health (091), show its 12 programmes": what the visitor gets is the `field` filter, with
its stated and inferred fields marked like every fact.

A field is named by a word of its name in the page's language or in English (compared by their
Snowball stems, leaving out the words many names share, such as "programmes" or "und"), or by
one of the English subject terms the catalog files under it (an English term the subject
vocabulary gives for the page's words: "Informatik" is "informatics", a subject of ICT). Pure
text: nothing here reads the database.
"""

from collections import Counter
from functools import lru_cache

import snowballstemmer
from django.utils import translation

from programs.core.fields_of_study import FieldOfStudy
from programs.core.search_words import words
from programs.search.query_understanding import STEMMERS

# A word found in more field names than this names none of them ("programmes", "and", "und").
MOST_NAMES_SHARING_A_WORD = 3
# Shorter words of a name ("e", "di") name nothing.
SHORTEST_NAME_WORD = 3
# Words of the English names that are no subject: a search for "data processing" or "software
# development" is not asking for manufacturing or personal skills.
NOT_SUBJECTS = frozenset(
    ["basic", "except", "related", "personal", "development", "processing", "trades", "skills"]
)

_COMPUTING = (
    "informatics",
    "computer science",
    "computing",
    "programming",
    "software",
    "artificial intelligence",
    "machine learning",
    "data science",
    "databases",
    "health informatics",
    "medical informatics",
)
_HEALTH = (
    "healthcare",
    "public health",
    "digital health",
    "medicine",
    "medical",
    "clinical",
    "nursing",
    "pharmacy",
    "epidemiology",
)
# The English subject terms (the subject vocabulary's, subject_vocabulary.py) each field holds
# beyond the words of its name, as ISCED-F 2013's detailed fields list them (0611 computer use,
# 0613 software and applications development, 0688 inter-disciplinary ICT; 0912 medicine, 0913
# nursing, 0916 pharmacy; 0542 statistics ...). Interdisciplinary fields share their group's.
SUBJECTS = {
    FieldOfStudy.ICT: _COMPUTING,
    FieldOfStudy.ICT_INTERDISCIPLINARY: _COMPUTING,
    FieldOfStudy.HEALTH: _HEALTH,
    FieldOfStudy.HEALTH_INTERDISCIPLINARY: _HEALTH,
    FieldOfStudy.MATHEMATICS_AND_STATISTICS: ("statistics", "biostatistics", "mathematics"),
    FieldOfStudy.BIOLOGICAL_SCIENCES: ("biology", "bioinformatics", "biomedical"),
    FieldOfStudy.BUSINESS_AND_ADMINISTRATION: ("business", "management"),
    FieldOfStudy.SOCIAL_AND_BEHAVIOURAL_SCIENCES: ("economics", "psychology"),
}


@lru_cache(maxsize=len(STEMMERS) + 1)
def _stemmer(language):
    return snowballstemmer.stemmer(STEMMERS.get(language, "english"))


def _name_words(text):
    # "dell'informazione" (a typographic apostrophe in the names) is two words here: "informazione"
    # names the field.
    return words(text.replace("\u2019", " ").replace("'", " "))


@lru_cache(maxsize=len(STEMMERS) + 1)
def _names_by_stem(language):
    """{the stem of a word of a field's name in `language`: the codes of the fields named by
    it}, without the words shared by many names."""
    stemmer = _stemmer(language)
    stems = {}
    with translation.override(language):
        for code, label in FieldOfStudy.choices:
            stems[code] = {
                stemmer.stemWord(word)
                for word in _name_words(str(label))
                if len(word) >= SHORTEST_NAME_WORD and word not in NOT_SUBJECTS
            }
    sharing = Counter(stem for found in stems.values() for stem in found)
    by_stem = {}
    for code, found in stems.items():
        for stem in found:
            if sharing[stem] <= MOST_NAMES_SHARING_A_WORD:
                by_stem.setdefault(stem, []).append(code)
    return by_stem


def _named_by_name(text, language):
    stemmer = _stemmer(language)
    by_stem = _names_by_stem(language)
    return {code for word in words(text) for code in by_stem.get(stemmer.stemWord(word), ())}


def _named_by_subject(searched):
    """The fields one of whose subject terms is a run of the English search's words."""
    padded = f" {' '.join(words(searched))} "
    return {
        str(code)
        for code, subjects in SUBJECTS.items()
        if any(f" {subject} " in padded for subject in subjects)
    }


def fields_named(understood, language):
    """The codes of the fields of study an UnderstoodSearch names on a page in `language`, in
    code order (see the module's docstring)."""
    if not understood.text:
        return []
    named = _named_by_name(understood.searched, "en") | _named_by_subject(understood.searched)
    if language in STEMMERS:
        named |= _named_by_name(understood.text, language)
    return sorted(named)
