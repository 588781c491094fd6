"""Migration 0014's code, frozen: deadlines and fees added to each programme's last snapshot.

A copy of what programs/changelog/changes.py's `add_deadlines_and_fees_to_the_last_snapshots`
did when 0014 was written, so the migration keeps doing it whatever becomes of the live code.
Snapshots are in English (the live code builds them under translation.override("en")): the
labels are written out here as they were then. It reads only the historical models it is given.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

from decimal import Decimal

# The log's part labels, in page order, as the snapshots name them.
PART_ORDER = (
    "Study plan",
    "Tracks",
    "Modules",
    "Admission",
    "Application deadlines",
    "Tuition fees",
    "Careers",
)
DEADLINES, FEES = "Application deadlines", "Tuition fees"
APPLICANT_GROUPS = {
    "all": "All applicants",
    "eu": "EU/EEA applicants",
    "non-eu": "Non-EU/EEA applicants",
}
TUITION_PERIODS = {
    "semester": "per semester",
    "year": "per year",
    "programme": "for the whole programme",
}
START_TERMS = {
    "winter": "Winter semester",
    "summer": "Summer semester",
    "autumn": "Autumn",
    "spring": "Spring",
}


def _label(labels, value):
    return None if value is None else labels.get(value, value)


def _number(value):
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _deadline_headline(deadline):
    intake = [
        _label(START_TERMS, deadline.intake).lower() if deadline.intake else None,
        str(deadline.intake_year) if deadline.intake_year else None,
    ]
    whom = _label(APPLICANT_GROUPS, deadline.applicant_group)
    about = ", ".join(piece for piece in intake if piece)
    return f"{whom} ({about})" if about else whom


def _deadline_items(rows):
    return [
        [row.id, _deadline_headline(row), [row.deadline.isoformat()]]
        for row in sorted(rows, key=lambda d: (d.position, d.deadline, d.id))
    ]


def _fee_items(rows):
    return [
        [
            row.id,
            _label(APPLICANT_GROUPS, row.applicant_group),
            [f"{_number(row.amount)} {row.currency}", _label(TUITION_PERIODS, row.period)],
        ]
        for row in sorted(rows, key=lambda t: (t.position, t.id))
    ]


def add_deadlines_and_fees_to_the_last_snapshots(apps):
    """Give each programme's last public snapshot its deadlines and fees (the rows as stored
    now are taken as what was public then: their changes were never logged)."""
    PublicChange = apps.get_model("programs", "PublicChange")
    deadlines = apps.get_model("programs", "ApplicationDeadline")
    fees = apps.get_model("programs", "Tuition")
    latest = {}
    for change in PublicChange.objects.order_by("programme_id", "-changed_at", "-pk"):
        latest.setdefault(change.programme_id, change)
    for programme_pk, change in latest.items():
        parts = dict(change.snapshot["parts"])
        if DEADLINES in parts and FEES in parts:
            continue
        items = {
            DEADLINES: _deadline_items(deadlines.objects.filter(programme_id=programme_pk)),
            FEES: _fee_items(fees.objects.filter(programme_id=programme_pk)),
        }
        parts = {**items, **parts}
        change.snapshot["parts"] = [
            [label, parts[label]] for label in PART_ORDER if label in parts
        ]
        change.save(update_fields=["snapshot"])
