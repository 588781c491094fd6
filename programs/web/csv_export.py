"""The CSV export: which columns an advisor's spreadsheet gets, and how each cell is written.

Every fact's cell comes from the programme's key facts (`programs.display.facts`), the same
values the detail page shows, with the same answer to how each is known:

- A fact the source does not state is written `not stated` in a text column; in a number column
  (ECTS, semesters) its cell is empty, so the column still sorts, sums and filters as numbers
  (a word there turns the whole column into text for a spreadsheet). The last column's header
  says both, as the header row is what every spreadsheet keeps in view: a legend in a row of
  its own would be read as a programme by every sort, filter and parser.
- A fact the catalog infers keeps its plain value, so the column still sorts and sums, and the
  row's `inferred` column names the columns whose values are inferred, in the download's
  language and separated by "; " ("countries; duration_semesters"); empty when the row has none.
  One column rather than a status column per fact keeps the sheet as wide as it was, and a
  filter on it finds every inferred value of a column at once. The reasons themselves are on
  the programme's page (the `url` column): a cell has no room for them.
- The country is always in it: the source texts don't name one, it is where the offering
  universities are. `duration_as_stated` is the source's own wording, so never inferred; the
  `duration_semesters` counted from it ("two years" as 4 semesters) is whenever the duration
  fact is.
- `url`, `source` and `last_checked` are the catalog's own record of the programme, not facts of
  the source, so they are neither "not stated" nor inferred.

The rows are in the download's language (names of countries, languages and choices, dates and
amounts); the programmes' own words (titles, degrees, requirements) stay as published.
"""

import csv
from collections.abc import Callable, Iterable

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from programs.core.cells import escape_formula
from programs.display.facts import compared_facts, title_fact

# The export's columns, in order; they are the CSV's header row. In English they are the stable
# snake_case names scripts and harvesters read; from a page in another language they are that
# language's words an advisor reads ("Dauer (Semester)", "Studiengebühren"), unique in the row.
# The names have their own context, as the same English word elsewhere ("title", "degree") is
# a label in a sentence.
TITLE = pgettext_lazy("csv column", "title")
URL = pgettext_lazy("csv column", "url")
UNIVERSITIES = pgettext_lazy("csv column", "universities")
COUNTRIES = pgettext_lazy("csv column", "countries")
DEGREE = pgettext_lazy("csv column", "degree")
LEVEL = pgettext_lazy("csv column", "level")
FIELD_OF_STUDY = pgettext_lazy("csv column", "field_of_study")
ECTS = pgettext_lazy("csv column", "ects")
DURATION_SEMESTERS = pgettext_lazy("csv column", "duration_semesters")
DURATION_AS_STATED = pgettext_lazy("csv column", "duration_as_stated")
LANGUAGES = pgettext_lazy("csv column", "languages")
START = pgettext_lazy("csv column", "start")
STUDY_MODE = pgettext_lazy("csv column", "study_mode")
DELIVERY = pgettext_lazy("csv column", "delivery")
# What kind of course the source calls it ("Private Course of Study"): not a fee, so its name
# says nothing of fees in any language.
KIND_OF_COURSE = pgettext_lazy("csv column", "kind_of_course")
APPROVAL_STATUS = pgettext_lazy("csv column", "approval_status")
TUITION_FEES = pgettext_lazy("csv column", "tuition_fees")
APPLICATION_DEADLINES = pgettext_lazy("csv column", "application_deadlines")
ADMISSION_REQUIREMENTS = pgettext_lazy("csv column", "admission_requirements")
SOURCE = pgettext_lazy("csv column", "source")
LAST_CHECKED = pgettext_lazy("csv column", "last_checked")
# The names of the row's columns whose values the catalog infers.
INFERRED = pgettext_lazy("csv column", "inferred")
NOTE = pgettext_lazy(
    "csv column",
    'note: "not stated", or an empty number cell = the source does not state this fact; '
    '"inferred" names the columns whose values the catalog infers (the programme\'s page says '
    "why)",
)

