"""The catalog's domain: universities, their study programmes, and what a programme consists of.

A fact a source text does not state is stored as NULL and shown as "not stated": never a guess,
never zero. Rules that must always hold live in the database as named constraints.
"""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone, translation
from simple_history.models import HistoricalRecords

from programs.core import consistency, names
from programs.core.change_wording import describe, headline
from programs.core.choices import (
    TEXT_LANGUAGE,
    ApplicantGroup,
    Background,
    CareerKind,
    Delivery,
    KeyFact,
    Level,
    ModuleKind,
    Provenance,
    RequirementKind,
    StartTerm,
    StudyMode,
    TrackKind,
    TuitionPeriod,
    UniversityRole,
)
from programs.core.limits import PROGRAMME_ECTS_MAX, SHORTLIST_MAX_NOTE
from programs.core.quotes import split_quote
from programs.models.querysets import (
    ModuleQuerySet,
    ProgrammeQuerySet,
    PublicChangeQuerySet,
    UniversityQuerySet,
)

QUOTE_HELP = (
    "The source's own words that state this, copied exactly (only spacing may differ). "
    "Separate passages from different places with a line holding only …"
)
INFERRED_HELP = (
    "Only if something here is inferred rather than stated: why, in one sentence a student "
    "can follow."
)


class Sourced(models.Model):
    """How a row's facts are known: the source's words, the reason for an inference, or both.

    A row with a quote and no reason is stated; with a reason it is (at least partly) inferred;
    with neither its provenance is not recorded.
    """

    source_quote = models.TextField("source quote", null=True, blank=True, help_text=QUOTE_HELP)
    inferred_because = models.TextField(
        "inferred because", null=True, blank=True, help_text=INFERRED_HELP
    )

    class Meta:
        abstract = True

    @property
    def provenance(self):
        """stated, inferred, or not stated (no provenance recorded)."""
        if self.inferred_because:
            return Provenance.INFERRED
        if self.source_quote:
            return Provenance.STATED
        return Provenance.NOT_STATED

    @property
    def is_stated(self):
        """Whether the source states all of this row (quoted, nothing inferred)."""
        return self.provenance == Provenance.STATED

    def quote_passages(self):
        """The quote's passages (a quote may join several places of the source with …)."""
        return split_quote(self.source_quote)


class Language(models.Model):
    """A teaching language, identified by its ISO 639-1 code."""

    code = models.CharField("ISO 639-1 code", max_length=2, primary_key=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z]{2}$"),
                name="language_code_two_lowercase_letters",
                violation_error_message=(
                    "A language code is two lowercase letters (ISO 639-1), such as en."
                ),
            ),
        ]

    def __str__(self):
        # In the reader's language: the admin's pickers, filters and history show this.
        return names.language_name(self.code, default=self.name)

    def natural_key(self):
        return (self.code,)

    def clean(self):
        problems = consistency.language_code_problems([self.code]) if self.code else []
        if problems:
            raise ValidationError({"code": problems})


