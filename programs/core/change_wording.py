"""The public change log in plain words, in the page's language: `describe` one line of it,
`headline` a whole change. What the lines hold is built by programs.changelog.changes; the
wording is pure (no database) and sits below the models, so a PublicChange can say its own
title and lines without importing the change log that writes them."""

import re
from datetime import date
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

from programs.core.choices import (
    ApplicantGroup,
    Background,
    CareerKind,
    Delivery,
    Level,
    ModuleKind,
    RequirementKind,
    StartTerm,
    StudyMode,
    TrackKind,
    TuitionPeriod,
    UniversityRole,
)

# What a line of the log does; "changed" is a fact's old → new, the others are about parts.
PUBLISHED = "published"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"
REPLACED = "replaced"  # a part whose headline changed: old → new
UPDATED = "updated"  # a part whose details changed under the same headline

# Old and new values longer than this (a rewritten description) are shortened in the log.
SHOWN_LENGTH = 240

# Parts whose rows are one value for one group of applicants (a date, a fee): their lines say
# what the value was and is ("Application deadline for … changed from … to …"). The log's
# labels of these parts (programs/models/parts.py names them so).
DEADLINES = gettext_noop("Application deadlines")
FEES = gettext_noop("Tuition fees")

# The fact saying a programme is retired: its value is the first intake no longer admitted (""
# when staff named none), None while it admits. Its lines read as a sentence of their own.
RETIRED = gettext_noop("Retired")
# Facts the log gained after snapshots were first stored: an older snapshot, which lacks them,
# held None (a programme could not be retired then), so the first change to one is still a line.
FACTS_ADDED_LATER = (RETIRED,)


# Fact labels the log once stored under another name, and the name the page uses now. Stored
# lines and snapshots keep the old label (rewriting them would rewrite history); they are read
# under the new one. "Tuition" was always the kind of course ("Private Course of Study"), never a
# fee, and read in German and Italian as one.
RENAMED_FACTS = {"Tuition": "Kind of course"}


def current_fact_label(label):
    """A stored fact label under the name the page uses now."""
    return RENAMED_FACTS.get(label, label)


def _flat(text):
    return _("not stated") if text is None else " ".join(str(text).split())


# --- stored English values shown in the page's language ------------------------------------------
#
# Snapshots (and so the log's old/new values) hold what the English page showed: choice labels,
# "Yes"/"No", "120 ECTS", module headlines "Title (compulsory, year 1, 7.5 ECTS)". They stay so
# (changing what is stored would make every old snapshot differ from the next one); what can be
# recognised is translated when shown. Free text (titles, descriptions) is left as written.

_CHOICES = (
    Level,
    StudyMode,
    Delivery,
    StartTerm,
    UniversityRole,
    TrackKind,
    Background,
    ModuleKind,
    RequirementKind,
    CareerKind,
    ApplicantGroup,
    TuitionPeriod,
)
_ECTS = re.compile(r"^(\d+(?:\.\d+)?) ECTS$")
_WHEN = re.compile(r"^(semester|year) (\d+)$")
_SEMESTER = re.compile(r"^Semester (\d+)(: .*)?$", re.DOTALL)


def _english_labels():
    """English choice label → its msgid (the same text): which stored values are labels."""
    with translation.override("en"):
        labels = {str(label) for choices in _CHOICES for _key, label in choices.choices}
    return labels | {"Yes", "No"}


_LABELS = _english_labels()
# Lower-cased labels as they appear inside headlines ("compulsory", "partner university"),
# longest first so "alternative course (one of a set, by background)" wins over shorter ones.
_LOWER_LABELS = sorted(((label.lower(), label) for label in _LABELS), key=lambda p: -len(p[0]))


def _lower_label(msgid):
    """A label inside a sentence: lower case, except German nouns, which keep their capital."""
    text = _(msgid)
    return text if translation.get_language() in ("de",) else text.lower()


def _piece(text):
    """One comma-separated piece of a headline's parentheses, translated when recognised."""
    if match := _ECTS.match(text):
        return _("%(ects)s ECTS") % {"ects": match[1]}
    if match := _WHEN.match(text):
        if match[1] == "semester":
            return _("semester %(number)s") % {"number": match[2]}
        return _("year %(number)s") % {"number": match[2]}
    return text


