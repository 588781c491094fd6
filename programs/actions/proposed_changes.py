"""A write of many published programmes at once (the spreadsheet import) kept as proposals.

The admin's change form proposes one programme (programs.actions.proposals.proposed_state); an
import writes hundreds in one go, planned against the live rows. Here:

- `proposed_states(programme_pks, write)` runs the write once, in a transaction that is rolled
  back, and returns what it would have made of each programme (a snapshot each).
- `propose_change(programme, before, after, user)` keeps such a change as the programme's
  proposal: it starts one, or, when the programme already has an open proposal, adds the
  change to it, so that what the proposal changed and the write didn't touch stays proposed.
"""

from django.db import transaction

from programs.actions.proposals import save_proposal, shown_state
from programs.actions.snapshots import merge, snapshot_of
from programs.models import PART_MODELS, Module, Proposal, Track


class _Captured(Exception):
    """Carries the snapshots out of the transaction that is rolled back under them."""

    def __init__(self, snapshots, result):
        super().__init__("captured")
        self.snapshots = snapshots
        self.result = result


def proposed_states(programme_pks, write):
    """What `write()` would make of each of these programmes, without any of it being kept.

    Returns ({programme pk: snapshot}, write's result). As with proposed_state, everything the
    write sets off (history, search documents, public changes, on-commit callbacks) is rolled
    back with it; its own errors reach the caller as they are, having left nothing behind.
    """
    try:
        with transaction.atomic():
            result = write()
            raise _Captured({pk: snapshot_of(pk) for pk in programme_pks}, result)
    except _Captured as captured:
        return captured.snapshots, captured.result


def propose_change(programme, before, after, user):
    """Keep the change `before` → `after` (snapshots of the live programme and of what a write
    made of it) as the programme's proposal, by `user`, in the caller's transaction.

    Returns (proposal, what happened, conflicts): what happened as save_proposal says it
    ("started", "edited", "unchanged"); conflicts are the places, as merge() names them, where
    the open proposal had already changed a value the write changed differently: the write's
    value replaced the proposal's there, as a later edit in the admin would.
    """
    proposal = Proposal.objects.open().select_for_update().filter(programme=programme).first()
    if proposal is None:
        proposal, what = save_proposal(programme, after, user)
        return proposal, what, []
    shown = shown_state(proposal).snapshot
    merged = merge(before, shown, _renumbered_new_rows(before, shown, after))
    proposal, what = save_proposal(programme, merged.snapshot, user)
    return proposal, what, merged.conflicts


def _renumbered_new_rows(before, shown, after):
    """`after` with the rows it adds renumbered where the open proposal added a row of its own
    under the same number: both were numbered in transactions that were rolled back, and SQLite
    hands such numbers out again. Without this the merge would take two new rows for one."""
    taken = {
        label: set(before["parts"].get(label, {}))
        | set(shown["parts"].get(label, {}))
        | set(after["parts"].get(label, {}))
        for label in (model._meta.label for model in PART_MODELS)
    }
    parts = {}
    renumbered_tracks = {}
    for model in PART_MODELS:
        label = model._meta.label
        old, theirs = before["parts"].get(label, {}), shown["parts"].get(label, {})
        rows = {}
        for pk, values in after["parts"].get(label, {}).items():
            if model is Module and str(values.get("track_id")) in renumbered_tracks:
                values = {**values, "track_id": renumbered_tracks[str(values["track_id"])]}
            if pk not in old and pk in theirs:
                new_pk = str(max(int(key) for key in taken[label]) + 1)
                taken[label].add(new_pk)
                if model is Track:
                    renumbered_tracks[pk] = int(new_pk)
                pk = new_pk
            rows[pk] = values
        parts[label] = rows
    return {**after, "parts": parts}
