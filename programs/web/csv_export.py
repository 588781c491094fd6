"""The CSV export: which columns an advisor's spreadsheet gets, and how each cell is written.

A fact the source does not state is written `not stated`, never left empty (an empty cell reads
as "we forgot"); the last column's header says so, as the header row is what every spreadsheet
keeps in view.
"""

import csv
from collections.abc import Callable, Iterable

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from programs.core import names
from programs.core.cells import escape_formula
from programs.display.facts import deadline_texts, tuition_texts

# The export's columns, in order; they are the CSV's header row (in English, or translated when
# the export is downloaded from a page in another language). The names have their own context:
# a header is a lowercase snake_case ASCII name, unique in its row, while the same English word
# elsewhere ("title", "degree") is a label in a sentence.
EXPORT_COLUMNS = (
    pgettext_lazy("csv column", "title"),
    pgettext_lazy("csv column", "url"),
    pgettext_lazy("csv column", "universities"),
    pgettext_lazy("csv column", "countries"),
    pgettext_lazy("csv column", "degree"),
    pgettext_lazy("csv column", "level"),
    pgettext_lazy("csv column", "ects"),
    pgettext_lazy("csv column", "duration_semesters"),
    pgettext_lazy("csv column", "duration_as_stated"),
    pgettext_lazy("csv column", "languages"),
    pgettext_lazy("csv column", "start"),
    pgettext_lazy("csv column", "study_mode"),
    pgettext_lazy("csv column", "delivery"),
    pgettext_lazy("csv column", "tuition_type"),
    pgettext_lazy("csv column", "approval_status"),
    pgettext_lazy("csv column", "tuition_fees"),
    pgettext_lazy("csv column", "application_deadlines"),
    pgettext_lazy("csv column", "admission_requirements"),
    pgettext_lazy("csv column", "source"),
    pgettext_lazy("csv column", "last_checked"),
    pgettext_lazy("csv column", 'note: "not stated" = the source does not state this fact'),
)

NOT_STATED = gettext_noop("not stated")

# Programmes are read from the database this many at a time while the export streams.
EXPORT_CHUNK = 500


def csv_cell(value):
    """A CSV cell: unknown (None, or an empty list) is `not stated`; an apostrophe goes before a
    formula sign wherever some spreadsheet would start a cell (programs.core.cells: at the start,
    and after a ";", "," or line break inside the text). Every cell of every CSV here, header
    and status words included, is written through this, so none is missed."""
    if value is None or value == "":
        return gettext(NOT_STATED)
    return escape_formula(str(value))


def _export_row(programme, url):
    """One programme as the export's cells, in EXPORT_COLUMNS order."""
    universities = [offering.university for offering in programme.offerings.all()]
    countries = list(dict.fromkeys(university.country for university in universities))
    return [
        programme.title,
        url,
        "; ".join(university.name for university in universities),
        # Names in the download's language, like every other cell: codes mean little to most.
        "; ".join(names.country_name(code) for code in countries),
        programme.degree,
        programme.get_level_display() if programme.level else None,
        programme.ects,
        programme.duration_semesters,
        programme.duration_as_stated,
        "; ".join(
            names.language_name(language.code, default=language.name)
            for language in programme.languages.all()
        ),
        programme.get_start_term_display() if programme.start_term else None,
        programme.get_study_mode_display() if programme.study_mode else None,
        programme.get_delivery_display() if programme.delivery else None,
        programme.tuition_type,
        programme.approval_status,
        "; ".join(tuition_texts(programme)),
        "; ".join(deadline_texts(programme)),
        # Their own texts hold semicolons, so a bar separates them (one line per programme).
        " | ".join(r.text for r in programme.admission_requirements.all()),
        programme.source_url or programme.source_document,
        # Not a fact of the source, so not "not stated": nobody has recorded a check.
        programme.checked_on.isoformat() if programme.checked_on else gettext("not recorded"),
    ]


def export_filename(pairs, day):
    """The download's file name: what it holds and when, in safe characters only, such as
    `programmes-language-en-country-se-2026-12-02.csv`. `pairs`: the applied (name, value)s."""
    words = "-".join(filter(None, (slugify(f"{name} {value}") for name, value in pairs)))
    # Long searches would make unwieldy names; the file's rows say the rest.
    words = words[:80].rstrip("-_")
    return "-".join(filter(None, ["programmes", words, day.isoformat()])) + ".csv"


def _header(columns):
    """The header row in the page's language (a translation is text like any other)."""
    return [csv_cell(str(name)) for name in columns]


class _Line:
    """A file-like object that hands back what csv.writer writes, one row at a time."""

    def write(self, text):
        return text


def programme_csv_lines(programmes: Iterable, absolute_url: Callable[[str], str]):
    """The CSV's lines, one at a time: a header row, then one row per programme.

    A generator, so a streamed export holds one chunk of programmes in memory, not all of them.
    It runs after the view has returned, so it is given the language of the request now.
    """
    return _csv_lines(programmes, absolute_url, translation.get_language())


def _csv_lines(programmes, absolute_url, language):
    writer = csv.writer(_Line())
    with translation.override(language):
        yield writer.writerow(_header(EXPORT_COLUMNS))
        for programme in programmes:
            url = absolute_url(programme.get_absolute_url())
            # The last column is the header's explanation of "not stated"; its cells stay empty.
            row = [csv_cell(value) for value in _export_row(programme, url)] + [""]
            yield writer.writerow(row)


# A shortlist's CSV: its order, the catalog export's columns, whether the programme is still
# published, and the visitor's note.
# The catalog export's last column, its explanation of "not stated", stays the last one.
SHORTLIST_COLUMNS = (
    pgettext_lazy("csv column", "position"),
    *EXPORT_COLUMNS[:-1],
    pgettext_lazy("csv column", "status"),
    pgettext_lazy("csv column", "note"),
    EXPORT_COLUMNS[-1],
)


def write_shortlist_csv(out, entries: Iterable, absolute_url: Callable[[str], str]) -> None:
    """Write a header row and one row per shortlist entry (loaded as shortlists.py loads them).

    A programme no longer published keeps only its title as it was when added: the rest of a
    draft is not public, so those cells stay empty rather than "not stated". A visitor's empty
    note is empty too: "not stated" is about the source's facts.
    """
    writer = csv.writer(out)
    writer.writerow(_header(SHORTLIST_COLUMNS))
    blank = [""] * (len(EXPORT_COLUMNS) - 2)  # the facts after the title
    for position, entry in enumerate(entries, start=1):
        note = csv_cell(entry.note) if entry.note else ""
        if entry.is_public:
            url = absolute_url(entry.programme.get_absolute_url())
            facts = [csv_cell(value) for value in _export_row(entry.programme, url)]
            writer.writerow([position, *facts, csv_cell(gettext("published")), note, ""])
        else:
            gone = csv_cell(gettext("no longer published"))
            row = [position, csv_cell(entry.title), *blank, gone, note, ""]
            writer.writerow(row)
