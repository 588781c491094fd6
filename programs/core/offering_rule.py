"""The staff offering rule and its words, the same wherever it refuses something.

Which changes to a programme's offering universities a staff member may make
(`staff_offering_check`, over plain ids: the callers read the rows and the staff member's own
universities, programs.actions.programme_writes.own_university_ids), and what it says: the
spreadsheet import lists the messages after the cell they are about, the admin's change form
shows them as sentences (as_sentence()), and a restore says them of the version it would bring
back (restore_offering_problems).
"""

from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext


@dataclass
class OfferingCheck:
    """What a staff member's change to a programme's offering universities would break.

    `foreign_added`: universities they don't work for that the change would attach;
    `partners_touched`: partner universities whose row it would change or remove;
    `keeps_own`: whether one of their universities still offers the programme afterwards.
    """

    foreign_added: list = field(default_factory=list)
    partners_touched: list = field(default_factory=list)
    keeps_own: bool = True

    def __bool__(self):
        return bool(self.foreign_added or self.partners_touched or not self.keeps_own)


def staff_offering_check(own, current, wanted):
    """Check a change of offerings against the staff rule; `own` from own_university_ids().

    `current` and `wanted` map university id -> (role, position) before and after the change.
    Staff may add, change and remove only their own universities' rows; a partner's row stays as
    it is; and the programme must stay offered by one of their universities, or they would lock
    themselves out of it. A superuser (`own` is None) may do anything: the check is empty.
    """
    if own is None:
        return OfferingCheck()
    return OfferingCheck(
        foreign_added=sorted(set(wanted) - set(current) - own),
        partners_touched=sorted(
            university
            for university, values in current.items()
            if university not in own and wanted.get(university) != values
        ),
        keeps_own=not wanted or any(university in own for university in wanted),
    )


def no_offering_university():
    """The problem with a programme that no university would offer any more."""
    return gettext("a programme needs at least one offering university")


def staff_offering_problems(check, name_of):
    """What `check` (an OfferingCheck) refuses, one message per problem, in a fixed order;
    `name_of` maps a university's id to its name."""
    problems = [
        gettext("you don't work for %(university)s: only its staff can add it")
        % {"university": name_of[university_id]}
        for university_id in check.foreign_added
    ]
    problems += [
        gettext("only staff of %(university)s can change or remove its part in this programme")
        % {"university": name_of[university_id]}
        for university_id in check.partners_touched
    ]
    if not check.keeps_own:
        problems.append(
            gettext("the programme must stay offered by at least one of your universities")
        )
    return problems


def as_sentence(message):
    """A message of this module as a sentence of its own: capitalised, with a full stop."""
    return f"{capfirst(message)}."


def restore_offering_problems(check, name_of):
    """What `check` refuses of a version a restore would bring back, in a restore's words;
    `name_of` maps a university's id to its name (a deleted university is left out here: the
    restore reports it apart)."""
    problems = [
        gettext(
            "This version was also offered by %(university)s; only its staff can add it "
            "to the programme again."
        )
        % {"university": name_of[university_id]}
        for university_id in check.foreign_added
        if university_id in name_of
    ]
    problems += [
        as_sentence(message)
        for message in staff_offering_problems(
            OfferingCheck(partners_touched=check.partners_touched), name_of
        )
    ]
    if not check.keeps_own:
        problems.append(
            gettext(
                "In this version the programme was not offered by any of your universities; "
                "restoring it would leave you unable to edit it."
            )
        )
    return problems
