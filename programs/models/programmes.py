"""A study programme: its key facts, how each is known (FactSource), the universities offering
it and the careers it leads to. Its other parts have modules of their own (curriculum.py,
admission.py); programs/models/parts.py lists them all.

A fact a source text does not state is stored as NULL and shown as "not stated": never a guess,
never zero. Rules that must always hold live in the database as named constraints.
"""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from programs.core import consistency
from programs.core.choices import (
    CareerKind,
    Delivery,
    KeyFact,
    Level,
    Provenance,
    StartTerm,
    StudyMode,
    UniversityRole,
)
from programs.core.fields_of_study import FieldOfStudy
from programs.core.limits import PROGRAMME_ECTS_MAX
from programs.models.querysets import (
    ProgrammeQuerySet,
)
from programs.models.reference import STABLE_ID, Language, University
from programs.models.sourced import Sourced


class Programme(models.Model):
    """A study programme as its source text describes it; unknown facts are NULL."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    uuid = models.UUIDField(
        _("stable identifier"), default=uuid.uuid4, unique=True, editable=False, help_text=STABLE_ID
    )
    degree = models.CharField(
        _("degree awarded"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_("e.g. Master of Science"),
    )
    level = models.CharField(
        _("level"), max_length=20, choices=Level.choices, null=True, blank=True
    )
    # An ISCED-F 2013 narrow field; like every fact, stated or inferred (its FactSource says
    # which and why) or, when nobody can tell, not stated.
    field_of_study = models.CharField(
        _("field of study"),
        max_length=3,
        choices=FieldOfStudy.choices,
        null=True,
        blank=True,
        help_text=_("The ISCED-F 2013 narrow field, e.g. 091 Health."),
    )
    universities = models.ManyToManyField(
        University,
        through="ProgrammeUniversity",
        related_name="programmes",
        verbose_name=_("universities"),
    )
    is_joint_degree = models.BooleanField(
        _("joint degree"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the source is silent."),
    )
    faculty = models.CharField(_("faculty or school"), max_length=200, null=True, blank=True)
    campus = models.CharField(_("campus"), max_length=100, null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, null=True, blank=True)
    ects = models.PositiveSmallIntegerField(_("ECTS credits"), null=True, blank=True)
    duration_semesters = models.PositiveSmallIntegerField(
        _("standard period (semesters)"), null=True, blank=True
    )
    duration_as_stated = models.CharField(
        _("duration as the source states it"),
        max_length=60,
        null=True,
        blank=True,
        help_text=_('The source\'s own words, e.g. "4 semesters" or "two years".'),
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="programmes", verbose_name=_("teaching languages")
    )
    start_term = models.CharField(
        _("start term"), max_length=20, choices=StartTerm.choices, null=True, blank=True
    )
    study_mode = models.CharField(
        _("study mode"), max_length=20, choices=StudyMode.choices, null=True, blank=True
    )
    delivery = models.CharField(
        _("delivery"), max_length=20, choices=Delivery.choices, null=True, blank=True
    )
    # What kind of course the source calls it ("Private Course of Study"): not a fee, which
    # TuitionFee rows hold.
    tuition_type = models.CharField(
        _("kind of course"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_("As the source names it, e.g. private course of study. Not a fee."),
    )
    approval_status = models.CharField(
        _("approval status"),
        max_length=200,
        null=True,
        blank=True,
        help_text=_("e.g. under ministerial approval"),
    )
    summary = models.TextField(_("summary"), null=True, blank=True)
    description = models.TextField(_("description"), null=True, blank=True)
    career_prospects = models.TextField(_("career prospects"), null=True, blank=True)
    source_document = models.CharField(
        _("source document"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_("File name of the source text."),
    )
    source_url = models.URLField(_("source address"), max_length=500, null=True, blank=True)
    transcribed_on = models.DateField(_("transcribed on"), null=True, blank=True)
    # When someone last compared the facts with the source, and who (empty: the catalog load).
    checked_on = models.DateField(
        _("last checked against the source"), null=True, blank=True, db_index=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    published = models.BooleanField(_("published"), default=False, db_index=True)
    # Retired: the programme admits no new students (from `admission_ends` on), but its page
    # stays for those still studying and for links already shared; the list hides it unless
    # asked (programs/finder/filters.py, `status`).
    retired = models.BooleanField(
        _("retired"),
        default=False,
        db_index=True,
        help_text=_("No longer admitting: the page stays, the list hides it unless asked."),
    )
    admission_ends = models.CharField(
        _("no longer admitting from"),
        max_length=20,
        null=True,
        blank=True,
        help_text=_('The first intake no longer admitted, e.g. "2027/28".'),
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("The programme that replaces it, if any (only for a retired programme)."),
        verbose_name=_("successor"),
    )
    # Optimistic locking: every save through the admin bumps it; a stale form is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProgrammeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[languages])

    class Meta:
        # With a context: "programme" alone is the singular of a plural message already
        # ("1 programme"), which gettext can't look up as a message of its own.
        verbose_name = pgettext_lazy("a study programme", "programme")
        verbose_name_plural = _("programmes")
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
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(retired=True),
                name="programme_successor_only_when_retired",
                violation_error_message="Only a retired programme has a successor.",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | ~Q(successor=models.F("pk")),
                name="programme_not_its_own_successor",
                violation_error_message="A programme can't be its own successor.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Save in one transaction with what the save sets off (its history record, search
        document and catalog revision: programs/receivers.py), so they commit or fail together
        and the revision is counted once."""
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        # A programme read from an archived edition (programs/display/editions.py) lives at
        # that edition's address; every link a page builds from it goes there.
        edition = self.__dict__.get("edition_slug")
        if edition:
            return reverse(
                "programs:edition-programme-detail", kwargs={"edition": edition, "slug": self.slug}
            )
        return reverse("programs:programme-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def from_db(cls, db, field_names, values):
        programme = super().from_db(db, field_names, values)
        # Whether it was public as read, so a save can tell an unpublishing (which leaves a
        # deletion marker for harvesters: programs/actions/withdrawals.py) without asking the
        # database again. None when the field was not read.
        programme.published_as_loaded = programme.__dict__.get("published")
        return programme

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

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="fact_sources",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    fact = models.CharField(_("fact"), max_length=30, choices=KeyFact.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "fact"]
        verbose_name = _("source of a key fact")
        verbose_name_plural = _("sources of the key facts")
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

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="offerings",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    university = models.ForeignKey(
        University, on_delete=models.PROTECT, related_name="offerings", verbose_name=_("university")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=UniversityRole.choices, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "university__name"]
        verbose_name = _("offering university")
        verbose_name_plural = _("offering universities")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "university"], name="unique_university_per_programme"
            ),
        ]

    def __str__(self):
        return f"{self.university}: {self.programme}"


class Career(Sourced):
    """A graduate role, sector, field or path of further study the source names."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="careers",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CareerKind.choices)
    text = models.CharField(_("text"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("career")
        verbose_name_plural = _("careers")
        ordering = ["programme", "kind", "position"]

    def __str__(self):
        return self.text


# Shortlists: kept per visitor session, never tied to an account; see
# programs/visitors/shortlists.py.
# Their limits are in programs/core/limits.py (SHORTLIST_MAX_ENTRIES, SHORTLIST_MAX_NOTE).
