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
