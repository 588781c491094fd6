"""Catalog editions' steps: open the next one, publish it, archive one (freeze it), add an addendum.

Each step refuses with a message (EditionRefused) and writes nothing when it is not allowed.
Archiving reads every published programme as the public pages read it, with everything those
pages show, and stores each as a FrozenProgramme (once per content: one that reads the same as in
an earlier edition is shared) with a row naming it in the edition: see programs/models/editions.py
and docs/editions.md.
"""

from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from programs.core.limits import ADDENDUM_MAX_LENGTH
from programs.models import (
    Addendum,
    CatalogRevision,
    Edition,
    EditionProgramme,
    EditionState,
    FrozenProgramme,
    Programme,
    PublicChange,
)
from programs.models.frozen_graphs import packed, to_graph
from programs.search.facet_index import fact_rows

# Programmes read and frozen at a time while archiving.
FREEZE_CHUNK = 250
# A frozen programme keeps as many of its latest public changes as its page lists, and one more
# (the page says when there are earlier ones).
CHANGES_KEPT = 21


class EditionRefused(Exception):
    """A step that isn't allowed, with the message that says why."""


def open_edition(starts_in, publishes_on):
    """A new upcoming edition for the academic year starting in `starts_in`."""
    if not 2000 <= starts_in <= 2099:
        raise EditionRefused(gettext("An edition's academic year starts between 2000 and 2099."))
    if Edition.objects.filter(starts_in=starts_in).exists():
        edition = Edition.objects.get(starts_in=starts_in)
        raise EditionRefused(gettext("The %(year)s edition exists already.") % {"year": edition})
    _refuse_out_of_order(Edition.objects.all(), starts_in, publishes_on)
    with transaction.atomic():
        edition = Edition.objects.create(starts_in=starts_in, publishes_on=publishes_on)
        CatalogRevision.objects.bump()
    return edition


def _refuse_out_of_order(editions, starts_in, publishes_on):
    """Refuse a date that would make editions become current out of the order of their years."""
    later = editions.filter(starts_in__lt=starts_in, publishes_on__gte=publishes_on)
    earlier = editions.filter(starts_in__gt=starts_in, publishes_on__lte=publishes_on)
    if later.exists() or earlier.exists():
        raise EditionRefused(
            gettext("Editions become current in the order of their years: choose another date.")
        )


def move_edition(edition, publishes_on, today=None):
    """Give an upcoming edition another day to become current on (a typing error, a later
    start): never one whose day has come, whose pages were the live catalog already."""
    today = today or timezone.localdate()
    if edition.is_archived:
        raise EditionRefused(gettext("An archived edition never changes."))
    if edition.state(today) != EditionState.UPCOMING:
        raise EditionRefused(
            gettext("The current edition's day has come: it can't become current on another.")
        )
    if edition.published and publishes_on <= today:
        # Its day coming by a move would skip the archiving of the edition before it, which
        # publishing (or publish_due_proposals) does.
        raise EditionRefused(gettext("A published edition can only move to a day still to come."))
    _refuse_out_of_order(Edition.objects.exclude(pk=edition.pk), edition.starts_in, publishes_on)
    with transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(publishes_on=publishes_on)
        edition.publishes_on = publishes_on
        CatalogRevision.objects.bump()
    return edition


def publish_edition(edition, today=None, progress=None):
    """Publish an upcoming edition: it becomes current on its date (at once when that is today
    or past, archiving the edition it takes over from; `progress` as archive_edition's)."""
    today = today or timezone.localdate()
    if edition.is_archived:
        raise EditionRefused(gettext("An archived edition can't be published again."))
    if edition.published:
        raise EditionRefused(gettext("This edition is published already."))
    current = Edition.objects.current(today)
    if current is not None and current.starts_in > edition.starts_in:
        # It would be archived at once, holding today's catalog under an older year's name.
        raise EditionRefused(
            gettext("An edition older than the current one (%(current)s) can't be published.")
            % {"current": current}
        )
    with transaction.atomic():
        Edition.objects.filter(pk=edition.pk).update(published=True)
        edition.published = True
        CatalogRevision.objects.bump()
    archive_superseded(today, progress)
    return edition


def archive_superseded(today=None, progress=None):
    """Archive every edition a later published edition has taken over from by `today`: what
    publish_due_proposals runs every minute, before it publishes that day's proposals (so an
    edition keeps the catalog as it stood when its year ended). The archived editions, oldest
    first."""
    today = today or timezone.localdate()
    current = Edition.objects.current(today)
    if current is None:
        return []
    superseded = Edition.objects.due(today).filter(publishes_on__lt=current.publishes_on)
    done = []
    for edition in superseded.order_by("publishes_on"):
        try:
            done.append(archive_edition(edition, progress=progress))
        except EditionRefused:
            continue  # archived by another run in the meantime
    return done


