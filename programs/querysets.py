"""Reusable queries over programmes: what the public sees and what each page needs loaded."""

from django.db import models


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        """Programmes visible to the public (drafts are only seen in the admin)."""
        return self.filter(published=True)

    def with_listing_data(self):
        """Load what a programme card shows: its universities and teaching languages."""
        return self.prefetch_related("offerings__university", "languages")

    def editable_by(self, user):
        """Programmes this user may edit in the admin (and preview while they are drafts).

        Superusers may edit every programme; admissions staff those offered by any university
        they belong to (a joint programme by the staff of each partner); anyone else none.
        Filtering through a subquery of ids keeps each programme once without DISTINCT, so the
        result can still be ordered, annotated and bulk-deleted like any other queryset.
        """
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser:
            return self.all()
        offered = self.model.universities.through.objects.filter(university__staff=user)
        return self.filter(pk__in=offered.values("programme_id"))

    def visible_to(self, user):
        """Published programmes, plus the drafts this user may edit (so they can preview them)."""
        if not (user.is_authenticated and user.is_staff):
            return self.published()
        editable = self.model.objects.editable_by(user).values("pk")
        return self.filter(models.Q(published=True) | models.Q(pk__in=editable))

    def with_detail_data(self):
        """Load everything the detail page and its JSON-LD show, each relation in display order."""
        # Imported here because models.py imports this module to build the managers.
        from programs.models import (
            AdmissionRequirement,
            Career,
            Language,
            Module,
            ProgrammeUniversity,
            Semester,
            Track,
        )

        return self.prefetch_related(
            models.Prefetch(
                "offerings",
                ProgrammeUniversity.objects.select_related("university").order_by(
                    "position", "university__name"
                ),
            ),
            models.Prefetch("languages", Language.objects.order_by("code")),
            models.Prefetch("semesters", Semester.objects.order_by("number")),
            models.Prefetch("tracks", Track.objects.order_by("position", "name")),
            models.Prefetch(
                "modules",
                Module.objects.select_related("track").order_by("position", "title"),
            ),
            models.Prefetch(
                "admission_requirements",
                AdmissionRequirement.objects.select_related("original_language").order_by(
                    "position", "pk"
                ),
            ),
            models.Prefetch("careers", Career.objects.order_by("kind", "position", "pk")),
        )

    def with_compare_data(self):
        """Load what the compare table shows: the key facts, i.e. universities and languages."""
        from programs.models import Language, ProgrammeUniversity

        return self.prefetch_related(
            models.Prefetch(
                "offerings",
                ProgrammeUniversity.objects.select_related("university").order_by(
                    "position", "university__name"
                ),
            ),
            models.Prefetch("languages", Language.objects.order_by("code")),
        )


class UniversityQuerySet(models.QuerySet):
    def public(self):
        """Universities offering at least one published programme (others aren't shown yet)."""
        from programs.models import ProgrammeUniversity

        published_offering = ProgrammeUniversity.objects.filter(
            university=models.OuterRef("pk"), programme__published=True
        )
        return self.filter(models.Exists(published_offering))

    def with_published_programme_count(self):
        """Annotate each university with how many published programmes it offers."""
        return self.annotate(
            published_programme_count=models.Count(
                "offerings", filter=models.Q(offerings__programme__published=True)
            )
        )

    def with_published_programmes(self):
        """Load each university's published programmes (with its role in each), by title."""
        from programs.models import ProgrammeUniversity

        return self.prefetch_related(
            models.Prefetch(
                "offerings",
                ProgrammeUniversity.objects.filter(programme__published=True)
                .select_related("programme")
                .order_by("programme__title", "programme__pk"),
                to_attr="published_offerings",
            ),
            "published_offerings__programme__languages",
        )


class ModuleQuerySet(models.QuerySet):
    def published(self):
        """Modules of published programmes."""
        return self.filter(programme__published=True)

    def search(self, q):
        """Modules whose title, description or track name contains `q` (case-insensitive)."""
        if not q:
            return self
        return self.filter(
            models.Q(title__icontains=q)
            | models.Q(description__icontains=q)
            | models.Q(track__name__icontains=q)
        )

    def with_programme_data(self):
        """Load each module's programme, track and the programme's universities, in page order."""
        from programs.models import ProgrammeUniversity

        return (
            self.select_related("programme", "track")
            .prefetch_related(
                models.Prefetch(
                    "programme__offerings",
                    ProgrammeUniversity.objects.select_related("university").order_by(
                        "position", "university__name"
                    ),
                )
            )
            .order_by(
                "programme__title",
                "programme__pk",
                models.F("semester").asc(nulls_last=True),
                models.F("year").asc(nulls_last=True),
                "position",
                "title",
            )
        )