def _about(text):
    """The inside of a headline's parentheses ("compulsory, year 1, 7.5 ECTS") translated."""
    pieces = []
    for lower, msgid in _LOWER_LABELS:
        if text == lower or text.startswith(lower + ", "):
            pieces.append(_lower_label(msgid))
            text = text[len(lower) + 2 :]
            break
    pieces += [_piece(piece) for piece in text.split(", ") if piece]
    return ", ".join(pieces)


def _with_about(text):
    """ "Name (about)" with the about part translated; other text as it is."""
    if text.endswith(")") and " (" in text:
        name, about = text[:-1].split(" (", 1)
        return f"{name} ({_about(about)})"
    return text


def localised(value):
    """A stored (English) value of the log in the page's language, where it is recognisable:
    choice labels, yes/no, ECTS, "Semester 2: …", module headlines and universities' roles.
    None stays None (shown as "not stated" in the page's language)."""
    if not isinstance(value, str) or translation.get_language() == "en":
        return value
    if value in _LABELS:
        return _(value)
    if _ECTS.match(value) or _WHEN.match(value):
        return _piece(value)
    if match := _SEMESTER.match(value):
        return (_("Semester %(number)s") % {"number": match[1]}) + (match[2] or "")
    # "Uni A (partner university); Uni B (coordinating university)", "Title (compulsory, …)"
    return "; ".join(_with_about(part) for part in value.split("; "))


def _shown(text):
    text = _flat(text)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1].rstrip() + "…"


# Words kept before the first difference of two long texts, so the edit reads in context.
CONTEXT_LENGTH = 60


def _old_and_new(old, new):
    """Old and new as the log shows them: a long text from shortly before where the two first
    differ, so an edit near the end of a description is what the reader sees (not the same
    opening twice)."""
    old, new = _flat(old), _flat(new)
    if len(old) <= SHOWN_LENGTH and len(new) <= SHOWN_LENGTH:
        return old, new
    same = 0
    while same < min(len(old), len(new)) and old[same] == new[same]:
        same += 1
    start = max(0, same - CONTEXT_LENGTH)
    if start:
        start = old.rfind(" ", 0, start) + 1  # from a word's start; the texts agree up to here
    return _shown_from(old, start), _shown_from(new, start)


def _shown_from(text, start):
    piece = text[start:]
    if len(piece) > SHOWN_LENGTH:
        piece = piece[: SHOWN_LENGTH - 1].rstrip() + "…"
    return "…" + piece if start else piece


def _fact_label(label):
    """A stored (English) fact or part label in the page's language. Not gettext("") for a
    missing one: that returns the catalog's header."""
    return _(current_fact_label(label)) if label else ""


def describe(line):
    """One line of the log in plain words, in the page's language.

    The log stores its labels in English (the snapshots are built so) and the values as the
    English page showed them; the labels, the words around the values and the values that are
    recognisable (`localised`) translate.
    """
    action = line.get("action")
    if line.get("fact") == RETIRED and action == CHANGED:
        return _describe_retirement(line.get("new"))
    if line.get("fact") in (DEADLINES, FEES) and (line.get("details") or "value" in line):
        return _describe_value(line)
    fact = _fact_label(line.get("fact"))
    raw_old, raw_new = localised(line.get("old")), localised(line.get("new"))
    old, new = _shown(raw_old), _shown(raw_new)
    if action == PUBLISHED:
        return _("Published")
    if action == CHANGED:
        old, new = _old_and_new(raw_old, raw_new)
        return _("%(fact)s: %(old)s → %(new)s") % {"fact": fact, "old": old, "new": new}
    if action == ADDED:
        return _("%(fact)s: added “%(new)s”") % {"fact": fact, "new": new}
    if action == REMOVED:
        return _("%(fact)s: removed “%(old)s”") % {"fact": fact, "old": old}
    if action == REPLACED:
        return _("%(fact)s: “%(old)s” → “%(new)s”") % {"fact": fact, "old": old, "new": new}
    details = line.get("details")
    if details:  # recorded since the log names what changed in a part
        changes = "; ".join(
            " → ".join(_old_and_new(localised(was), localised(now))) for was, now in details
        )
        return _("%(fact)s: “%(new)s”: %(changes)s") % {
            "fact": fact,
            "new": new,
            "changes": changes,
        }
    return _("%(fact)s: details of “%(new)s” changed") % {"fact": fact, "new": new}


