"""Synthetic programmes for measuring the catalog at scale, never for the public catalog.

The generated catalog is shaped like a real one (about 3,000 universities in 30 countries, one to
three teaching languages, ECTS mostly 60 to 300 and sometimes not stated, tracks, 5 to 40 modules
a programme, admission requirements, a few drafts) and is the same for the same seed. Every row is
labelled: slugs start with `synthetic-` and each programme names the generator as its source, so
generated rows can't be mistaken for transcribed ones, and `delete_synthetic_catalog()` removes
them all without touching anything else.

Rows are written with plain multi-row SQL (COPY on PostgreSQL) rather than model instances:
100,000 programmes and their two million modules would otherwise take many minutes.
"""

import random
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, models, transaction
from django.utils import timezone

from programs.models import (
    EVERY_PROGRAMME,
    AdmissionRequirement,
    Background,
    CatalogRevision,
    Delivery,
    FieldOfStudy,
    Language,
    Level,
    Module,
    ModuleKind,
    ModuleSearchDocument,
    Programme,
    ProgrammeSearchDocument,
    ProgrammeUniversity,
    RequirementKind,
    StartTerm,
    StudyMode,
    Track,
    TrackKind,
    University,
)
from programs.search import programme_documents

SLUG_PREFIX = "synthetic-"
UNIVERSITIES_AT_FULL_SIZE = 3000
PROGRAMMES_PER_UNIVERSITY = 33

