"""Archive (freeze) a catalog edition: its pages never change again; corrections are addenda.

    python manage.py archive_edition 2026-27

What the admin's "Archive" does, for a catalog too large to archive in a web request
(programs.core.limits.ARCHIVE_IN_ADMIN_MAX), with a line of progress every chunk. Usually not
needed: publish_due_proposals archives an edition when the next one becomes current.
"""

from django.core.management.base import BaseCommand, CommandError

from programs.actions.editions import EditionRefused, archive_edition
from programs.management.edition_arguments import edition_named, progress_printer


class Command(BaseCommand):
    help = "Archive a catalog edition (named as in its addresses: 2026-27), with progress."

    def add_arguments(self, parser):
        parser.add_argument("edition", help="The edition's year as in its addresses: 2026-27.")

    def handle(self, *args, edition, **options):
        edition = edition_named(edition)
        try:
            archived = archive_edition(edition, progress=progress_printer(self.stdout))
        except EditionRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        count = archived.programmes.count()
        self.stdout.write(f"Archived the {archived.label} edition: {count:,} programmes frozen.")
