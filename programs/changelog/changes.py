"""What changed: each programme's public change log, in plain words.

What the public sees of a programme is summarised as a *snapshot*: its facts and its parts in the
words its page uses. Whenever a published programme is written, `record_public_changes` compares
its snapshot with the one last published and, when they differ, stores a PublicChange in the same
transaction: the moment and one line per difference ("Teaching languages: English, German →
English"; "Admission: added “an admission test”"). A programme's first publication reads
"Published".

Drafts record nothing, so an edit made and undone before publishing never shows, and edits made
while a programme was a draft show as one change when it is published again. Only the public
facts are stored: no user, no change reason. Reading the log is one query whatever its length.

`changes_from_history` derives the same log from django-simple-history's records: the published
states of a programme, in order, compared one with the next. Migration 0005 did so for what was
written before the log existed, with a frozen copy of it (programs/migrations/_0005_*.py); this
live one is checked against what the saves write (tests/changelog/test_public_changes.py).
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from programs.core.change_wording import (
    ADDED,
    CHANGED,
    DEADLINES,
    FACTS_ADDED_LATER,
    FEES,
    PUBLISHED,
    REMOVED,
    REPLACED,
    RETIRED,
    UPDATED,
    current_fact_label,
)
from programs.display.facts import duration_text
from programs.models import (
    PROGRAMME_PARTS,
    ApplicantGroup,
    Background,
    CareerKind,
    CatalogRevision,
    Delivery,
    Language,
    Level,
    ModuleKind,
    Programme,
    ProgrammeUniversity,
    PublicChange,
    RequirementKind,
    StartTerm,
    StudyMode,
    TrackKind,
    TuitionPeriod,
    UniversityRole,
)

# A programme's parts as the log names them, in page order: {related name: label}.
PART_LABELS = {part.related_name: part.log_label for part in PROGRAMME_PARTS if part.log_label}

# Consecutive history records with the same version number, written this close together, are
# one save (the programme, then its languages, then its parts): see changes_from_history.
ONE_SAVE = timedelta(seconds=60)


def _label(choices, value):
    # str(): the snapshot is JSON, and its labels English (build_snapshot runs in English).
    return None if value is None else str(dict(choices).get(value, value))


def _number(value):
    """A decimal ECTS value as people write it: 5, 7.5."""
    if value is None:
        return None
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _when(semester, year):
    if semester is not None:
        return f"semester {semester}"
    if year is not None:
        return f"year {year}"
    return None


@translation.override("en")
def build_snapshot(programme, language_names, offerings, university_names, parts):
    """The public snapshot of a programme from plain rows, live or historical alike.

    `offerings` and each list in `parts` (keys of PART_LABELS; a missing one counts as empty)
    are rows with the models' field names; `university_names` maps a university id to its name.
    Returns JSON-ready lists:
    {"facts": [[label, text or None], ...], "parts": [[label, [[key, headline, details], ...]]]}.
    """
    offered_by = _offered_by(offerings, university_names)
    parts = defaultdict(list, parts)
    tracks = sorted(parts["tracks"], key=lambda t: (t.position, t.name))
    items = {
        "semesters": _semester_items(parts["semesters"]),
        "tracks": _track_items(tracks),
        "modules": _module_items(parts["modules"], {track.id: track.name for track in tracks}),
        "admission_requirements": _requirement_items(parts["admission_requirements"]),
        "application_deadlines": _deadline_items(parts["application_deadlines"]),
        "tuition_fees": _fee_items(parts["tuition_fees"]),
        "careers": _career_items(parts["careers"]),
    }
    return {
        "facts": [list(fact) for fact in _facts(programme, language_names, offered_by)],
        "parts": [[label, items[key]] for key, label in PART_LABELS.items()],
    }


def _offered_by(offerings, university_names):
    """(university name, role label) of each offering, in the page's order."""
    return [
        (
            university_names.get(offering.university_id, "a university"),
            _label(UniversityRole.choices, offering.role),
        )
        for offering in sorted(
            offerings,
            key=lambda o: (o.position, university_names.get(o.university_id, "")),
        )
    ]