# (ISO code, weight): big higher-education systems hold more of the catalog.
COUNTRIES = [
    ("DE", 14), ("FR", 9), ("IT", 8), ("ES", 8), ("GB", 8), ("PL", 6), ("NL", 5), ("SE", 4),
    ("AT", 3), ("BE", 3), ("CH", 3), ("PT", 3), ("CZ", 3), ("DK", 2), ("FI", 2), ("NO", 2),
    ("IE", 2), ("GR", 2), ("HU", 2), ("RO", 2), ("SK", 1), ("SI", 1), ("HR", 1), ("LT", 1),
    ("LV", 1), ("EE", 1), ("LU", 1), ("CY", 1), ("MT", 1), ("IS", 1),
]  # fmt: skip
# Teaching languages and how often a programme uses each (English most of all).
LANGUAGES = [
    ("en", "English", 60), ("de", "German", 12), ("fr", "French", 8), ("it", "Italian", 6),
    ("es", "Spanish", 6), ("nl", "Dutch", 3), ("sv", "Swedish", 2), ("pl", "Polish", 2),
    ("pt", "Portuguese", 1),
]  # fmt: skip
CITY_STARTS = ["Ber", "Ald", "Nor", "Sud", "Hel", "Mar", "Vel", "Tor", "Lin", "Ros", "Kar", "Fal"]
CITY_ENDS = ["bach", "heim", "ford", "ona", "ville", "stad", "burg", "polis", "mund", "ley"]
UNIVERSITY_PATTERNS = [
    "University of {city}",
    "{city} Technical University",
    "{city} University of Applied Sciences",
    "Medical University of {city}",
    "{city} Institute of Technology",
]
# Subjects, most of them about data, so a search for "data" matches most of the catalog and
# one for "epidemiology" only a few programmes.
SUBJECTS = [
    ("Data Science", 14), ("Health Data Science", 8), ("Medical Data Science", 5),
    ("Data Engineering", 5), ("Business Data Analytics", 5), ("Biomedical Data Science", 4),
    ("Data and Society", 3), ("Computer Science", 8), ("Health Informatics", 6),
    ("Artificial Intelligence", 6), ("Public Health", 5), ("Bioinformatics", 4),
    ("Digital Health", 4), ("Economics", 4), ("Software Engineering", 4),
    ("Environmental Sciences", 3), ("Nursing Science", 2), ("Applied Epidemiology", 1),
]  # fmt: skip
# Each subject's ISCED-F 2013 narrow field (programs/core/fields_of_study.py). A field takes no
# draw of its own, so the rest of a seed's catalog is what it was before programmes had fields.
SUBJECT_FIELDS = {
    "Data Science": FieldOfStudy.ICT,
    "Health Data Science": FieldOfStudy.ICT_INTERDISCIPLINARY,
    "Medical Data Science": FieldOfStudy.ICT_INTERDISCIPLINARY,
    "Data Engineering": FieldOfStudy.ICT,
    "Business Data Analytics": FieldOfStudy.BUSINESS_AND_ADMINISTRATION,
    "Biomedical Data Science": FieldOfStudy.ICT_INTERDISCIPLINARY,
    "Data and Society": FieldOfStudy.SOCIAL_AND_BEHAVIOURAL_SCIENCES,
    "Computer Science": FieldOfStudy.ICT,
    "Health Informatics": FieldOfStudy.ICT_INTERDISCIPLINARY,
    "Artificial Intelligence": FieldOfStudy.ICT,
    "Public Health": FieldOfStudy.HEALTH,
    "Bioinformatics": FieldOfStudy.BIOLOGICAL_SCIENCES,
    "Digital Health": FieldOfStudy.HEALTH_INTERDISCIPLINARY,
    "Economics": FieldOfStudy.SOCIAL_AND_BEHAVIOURAL_SCIENCES,
    "Software Engineering": FieldOfStudy.ICT,
    "Environmental Sciences": FieldOfStudy.ENVIRONMENT,
    "Nursing Science": FieldOfStudy.HEALTH,
    "Applied Epidemiology": FieldOfStudy.HEALTH,
}
# One programme in this many states no field, as real sources often don't.
FIELD_NOT_STATED_EVERY = 20
MODULE_TOPICS = [
    "Statistics", "Machine Learning", "Databases", "Programming", "Research Methods", "Ethics",
    "Data Visualisation", "Health Systems", "Optimisation", "Signal Processing", "Privacy",
    "Clinical Decision Support", "Cloud Computing", "Project Management", "Biostatistics",
    "Natural Language Processing", "Image Analysis", "Survey Design", "Economics", "Law",
]  # fmt: skip
MODULE_FORMS = ["Introduction to {}", "Advanced {}", "{} Lab", "Seminar in {}", "{}"]
MODULE_TITLES = [form.format(topic) for form in MODULE_FORMS for topic in MODULE_TOPICS]
MODULE_ECTS = [5, 6, 7.5, 10, None]
MODULE_COLUMNS = [
    "programme_id",
    "uuid",
    "title",
    "kind",
    "semester",
    "track_id",
    "ects",
    "position",
]
TRACK_NAMES = ["Data Analytics", "Clinical Informatics", "Engineering", "Management", "Research"]
# (level, degree, ECTS choices, weight); ECTS is sometimes not stated (None).
DEGREES = [
    (Level.MASTER, "Master of Science", [120, 120, 120, 90, 60, None], 50),
    (Level.MASTER, "Master of Arts", [120, 90, 60, None], 8),
    (Level.BACHELOR, "Bachelor of Science", [180, 180, 210, 240, None], 30),
    (Level.BACHELOR, "Bachelor of Arts", [180, 240, None], 6),
    (Level.DOCTORATE, "Doctor of Philosophy", [180, None, None], 3),
    (Level.OTHER, "Integrated degree", [300, 300, None], 3),
]  # fmt: skip
DRAFT_SHARE = 0.02


def _weighted(rng, entries):
    """One of `entries` (tuples whose last item is a weight), chosen by weight, without it."""
    entry = rng.choices(entries, [entry[-1] for entry in entries])[0]
    return entry[0] if len(entry) == 2 else entry[:-1]


@dataclass
class Rows:
    """The rows of each table, as tuples in the order of `columns`, ready to insert."""

    columns: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)

    def table(self, model, columns):
        """The list of rows of `model`'s table, to append tuples of `columns` to directly."""
        table = model._meta.db_table
        self.columns[table] = list(columns)
        return self.rows.setdefault(table, [])

    def add(self, model, **values):
        table = model._meta.db_table
        if table not in self.columns:
            self.columns[table] = list(values)
            self.rows[table] = []
        self.rows[table].append(tuple(values.values()))


