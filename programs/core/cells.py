"""Spreadsheet cells a spreadsheet would run as formulas: the one rule for writing and reading.

Every CSV the site writes (the public export, a shortlist's, the staff's spreadsheet export) and
the staff's XLSX export write such text with an apostrophe in front of the formula sign (OWASP's
advice against CSV injection); the spreadsheet import takes that apostrophe off again and refuses
a cell that would run as a formula.

A formula sign at the start of a cell is not the only danger. Spreadsheets set to German,
Italian or Swedish read "CSV" as separated by semicolons, and some end a row at every line break
even inside a quoted cell, so what follows a `;`, a `,`, a tab or a line break inside a cell
becomes the start of a cell of its own there: "Good fees;=1+1" opens as "Good fees" and a live
"=1+1". So the apostrophe goes before a formula sign at the start of the text and after each of
those separators too (past spaces and quote marks, which a spreadsheet may drop first). The
text's line breaks stay: the apostrophe is one visible character where a spreadsheet would start
a cell, flattening would lose the line breaks a note or a module description holds, and the
escaping stays exactly reversible, so an export imports back unchanged.
"""

import re

# A cell starting with one of these is run as a formula by some spreadsheet: the ASCII signs, tab
# and carriage return (OWASP), and their full-width forms, which some spreadsheets in East Asian
# locales also treat as formula signs.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")

# Where some spreadsheet starts a cell: the start of the text, or after a separator that a
# comma, semicolon or tab separated file, or a reader ending rows at any line break, splits on;
# then the blanks (any Unicode space or line break, but tab and carriage return, which are formula
# signs themselves) and quote marks a spreadsheet may skip.
_CELL_START = r"(^|[,;\t\r\n])((?:[^\S\t\r]|\")*)"
_SIGN = "[" + re.escape("".join(sorted(FORMULA_STARTS))) + "]"
# Apostrophes already there are counted in (`'=` becomes `''=`), so that unescaping takes off
# exactly the one added and gives back the text as it was, apostrophes and all.
_ESCAPE = re.compile(_CELL_START + "(?='*" + _SIGN + ")")
_UNESCAPE = re.compile(_CELL_START + "'(?='*" + _SIGN + ")")


def formula_sign(text):
    """The sign that makes a spreadsheet run this text as a formula, or None.

    Spaces and line breaks before the sign don't stop it: some spreadsheets skip them when they
    read a cell (" =1+1" and "\n=1+1" run as formulas), so the sign after them counts too."""
    if text[:1] in FORMULA_STARTS:
        return text[:1]
    sign = text.lstrip()[:1]
    return sign if sign in FORMULA_STARTS else None


def starts_formula(text):
    """Whether a spreadsheet would run this text as a formula."""
    return formula_sign(text) is not None


def escape_formula(text):
    """The text as a cell that every spreadsheet shows as text, however it splits cells: an
    apostrophe before each formula sign at the start of a cell it may see."""
    return _ESCAPE.sub(r"\1\2'", text)


def unescape_formula(text):
    """escape_formula() undone: the text without the apostrophes put before formula signs."""
    return _UNESCAPE.sub(r"\1\2", text)
