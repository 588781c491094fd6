"""What a programme teaches: its semesters, tracks and modules."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from programs.core.choices import (
    Background,
    ModuleKind,
    TrackKind,
)
from programs.models.programmes import Programme, semester_within_programme
from programs.models.querysets import (
    ModuleQuerySet,
)
from programs.models.reference import STABLE_ID
from programs.models.sourced import Sourced


class Semester(Sourced):
    """One semester of a programme's plan, as far as the source describes it."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="semesters",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, null=True, blank=True)
    summary = models.TextField(_("summary"), null=True, blank=True)
    goal = models.TextField(_("goal"), null=True, blank=True)
    # Some sources give how many modules a semester has without naming them.
    module_count = models.PositiveSmallIntegerField(_("module count"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
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

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="tracks",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TrackKind.choices)
    semester = models.PositiveSmallIntegerField(_("semester"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # The semester or year is a fact of its own: a source may name a track without placing it
    # ("they will begin with one of the two starting tracks"), and the catalog's placement is
    # then an inference, shown as one.
    placement_inferred_because = models.TextField(
        _("placement inferred because"),
        null=True,
        blank=True,
        help_text=(
            _(
                "Only if the source does not say in which semester or year the track falls: why "
                "the catalog places it there."
            )
        ),
    )
    background = models.CharField(
        _("student background served"),
        max_length=20,
        choices=Background.choices,
        null=True,
        blank=True,
    )
    description = models.TextField(_("description"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
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

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="modules",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    uuid = models.UUIDField(
        _("stable identifier"), default=uuid.uuid4, unique=True, editable=False, help_text=STABLE_ID
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ModuleKind.choices)
    semester = models.PositiveSmallIntegerField(_("semester"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="modules",
        verbose_name=_("track"),
    )
    ects = models.DecimalField(
        _("ECTS credits"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    description = models.TextField(_("description"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ModuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["programme", "position", "title"]
        indexes = [
            # The open-data API's /courses lists every published module by name, a page at a
            # time: read in this index's order, not sorted afresh from two million rows.
            models.Index(fields=["title", "uuid"], name="module_title_uuid"),
        ]
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