def real_published_programmes():
    """Published programmes that are not synthetic: transcribed, or entered by staff."""
    return Programme.objects.published().exclude(slug__startswith=SLUG_PREFIX)


def _stable_identifier(identifiers):
    """A version-4 UUID drawn from `identifiers`, as both databases read it from a raw insert.

    Drawn from a generator of its own, so the catalog's other values stay what they were for a
    seed, and the same seed gives the same identifiers (the synthetic catalog is replaced whole,
    never added to, so they never meet their earlier selves)."""
    return uuid.UUID(int=identifiers.getrandbits(128), version=4).hex


def _next_id(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def build_catalog(programmes, seed, progress=None):
    """The synthetic catalog's rows for `programmes` programmes (the same for the same seed).

    The steps draw from one random generator in a fixed order, so the same seed gives the same
    catalog: a step added or moved changes every catalog generated after it.
    """
    rng = random.Random(seed)
    identifiers = random.Random(f"stable identifiers {seed}")
    # In the form each database stores, as the rows bypass the ORM's conversions.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = Rows()
    university_count = max(
        3, min(UNIVERSITIES_AT_FULL_SIZE, programmes // PROGRAMMES_PER_UNIVERSITY)
    )
    universities = _add_universities(rows, rng, university_count, identifiers)
    programme_id, track_id = _next_id(Programme), _next_id(Track)
    modules = rows.table(Module, MODULE_COLUMNS)
    source = f"synthetic: manage.py generate_catalog --seed {seed}"
    for number in range(1, programmes + 1):
        duration, offered_by = _add_programme(
            rows, rng, programme_id, number, universities, source, now, identifiers
        )
        _add_offerings_and_languages(rows, rng, programme_id, offered_by)
        tracks = _add_tracks(rows, rng, programme_id, track_id)
        track_id += len(tracks)
        _add_modules(modules, rng, programme_id, duration or 4, tracks, identifiers)
        _add_requirements(rows, rng, programme_id)
        programme_id += 1
        if progress and number % 1000 == 0:
            progress("Building", number, programmes)
    return rows


def _add_universities(rows, rng, count, identifiers):
    """`count` universities in weighted countries; returns (id, name, city) of each."""
    university_id = _next_id(University)
    universities = []
    for number in range(1, count + 1):
        city = rng.choice(CITY_STARTS) + rng.choice(CITY_ENDS)
        country = _weighted(rng, COUNTRIES)
        name = rng.choice(UNIVERSITY_PATTERNS).format(city=city) + f" {number}"
        rows.add(
            University,
            id=university_id,
            uuid=_stable_identifier(identifiers),
            name=name,
            short_name=None,
            slug=f"{SLUG_PREFIX}university-{number}",
            country=country,
            city=city,
            website=None,
        )
        universities.append((university_id, name, city))
        university_id += 1
    return universities


def _add_programme(rows, rng, programme_id, number, universities, source, now, identifiers):
    """One programme's row; returns its standard period (or None) and its offering universities.

    Long because the row is: one value a column, each drawn in turn (see build_catalog)."""
    level, degree, ects_choices = _weighted(rng, DEGREES)
    subject = _weighted(rng, SUBJECTS)
    ects = rng.choice(ects_choices)
    duration = ects // 30 if ects and rng.random() < 0.9 else None
    offered_by = rng.sample(universities, rng.choices([1, 2, 3], [90, 8, 2])[0])
    _, first_name, city = offered_by[0]
    rows.add(
        Programme,
        id=programme_id,
        uuid=_stable_identifier(identifiers),
        title=subject if rng.random() < 0.3 else f"{subject} ({city} {number})",
        slug=f"{SLUG_PREFIX}{number}",
        degree=degree,
        level=level,
        field_of_study=None
        if number % FIELD_NOT_STATED_EVERY == 0
        else SUBJECT_FIELDS[subject].value,
        is_joint_degree=True if len(offered_by) > 1 else None,
        faculty=None,
        campus=None,
        city=city,
        ects=ects,
        duration_semesters=duration,
        duration_as_stated=f"{duration} semesters" if duration else None,
        start_term=rng.choice([StartTerm.WINTER, StartTerm.AUTUMN, StartTerm.SUMMER, None]),
        study_mode=rng.choices([StudyMode.FULL_TIME, StudyMode.PART_TIME, None], [70, 15, 15])[0],
        delivery=rng.choices(
            [Delivery.ON_CAMPUS, Delivery.BLENDED, Delivery.ONLINE, None], [70, 10, 8, 12]
        )[0],
        tuition_type=None,
        approval_status=None,
        summary=f"{degree} in {subject.lower()} at {first_name}: a generated programme.",
        description=(
            f"A generated description of {subject.lower()} for load tests. "
            f"Students study {rng.choice(MODULE_TOPICS).lower()} and "
            f"{rng.choice(MODULE_TOPICS).lower()}."
        ),
        career_prospects=None,
        source_document=source,
        source_url=None,
        transcribed_on=None,
        checked_on=connection.ops.adapt_datefield_value(
            date(2026, 1, 1) + timedelta(days=rng.randrange(330))
        )
        if rng.random() < 0.5
        else None,
        checked_by_id=None,
        published=rng.random() >= DRAFT_SHARE,
        # Every generated programme still admits: a retirement is staff's to propose.
        retired=False,
        admission_ends=None,
        successor_id=None,
        version=1,
        created_at=now,
        updated_at=now,
    )
    return duration, offered_by


def _add_offerings_and_languages(rows, rng, programme_id, offered_by):
    """The programme's offering universities, in order, and one to three teaching languages."""
    for position, (university, _, _) in enumerate(offered_by):
        rows.add(
            ProgrammeUniversity,
            programme_id=programme_id,
            university_id=university,
            role=None,
            position=position,
        )
    languages = rng.sample(LANGUAGES, rng.choices([1, 2, 3], [60, 30, 10])[0])
    for code, _, _ in sorted(languages):
        rows.add(Programme.languages.through, programme_id=programme_id, language_id=code)


def _add_tracks(rows, rng, programme_id, track_id):
    """None to three tracks, numbered from `track_id`; returns their ids."""
    tracks = []
    for position, name in enumerate(rng.sample(TRACK_NAMES, rng.choice([0, 0, 1, 2, 3]))):
        rows.add(
            Track,
            id=track_id,
            programme_id=programme_id,
            name=name,
            kind=rng.choice([TrackKind.SPECIALISATION, TrackKind.ELECTIVE_AREA]),
            semester=None,
            year=None,
            background=rng.choice([None, None, Background.COMPUTING, Background.LIFE_SCIENCES]),
            description=None,
            position=position,
            source_quote=None,
            inferred_because=None,
        )
        tracks.append(track_id)
        track_id += 1
    return tracks


def _add_modules(modules, rng, programme_id, semesters, tracks, identifiers):
    """5 to 40 modules spread over `semesters`, a few in one of `tracks`."""
    # Two million of these at full size: built as plain tuples (see MODULE_COLUMNS).
    for position in range(rng.randint(5, 40)):
        kind = rng.random()
        modules.append(
            (
                programme_id,
                _stable_identifier(identifiers),
                rng.choice(MODULE_TITLES),
                ModuleKind.COMPULSORY if kind < 0.6 else ModuleKind.ELECTIVE,
                1 + position % semesters,
                rng.choice(tracks) if tracks and kind < 0.2 else None,
                rng.choice(MODULE_ECTS),
                position,
            )
        )


def _add_requirements(rows, rng, programme_id):
    """One to three admission requirements: a degree, then a language, then another."""
    for position in range(rng.randint(1, 3)):
        kind = [RequirementKind.DEGREE, RequirementKind.LANGUAGE, RequirementKind.OTHER][position]
        rows.add(
            AdmissionRequirement,
            programme_id=programme_id,
            kind=kind,
            text=f"A generated {kind} requirement.",
            original_text=None,
            original_language_id=None,
            position=position,
            source_quote=None,
            inferred_because=None,
        )


def _insert(table, columns, rows, progress=None):
    """Insert `rows` into `table`, in batches, reporting progress."""
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    batch = 20_000
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            for start in range(0, len(rows), batch):
                with raw.copy(
                    f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
                ) as copy:
                    for row in rows[start : start + batch]:
                        copy.write_row(row)
                if progress:
                    progress(f"Writing {table}", min(start + batch, len(rows)), len(rows))
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({placeholders})"
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])
            if progress:
                progress(f"Writing {table}", min(start + batch, len(rows)), len(rows))