# The columns holding a programme's values, in order (FACT_COLUMNS), then the inferred column
# and the note, whose cells stay empty.
FACT_COLUMNS = (
    TITLE,
    URL,
    UNIVERSITIES,
    COUNTRIES,
    DEGREE,
    LEVEL,
    FIELD_OF_STUDY,
    ECTS,
    DURATION_SEMESTERS,
    DURATION_AS_STATED,
    LANGUAGES,
    START,
    STUDY_MODE,
    DELIVERY,
    KIND_OF_COURSE,
    APPROVAL_STATUS,
    TUITION_FEES,
    APPLICATION_DEADLINES,
    ADMISSION_REQUIREMENTS,
    SOURCE,
    LAST_CHECKED,
)
EXPORT_COLUMNS = (*FACT_COLUMNS, INFERRED, NOTE)
# The columns whose values are numbers: empty, not "not stated", when the source is silent.
NUMBER_COLUMNS = (ECTS, DURATION_SEMESTERS)

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


def _value(fact, value=None):
    """A fact's value for a cell (its text unless given), and the fact, to tell how it is known."""
    if not fact.stated:
        return None, fact
    return (fact.text if value is None else value), fact


def _export_cells(programme, url):
    """One programme as (value, its Fact or None) for each of FACT_COLUMNS, in order.

    Needs what `with_export_data()` loads. The Fact says how the value is known; None marks the
    catalog's own record of the programme (its addresses, its check), which is no fact of the
    source.
    """
    facts = {fact.key: fact for fact in compared_facts(programme)}
    duration = facts["duration"]
    universities = facts["universities"]
    admission = facts["admission"]
    checked = programme.checked_on
    return [
        _value(title_fact(programme)),
        (url, None),
        # Their names only: a role ("offers the programme alone") is the joint-degree fact's.
        _value(universities, "; ".join(link.name for link in universities.universities)),
        # In the download's language, like every other cell: codes mean little to most.
        _value(facts["country"]),
        _value(facts["degree"]),
        _value(facts["level"]),
        # Its ISCED name and code, "Health (091)"; whether inferred, as every column's.
        _value(facts["field_of_study"]),
        # Numbers, for a spreadsheet to sort and sum; None (an empty cell) when not stated.
        _value(facts["ects"], facts["ects"].compare_as),
        # The count alone; "two years" is no count of semesters the source states, so it is as
        # inferred as the duration fact says.
        (duration.compare_as, duration),
        # The source's own words: stated whenever there are any.
        (programme.duration_as_stated, None),
        _value(facts["languages"]),
        _value(facts["start_term"]),
        _value(facts["study_mode"]),
        _value(facts["delivery"]),
        _value(facts["tuition_type"]),
        _value(facts["approval_status"]),
        _value(facts["tuition_fees"]),
        _value(facts["application_deadlines"]),
        # Their own texts hold semicolons, so a bar separates them (one line per programme).
        _value(admission, " | ".join(admission.items)),
        (programme.source_url or programme.source_document, None),
        # A date (the CSV writes it as ISO 8601, a workbook as a date); not a fact of the
        # source, so never "not stated": see `_cell_text`.
        (checked, None),
    ]


def export_values(programme, url):
    """One programme's values in FACT_COLUMNS order, typed (numbers as int, the check as a
    date, None where not stated), and the names of the columns whose values are inferred (in
    the active language): what the CSV writes as text and the workbook as typed cells."""
    cells = _export_cells(programme, url)
    inferred = [
        str(column)
        for column, (_cell, fact) in zip(FACT_COLUMNS, cells, strict=True)
        if fact is not None and fact.inferred
    ]
    return [cell for cell, _fact in cells], inferred


def _cell_text(column, value):
    """A typed value as the CSV writes it in `column`."""
    if column is LAST_CHECKED:
        # Not a fact of the source, so not "not stated": nobody has recorded a check.
        return value.isoformat() if value else gettext("not recorded")
    if any(column is number for number in NUMBER_COLUMNS):
        return "" if value is None else str(value)
    return csv_cell(value)