class University(models.Model):
    """An institution that offers programmes, alone or jointly with others."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, null=True, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    country = models.CharField("country (ISO 3166-1 alpha-2)", max_length=2)
    city = models.CharField(max_length=100, null=True, blank=True)
    website = models.URLField(null=True, blank=True)
    # Admissions staff who may edit the programmes this university offers.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="universities"
    )

    objects = UniversityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "universities"
        # The paged /universities/ reads them in this order, a page at a time.
        indexes = [models.Index(fields=["name", "id"], name="university_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"),
                name="university_country_iso_alpha2",
                violation_error_message=(
                    "The country is a two-letter ISO code in capitals, such as DE."
                ),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("programs:university-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class Programme(models.Model):
    """A study programme as its source text describes it; unknown facts are NULL."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    degree = models.CharField(
        "degree awarded", max_length=100, null=True, blank=True, help_text="e.g. Master of Science"
    )
    level = models.CharField(max_length=20, choices=Level.choices, null=True, blank=True)
    universities = models.ManyToManyField(
        University, through="ProgrammeUniversity", related_name="programmes"
    )
    is_joint_degree = models.BooleanField(
        "joint degree", null=True, blank=True, help_text="Leave empty when the source is silent."
    )
    faculty = models.CharField("faculty or school", max_length=200, null=True, blank=True)
    campus = models.CharField(max_length=100, null=True, blank=True)
    city = models.CharField(max_length=100, null=True, blank=True)
    ects = models.PositiveSmallIntegerField("ECTS credits", null=True, blank=True)
    duration_semesters = models.PositiveSmallIntegerField(
        "standard period (semesters)", null=True, blank=True
    )
    duration_as_stated = models.CharField(
        "duration as the source states it",
        max_length=60,
        null=True,
        blank=True,
        help_text='The source\'s own words, e.g. "4 semesters" or "two years".',
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="programmes", verbose_name="teaching languages"
    )
    start_term = models.CharField(max_length=20, choices=StartTerm.choices, null=True, blank=True)
    study_mode = models.CharField(max_length=20, choices=StudyMode.choices, null=True, blank=True)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, null=True, blank=True)
    tuition_type = models.CharField(
        max_length=100, null=True, blank=True, help_text="e.g. private course of study"
    )
    approval_status = models.CharField(
        max_length=200, null=True, blank=True, help_text="e.g. under ministerial approval"
    )
    summary = models.TextField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    career_prospects = models.TextField(null=True, blank=True)
    source_document = models.CharField(
        max_length=100, null=True, blank=True, help_text="File name of the source text."
    )
    source_url = models.URLField("source address", max_length=500, null=True, blank=True)
    transcribed_on = models.DateField(null=True, blank=True)
    # When someone last compared the facts with the source, and who (empty: the catalog load).
    checked_on = models.DateField(
        "last checked against the source", null=True, blank=True, db_index=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="checked by",
    )
    published = models.BooleanField(default=False, db_index=True)
    # Optimistic locking: every save through the admin bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[languages])

    class Meta:
        ordering = ["title"]
        indexes = [
            # The published programmes in title order, read from the index alone: the list's
            # default order (programs/search/facet_index.py reads it whole).
            models.Index(fields=["published", "title", "slug"], name="programme_published_title"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ects__isnull=True) | Q(ects__gte=0),
                name="programme_ects_not_negative",
                violation_error_message=(
                    "ECTS credits can't be negative; leave the field empty if not stated."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ects__isnull=True) | Q(ects__lte=PROGRAMME_ECTS_MAX),
                name="programme_ects_at_most_600",
                violation_error_message=(
                    f"ECTS credits can't be more than {PROGRAMME_ECTS_MAX} "
                    "(ten years of full-time study)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(duration_semesters__isnull=True) | Q(duration_semesters__gte=1),
                name="programme_duration_at_least_one_semester",
                violation_error_message=(
                    "The standard period of study is at least 1 semester; "
                    "leave it empty if not stated."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Save in one transaction with what the save sets off (its history record, search
        document and catalog revision: programs/receivers.py), so they commit or fail together
        and the revision is counted once."""
        with transaction.atomic(using=kwargs.get("using") or "default", savepoint=False):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("programs:programme-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def description_after_summary(self):
        """The description without its opening paragraphs when they only repeat the summary.

        Some sources open their prose with the same words the summary quotes; the page shows
        the summary under the title, so "About the programme" starts where the summary ends.
        """
        if not self.description or not self.summary:
            return self.description
        summary = " ".join(self.summary.split())
        paragraphs = re.split(r"\n\s*\n", self.description.strip())
        opening = ""
        for count, paragraph in enumerate(paragraphs, start=1):
            opening = " ".join(f"{opening} {paragraph}".split())
            if opening == summary:
                return "\n\n".join(paragraphs[count:])
            if not summary.startswith(opening):
                break
        return self.description

    def mark_checked(self, user, on):
        """Record that `user` compared the facts with the source on the date `on`."""
        self.checked_on = on
        self.checked_by = user


class FactSource(Sourced):
    """How one key fact of a programme is known: quoted from the source, or inferred and why."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="fact_sources")
    fact = models.CharField(max_length=30, choices=KeyFact.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "fact"]
        verbose_name = "source of a key fact"
        verbose_name_plural = "sources of the key facts"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "fact"],
                name="unique_source_per_fact",
                violation_error_message="Each key fact has one source row.",
            ),
            models.CheckConstraint(
                condition=Q(source_quote__isnull=False) | Q(inferred_because__isnull=False),
                name="fact_source_quote_or_reason",
                violation_error_message=(
                    "Give the source's words, the reason for the inference, or both."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_fact_display()}: {self.get_provenance_display()}"

    def get_provenance_display(self):
        return Provenance(self.provenance).label


def semester_within_programme(number, part, field="semester"):
    """Raise a field error when a part's semester number lies outside its programme's period."""
    if number is None:
        return
    # A part being built without its programme (no programme yet) can only be checked for >= 1.
    programme = getattr(part, "programme", None)
    duration = programme.duration_semesters if programme is not None else None
    problems = consistency.semester_number_problems([number], duration)
    if problems:
        raise ValidationError({field: problems})


class ProgrammeUniversity(models.Model):
    """A university's part in offering a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="offerings")
    university = models.ForeignKey(University, on_delete=models.PROTECT, related_name="offerings")
    role = models.CharField(max_length=20, choices=UniversityRole.choices, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "university__name"]
        verbose_name = "offering university"
        verbose_name_plural = "offering universities"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "university"], name="unique_university_per_programme"
            ),
        ]

    def __str__(self):
        return f"{self.university}: {self.programme}"


class Semester(Sourced):
    """One semester of a programme's plan, as far as the source describes it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="semesters")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200, null=True, blank=True)
    summary = models.TextField(null=True, blank=True)
    goal = models.TextField(null=True, blank=True)
    # Some sources give how many modules a semester has without naming them.
    module_count = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="unique_semester_number_per_programme"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="semester_number_from_one",
                violation_error_message="Semesters are numbered from 1.",
            ),
        ]

    def __str__(self):
        return f"Semester {self.number}" + (f": {self.title}" if self.title else "")

    def clean(self):
        semester_within_programme(self.number, self, field="number")


