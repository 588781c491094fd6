"""The words of the staff offering rule, said the same way wherever it refuses something.

The rule itself, which changes to a programme's offering universities a staff member may make,
is programs.actions.programme_writes.staff_offering_check(); its result (an OfferingCheck) is
read here only by its three findings, so this module needs neither the ORM nor that layer. The
spreadsheet import lists the messages after the cell they are about; the admin's change form
shows them as sentences (as_sentence()).
"""

from django.utils.text import capfirst
from django.utils.translation import gettext


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
