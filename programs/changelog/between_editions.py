"""A programme's editions: where it stands in each catalog edition and what changed between them.

The summary between two editions is what the change log would write for the step from one to the
other: its own comparison (programs/changelog/changes.compare) of the public facts each edition
froze (the live ones: those after the programme's last public change), worded as its headlines.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from programs.changelog.changes import compare
from programs.core.change_wording import headline
from programs.display.editions import frozen_public_facts
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


# editions_of's `live_facts` when the caller has not read them: it reads them when it needs them.
NOT_READ = object()


def editions_of(uuid, slug, here=None, live_facts=NOT_READ):
    """The programme (by stable identifier) in each edition that holds it, oldest first: an
    archived one holds it if it was published then; the current and upcoming ones if it is
    published now (`slug` is its live address's, None when it is not). `here`: the edition the
    page shows (None: the live page). Each says what changed since the one before, as the
    change log words it. `live_facts`: the live programme's public facts when the caller read
    them with it (ProgrammeQuerySet.with_latest_public_facts; None: the change log has none).

    One query for the editions with the programme's entry in each (its slug and frozen facts,
    by the entry's unique (edition, uuid) index), and one for the live facts when not given."""
    entry = EditionProgramme.objects.filter(edition=OuterRef("pk"), uuid=uuid)
    editions = list(
        Edition.objects.order_by("starts_in").annotate(
            entry_slug=Subquery(entry.values("slug")[:1]),
            entry_facts=Subquery(entry.values("frozen__facts")[:1]),
        )
    )
    if not editions:
        return []
    held = any(edition.entry_slug is not None for edition in editions)
    if live_facts is NOT_READ:
        live_facts = _live_facts(uuid) if slug is not None and held else None
    today = timezone.localdate()
    links, previous = [], None
    for edition in editions:
        state = edition.state(today)
        if edition.is_archived:
            if edition.entry_slug is None:
                continue
            facts, edition_slug = frozen_public_facts(edition.entry_facts), edition.entry_slug
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