def _describe_retirement(term):
    """A line retiring a programme ("Retired: no longer admitting from 2027/28"), or taking
    that back (`term` None)."""
    if term is None:
        return _("Admitting again: no longer retired")
    if term:
        return _("Retired: no longer admitting from %(term)s") % {"term": term}
    return _("Retired: no longer admitting")


_FEE = re.compile(r"^(\d+(?:\.\d+)?) ([A-Z]{3})$")


def _value_text(value):
    """A stored deadline (ISO date), fee ("1500 EUR") or period in the page's words."""
    if not isinstance(value, str):
        return _flat(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    if match := _FEE.match(value):
        amount = Decimal(match[1])
        places = 0 if amount == amount.to_integral_value() else 2
        number = formats.number_format(amount, places, use_l10n=True, force_grouping=True)
        return f"{number} {match[2]}"
    return _lower_label(value) if value in _LABELS else value


# Whom a deadline or fee is for (its stored English label), inside a sentence: lower case where
# the language writes it so ("non-EU/EEA applicants", German "alle Bewerberinnen und Bewerber").
_WHOM = {
    "All applicants": pgettext_lazy("applicants, inside a sentence", "all applicants"),
    "EU/EEA applicants": pgettext_lazy("applicants, inside a sentence", "EU/EEA applicants"),
    "Non-EU/EEA applicants": pgettext_lazy(
        "applicants, inside a sentence", "non-EU/EEA applicants"
    ),
}


def _whom(headline_text):
    """Whom a deadline or fee is for, inside a sentence: "non-EU/EEA applicants (autumn)"."""
    name, about = headline_text, ""
    if headline_text.endswith(")") and " (" in headline_text:
        name, about = headline_text[:-1].split(" (", 1)
    name = str(_WHOM[name]) if name in _WHOM else name
    return f"{name} ({_about(about)})" if about else name


def _describe_value(line):
    """A line about an application deadline or a tuition fee, in a sentence of its own."""
    deadline = line["fact"] == DEADLINES
    action = line["action"]
    if action == ADDED:
        whom, value = _whom(line["new"]), " ".join(map(_value_text, line["value"]))
        if deadline:
            return _("Application deadline for %(whom)s added: %(value)s") % {
                "whom": whom,
                "value": value,
            }
        return _("Tuition fee for %(whom)s added: %(value)s") % {"whom": whom, "value": value}
    if action == REMOVED:
        whom, value = _whom(line["old"]), " ".join(map(_value_text, line["value"]))
        if deadline:
            return _("Application deadline for %(whom)s removed (was %(value)s)") % {
                "whom": whom,
                "value": value,
            }
        return _("Tuition fee for %(whom)s removed (was %(value)s)") % {
            "whom": whom,
            "value": value,
        }
    words = {
        "whom": _whom(line["new"]),
        "old": " ".join(_value_text(was) for was, _now in line["details"]),
        "new": " ".join(_value_text(now) for _was, now in line["details"]),
    }
    if deadline:
        return _("Application deadline for %(whom)s changed from %(old)s to %(new)s") % words
    return _("Tuition fee for %(whom)s changed from %(old)s to %(new)s") % words


def headline(lines):
    """A short title for a change: "Published", or the facts it touched."""
    if any(line.get("action") == PUBLISHED for line in lines):
        return _("Published")
    for line in lines:
        # A retirement is the news of its change, whatever else changed with it.
        if line.get("fact") == RETIRED and line.get("action") == CHANGED:
            return _describe_retirement(line.get("new"))
    facts = list(dict.fromkeys(_fact_label(line.get("fact")) for line in lines))
    return _("Changed: %(facts)s") % {"facts": ", ".join(facts)}