class Track(Sourced):
    """A starting, specialisation, elective or project path inside a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=TrackKind.choices)
    semester = models.PositiveSmallIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    background = models.CharField(
        "student background served",
        max_length=20,
        choices=Background.choices,
        null=True,
        blank=True,
    )
    description = models.TextField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="unique_track_per_programme"
            ),
            models.CheckConstraint(
                condition=Q(semester__isnull=True) | Q(semester__gte=1),
                name="track_semester_from_one",
                violation_error_message="A track's semester is numbered from 1.",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1),
                name="track_year_from_one",
                violation_error_message="A track's year is numbered from 1.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        semester_within_programme(self.semester, self)


class Module(Sourced):
    """A named course, focus area, project, internship or thesis of a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=ModuleKind.choices)
    semester = models.PositiveSmallIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="modules"
    )
    ects = models.DecimalField(
        "ECTS credits", max_digits=5, decimal_places=1, null=True, blank=True
    )
    description = models.TextField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ModuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ects__isnull=True) | Q(ects__gte=0),
                name="module_ects_not_negative",
                violation_error_message=(
                    "A module's ECTS credits can't be negative; "
                    "leave the field empty if not stated."
                ),
            ),
            models.CheckConstraint(
                condition=Q(semester__isnull=True) | Q(semester__gte=1),
                name="module_semester_from_one",
                violation_error_message="A module's semester is numbered from 1.",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1),
                name="module_year_from_one",
                violation_error_message="A module's year is numbered from 1.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        semester_within_programme(self.semester, self)
        if self.track_id and self.programme_id and self.track.programme_id != self.programme_id:
            raise ValidationError({"track": "Choose one of this programme's own tracks."})


