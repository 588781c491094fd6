"""The reference tables: teaching languages and universities."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs.core import consistency, names
from programs.models.querysets import (
    LanguageQuerySet,
    UniversityQuerySet,
)

# What other systems (the Open Education API, ELM exports, harvesters) know a row by: a slug may
# be renamed and a database id differs between installations, this never changes. The fixtures
# carry it, so a restore from them keeps it too.
STABLE_ID = _("Never changes: the open-data API and exports name it by this.")


class Language(models.Model):
    """A teaching language, identified by its ISO 639-1 code."""

    code = models.CharField(_("ISO 639-1 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=60)

    objects = LanguageQuerySet.as_manager()

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
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

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, null=True, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    uuid = models.UUIDField(
        _("stable identifier"), default=uuid.uuid4, unique=True, editable=False, help_text=STABLE_ID
    )
    country = models.CharField(_("country (ISO 3166-1 alpha-2)"), max_length=2)
    city = models.CharField(_("city"), max_length=100, null=True, blank=True)
    website = models.URLField(_("website"), null=True, blank=True)
    # The programmes' texts seldom say where a university is: the country and city come from
    # somewhere else, and every output that shows them says from where.
    location_source = models.TextField(
        _("where its country and city come from"),
        null=True,
        blank=True,
        help_text=(
            _(
                "Where the catalog has the country and city from, in one sentence a student can "
                "follow (the source text's words, the page's address, ...)."
            )
        ),
    )
    # Admissions staff who may edit the programmes this university offers.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="universities", verbose_name=_("staff")
    )

    objects = UniversityQuerySet.as_manager()

    class Meta:
        verbose_name = _("university")
        ordering = ["name"]
        verbose_name_plural = _("universities")
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
