"""The catalog's numeric limits, one per meaning, each with why it is where it is.

A limit used by more than one place (the model and the importer, a form and a session) lives
here, so the places can't drift apart. Limits that say what a programme may hold are enforced by
the models; the others only bound what a visitor or a file may ask of the site.
"""

import re
from decimal import Decimal

# What a programme may hold ---------------------------------------------------------------------

# A programme's ECTS total: 600 is ten years of full-time study (60 a year), room for any
# programme, while a typo such as 1200 is caught. The model refuses more (a named constraint),
# and the importer says so per cell.
PROGRAMME_ECTS_MAX = 600
# A module's credits: what its DecimalField holds (four digits, one after the point).
MODULE_ECTS_MAX = Decimal("999.9")
# A standard period of study, and a module's semester or year: ten years of semesters.
SEMESTERS_MAX = 20
# A module's position: what a PositiveSmallIntegerField holds.
POSITION_MAX = 32767

# What the list's filters accept ---------------------------------------------------------------

# The ECTS bounds a visitor may type. Wider than PROGRAMME_ECTS_MAX on purpose: a bound above
# every programme's total keeps them all, which is harmless, so a round "1000" is not refused;
# the form only refuses numbers no one means (forty nines), which would otherwise reach the query.
ECTS_FILTER_MAX = 1000
# The duration bounds (in semesters) a visitor may type: wider than SEMESTERS_MAX for the same
# reason.
DURATION_FILTER_MAX = 100
# Values one repeatable filter may name (`country=SE&country=IT`…): more than a person ticks (every
# EU country is 27), and few enough that a page stays small. Each value is an option and a chip
# whose link repeats the whole query, so a page grows with the square of their number: 338
# countries made a 3.7 MB page. More are refused with a message, never silently cut.
FILTER_MAX_VALUES = 30
# A search text is cut to this many characters (with a notice).
SEARCH_MAX_LENGTH = 200
# Beyond this many distinct words a search costs more SQL than it adds precision.
SEARCH_MAX_WORDS = 8
# The list's query string carried back from a detail or compare page; longer is not the list's.
BACK_QUERY_MAX_LENGTH = 2000

# The most programmes one export holds (the list says so beside the link when a filter selects
# more): a spreadsheet of more is of no use to an advisor, and the cap bounds a download's cost.
EXPORT_ROW_LIMIT = 10_000
# /modules/ shows at most this many matches (ten pages); a search matching more says so.
MODULE_SEARCH_MAX_SHOWN = 1000

# Pages kept for visitors without a session (programs/web/page_cache.py) ----------------------

# A page larger than this is served but never kept: the list at 100,000 programmes is 60 KB, a
# programme's page 14 KB, so only a page some crafted address blew up would be left out.
KEPT_PAGE_MAX_BYTES = 256 * 1024

# What a visitor keeps between pages -------------------------------------------------------------

# Programmes compared side by side: more columns no longer fit a page.
MAX_COMPARED = 4
# A request naming more programmes than this is not a person choosing; the rest are ignored
# unread, so a crafted URL can't make one page look up thousands of slugs.
MAX_COMPARE_PARAMETERS = 20
# A programme slug as it may appear in an address or a session (the model's slugs are shorter).
SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,100}$")
# A shortlist's programmes and the length of one note (the note also by a database constraint).
SHORTLIST_MAX_ENTRIES = 50
SHORTLIST_MAX_NOTE = 2000

# What a request may carry ---------------------------------------------------------------------

# A public page's form body. The largest a person sends is a note of SHORTLIST_MAX_NOTE
# characters, under 25 KB percent-encoded even if every character is an emoji; a larger body is
# refused (413) before anything reads it, so a stranger can't have the server spool hundreds of
# megabytes to disk ahead of the CSRF check. The admin's own limits follow from Django's
# (programs/web/request_bodies.py); deploy/nginx/catalog.conf caps bodies at least as high.
PUBLIC_BODY_MAX_BYTES = 64 * 1024
# What a form adds around its fields and files: names, multipart boundaries and headers.
FORM_OVERHEAD_BYTES = 64 * 1024

# What staff may upload ---------------------------------------------------------------------------

# The admin's upload page takes files up to this size (settings.ADMIN_IMPORT_MAX_BYTES may say
# otherwise); larger files go through `manage.py import_programmes`, which has no web request
# to time out.
ADMIN_IMPORT_MAX_BYTES = 2 * 1024 * 1024

# What an uploaded spreadsheet may ask of the reader (programs.transfer.spreadsheet_read). The
# file size above bounds only what is uploaded: an XLSX file is a ZIP archive, and a few KB of it
# can unpack to gigabytes of XML, so each of these is checked too, before anything is parsed.
# Rows of data on the page: a 2 MB file of the export's columns holds about 10,000 programmes or
# 20,000 modules, so this is room for any real one, and bounds what a web worker holds.
ADMIN_IMPORT_MAX_ROWS = 50_000
# What an XLSX file's parts may unpack to on the page: a 2 MB workbook of real text unpacks to
# about 25 MB (openpyxl reads some 4 MB a second); a 60 KB file of empty rows to 36 MB.
ADMIN_IMPORT_MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# `manage.py import_programmes` has no web request to time out, so it takes more: 10,000
# programmes with 20 modules each are 200,000 rows, and a spreadsheet holds at most 1,048,576.
IMPORT_MAX_ROWS = 1_000_000
IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
# The command reads a file into memory whole: 200,000 rows are some 40 MB of CSV.
IMPORT_MAX_BYTES = 512 * 1024 * 1024
# The columns read from a sheet: the programmes sheet has 25, so this leaves room for more,
# and a cell further right is refused rather than read as a row 16,384 cells wide.
SPREADSHEET_MAX_COLUMNS = 100
# The different texts an XLSX file may share between its cells, per row it may hold: its
# shared strings are read whole when it is opened (a text each, some 100 bytes and 20 µs), and
# a row of the export's columns has fewer texts than this that differ from every other row's.
SPREADSHEET_TEXTS_PER_ROW = 10

# An edition's addendum (a dated correction shown on its pages) is at most this long.
ADDENDUM_MAX_LENGTH = 5000

# Archiving an edition freezes every published programme in one transaction, reading each with
# everything its page shows: 5,000 take seconds, well inside a web request's timeout (gunicorn's
# default 30 s), while 100,000 would not be. A larger catalog is archived with
# `manage.py archive_edition <year>`, which has no request to time out and shows its progress;
# the admin's page says so instead of offering the button.
ARCHIVE_IN_ADMIN_MAX = 5_000
