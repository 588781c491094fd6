"""The CSV export: which columns an advisor's spreadsheet gets, and how each cell is written."""

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
    "languages",
    "start",
    "study_mode",
    "delivery",
    "tuition_type",
    "approval_status",
    "source",
)


# A cell starting with one of these is run as a formula by some spreadsheet: the ASCII signs, tab
# and carriage return (OWASP), and their full-width forms, which some spreadsheets in East Asian
# locales also treat as formula signs.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def csv_cell(value):
    """A CSV cell: unknown (None) stays empty; text a spreadsheet would run as a formula is
    prefixed with an apostrophe (OWASP's advice against CSV injection)."""
    if value is None:
        return ""
    text = str(value)
    if text[:1] in FORMULA_STARTS:
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
        "; ".join(language.name for language in programme.languages.all()),
        programme.get_start_term_display() if programme.start_term else None,
        programme.get_study_mode_display() if programme.study_mode else None,
        programme.get_delivery_display() if programme.delivery else None,
        programme.tuition_type,
        programme.approval_status,
        programme.source_url or programme.source_document,
    ]


def write_programmes_csv(out, programmes: Iterable, absolute_url: Callable[[str], str]) -> None:
    """Write a header row and one row per programme to the file-like `out`."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for programme in programmes:
        url = absolute_url(programme.get_absolute_url())
        writer.writerow([csv_cell(value) for value in _export_row(programme, url)])


# A shortlist's CSV: its order, the catalog export's columns, whether the programme is still
# published, and the visitor's note.
SHORTLIST_COLUMNS = ("position", *EXPORT_COLUMNS, "status", "note")


def write_shortlist_csv(out, entries: Iterable, absolute_url: Callable[[str], str]) -> None:
    """Write a header row and one row per shortlist entry (loaded as shortlists.py loads them).

    A programme no longer published keeps only its title as it was when added: the rest of a
    draft is not public.
    """
    writer = csv.writer(out)
    writer.writerow(SHORTLIST_COLUMNS)
    blank = [None] * (len(EXPORT_COLUMNS) - 1)
    for position, entry in enumerate(entries, start=1):
        if entry.is_public:
            url = absolute_url(entry.programme.get_absolute_url())
            cells = [position, *_export_row(entry.programme, url), "published", entry.note]
        else:
            cells = [position, entry.title, *blank, "no longer published", entry.note]
        writer.writerow([csv_cell(value) for value in cells])
