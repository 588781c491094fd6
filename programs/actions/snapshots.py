"""A programme as plain data: its own fields, its teaching languages and every part's rows.

Proposals keep two of these (what was published when the proposal began, and what is proposed),
compare them field by field and row by row, merge them with the programme as it is now, and
write one back when the proposal is published. A snapshot is JSON-ready:

    {"programme": {attname: value}, "languages": [code, ...],
     "parts": {"programs.Module": {"<pk>": {attname: value}}, ...}}

Values are stored as JSON scalars (dates, decimals and identifiers as their text) and read back
through each field's own `to_python`, so a snapshot round-trips to exactly the stored values.
The programme's identity (id, stable identifier), its optimistic-locking version, its
timestamps and its publication are not part of it: a proposal changes what a programme says,
not whether it is public.
"""

from dataclasses import dataclass, field

from django.db import connection

from programs.actions.restore import NOT_RESTORED, restore_rows, unique_attnames
from programs.models import PART_MODELS, Module, Programme, Track

NOT_PROPOSED = NOT_RESTORED | {"published"}


def programme_fields():
    """The programme's own fields a snapshot holds."""
    return [field for field in Programme._meta.concrete_fields if field.attname not in NOT_PROPOSED]


def part_fields(model):
    """A part's fields a snapshot holds: all but its id (the row's key in the snapshot)."""
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def stored(value):
    """A field's value as a JSON scalar."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def values_of(row, fields):
    return {field.attname: stored(getattr(row, field.attname)) for field in fields}


def snapshot_of(programme_pk):
    """The programme as stored now (inside the caller's transaction, if any)."""
    programme = Programme.objects.prefetch_related("languages").get(pk=programme_pk)
    parts = {}
    for model in PART_MODELS:
        fields = part_fields(model)
        parts[model._meta.label] = {
            str(row.pk): values_of(row, fields)
            for row in model.objects.filter(programme_id=programme_pk).order_by("pk")
        }
    return {
        "programme": values_of(programme, programme_fields()),
        "languages": sorted(language.code for language in programme.languages.all()),
        "parts": parts,
    }


def rows_of(snapshot, model):
    """A part's rows in a snapshot as unsaved instances, {pk: instance}."""
    fields = part_fields(model)
    rows = {}
    for pk, values in snapshot["parts"].get(model._meta.label, {}).items():
        row = model(pk=int(pk))
        for field_ in fields:
            value = values.get(field_.attname)
            setattr(row, field_.attname, None if value is None else field_.to_python(value))
        rows[int(pk)] = row
    return rows


def write_snapshot(programme_pk, snapshot, user, reason=None):
    """Make the stored programme exactly what the snapshot holds, inside the caller's
    programme write (which claims its version and records the public change).

    Rows are written as a history restore writes them (programs.actions.restore.restore_rows):
    unchanged rows are not touched, so the history shows only what changed, by `user`. A new
    row keeps the id it had while the proposal was edited unless another programme's row has
    taken that id since (SQLite may hand out an id again once the transaction that used it
    rolled back); it then gets a new one, and modules follow their track to it.
    """
    programme = Programme.objects.get(pk=programme_pk)
    for field_ in programme_fields():
        value = snapshot["programme"].get(field_.attname)
        setattr(programme, field_.attname, None if value is None else field_.to_python(value))
    # The languages first, without a history record of their own, so that the programme's
    # record written next holds the new snapshot of them (as a restore does).
    programme.skip_history_when_saving = True
    try:
        programme.languages.set(snapshot["languages"])
    finally:
        del programme.skip_history_when_saving
    programme._history_user = user
    programme._change_reason = reason
    programme.save()

    moved_tracks = {}
    for model in PART_MODELS:
        wanted = rows_of(snapshot, model)
        if model is Module:
            for module in wanted.values():
                if module.track_id in moved_tracks:
                    module.track_id = moved_tracks[module.track_id].pk
        taken = set(
            model.objects.filter(pk__in=list(wanted))
            .exclude(programme_id=programme_pk)
            .values_list("pk", flat=True)
        )
        moved = {pk: wanted.pop(pk) for pk in taken}
        restore_rows(model, programme_pk, wanted, user)
        for row in moved.values():
            row.pk = None
            row._history_user = user
            row.save(force_insert=True)
        if model is Track:
            moved_tracks = moved
    return programme


def reserve_new_row_ids(before, after):
    """Keep the ids that rows new in `after` were given from being handed out again.

    A proposal's new rows got their ids in a save that was rolled back. PostgreSQL's sequences
    never hand an id out twice, rolled back or not; SQLite's AUTOINCREMENT counter is rolled
    back with the save, so the next row anyone adds would get the same id, and once that row
    is in the same programme it would look like the proposal's row changed by someone else (a
    clash where there is none). Moving SQLite's counter past them, in the transaction that keeps
    the proposal, reserves them as PostgreSQL does.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model in PART_MODELS:
            label = model._meta.label
            new = set(after["parts"].get(label, {})) - set(before["parts"].get(label, {}))
            if not new:
                continue
            top, table = max(map(int, new)), model._meta.db_table
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            counter = cursor.fetchone()
            if counter is None:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top]
                )
            elif counter[0] < top:
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [top, table])


@dataclass
class Merge:
    """The programme as a proposal would leave it, and where it can't tell whose change wins."""

    snapshot: dict
    # ("field", attname) / ("languages", None) / (model label, pk): changed both in the live
    # programme and in the proposal since it began, and differently.
    conflicts: list = field(default_factory=list)


def merge(base, current, proposed):
    """Three-way merge: the proposal's changes (base → proposed) applied to the programme as it
    is now (base → current), field by field and row by row.

    What only one side changed takes that side's value; what both changed the same way is
    that value; what both changed differently is a conflict, and the merged snapshot holds the
    proposal's value there (what its editor sees and must decide on).
    """
    conflicts = []

    def pick(where, base_value, current_value, proposed_value):
        if proposed_value == base_value:
            return current_value
        if current_value in (base_value, proposed_value):
            return proposed_value
        conflicts.append(where)
        return proposed_value

    programme = {}
    for attname in sorted(set(base["programme"]) | set(current["programme"])):
        programme[attname] = pick(
            ("field", attname),
            base["programme"].get(attname),
            current["programme"].get(attname),
            proposed["programme"].get(attname),
        )
    languages = pick(
        ("languages", None), base["languages"], current["languages"], proposed["languages"]
    )
    parts = {}
    replaced_tracks = {}
    for model in PART_MODELS:
        label = model._meta.label
        rows = [snapshot["parts"].get(label, {}) for snapshot in (base, current, proposed)]
        merged = {}
        for pk in sorted(set().union(*rows), key=int):
            value = pick((label, pk), *(side.get(pk) for side in rows))
            if value is not None:
                merged[pk] = value
        if model is Module:
            for pk, values in merged.items():
                if values.get("track_id") in replaced_tracks:
                    merged[pk] = {**values, "track_id": replaced_tracks[values["track_id"]]}
        replaced = settle_unique_clashes(model, merged, rows[2], conflicts)
        if model is Track:
            replaced_tracks = replaced
        parts[label] = merged
    return Merge({"programme": programme, "languages": languages, "parts": parts}, conflicts)


def settle_unique_clashes(model, merged, proposed_rows, conflicts):
    """Keep one row per unique key of a part (a track's name, a semester's number...) in the
    merged rows, which the database would refuse otherwise.

    Merged row by row, the live programme and the proposal can each have added (or renamed) a
    row to the same key since the proposal began: say both added a track "Imaging". If the two
    rows say the same, that is one change made on both sides, and the live row stays. If they
    differ, that is a conflict, and the proposal's row stays (what its editor sees and decides
    on). Changes `merged` in place; returns {removed row's id: id of the row kept instead}, as
    integers, so that rows pointing at a removed track can follow it.
    """
    keys = unique_attnames(model)
    by_key = {}
    for pk, values in merged.items():
        key = tuple(values.get(attname) for attname in keys)
        if keys and None not in key:  # rows with an empty key part never clash in SQL
            by_key.setdefault(key, []).append(pk)
    replaced = {}
    for pks in by_key.values():
        # Each side's rows are consistent among themselves: a clash is one row as the proposal
        # has it and one as only the live programme has it.
        theirs = [pk for pk in pks if merged[pk] == proposed_rows.get(pk)]
        live = [pk for pk in pks if pk not in theirs]
        if len(theirs) != 1 or len(live) != 1:
            continue
        (theirs,), (live,) = theirs, live
        if merged[live] == merged[theirs]:
            removed, kept = theirs, live
        else:
            conflicts.append((model._meta.label, theirs))
            removed, kept = live, theirs
        del merged[removed]
        replaced[int(removed)] = int(kept)
    return replaced


@dataclass
class RowChange:
    """One row of a part that differs between two snapshots: added, removed or changed (with
    its changed fields as (attname, before, after))."""

    model: type
    pk: str
    before: dict | None
    after: dict | None

    @property
    def kind(self):
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    @property
    def fields(self):
        if self.before is None or self.after is None:
            return []
        return [
            (attname, self.before.get(attname), value)
            for attname, value in self.after.items()
            if self.before.get(attname) != value
        ]


@dataclass
class Difference:
    """What differs between two snapshots: the programme's fields as (attname, before, after),
    its languages (before, after) or None, and the parts' rows."""

    fields: list
    languages: tuple | None
    rows: list

    def __bool__(self):
        return bool(self.fields or self.languages or self.rows)


def difference(before, after):
    """Field by field and row by row, what `after` changes of `before`."""
    fields = [
        (attname, before["programme"].get(attname), value)
        for attname, value in after["programme"].items()
        if before["programme"].get(attname) != value
    ]
    languages = (
        (before["languages"], after["languages"])
        if before["languages"] != after["languages"]
        else None
    )
    rows = []
    for model in PART_MODELS:
        label = model._meta.label
        old, new = before["parts"].get(label, {}), after["parts"].get(label, {})
        for pk in sorted(set(old) | set(new), key=int):
            if old.get(pk) != new.get(pk):
                rows.append(RowChange(model, pk, old.get(pk), new.get(pk)))
    return Difference(fields, languages, rows)
