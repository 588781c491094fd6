"""The catalog's reasons for its inferences, in the reader's language.

A reason (`Sourced.inferred_because`) is the catalog's own words, recorded in English. The
source's quotes stay as the source published them, but the catalog's own words are translated,
as every other label of the site is. The reasons recorded in the fixtures are translated in a
catalog of their own, locale/<language>/LC_MESSAGES/reasons.po: they are data, not code, so
Django's makemessages (which collects the strings of the code into django.po) must not drop them.
A reason nobody has translated yet (one a member of staff just typed) is shown in English, and
the page marks it so (`lang="en"`). A reason the code writes (the country's, say) is marked
for Django's own catalog with gettext_noop and found there. A reason of several lines (the
country of two universities) is translated line by line.
"""

import gettext
from functools import cache

from django.conf import settings
from django.utils import translation

DOMAIN = "reasons"
# The language the reasons are recorded in.
RECORDED_IN = "en"


@cache
def _catalog(language):
    return gettext.translation(
        DOMAIN, localedir=settings.LOCALE_PATHS[0], languages=[language], fallback=True
    )


def in_language(reason, language=None):
    """`reason` in `language` (the active one by default): (text, whether it is translated).

    English, or a reason without a translation, comes back as recorded, with False unless the
    language is English."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if not reason or language == RECORDED_IN:
        return reason, True
    lines = [_line(line, language) for line in reason.splitlines() if line.strip()]
    return " ".join(text for text, _ in lines), all(done for _, done in lines)


def _line(line, language):
    text = _catalog(language).gettext(line)
    if text == line:
        with translation.override(language):
            text = translation.gettext(line)
    return text, text != line
