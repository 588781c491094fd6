"""Getting in: a programme's admission requirements, application deadlines and tuition fees."""

from django.db import models
from django.db.models import Q
from django.utils import translation
from simple_history.models import HistoricalRecords

from programs.core.choices import (
    TEXT_LANGUAGE,
    ApplicantGroup,
    RequirementKind,
    StartTerm,
    TuitionPeriod,
)
from programs.models.programmes import Programme
from programs.models.reference import Language
from programs.models.sourced import Sourced


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
