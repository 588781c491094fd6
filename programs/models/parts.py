"""What a programme consists of besides its own row: the one list every part-aware place reads.

Each model with a ForeignKey to Programme is either a *part* (in PROGRAMME_PARTS) or named in
NOT_PARTS with the reason it isn't; the system check programs.E001 (programs/checks.py) fails
for a model that is neither, so a new kind of part can't be forgotten by the admin, history
restore, "Duplicate", the public change log, the staff group's permissions or the fixtures.

Every part has history (django-simple-history), is restored with a version, copied by
"Duplicate", edited by admissions staff in the admin and read by the public pages (so it bumps
the catalog revision). What differs between parts is a field of its `Part`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from programs.core import change_wording
from programs.models.admission import AdmissionRequirement, ApplicationDeadline, Tuition
from programs.models.alerts import Alert
from programs.models.curriculum import Module, Semester, Track
from programs.models.programmes import Career, FactSource, Programme, ProgrammeUniversity
from programs.models.proposals import Proposal
from programs.models.public_changes import PublicChange
from programs.models.search_documents import ModuleSearchDocument, ProgrammeSearchDocument
from programs.models.shortlists import ShortlistEntry


@dataclass(frozen=True)
class Part:
    """One kind of part of a programme.

    `shown_order`: the ORDER BY of the list as public pages show it, when a page reads it as a
    plain list (tracks and modules are loaded with their own joins; offerings with universities).
    `log_label`: what the public change log calls these rows (an English msgid), or None when
    the log shows them another way (offerings are the "Offered by" fact) or not at all.
    `fixture_key`: the list's key in a programme's fixture file, or None (fact sources sit
    beside each fact as "<fact>_source").
    `searched`: the programme's search document holds words of these rows (universities' names,
    tracks, modules) or what they say of its facets (a key fact's source says whether the
    list's facets count its value as inferred), so writing one rebuilds it (programs/receivers.py).
    """

    model: type
    shown_order: tuple = ()
    log_label: str | None = None
    fixture_key: str | None = None
    searched: bool = False

    @property
    def related_name(self):
        """The programme's reverse relation to these rows, e.g. "modules"."""
        return self.model._meta.get_field("programme").remote_field.related_name


# In the order they are written: tracks before the modules pointing at them. The public change
# log lists its parts in this order too (page order).
PROGRAMME_PARTS = (
    Part(ProgrammeUniversity, fixture_key="universities", searched=True),
    Part(FactSource, shown_order=("pk",), searched=True),
    Part(
        Semester,
        shown_order=("number",),
        log_label=gettext_noop("Study plan"),
        fixture_key="semesters",
    ),
    Part(Track, log_label=gettext_noop("Tracks"), fixture_key="tracks", searched=True),
    Part(Module, log_label=gettext_noop("Modules"), fixture_key="modules", searched=True),
    Part(
        AdmissionRequirement,
        shown_order=("position", "pk"),
        log_label=gettext_noop("Admission"),
        fixture_key="admission_requirements",
    ),
    Part(
        ApplicationDeadline,
        shown_order=("position", "deadline", "pk"),
        log_label=change_wording.DEADLINES,
        fixture_key="application_deadlines",
    ),
    Part(
        Tuition,
        shown_order=("position", "pk"),
        log_label=change_wording.FEES,
        fixture_key="tuition_fees",
    ),
    Part(
        Career,
        shown_order=("kind", "position", "pk"),
        log_label=gettext_noop("Careers"),
        fixture_key="careers",
    ),
)

# Models pointing at a programme that are not what it consists of, and why.
NOT_PARTS = {
    # A retired programme's successor: another programme, named by it, never a part of it.
    Programme: "a retired programme's successor, another programme",
    # The log of what the public saw change: written from the parts, never edited or restored.
    PublicChange: "the programme's public change log",
    # Changes waiting for review: what the programme may become, applied to its parts only when
    # published (programs/actions/proposals.py).
    Proposal: "a proposed change, waiting for review",
    # Visitors' shortlists: theirs, not the programme's; a copy starts on no one's list.
    ShortlistEntry: "a visitor's shortlist entry",
    # E-mail alerts: a subscriber's, not the programme's; a copy is followed by no one yet.
    Alert: "a subscriber's e-mail alert",
    # Search words derived from the programme and its parts, rebuilt after every write.
    ProgrammeSearchDocument: "derived search words",
    ModuleSearchDocument: "derived search words",
}

PART_MODELS = tuple(part.model for part in PROGRAMME_PARTS)