def _facts(programme, language_names, offered_by):
    """The key facts as (English label, text or None), in the page's order."""
    return [
        (RETIRED, _retirement(programme)),
        (gettext_noop("Title"), programme.title),
        (gettext_noop("Degree awarded"), programme.degree),
        (gettext_noop("Level"), _label(Level.choices, programme.level)),
        (
            gettext_noop("Offered by"),
            "; ".join(f"{name} ({role.lower()})" if role else name for name, role in offered_by)
            or None,
        ),
        (
            gettext_noop("Joint degree"),
            {None: None, True: "Yes", False: "No"}[programme.is_joint_degree],
        ),
        (gettext_noop("Faculty or school"), programme.faculty),
        (gettext_noop("Campus"), programme.campus),
        (gettext_noop("City"), programme.city),
        (
            gettext_noop("ECTS credits"),
            None if programme.ects is None else f"{programme.ects} ECTS",
        ),
        (gettext_noop("Standard period of study"), duration_text(programme)),
        (gettext_noop("Teaching languages"), ", ".join(sorted(language_names)) or None),
        (gettext_noop("Start of studies"), _label(StartTerm.choices, programme.start_term)),
        (gettext_noop("Study mode"), _label(StudyMode.choices, programme.study_mode)),
        (gettext_noop("Delivery"), _label(Delivery.choices, programme.delivery)),
        (gettext_noop("Kind of course"), programme.tuition_type),
        (gettext_noop("Approval status"), programme.approval_status),
        (gettext_noop("Summary"), programme.summary),
        (gettext_noop("About the programme"), programme.description),
        (gettext_noop("Career prospects"), programme.career_prospects),
        (gettext_noop("Source page"), programme.source_url),
        (gettext_noop("Source document"), programme.source_document),
        (
            gettext_noop("Transcribed on"),
            programme.transcribed_on.isoformat() if programme.transcribed_on else None,
        ),
    ]


def _retirement(programme):
    """The retirement fact: None while the programme admits, else the first intake it no longer
    admits ("" when not named)."""
    # A history record from before retirement existed (migration 0006's) has no such field.
    if not getattr(programme, "retired", False):
        return None
    return programme.admission_ends or ""


def _semester_items(semesters):
    return [
        [
            semester.id,
            f"Semester {semester.number}" + (f": {semester.title}" if semester.title else ""),
            [semester.summary, semester.goal, semester.module_count],
        ]
        for semester in sorted(semesters, key=lambda s: s.number)
    ]


def _track_items(tracks):
    return [
        [
            track.id,
            track.name,
            [
                _label(TrackKind.choices, track.kind),
                _when(track.semester, track.year),
                _label(Background.choices, track.background),
                track.description,
            ],
        ]
        for track in tracks
    ]


def _module_items(modules, track_names):
    return [
        [
            module.id,
            _module_headline(module),
            [track_names.get(module.track_id), module.description],
        ]
        for module in sorted(modules, key=lambda m: (m.position, m.title))
    ]


def _requirement_items(requirements):
    return [
        [
            requirement.id,
            requirement.text,
            [
                _label(RequirementKind.choices, requirement.kind),
                requirement.original_text,
                requirement.original_language_id,
            ],
        ]
        for requirement in sorted(requirements, key=lambda r: (r.position, r.id))
    ]


def _career_items(careers):
    return [
        [career.id, career.text, [_label(CareerKind.choices, career.kind)]]
        for career in sorted(careers, key=lambda c: (c.kind, c.position, c.id))
    ]


def _deadline_items(rows):
    """A programme's application deadlines as snapshot items: whom for, and the date."""
    return [
        [row.id, _deadline_headline(row), [row.deadline.isoformat()]]
        for row in sorted(rows, key=lambda d: (d.position, d.deadline, d.id))
    ]


def _fee_items(rows):
    """A programme's tuition fees as snapshot items: whom for, the amount and the period."""
    return [
        [
            row.id,
            _label(ApplicantGroup.choices, row.applicant_group),
            [f"{_number(row.amount)} {row.currency}", _label(TuitionPeriod.choices, row.period)],
        ]
        for row in sorted(rows, key=lambda t: (t.position, t.id))
    ]


def _deadline_headline(deadline):
    """Whom a deadline is for, and its intake when stated: "Non-EU/EEA applicants (winter
    semester, 2027)"; the pieces in parentheses are what `_about` translates."""
    intake = [
        _label(StartTerm.choices, deadline.intake).lower() if deadline.intake else None,
        str(deadline.intake_year) if deadline.intake_year else None,
    ]
    whom = _label(ApplicantGroup.choices, deadline.applicant_group)
    about = ", ".join(piece for piece in intake if piece)
    return f"{whom} ({about})" if about else whom


def _module_headline(module):
    about = [
        _label(ModuleKind.choices, module.kind).lower(),
        _when(module.semester, module.year),
        None if module.ects is None else f"{_number(module.ects)} ECTS",
    ]
    return f"{module.title} ({', '.join(part for part in about if part)})"


