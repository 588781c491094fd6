"""How a proposal's snapshots read on its page: the one place raw snapshot values become text.

A snapshot (programs/actions/snapshots.py) holds stored values: choice keys, ids of related
rows, dates and amounts as text. Staff comparing the published and the proposed programme read
each field by its name, choices by their label, related rows by their name, dates and amounts as
their locale writes them, and "not stated" where the source states nothing. Related rows are
looked up once for every snapshot shown (one query per kind of row), so the page's query count
does not grow with the number of changes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from programs.actions.snapshots import difference, merge, part_fields, programme_fields
from programs.core import names
from programs.models import PART_MODELS, Programme, Track

NOT_STATED = gettext_lazy("not stated")
# An empty text is a different thing from a fact the source doesn't state (None).
EMPTY = gettext_lazy("(empty)")
# The fields that name a row, most telling first: a module by its title, a track by its name...
NAMING_FIELDS = ("title", "name", "text", "university_id", "fact", "deadline", "amount", "number")
# Fields a row's reader doesn't need in its list of changes: the programme it belongs to.
NOT_SHOWN = {"programme_id"}


@dataclass
class FieldLine:
    """One field's values side by side: before and after (and, for a stale proposal, as the
    published programme has it now), and whether both sides changed it differently."""

    name: str
    before: str
    after: str
    now: str = ""
    conflict: bool = False


@dataclass
class RowLines:
    """One part's row that a proposal adds, removes or changes, with its changed fields."""

    part: str
    label: str
    kind: str
    fields: list = field(default_factory=list)
    conflict: bool = False

    @property
    def kind_label(self):
        return {
            "added": gettext("added"),
            "removed": gettext("removed"),
            "changed": gettext("changed"),
        }[self.kind]


def _foreign_keys(fields):
    return [
        field_
        for field_ in fields
        if isinstance(field_, models.ForeignKey) and field_.attname not in NOT_SHOWN
    ]


class SnapshotText:
    """Reads the values of some snapshots of one programme as staff should see them."""

    def __init__(self, *snapshots):
        # Tracks are named from the snapshots themselves: a proposed track exists nowhere else.
        self.track_names = {}
        wanted = defaultdict(set)
        for snapshot in snapshots:
            for pk, values in snapshot["parts"].get(Track._meta.label, {}).items():
                self.track_names[str(pk)] = values.get("name") or ""
            for field_ in _foreign_keys(programme_fields()):
                wanted[field_.related_model].add(snapshot["programme"].get(field_.attname))
            for model in PART_MODELS:
                for field_ in _foreign_keys(part_fields(model)):
                    if field_.related_model is Track:
                        continue
                    for values in snapshot["parts"].get(model._meta.label, {}).values():
                        wanted[field_.related_model].add(values.get(field_.attname))
        self.related_names = {}
        for model, pks in wanted.items():
            pks.discard(None)
            if pks:
                rows = model._default_manager.filter(pk__in=pks)
                self.related_names[model] = {str(row.pk): self._name_of(row) for row in rows}

    @staticmethod
    def _name_of(row):
        full_name = getattr(row, "get_full_name", None)
        return (full_name() if full_name else "") or str(row)

    def value(self, field_, raw):
        """The field's stored value as text."""
        if raw is None:
            return str(NOT_STATED)
        if raw == "":
            return str(EMPTY)
        if isinstance(field_, models.ForeignKey):
            if field_.related_model is Track:
                return self.track_names.get(str(raw)) or f"#{raw}"
            return self.related_names.get(field_.related_model, {}).get(str(raw), f"#{raw}")
        value = field_.to_python(raw)
        if field_.choices:
            return str(dict(field_.flatchoices).get(value, value))
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, Decimal):
            # 10.00 ECTS reads as 10, 7.5 as 7.5.
            whole = value == value.to_integral_value()
            return formats.number_format(value.quantize(Decimal(1)) if whole else value.normalize())
        if isinstance(value, int):
            return formats.number_format(value)
        if hasattr(value, "isoformat"):
            return formats.date_format(value)
        return str(value)

    @staticmethod
    def languages(codes):
        if not codes:
            return str(NOT_STATED)
        return ", ".join(names.language_name(code) for code in codes)

    def row_label(self, model, values, pk):
        fields = {field_.attname: field_ for field_ in part_fields(model)}
        for attname in NAMING_FIELDS:
            if attname in fields and values.get(attname) not in (None, ""):
                return self.value(fields[attname], values[attname])
        return f"#{pk}"

    def field_lines(self, changes, now=None, conflicts=()):
        """The programme's changed fields, [(attname, before, after)], as FieldLines."""
        fields = {field_.attname: field_ for field_ in programme_fields()}
        lines = []
        for attname, before, after in changes:
            field_ = fields.get(attname)
            if field_ is None:
                continue
            lines.append(
                FieldLine(
                    capfirst(field_.verbose_name),
                    self.value(field_, before),
                    self.value(field_, after),
                    self.value(field_, now["programme"].get(attname)) if now else "",
                    ("field", attname) in conflicts,
                )
            )
        return lines

    def language_line(self, before, after, now=None, conflicts=()):
        return FieldLine(
            capfirst(Programme._meta.get_field("languages").verbose_name),
            self.languages(before),
            self.languages(after),
            self.languages(now["languages"]) if now else "",
            ("languages", None) in conflicts,
        )

    def row_lines(self, row_changes, conflicts=()):
        """The parts' rows a difference holds, as RowLines in the parts' order."""
        lines = []
        for change in row_changes:
            model = change.model
            fields = {field_.attname: field_ for field_ in part_fields(model)}
            shown = change.after if change.after is not None else change.before
            lines.append(
                RowLines(
                    capfirst(model._meta.verbose_name),
                    self.row_label(model, shown, change.pk),
                    change.kind,
                    [
                        FieldLine(
                            capfirst(fields[attname].verbose_name),
                            self.value(fields[attname], before),
                            self.value(fields[attname], after),
                        )
                        for attname, before, after in change.fields
                        if attname in fields and attname not in NOT_SHOWN
                    ],
                    (model._meta.label, change.pk) in conflicts,
                )
            )
        return lines