class AdmissionRequirement(Sourced):
    """One condition of admission, in English, with the source's wording when it was not."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="admission_requirements"
    )
    kind = models.CharField(max_length=30, choices=RequirementKind.choices)
    text = models.TextField()
    original_text = models.TextField(
        null=True, blank=True, help_text="The source's own wording, when it is not English."
    )
    original_language = models.ForeignKey(
        Language, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position"]

    def __str__(self):
        return self.text

    @property
    def text_only_names_kind(self):
        """Whether the text says no more than its kind's name ("Admission test"), so a page
        shows the kind once rather than "Admission test / Admission test"."""
        with translation.override(TEXT_LANGUAGE):
            kind = str(dict(RequirementKind.choices).get(self.kind, ""))
        return " ".join(self.text.split()).rstrip(".").casefold() == kind.casefold()


class ApplicationDeadline(Sourced):
    """The last day to apply for one intake, for one group of applicants, as the source states."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="application_deadlines"
    )
    intake = models.CharField(
        "intake", max_length=20, choices=StartTerm.choices, null=True, blank=True
    )
    intake_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year studies start, when the source gives it."
    )
    applicant_group = models.CharField(
        max_length=10, choices=ApplicantGroup.choices, default=ApplicantGroup.ALL
    )
    deadline = models.DateField("apply by", db_index=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "deadline"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "intake", "intake_year", "applicant_group", "deadline"],
                name="unique_deadline_per_intake_and_group",
                violation_error_message="This deadline is listed already.",
            ),
        ]

    def __str__(self):
        return f"{self.deadline:%Y-%m-%d} ({self.get_applicant_group_display()})"


class Tuition(Sourced):
    """A tuition fee as the source states it: amount, currency, period and whom it is for."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tuition_fees")
    applicant_group = models.CharField(
        max_length=10, choices=ApplicantGroup.choices, default=ApplicantGroup.ALL
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(
        "currency (ISO 4217)", max_length=3, help_text="Three capital letters, such as EUR or SEK."
    )
    period = models.CharField(max_length=10, choices=TuitionPeriod.choices)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = "tuition fee"
        verbose_name_plural = "tuition fees"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="tuition_amount_not_negative",
                violation_error_message="A tuition fee can't be negative.",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"),
                name="tuition_currency_iso_4217",
                violation_error_message=(
                    "The currency is a three-letter ISO 4217 code in capitals, such as EUR."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.amount} {self.currency} {self.get_period_display()}"


class Career(Sourced):
    """A graduate role, sector, field or path of further study the source names."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="careers")
    kind = models.CharField(max_length=20, choices=CareerKind.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "kind", "position"]

    def __str__(self):
        return self.text


