"""Publish a catalog edition: it becomes the current catalog on its date.

    python manage.py publish_edition 2027-28

When its date is today or past, it becomes current at once and the edition before it is archived
now, with progress (as `archive_edition`); otherwise publish_due_proposals archives that one on
the day (programs/actions/editions.publish_edition).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from programs.actions.editions import EditionRefused, publish_edition
from programs.management.edition_arguments import edition_named, progress_printer
from programs.models import Edition


class Command(BaseCommand):
    help = "Publish a catalog edition (named as in its addresses: 2027-28)."

    def add_arguments(self, parser):
        parser.add_argument("edition", help="The edition's year as in its addresses: 2027-28.")

    def handle(self, *args, edition, **options):
        edition = edition_named(edition)
        today = timezone.localdate()
        live_before = set(Edition.objects.live().values_list("pk", flat=True))
        try:
            publish_edition(edition, today, progress=progress_printer(self.stdout))
        except EditionRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        for archived in Edition.objects.archived().filter(pk__in=live_before):
            self.stdout.write(f"Archived the {archived.label} edition: it no longer changes.")
        if edition.publishes_on <= today:
            self.stdout.write(f"Published the {edition.label} edition: it is the current catalog.")
        else:
            self.stdout.write(
                f"Published the {edition.label} edition: it becomes the current catalog on "
                f"{edition.publishes_on.isoformat()}."
            )
