"""A programme's editions: where it stands in each catalog edition and what changed between them.

The summary between two editions is what the change log would write for the step from one to the
other: its own comparison (programs/changelog/changes.compare) of the public facts each edition
froze (the live ones: those after the programme's last public change), worded as its headlines.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from programs.changelog.changes import compare
from programs.core.change_wording import headline
from programs.display.editions import public_facts_of
from programs.models import Edition, EditionProgramme, PublicChange


@dataclass
class EditionLink:
    """The programme in one edition, for the links between its editions."""

    edition: object
    state: str
    url: str
    # What changed since the edition before it that holds the programme ("" when not known).
    summary: str
    here: bool


def editions_of(uuid, slug, here=None, live_facts=None):
    """The programme (by stable identifier) in each edition that holds it, oldest first: an
    archived one holds it if it was published then; the current and upcoming ones if it is
    published now (`slug` is its live address's, None when it is not). `here`: the edition the
    page shows (None: the live page). Each says what changed since the one before, as the
    change log words it."""
    editions = list(Edition.objects.order_by("starts_in"))
    if not editions:
        return []
    entries = {
        entry.edition_id: entry
        for entry in EditionProgramme.objects.filter(uuid=uuid).select_related("frozen")
    }
    if live_facts is None and slug is not None and entries:
        live_facts = _live_facts(uuid)
    today = timezone.localdate()
    links, previous = [], None
    for edition in editions:
        state = edition.state(today)
        if edition.is_archived:
            entry = entries.get(edition.pk)
            if entry is None:
                continue
            facts, edition_slug = public_facts_of(entry), entry.slug
        elif slug is not None:
            facts, edition_slug = live_facts, slug
        else:
            continue
        url = reverse(
            "programs:edition-programme-detail",
            kwargs={"edition": edition.slug, "slug": edition_slug},
        )
        summary = ""
        if previous is not None and previous[1] is not None and facts is not None:
            lines = compare(previous[1], facts)
            summary = headline(lines) if lines else gettext("No change")
        is_here = here is not None and here.pk == edition.pk
        links.append(EditionLink(edition, state, url, summary, is_here))
        previous = (edition, facts)
    return links


def _live_facts(uuid):
    """The live programme's public facts after its last public change."""
    latest = (
        PublicChange.objects.filter(programme__uuid=uuid)
        .order_by("-changed_at", "-pk")
        .values_list("snapshot", flat=True)
        .first()
    )
    return latest or None