class PublicChange(models.Model):
    """What the public saw change on a programme at one moment: one line per fact, in plain words.

    Written in the same transaction as the save that published the change
    (`programs.changelog.changes.record_public_changes`); `snapshot` holds the public facts after
    it, to compare the next change with. No user and no reason is stored: the log is public.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="public_changes"
    )
    changed_at = models.DateTimeField(db_index=True)
    # [{"fact": "Teaching languages", "action": "changed", "old": "…", "new": "…"}, …]
    lines = models.JSONField(default=list)
    snapshot = models.JSONField(default=dict)

    objects = PublicChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["programme", "-changed_at"], name="public_change_programme_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.changed_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return f"{self.programme.get_absolute_url()}#change-{self.pk}"

    @property
    def title(self):
        """ "Published", or which facts changed."""
        return headline(self.lines)

    @property
    def descriptions(self):
        """Each line of the change in plain words."""
        return [describe(line) for line in self.lines]


# Shortlists: kept per visitor session, never tied to an account; see
# programs/visitors/shortlists.py.
# Their limits are in programs/core/limits.py (SHORTLIST_MAX_ENTRIES, SHORTLIST_MAX_NOTE).


class Shortlist(models.Model):
    """The programmes one visitor is weighing, in their order, with their notes.

    Its owner is whoever's session points at it (and whoever opens its private edit link);
    `share_token` opens a read-only view. Only a hash of the edit link's token is stored.
    """

    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    edit_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Last written or opened (at most once a day); `prune_shortlists` deletes year-old ones.
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Shortlist {self.pk}"


class ShortlistEntry(models.Model):
    """One programme on a shortlist. The title and slug are copied when it is added, so a
    programme that is later unpublished or deleted still shows, as "no longer published"."""

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shortlist_entries",
    )
    title = models.CharField(max_length=200)
    slug = models.CharField(max_length=100)
    note = models.TextField(blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shortlist", "position", "pk"]
        verbose_name_plural = "shortlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "programme"], name="unique_programme_per_shortlist"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), SHORTLIST_MAX_NOTE),
                name="shortlist_note_at_most_2000_characters",
                violation_error_message=(f"A note has at most {SHORTLIST_MAX_NOTE} characters."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        """Whether the programme is still published (and still exists)."""
        return self.programme is not None and self.programme.published

    @property
    def key(self):
        """How forms name this entry: the programme's current slug, or the copied one."""
        return self.programme.slug if self.programme is not None else self.slug


class CatalogRevisionQuerySet(models.QuerySet):
    def current(self):
        """The catalog's revision now, as a string naming this database and its change count."""
        token, number = self.state()
        return f"{token}-{number}" if token else "none"

    def state(self):
        """(database token, change count) now; ("", 0) before the first change."""
        # Read on every public request (kept pages included), so as plain SQL: building it with
        # the ORM costs more than running it.
        quote = connections[self.db].ops.quote_name
        table, database, number = map(quote, (self.model._meta.db_table, "database", "number"))
        with connections[self.db].cursor() as cursor:
            cursor.execute(f"SELECT {database}, {number} FROM {table} WHERE id = 1")
            row = cursor.fetchone()
        return tuple(row) if row else ("", 0)

    def bump(self, changed=()):
        """Count one more change of the catalog, inside the caller's transaction.

        Everything cached about the public catalog is keyed by the revision, so a write that
        commits makes every process compute afresh, and a write that rolls back takes its bump
        with it. One row updated in place: writers queue on it only for their own commit.

        `changed` names the programmes whose filterable facts (what the list's facets count)
        this write changed, logged as CatalogChange rows under the new number so that each
        process's facet index (programs/search/facet_index.py) re-reads only those; EVERY_PROGRAMME
        makes them rebuild it whole.
        """
        counted = _bumped_in_this_transaction(self.db)
        if not counted and not self.filter(pk=1).update(number=models.F("number") + 1):
            self.get_or_create(pk=1, defaults={"number": 1})
        if not changed:
            return
        # Read inside the transaction that holds the row's lock: no other writer can take a
        # number between this one and its commit, so the log is in commit order.
        number = self.filter(pk=1).values_list("number", flat=True).get()
        ids = [None] if changed is EVERY_PROGRAMME else sorted(set(changed))
        CatalogChange.objects.bulk_create(
            [CatalogChange(revision=number, programme_id=pk) for pk in ids]
        )
        if not counted and number % CHANGE_LOG_PRUNE_EVERY == 0:
            CatalogChange.objects.filter(revision__lt=number - CHANGE_LOG_KEPT).delete()


def _revision_counted():
    """Marks, in a transaction's on-commit list, that it has counted its change (see below)."""