def _reset_id_sequences(models):
    """After rows were inserted with explicit ids, let PostgreSQL hand out the ones after."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))",
                [model._meta.db_table],
            )


def _analyze(tables):
    """Let PostgreSQL's planner see the rows just written (its statistics still say the tables
    are empty until this transaction commits): otherwise the search documents' refresh, which
    reads the modules of 500 programmes at a time, scans every module each time."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


@transaction.atomic
def generate_catalog(programmes, seed=1, progress=None):
    """Replace the synthetic catalog by `programmes` generated programmes; returns how many.

    All or nothing: an error leaves the database as it was.
    """
    delete_synthetic_catalog()
    for code, name, _ in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})
    rows = build_catalog(programmes, seed, progress)
    documents = [model._meta.db_table for model in (ProgrammeSearchDocument, ModuleSearchDocument)]
    with _foreign_keys_checked_once([*rows.rows, *documents]):
        for table in rows.rows:
            _insert(table, rows.columns[table], rows.rows[table], progress)
        _reset_id_sequences([University, Programme, ProgrammeUniversity, Track, Module,
                             AdmissionRequirement])  # fmt: skip
        _analyze(rows.rows)
        # The rows bypassed the ORM's signals, which bump the revision for every other write
        # and rebuild the programmes' search words.
        generated = Programme.objects.filter(slug__startswith=SLUG_PREFIX).values_list(
            "pk", flat=True
        )
        programme_documents.refresh(generated, progress=progress, new_catalog=True)
    CatalogRevision.objects.bump()
    return programmes


