"""Getting in: a programme's admission requirements, application deadlines and tuition fees."""

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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
        Programme,
        on_delete=models.CASCADE,
        related_name="admission_requirements",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RequirementKind.choices)
    text = models.TextField(_("text"))
    original_text = models.TextField(
        _("original text"),
        null=True,
        blank=True,
        help_text=_("The source's own wording, when it is not English."),
    )
    original_language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("original language"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("admission requirement")
        verbose_name_plural = _("admission requirements")
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
        Programme,
        on_delete=models.CASCADE,
        related_name="application_deadlines",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    intake = models.CharField(
        _("intake"), max_length=20, choices=StartTerm.choices, null=True, blank=True
    )
    intake_year = models.PositiveSmallIntegerField(
        _("intake year"),
        null=True,
        blank=True,
        help_text=_("The year studies start, when the source gives it."),
    )
    applicant_group = models.CharField(
        _("applicant group"),
        max_length=10,
        choices=ApplicantGroup.choices,
        default=ApplicantGroup.ALL,
    )
    deadline = models.DateField(_("apply by"), db_index=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application deadline")
        verbose_name_plural = _("application deadlines")
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

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="tuition_fees",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    applicant_group = models.CharField(
        _("applicant group"),
        max_length=10,
        choices=ApplicantGroup.choices,
        default=ApplicantGroup.ALL,
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(
        _("currency (ISO 4217)"),
        max_length=3,
        help_text=_("Three capital letters, such as EUR or SEK."),
    )
    period = models.CharField(_("period"), max_length=10, choices=TuitionPeriod.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name = _("tuition fee")
        verbose_name_plural = _("tuition fees")
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
