"""Month names for dates written in full ("1 October 2026"), listed here so that our own catalogs
(locale/, which take precedence over Django's) carry them.

Django's Italian catalog capitalises month names ("1 Ottobre 2026"); Italian writes them in lower
case, as German capitalises and Swedish lower-cases them too. The names are the msgids Django's
`F` date format looks up.
"""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
