"""Reusable queries over programmes: what the public sees and what each page needs loaded."""

from django.db import models


class ProgrammeQuerySet(models.QuerySet):
    def published(self):
        """Programmes visible to the public (drafts are only seen in the admin)."""
        return self.filter(published=True)

    def with_listing_data(self):
        """Load what a programme card shows: its universities and teaching languages."""
        return self.prefetch_related("offerings__university", "languages")