@dataclass
class Comparison:
    """Everything the proposal page shows of what a proposal changes."""

    fields: list
    rows: list
    # Only for a proposal whose programme changed since it began: each field either side changed,
    # as it was, as it is published now and as proposed; and the rows the live programme changed.
    three_way: list = field(default_factory=list)
    live_rows: list = field(default_factory=list)
    conflicts: int = 0

    @property
    def is_empty(self):
        return not (self.fields or self.rows)


def comparison(base, proposed, current=None, conflicts=()):
    """The published and proposed values side by side, field by field and part by part.

    With `current` (the live programme, when it changed since the proposal began), the side by
    side is the programme as published now against what publishing the proposal makes of it
    (the merge: what only the live programme changed stays), and the three-way view shows each
    field changed on either side as it was, as published now and after publishing, marking
    those both changed differently (`conflicts`, from snapshots.merge)."""
    if current is None:
        text = SnapshotText(base, proposed)
        published, after = base, proposed
    else:
        after = merge(base, current, proposed).snapshot
        text = SnapshotText(base, proposed, current, after)
        published = current
    proposed_change = difference(published, after)
    lines = text.field_lines(proposed_change.fields)
    if proposed_change.languages:
        lines.append(text.language_line(*proposed_change.languages))
    result = Comparison(lines, text.row_lines(proposed_change.rows, conflicts))
    if current is None:
        return result
    live_change = difference(base, current)
    own_change = difference(base, proposed)
    changed = {attname for attname, _, _ in own_change.fields + live_change.fields}
    result.three_way = text.field_lines(
        [
            (attname, base["programme"].get(attname), after["programme"].get(attname))
            for attname in sorted(changed)
        ],
        now=current,
        conflicts=conflicts,
    )
    if own_change.languages or live_change.languages:
        result.three_way.append(
            text.language_line(base["languages"], after["languages"], current, conflicts)
        )
    result.live_rows = text.row_lines(live_change.rows, conflicts)
    result.conflicts = len(conflicts)
    return result
