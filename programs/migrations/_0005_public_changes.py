"""Migration 0005's code, frozen: the public change log, derived from the history records.

A copy of programs/changelog/changes.py's `changes_from_history` and what it calls, as they were
when the migration was frozen, so that the migration keeps doing what it did whatever becomes of
the live code. It reads only the historical models it is given. The snapshot's labels are the
English ones the live code builds under translation.override("en"), written out here, with the
choices' labels and the duration's wording as they were then.

(The leading underscore keeps Django's migration loader from taking this for a migration.)
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

# What a line of the log does; "changed" is a fact's old → new, the others are about parts.
PUBLISHED = "published"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"
REPLACED = "replaced"  # a part whose headline changed: old → new
UPDATED = "updated"  # a part whose details changed under the same headline

# A programme's parts as the log names them, in page order.
PART_LABELS = {
    "semesters": "Study plan",
    "tracks": "Tracks",
    "modules": "Modules",
    "requirements": "Admission",
    "careers": "Careers",
}

# Consecutive history records with the same version number, written this close together, are
# one save (the programme, then its languages, then its parts).
ONE_SAVE = timedelta(seconds=60)

# The models' choices: value → English label.
UNIVERSITY_ROLES = {
    "sole": "Offers the programme alone",
    "joint": "Joint degree partner",
    "coordinating": "Coordinating university",
    "partner": "Partner university",
}
LEVELS = {"bachelor": "Bachelor", "master": "Master", "doctorate": "Doctorate", "other": "Other"}
START_TERMS = {
    "winter": "Winter semester",
    "summer": "Summer semester",
    "autumn": "Autumn",
    "spring": "Spring",
}
STUDY_MODES = {"full-time": "Full-time", "part-time": "Part-time"}
DELIVERIES = {"on-campus": "On campus", "blended": "Blended", "online": "Online"}
TRACK_KINDS = {
    "starting": "Starting track",
    "specialisation": "Specialisation track",
    "elective-area": "Elective area",
    "project-area": "Project area",
}
BACKGROUNDS = {
    "computing": "Computer science or engineering",
    "life-sciences": "Medicine or life sciences",
}
MODULE_KINDS = {
    "compulsory": "Compulsory",
    "elective": "Elective",
    "alternative": "Alternative course (one of a set, by background)",
    "focus-area": "Focus area",
    "project": "Project",
    "internship": "Internship or project work",
    "thesis": "Thesis",
}
REQUIREMENT_KINDS = {
    "degree": "Degree",
    "language": "Language",
    "professional-experience": "Professional experience",
    "test": "Admission test",
    "other": "Other",
}
CAREER_KINDS = {
    "role": "Role",
    "sector": "Sector or employer",
    "field": "Field",
    "further-study": "Further study",
}


def _label(labels, value):
    return None if value is None else str(labels.get(value, value))


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


def _duration_text(programme):
    """The standard period in semesters, with the source's own wording when it says more
    (programs.display.facts.duration_text in English, as plain text)."""
    semesters = programme.duration_semesters
    stated = programme.duration_as_stated
    if semesters is None:
        if not stated:
            return None
        return f"{stated} (as stated by the source)"
    counted = f"{semesters} semester" + ("" if semesters == 1 else "s")
    if stated and stated.strip().lower() != counted:
        return f"{counted} (the source says “{stated}”)"
    return counted


def build_snapshot(programme, language_names, offerings, university_names, parts):
    """The public snapshot of a programme from historical rows."""
    offered_by = [
        (
            university_names.get(offering.university_id, "a university"),
            _label(UNIVERSITY_ROLES, offering.role),
        )
        for offering in sorted(
            offerings,
            key=lambda o: (o.position, university_names.get(o.university_id, "")),
        )
    ]
    facts = [
        ("Title", programme.title),
        ("Degree awarded", programme.degree),
        ("Level", _label(LEVELS, programme.level)),
        (
            "Offered by",
            "; ".join(f"{name} ({role.lower()})" if role else name for name, role in offered_by)
            or None,
        ),
        ("Joint degree", {None: None, True: "Yes", False: "No"}[programme.is_joint_degree]),
        ("Faculty or school", programme.faculty),
        ("Campus", programme.campus),
        ("City", programme.city),
        ("ECTS credits", None if programme.ects is None else f"{programme.ects} ECTS"),
        ("Standard period of study", _duration_text(programme)),
        ("Teaching languages", ", ".join(sorted(language_names)) or None),
        ("Start of studies", _label(START_TERMS, programme.start_term)),
        ("Study mode", _label(STUDY_MODES, programme.study_mode)),
        ("Delivery", _label(DELIVERIES, programme.delivery)),
        ("Tuition", programme.tuition_type),
        ("Approval status", programme.approval_status),
        ("Summary", programme.summary),
        ("About the programme", programme.description),
        ("Career prospects", programme.career_prospects),
        ("Source page", programme.source_url),
        ("Source document", programme.source_document),
        (
            "Transcribed on",
            programme.transcribed_on.isoformat() if programme.transcribed_on else None,
        ),
    ]
    tracks = sorted(parts["tracks"], key=lambda t: (t.position, t.name))
    track_names = {track.id: track.name for track in tracks}
    items = {
        "semesters": [
            [
                semester.id,
                f"Semester {semester.number}" + (f": {semester.title}" if semester.title else ""),
                [semester.summary, semester.goal, semester.module_count],
            ]
            for semester in sorted(parts["semesters"], key=lambda s: s.number)
        ],
        "tracks": [
            [
                track.id,
                track.name,
                [
                    _label(TRACK_KINDS, track.kind),
                    _when(track.semester, track.year),
                    _label(BACKGROUNDS, track.background),
                    track.description,
                ],
            ]
            for track in tracks
        ],
        "modules": [
            [
                module.id,
                _module_headline(module),
                [track_names.get(module.track_id), module.description],
            ]
            for module in sorted(parts["modules"], key=lambda m: (m.position, m.title))
        ],
        "requirements": [
            [
                requirement.id,
                requirement.text,
                [
                    _label(REQUIREMENT_KINDS, requirement.kind),
                    requirement.original_text,
                    requirement.original_language_id,
                ],
            ]
            for requirement in sorted(parts["requirements"], key=lambda r: (r.position, r.id))
        ],
        "careers": [
            [career.id, career.text, [_label(CAREER_KINDS, career.kind)]]
            for career in sorted(parts["careers"], key=lambda c: (c.kind, c.position, c.id))
        ],
    }
    return {
        "facts": [list(fact) for fact in facts],
        "parts": [[label, items[key]] for key, label in PART_LABELS.items()],
    }


def _module_headline(module):
    about = [
        _label(MODULE_KINDS, module.kind).lower(),
        _when(module.semester, module.year),
        None if module.ects is None else f"{_number(module.ects)} ECTS",
    ]
    return f"{module.title} ({', '.join(part for part in about if part)})"


def compare(before, after):
    """The lines that lead from snapshot `before` (None: never published) to `after`."""
    if before is None:
        return [{"action": PUBLISHED}]
    lines = []
    old_facts = dict(before["facts"])
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
    lines += [{"fact": label, "action": REMOVED, "old": h, "new": None} for h, _ in removed]
    lines += [{"fact": label, "action": ADDED, "old": None, "new": h} for h, _ in added]
    return lines


def changes_from_history(apps):
    """Write the public change log of every programme from its history records.

    Programmes that already have a log are left alone. The records of one save (same version,
    written within ONE_SAVE) count as one state, which lasts until the programme's next save.
    """
    Programme = apps.get_model("programs", "Programme")
    HistoricalProgramme = apps.get_model("programs", "HistoricalProgramme")
    PublicChange = apps.get_model("programs", "PublicChange")
    part_models = {
        "offerings": apps.get_model("programs", "HistoricalProgrammeUniversity"),
        "semesters": apps.get_model("programs", "HistoricalSemester"),
        "tracks": apps.get_model("programs", "HistoricalTrack"),
        "modules": apps.get_model("programs", "HistoricalModule"),
        "requirements": apps.get_model("programs", "HistoricalAdmissionRequirement"),
        "careers": apps.get_model("programs", "HistoricalCareer"),
    }
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