def _bumped_in_this_transaction(using):
    """Whether this transaction has already counted one change of the catalog; marks it so.

    One write (a programme saved with its parts, a restore, an import) sends many signals that
    each call bump(); counting once is enough, since the caches need one new number per commit.
    The mark is a no-op callback in the transaction's on-commit list, which Django empties on
    commit and on rollback and trims when a savepoint is rolled back (taking the count's UPDATE
    with it), so it never outlives the count it stands for. In autocommit every statement is
    its own transaction and every bump counts. Inside a test case's own transaction, the write's
    transaction is its outermost savepoint, as it would be a transaction of its own outside one.
    """
    connection = connections[using]
    root = next(
        (
            depth
            for depth, block in enumerate(connection.atomic_blocks)
            if not getattr(block, "_from_testcase", False)
        ),
        None,
    )
    if root is None:
        return False
    root_savepoint = connection.savepoint_ids[root - 1] if root else None
    if root and root_savepoint is None:  # atomic(savepoint=False) inside a test's transaction
        block = connection.atomic_blocks[root]
        counted = getattr(connection, "_revision_counted_in", None) is block
        connection._revision_counted_in = block
        return counted
    for savepoints, callback, _robust in connection.run_on_commit:
        if callback is _revision_counted and (not root or root_savepoint in savepoints):
            return True
    transaction.on_commit(_revision_counted, using=using)
    return False


def new_database_token():
    return secrets.token_hex(8)


# bump(changed=EVERY_PROGRAMME): a write whose changed programmes are not listed (bulk ones).
EVERY_PROGRAMME = object()
# The change log keeps this many revisions; a process further behind rebuilds its index whole.
CHANGE_LOG_KEPT = 20_000
CHANGE_LOG_PRUNE_EVERY = 1_000


class CatalogChange(models.Model):
    """One programme whose filterable facts changed at a revision (see CatalogRevision.bump).

    `programme_id` is a plain number, not a foreign key: a deleted programme's entry must stay.
    NULL means "any programme may have changed".
    """

    revision = models.PositiveBigIntegerField(db_index=True)
    programme_id = models.IntegerField(null=True)

    def __str__(self):
        return f"programme {self.programme_id} changed at revision {self.revision}"


class CatalogRevision(models.Model):
    """The one row counting the catalog's changes (see CatalogRevisionQuerySet.bump).

    `database` is random per database, so two databases sharing one cache server (a staging
    and a production site, a restored copy) never read each other's entries.
    """

    database = models.CharField(max_length=16, default=new_database_token)
    number = models.PositiveBigIntegerField(default=0)

    objects = CatalogRevisionQuerySet.as_manager()

    def __str__(self):
        return f"catalog revision {self.number}"


class ProgrammeSearchDocument(models.Model):
    """What the list's search matches a programme by: its words and its related rows' words,
    lower case and without accents, in three parts by weight
    (programs/search/programme_documents.py keeps them current on every write and reads them; the
    database's text index is built over them)."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    # Each part is " word word … ", spaces at both ends, so "% word" finds a word's start.
    title_text = models.TextField(default="")
    main_text = models.TextField(default="")
    more_text = models.TextField(default="")
    # What the list's facets count the programme under (programs/search/facet_index.py), a line
    # each: "language\ten", "country\tDE", "university\t<slug>\t<name>", "background\t<value>".
    # Nullable only so that SQLite adds the column in place: rebuilding the table, as it does
    # for a column with a default, would drop the triggers that feed the search's FTS5 index.
    facet_keys = models.TextField(null=True, blank=True)

    class Meta:
        ordering = ["programme"]

    def __str__(self):
        return f"search words of programme {self.programme_id}"


class ModuleSearchDocument(models.Model):
    """What /modules/ finds a module by: the words of its title, description and track name,
    lower case and without accents (programs/search/module_documents.py keeps them current and
    reads them; the database's text index is built over them)."""

    # The programme's id * 2**32 + the module's id: the index order keeps a programme's modules
    # together, so a page of matches is read in order without sorting them all.
    key = models.BigIntegerField(primary_key=True)
    module = models.OneToOneField(Module, on_delete=models.CASCADE, related_name="search_document")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    # " word word … ", spaces at both ends, as in ProgrammeSearchDocument.
    words = models.TextField(default="")

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return f"search words of module {self.module_id}"
