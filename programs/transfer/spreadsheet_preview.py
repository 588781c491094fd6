"""What a spreadsheet import would do, row by row: the preview shown before anything is written.

Each row of a sheet (and each stored module a modules sheet drops) becomes a RowChange with its
status, the cells it changes and what is wrong with it; the Preview holds them in file order.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

NEW, CHANGED, UNCHANGED, ERROR, REMOVED = "new", "changed", "unchanged", "error", "removed"
STATUSES = (NEW, CHANGED, UNCHANGED, REMOVED, ERROR)


@dataclass
class RowChange:
    """What the import does with one row of a sheet (or one stored module it removes)."""

    sheet: str
    line: int | None
    key: str
    status: str
    label: str = ""
    changes: list = field(default_factory=list)  # (column, old text, new text)
    errors: list = field(default_factory=list)  # (cell reference, column, message)
    notes: list = field(default_factory=list)

    def as_text(self):
        where = f"{self.sheet} row {self.line}" if self.line else self.sheet
        head = f"{where}: {self.key}: {self.status}"
        if self.label:
            head += f" ({self.label})"
        lines = [head]
        if self.status == CHANGED:
            lines += [
                f"    {column}: {old or '(empty)'} → {new or '(empty)'}"
                for column, old, new in self.changes
            ]
        lines += [f"    {cell} {column}: {message}" for cell, column, message in self.errors]
        lines += [f"    note: {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass
class ProposedProgramme:
    """A published programme the import changes by a proposal, and its open proposal (which
    the import then adds to), if it has one."""

    slug: str
    title: str
    open_proposal: object = None


@dataclass
class Preview:
    """Every row's change, in file order; whole-file problems come first, as error rows.

    `proposals`: the published programmes whose changes become proposals (ProposedProgramme);
    `published_at_once`: those changed at once, without review, as (slug, title).
    """

    rows: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    published_at_once: list = field(default_factory=list)

    @property
    def counts(self):
        counted = Counter(row.status for row in self.rows)
        return {status: counted.get(status, 0) for status in STATUSES}

    @property
    def ok(self):
        return not any(row.status == ERROR for row in self.rows)

    @property
    def writes_anything(self):
        return any(row.status in (NEW, CHANGED, REMOVED) for row in self.rows)

    @property
    def fingerprint(self):
        """A digest of what the import would do, to tell whether the catalog moved on since the
        preview was shown."""
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update(repr((row.sheet, row.line, row.key, row.status, row.changes)).encode())
        # How the published programmes are changed is part of what was confirmed: a programme
        # published, or a proposal opened, since the preview changes it.
        digest.update(
            repr(
                (
                    [(p.slug, p.open_proposal and p.open_proposal.pk) for p in self.proposals],
                    [slug for slug, _title in self.published_at_once],
                )
            ).encode()
        )
        return digest.hexdigest()

    def summary(self):
        counts = self.counts
        return (
            _(
                "%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(removed)s removed, "
                "%(error)s with errors"
            )
            % counts
        )