def compare(before, after):
    """The lines that lead from snapshot `before` (None: never published) to `after`."""
    if before is None:
        return [{"action": PUBLISHED}]
    lines = []
    # A snapshot stored before a fact was renamed still compares with the fact's new name.
    old_facts = dict.fromkeys(FACTS_ADDED_LATER)
    old_facts |= {current_fact_label(label): text for label, text in before["facts"]}
    for label, text in after["facts"]:
        if label in old_facts and old_facts[label] != text:
            lines.append({"fact": label, "action": CHANGED, "old": old_facts[label], "new": text})
    old_parts = dict(before["parts"])
    for label, items in after["parts"]:
        if label in old_parts:
            lines.extend(_part_lines(label, old_parts[label], items))
    return lines


def _part_lines(label, before, after):
    """Lines for one kind of part: rows changed, removed and added (matched by their id)."""
    old = {key: (headline, details) for key, headline, details in before}
    new = {key: (headline, details) for key, headline, details in after}
    removed = [old[key] for key, _, _ in before if key not in new]
    added = [new[key] for key, _, _ in after if key not in old]
    # A row deleted and made again just as it was (a reload, a restore) is no change.
    for item in list(added):
        if item in removed:
            removed.remove(item)
            added.remove(item)
    lines = []
    for key, headline, details in after:
        if key in old and old[key] != (headline, details):
            was = old[key][0]
            if was != headline:
                lines.append({"fact": label, "action": REPLACED, "old": was, "new": headline})
            else:
                # Which of the row's details changed, each as old → new.
                details = [
                    [was_detail, detail]
                    for was_detail, detail in zip(old[key][1], details, strict=False)
                    if was_detail != detail
                ]
                lines.append(
                    {
                        "fact": label,
                        "action": UPDATED,
                        "old": None,
                        "new": headline,
                        "details": details,
                    }
                )
    lines += [
        {"fact": label, "action": REMOVED, "old": h, "new": None, **_value(label, d)}
        for h, d in removed
    ]
    lines += [
        {"fact": label, "action": ADDED, "old": None, "new": h, **_value(label, d)}
        for h, d in added
    ]
    return lines


def _value(label, details):
    """What an added or removed deadline or fee was: its headline says only whom it is for."""
    return {"value": details} if label in (DEADLINES, FEES) else {}


# --- writing: at every save of a programme --------------------------------------------------------


def current_snapshot(programme):
    """The public snapshot of a programme as stored now (a query per kind of part, and two)."""
    pk = programme.pk
    offerings = list(
        ProgrammeUniversity.objects.filter(programme_id=pk).select_related("university")
    )
    return build_snapshot(
        programme,
        Language.objects.filter(programmes=pk).values_list("name", flat=True),
        offerings,
        {offering.university_id: offering.university.name for offering in offerings},
        {
            part.related_name: part.model.objects.filter(programme_id=pk)
            for part in PROGRAMME_PARTS
            if part.log_label
        },
    )


def record_public_changes(programme):
    """Store what the public will see changed on `programme` since it was last published.

    Call it after every write to a programme, inside the write's transaction: it does nothing
    for a draft or when nothing public changed, so calling it twice is harmless. Returns the new
    PublicChange, or None.
    """
    recorded = record_public_changes_of([programme.pk])
    return recorded[0] if recorded else None


def record_public_changes_of(programme_pks):
    """`record_public_changes` for any number of programmes (one, or all an import wrote): the
    same log entries, nothing for drafts or when nothing public changed, built from one query per
    kind of row for each 500 programmes. Returns the new PublicChange rows."""
    programme_pks = list(programme_pks)
    recorded = []
    if not programme_pks:
        return recorded  # not even the savepoint's two queries
    with transaction.atomic():
        for start in range(0, len(programme_pks), 500):
            programmes = list(
                Programme.objects.filter(pk__in=programme_pks[start : start + 500], published=True)
            )
            if programmes:
                recorded += PublicChange.objects.bulk_create(_public_changes(programmes))
        if recorded:
            # bulk_create sends no post_save: count the change of the catalog here (once per
            # transaction, so nothing more when the write's own rows already counted it).
            CatalogRevision.objects.bump()
    return recorded


def _public_changes(programmes):
    """The PublicChange rows (unsaved) of these published programmes that changed in public."""
    pks = [programme.pk for programme in programmes]
    languages = defaultdict(list)
    for pk, name in Programme.languages.through.objects.filter(programme_id__in=pks).values_list(
        "programme_id", "language__name"
    ):
        languages[pk].append(name)
    offerings = _by_programme(
        ProgrammeUniversity.objects.filter(programme_id__in=pks).select_related("university")
    )
    parts = {
        part.related_name: _by_programme(part.model.objects.filter(programme_id__in=pks))
        for part in PROGRAMME_PARTS
        if part.log_label
    }
    last = {}
    for change in (
        PublicChange.objects.filter(programme_id__in=pks)
        .order_by("programme_id", "-changed_at", "-pk")
        .only("programme_id", "changed_at", "snapshot")
    ):
        last.setdefault(change.programme_id, change)
    snapshots = (
        build_snapshot(
            programme,
            languages[programme.pk],
            offerings[programme.pk],
            {o.university_id: o.university.name for o in offerings[programme.pk]},
            {key: rows[programme.pk] for key, rows in parts.items()},
        )
        for programme in programmes
    )
    changes = (
        _public_change(programme, snapshot, last.get(programme.pk))
        for programme, snapshot in zip(programmes, snapshots, strict=True)
    )
    return [change for change in changes if change is not None]