def _export_row(programme, url):
    """One programme's cells, in EXPORT_COLUMNS order (the note's cell empty)."""
    values, inferred = export_values(programme, url)
    cells = [_cell_text(c, v) for c, v in zip(FACT_COLUMNS, values, strict=True)]
    return [*cells, escape_formula("; ".join(inferred)), ""]


def export_filename(pairs, day, extension="csv"):
    """The download's file name: what it holds and when, in safe characters only, such as
    `programmes-language-en-country-se-2026-12-02.csv`. `pairs`: the applied (name, value)s."""
    words = "-".join(filter(None, (slugify(f"{name} {value}") for name, value in pairs)))
    # Long searches would make unwieldy names; the file's rows say the rest.
    words = words[:80].rstrip("-_")
    return "-".join(filter(None, ["programmes", words, day.isoformat()])) + f".{extension}"


def _header(columns):
    """The header row in the page's language (a translation is text like any other)."""
    return [csv_cell(str(name)) for name in columns]


# Which character separates a CSV's cells, by the download's language: a spreadsheet in German,
# Italian or Swedish settings writes decimals with a comma, so it splits a CSV at semicolons
# and would read a comma-separated file as one column. `sep=` chooses otherwise (its values
# are the keys here).
SEPARATORS = {"comma": ",", "semicolon": ";"}
COMMA_LANGUAGES = ("en",)
SEPARATOR_PARAMETER = "sep"


def csv_separator(language, choice=None):
    """The separator for a download in `language`, or the one `choice` names; None when
    `choice` names none (the caller answers 400)."""
    if choice:
        return SEPARATORS.get(choice)
    return "," if language in COMMA_LANGUAGES else ";"


class _Line:
    """A file-like object that hands back what csv.writer writes, one row at a time."""

    def write(self, text):
        return text


def programme_csv_lines(
    programmes: Iterable, absolute_url: Callable[[str], str], delimiter: str = ","
):
    """The CSV's lines, one at a time: a header row, then one row per programme, their cells
    separated by `delimiter`.

    A generator, so a streamed export holds one chunk of programmes in memory, not all of them.
    It runs after the view has returned, so it is given the language of the request now.
    """
    return _csv_lines(programmes, absolute_url, translation.get_language(), delimiter)


def _csv_lines(programmes, absolute_url, language, delimiter):
    writer = csv.writer(_Line(), delimiter=delimiter)
    with translation.override(language):
        yield writer.writerow(_header(EXPORT_COLUMNS))
        for programme in programmes:
            url = absolute_url(programme.get_absolute_url())
            yield writer.writerow(_export_row(programme, url))


# A shortlist's CSV: its order, the catalog export's columns, whether the programme is still
# published, and the visitor's note.
# The catalog export's last column, its explanation of "not stated" and "inferred", stays the
# last one.
SHORTLIST_COLUMNS = (
    pgettext_lazy("csv column", "position"),
    *EXPORT_COLUMNS[:-1],
    pgettext_lazy("csv column", "status"),
    pgettext_lazy("csv column", "note"),
    EXPORT_COLUMNS[-1],
)


def write_shortlist_csv(
    out, entries: Iterable, absolute_url: Callable[[str], str], delimiter: str = ","
) -> None:
    """Write a header row and one row per shortlist entry (loaded as shortlists.py loads them).

    A programme no longer published keeps only its title as it was when added: the rest of a
    draft is not public, so those cells stay empty rather than "not stated". A visitor's empty
    note is empty too: "not stated" is about the source's facts.
    """
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(_header(SHORTLIST_COLUMNS))
    blank = [""] * (len(EXPORT_COLUMNS) - 2)  # the facts after the title, and what is inferred
    for position, entry in enumerate(entries, start=1):
        note = csv_cell(entry.note) if entry.note else ""
        if entry.is_public:
            url = absolute_url(entry.programme.get_absolute_url())
            *cells, _note = _export_row(entry.programme, url)
            writer.writerow([position, *cells, csv_cell(gettext("published")), note, ""])
        else:
            gone = csv_cell(gettext("no longer published"))
            row = [position, csv_cell(entry.title), *blank, gone, note, ""]
            writer.writerow(row)
