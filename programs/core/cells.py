"""Spreadsheet cells a spreadsheet would run as formulas: the one rule for writing and reading.

The public CSV export and the staff's spreadsheet export write such text with an apostrophe in
front (OWASP's advice against CSV injection); the spreadsheet import takes that apostrophe off
again and refuses a cell that would run as a formula.
"""

# A cell starting with one of these is run as a formula by some spreadsheet: the ASCII signs, tab
# and carriage return (OWASP), and their full-width forms, which some spreadsheets in East Asian
# locales also treat as formula signs.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


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
    """The text as a cell that a spreadsheet shows as text: an apostrophe before a formula."""
    return "'" + text if starts_formula(text) else text


def unescape_formula(text):
    """escape_formula() undone: the text without the apostrophe put before a formula sign."""
    return text[1:] if text[:1] == "'" and starts_formula(text[1:]) else text
