"""Catalog editions: each academic year's catalog, and the frozen programmes an archived one holds.

The live catalog is always the current edition. Archiving an edition freezes what the public saw
of every published programme at that moment (programs/actions/editions.py): each programme as a
FrozenProgramme, stored once by its content's digest and shared by every edition in which it
reads the same, and one small EditionProgramme row per edition and programme pointing at it.
Ten editions of a catalog where a tenth of the programmes change each year hold ten sets of small
rows, one full set of frozen programmes and nine tenths more, not ten copies of everything
(docs/editions.md).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from programs.core.limits import ADDENDUM_MAX_LENGTH


class EditionState(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("catalog edition", "upcoming")
    CURRENT = "current", pgettext_lazy("catalog edition", "current")
    ARCHIVED = "archived", pgettext_lazy("catalog edition", "archived")


class EditionQuerySet(models.QuerySet):
    def archived(self):
        """Editions frozen for good: their pages never change (addenda aside)."""
        return self.filter(archived_at__isnull=False)

    def live(self):
        """Editions whose pages show the live catalog: the current one and the upcoming ones."""
        return self.filter(archived_at__isnull=True)

    def due(self, today):
        """Published editions whose date has come, not yet archived: the latest is current."""
        return self.live().filter(published=True, publishes_on__lte=today)

    def current(self, today=None):
        """The edition the live catalog is now, or None before the first one is published."""
        return self.due(today or timezone.localdate()).order_by("-publishes_on").first()


class Edition(models.Model):
    """One academic year's catalog ("2026/27"): upcoming until published and its date has come,
    then current (the live catalog), then archived (frozen) when the next one takes over."""

    starts_in = models.PositiveSmallIntegerField(
        gettext_lazy("academic year starting in"),
        unique=True,
        help_text=gettext_lazy("2026 for the 2026/27 catalog."),
    )
    publishes_on = models.DateField(
        gettext_lazy("becomes current on"),
        help_text=gettext_lazy(
            "Once published, the edition becomes the current catalog on this day, and the "
            "edition before it is archived."
        ),
    )
    published = models.BooleanField(gettext_lazy("published"), default=False)
    archived_at = models.DateTimeField(gettext_lazy("archived at"), null=True, blank=True)
    opened_at = models.DateTimeField(gettext_lazy("opened at"), default=timezone.now)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_in"]
        verbose_name = gettext_lazy("catalog edition")
        verbose_name_plural = gettext_lazy("catalog editions")
        permissions = [("manage_editions", "Can open, publish and archive catalog editions")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_in__gte=2000) & Q(starts_in__lte=2099),
                name="edition_year_2000_to_2099",
                violation_error_message=gettext_lazy(
                    "An edition's academic year starts between 2000 and 2099."
                ),
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("programs:edition-programme-list", kwargs={"edition": self.slug})

    @property
    def label(self):
        """How people write the academic year: 2026/27."""
        return f"{self.starts_in}/{(self.starts_in + 1) % 100:02d}"

    @property
    def slug(self):
        """The year in the edition's addresses: 2026-27."""
        return self.label.replace("/", "-")

    @property
    def is_archived(self):
        return self.archived_at is not None

    def state(self, today=None):
        """Upcoming, current or archived (one of EditionState), on `today`."""
        if self.archived_at is not None:
            return EditionState.ARCHIVED
        today = today or timezone.localdate()
        # A published edition whose day has come is current; one superseded a moment ago is
        # archived by the next publish_due_proposals run (every minute), and until then its pages
        # still show the live catalog, which it was until now.
        if self.published and self.publishes_on <= today:
            return EditionState.CURRENT
        return EditionState.UPCOMING

    def covers(self, day):
        """Whether `day` falls in this edition's year: from its date to the next edition's."""
        following = Edition.objects.filter(starts_in__gt=self.starts_in).order_by("starts_in")
        ends = following.values_list("publishes_on", flat=True).first()
        return self.publishes_on <= day and (ends is None or day < ends)

    @staticmethod
    def for_day(day):
        """The edition whose year `day` falls in (the latest one dated on or before it)."""
        if day is None:
            return None
        if isinstance(day, datetime.datetime):
            day = timezone.localdate(day)
        return Edition.objects.filter(publishes_on__lte=day).order_by("-publishes_on").first()


class FrozenProgramme(models.Model):
    """A programme as the public saw it when an edition was archived, stored once per content.

    `graph` is the programme with every row its page, its card, its CSV row and its JSON-LD read
    (programs/models/frozen_graphs.py), `facts` what the edition's list filters, counts, sorts
    and searches it by; both zlib-compressed JSON. Never changed once written."""

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    graph = models.BinaryField(_("graph"))
    facts = models.BinaryField(_("facts"))

    class Meta:
        verbose_name_plural = _("frozen programmes")
        verbose_name = gettext_lazy("frozen programme")

    def __str__(self):
        return f"frozen programme {self.digest[:12]}"


class EditionProgrammeQuerySet(models.QuerySet):
    def in_edition(self, edition):
        return self.filter(edition=edition)


class EditionProgramme(models.Model):
    """A programme in an archived edition: its address there and its frozen content."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("edition")
    )
    # The programme's id in the live catalog when the edition was archived: a number, not a
    # foreign key, because the live programme may be deleted while the edition keeps it.
    catalog_id = models.BigIntegerField(_("catalog id"))
    uuid = models.UUIDField(gettext_lazy("stable identifier"))
    slug = models.SlugField(_("slug"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    frozen = models.ForeignKey(
        FrozenProgramme, on_delete=models.PROTECT, related_name="+", verbose_name=_("frozen")
    )

    objects = EditionProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "title", "slug"]
        verbose_name = gettext_lazy("programme in an edition")
        verbose_name_plural = gettext_lazy("programmes in an edition")
        indexes = [
            # A programme's page finds it in every edition by its stable identifier.
            models.Index(fields=["uuid"], name="edition_programme_by_uuid"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="edition_programme_slug"),
            models.UniqueConstraint(fields=["edition", "uuid"], name="edition_programme_uuid"),
            models.UniqueConstraint(
                fields=["edition", "catalog_id"], name="edition_programme_catalog_id"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.edition})"

    def get_absolute_url(self):
        return reverse(
            "programs:edition-programme-detail",
            kwargs={"edition": self.edition.slug, "slug": self.slug},
        )


class Addendum(models.Model):
    """A dated correction to an archived edition: shown on its pages, never a silent change."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="addenda", verbose_name=_("edition")
    )
    # The programme it corrects; none for a note about the whole edition.
    entry = models.ForeignKey(
        EditionProgramme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="addenda",
        verbose_name=pgettext_lazy("a study programme", "programme"),
    )
    dated = models.DateField(gettext_lazy("dated"), default=timezone.localdate)
    text = models.TextField(gettext_lazy("text"), max_length=ADDENDUM_MAX_LENGTH)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["edition", "dated", "pk"]
        verbose_name = gettext_lazy("addendum")
        verbose_name_plural = gettext_lazy("addenda")

    def __str__(self):
        return f"{self.edition} · {self.dated:%Y-%m-%d}"
