"""How the edition commands read their arguments: an edition named as in its addresses (2026-27)
and the progress line they print while archiving."""

from django.core.management.base import CommandError

from programs.models import Edition


def edition_named(slug):
    """The edition `slug` (2026-27) names, or a CommandError listing those there are."""
    year = slug[:4]
    edition = Edition.objects.filter(starts_in=int(year)).first() if year.isdigit() else None
    if edition is None or edition.slug != slug:
        there = ", ".join(edition.slug for edition in Edition.objects.order_by("starts_in"))
        raise CommandError(
            f"No catalog edition {slug!r}: name one as in its addresses, "
            + (f"one of {there}." if there else "and open one first (open_edition).")
        )
    return edition


def progress_printer(stdout):
    """A progress(done, total) for archive_edition: one line a chunk."""

    def progress(done, total):
        stdout.write(f"{done:,} of {total:,} programmes frozen")
        stdout.flush()

    return progress
