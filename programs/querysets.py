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