def _public_change(programme, snapshot, previous):
    """The PublicChange (unsaved) from the `previous` one to `snapshot`, or None: no change."""
    lines = compare(previous.snapshot if previous is not None else None, snapshot)
    if not lines:
        return None
    changed_at = timezone.now()
    if previous is not None and previous.changed_at >= changed_at:
        changed_at = previous.changed_at + timedelta(microseconds=1)
    return PublicChange(programme=programme, changed_at=changed_at, lines=lines, snapshot=snapshot)


def _by_programme(rows):
    """Rows by their programme's id: {programme id: [rows]}."""
    by_programme = defaultdict(list)
    for row in rows:
        by_programme[row.programme_id].append(row)
    return by_programme


# --- deriving the log from django-simple-history's records --------------------------------------


def changes_from_history(apps):
    """Write the public change log of every programme from its history records.

    For migration 0006 (hence the `apps` registry): programmes that already have a log are left
    alone. The records of one save (same version, written within ONE_SAVE) count as one state,
    which lasts until the programme's next save, as in `programs.actions.restore.version_end`.
    """
    Programme = apps.get_model("programs", "Programme")
    HistoricalProgramme = apps.get_model("programs", "HistoricalProgramme")
    PublicChange = apps.get_model("programs", "PublicChange")
    part_models = {"offerings": apps.get_model("programs", "HistoricalProgrammeUniversity")}
    for part in PROGRAMME_PARTS:
        if part.log_label:
            try:
                history = apps.get_model("programs", f"Historical{part.model.__name__}")
            except LookupError:
                continue  # no history yet at this migration (deadlines and fees before 0014)
            part_models[part.related_name] = history
    language_rows = apps.get_model("programs", "HistoricalProgramme_languages")
    Language = apps.get_model("programs", "Language")
    University = apps.get_model("programs", "University")
    language_names = dict(Language.objects.values_list("code", "name"))
    university_names = dict(University.objects.values_list("pk", "name"))

    ever_published = HistoricalProgramme.objects.filter(published=True).values("id")
    pks = (
        Programme.objects.filter(pk__in=ever_published)
        .exclude(pk__in=PublicChange.objects.values("programme_id"))
        .values_list("pk", flat=True)
    )
    for pk in pks.iterator():
        records = HistoricalProgramme.objects.filter(id=pk).order_by("history_date", "history_id")
        languages = defaultdict(list)
        for history_id, code in language_rows.objects.filter(history__id=pk).values_list(
            "history_id", "language_id"
        ):
            languages[history_id].append(language_names.get(code, code))
        part_records = {
            kind: list(model.objects.filter(programme_id=pk).order_by("history_date", "history_id"))
            for kind, model in part_models.items()
        }
        saves = _saves(list(records))
        before = None
        for index, save in enumerate(saves):
            last = save[-1]
            if not last.published:
                continue
            end = saves[index + 1][0].history_date if index + 1 < len(saves) else None
            parts = {kind: _as_of(rows, end) for kind, rows in part_records.items()}
            offerings = parts.pop("offerings")
            snapshot = build_snapshot(
                last, languages[last.history_id], offerings, university_names, parts
            )
            lines = compare(before, snapshot)
            if lines:
                PublicChange.objects.create(
                    programme_id=pk, changed_at=last.history_date, lines=lines, snapshot=snapshot
                )
            before = snapshot


def _saves(records):
    """Group a programme's history records, in order, into the saves they were written by."""
    saves = []
    for record in records:
        current = saves[-1] if saves else None
        if (
            current is not None
            and current[0].version == record.version
            and record.history_date - current[0].history_date <= ONE_SAVE
        ):
            current.append(record)
        else:
            saves.append([record])
    return saves


def _as_of(records, end):
    """The rows that existed just before `end` (None: now), each as its latest record."""
    rows = {}
    for record in records:
        if end is not None and record.history_date >= end:
            break
        if record.history_type == "-":
            rows.pop(record.id, None)
        else:
            rows[record.id] = record
    return list(rows.values())