@contextmanager
def _foreign_keys_checked_once(tables):
    """On PostgreSQL, drop the foreign keys of `tables` while their millions of rows are written
    and add them back afterwards: adding a key checks every row in one join, where a kept key
    checks each row on its own at the commit, which took most of the time of generating 100,000
    programmes. Their locks keep other writers of these tables waiting until the commit, which
    is fine for this command (a test and benchmark tool), not for imports on a live site."""
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The deletion of the old synthetic catalog left checks waiting for the commit, and a
        # table can't be altered while they wait: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [[quote(table) for table in tables]],
        )
        keys = cursor.fetchall()
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        yield
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@transaction.atomic
def delete_synthetic_catalog():
    """Remove every synthetic programme and university; returns how many programmes went."""
    synthetic = Programme.objects.filter(slug__startswith=SLUG_PREFIX)
    count = synthetic.count()
    # Every row pointing at a synthetic programme goes first, in bulk: the ORM's cascade would
    # load two million modules one by one and write a history row for each programme. (Foreign
    # keys are checked at commit, so the order of the tables doesn't matter.)
    relations = [
        field
        for field in Programme._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete
    ]
    for relation in relations:
        rows = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": synthetic.values("pk")}
        )
        if relation.on_delete is models.CASCADE:
            rows._raw_delete(connection.alias)
        elif relation.on_delete is models.SET_NULL:
            rows.update(**{relation.field.name: None})
    CatalogRevision.objects.bump(changed=EVERY_PROGRAMME)
    synthetic._raw_delete(connection.alias)
    University.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    return count
