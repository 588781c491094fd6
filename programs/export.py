"""The CSV export: which columns an advisor's spreadsheet gets, and how each cell is written.

A fact the source does not state is written `not stated`, never left empty (an empty cell reads
as "we forgot"); the last column's header says so, as the header row is what every spreadsheet
keeps in view.
"""

import csv
from collections.abc import Callable, Iterable

# The export's columns, in order; they are the CSV's header row.
EXPORT_COLUMNS = (
    "title",
    "url",
    "universities",
    "countries",
    "degree",
    "level",
    "ects",
    "duration_semesters",
    "duration_as_stated",
    "languages",
    "start",
    "study_mode",
    "delivery",
    "tuition_type",
    "approval_status",
    "source",
    "last_checked",
    'note: "not stated" = the source does not state this fact',
)

NOT_STATED = "not stated"


def _csv_cell(value):
    """A CSV cell: unknown (None, or an empty list) is `not stated`; text a spreadsheet would
    run as a formula is prefixed with an apostrophe (OWASP's advice against CSV injection)."""
    if value is None or value == "":
        return NOT_STATED
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _export_row(programme, url):
    """One programme as the export's cells, in EXPORT_COLUMNS order."""
    universities = [offering.university for offering in programme.offerings.all()]
    countries = list(dict.fromkeys(university.country for university in universities))
    return [
        programme.title,
        url,
        "; ".join(university.name for university in universities),
        "; ".join(countries),
        programme.degree,
        programme.get_level_display() if programme.level else None,
        programme.ects,
        programme.duration_semesters,
        programme.duration_as_stated,
        "; ".join(language.name for language in programme.languages.all()),
        programme.get_start_term_display() if programme.start_term else None,
        programme.get_study_mode_display() if programme.study_mode else None,
        programme.get_delivery_display() if programme.delivery else None,
        programme.tuition_type,
        programme.approval_status,
        programme.source_url or programme.source_document,
        # Not a fact of the source, so not "not stated": nobody has recorded a check.
        programme.checked_on.isoformat() if programme.checked_on else "not recorded",
    ]


def write_programmes_csv(out, programmes: Iterable, absolute_url: Callable[[str], str]) -> None:
    """Write a header row and one row per programme to the file-like `out`."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for programme in programmes:
        url = absolute_url(programme.get_absolute_url())
        # The note column is the header's explanation; its cells stay empty.
        writer.writerow([_csv_cell(value) for value in _export_row(programme, url)] + [""])