def archive_edition(edition, progress=None):
    """Freeze the edition: every published programme as the public sees it now. One
    transaction: an edition is archived whole or not at all. `progress(done, total)` is told
    after each chunk."""
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                # Every chunk reads the same moment of the catalog, whatever commits meanwhile.
                # (Only as a transaction's first statement; inside a caller's transaction, as a
                # test's, the chunks read that one's.)
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # Claimed by one conditional update: two runs at once archive it once.
            claimed = Edition.objects.filter(pk=edition.pk, archived_at__isnull=True).update(
                archived_at=timezone.now()
            )
            if not claimed:
                raise EditionRefused(gettext("This edition is archived already."))
            ids = list(Programme.objects.published().order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), FREEZE_CHUNK):
                _freeze(edition, ids[start : start + FREEZE_CHUNK])
                if progress:
                    progress(min(start + FREEZE_CHUNK, len(ids)), len(ids))
    except OperationalError as error:
        # Under repeatable read, a run that waited for another's claim of the same edition is
        # refused by PostgreSQL when that one commits ("could not serialize access").
        if Edition.objects.filter(pk=edition.pk, archived_at__isnull=False).exists():
            raise EditionRefused(gettext("This edition is archived already.")) from error
        raise
    # Counted after the commit, in a transaction of its own: under repeatable read, updating the
    # revision's row that any catalog write committed while the programmes were frozen (minutes,
    # at 100,000) would fail and throw the whole archive away.
    with transaction.atomic():
        CatalogRevision.objects.bump()
    edition.refresh_from_db()
    return edition


def _freeze(edition, ids):
    """Freeze these programmes into the edition."""
    programmes = (
        Programme.objects.filter(pk__in=ids).with_detail_data().prefetch_related("fact_sources")
    )
    changes, public_facts = _latest_changes(ids)
    rows = {pk: [_plain(value) for value in row] for pk, row in fact_rows(ids).items()}
    frozen = {}
    for programme in programmes:
        graph = {
            "programme": to_graph(programme),
            "changes": [to_graph(change) for change in changes.get(programme.pk, [])],
        }
        facts = {
            "row": rows[programme.pk],
            "duration": programme.duration_semesters,
            "checked_on": _iso(programme.checked_on),
            "deadlines": [_iso(row.deadline) for row in programme.application_deadlines.all()],
            "fees": [
                [str(row.amount), row.currency, row.period]
                for row in programme.tuition_fees.all()
                if row.amount is not None
            ],
            # What the change log compares: an edition's page summarises what changed
            # between two editions from these.
            "public_facts": public_facts.get(programme.pk),
        }
        graph_blob, graph_digest = packed(graph)
        facts_blob, facts_digest = packed(facts)
        digest = packed([graph_digest, facts_digest])[1]
        frozen[programme.pk] = (programme, digest, graph_blob, facts_blob)
    stored = dict(
        FrozenProgramme.objects.filter(
            digest__in=[item[1] for item in frozen.values()]
        ).values_list("digest", "pk")
    )
    new = {}
    for _, digest, graph_blob, facts_blob in frozen.values():
        if digest not in stored and digest not in new:
            new[digest] = FrozenProgramme(digest=digest, graph=graph_blob, facts=facts_blob)
    # Another edition archived at the same moment may store the same content first: it is the
    # same frozen programme, so theirs is used.
    FrozenProgramme.objects.bulk_create(new.values(), ignore_conflicts=True)
    stored |= dict(FrozenProgramme.objects.filter(digest__in=list(new)).values_list("digest", "pk"))
    EditionProgramme.objects.bulk_create(
        EditionProgramme(
            edition=edition,
            catalog_id=programme.pk,
            uuid=programme.uuid,
            slug=programme.slug,
            title=programme.title,
            frozen_id=stored[digest],
        )
        for programme, digest, _, _ in frozen.values()
    )


def _iso(day):
    return day.isoformat() if day is not None else None


def _latest_changes(ids):
    """Each programme's latest public changes (as its page lists them) and the public facts
    after the last one (what a summary of the changes between two editions compares)."""
    changes, public_facts = {}, {}
    rows = (
        PublicChange.objects.filter(programme_id__in=ids)
        .order_by("programme_id", "-changed_at", "-pk")
        .only("pk", "programme_id", "changed_at", "lines", "snapshot")
    )
    for change in rows.iterator(chunk_size=2000):
        kept = changes.setdefault(change.programme_id, [])
        if not kept:
            public_facts[change.programme_id] = change.snapshot
        if len(kept) < CHANGES_KEPT:
            kept.append(change)
    for kept in changes.values():
        for change in kept:
            change.__dict__.pop("snapshot", None)
    return changes, public_facts


def _plain(value):
    """A column's value as JSON: SQLite's 0/1 stay numbers, PostgreSQL's booleans stay so."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def add_addendum(edition, text, user, entry=None, dated=None):
    """A dated correction shown on the archived edition's pages (or one programme's page)."""
    text = (text or "").strip()
    if not edition.is_archived:
        raise EditionRefused(
            gettext("Addenda correct archived editions; this one still shows the live catalog.")
        )
    if not text:
        raise EditionRefused(gettext("Write what the addendum corrects."))
    if len(text) > ADDENDUM_MAX_LENGTH:
        raise EditionRefused(
            gettext("An addendum can be at most %(count)d characters long.")
            % {"count": ADDENDUM_MAX_LENGTH}
        )
    if entry is not None and entry.edition_id != edition.pk:
        raise EditionRefused(gettext("That programme is not in this edition."))
    with transaction.atomic():
        addendum = Addendum.objects.create(
            edition=edition,
            entry=entry,
            text=text,
            written_by=user,
            dated=dated or timezone.localdate(),
        )
        CatalogRevision.objects.bump()
    return addendum
