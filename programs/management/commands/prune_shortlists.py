"""Delete the shortlists nobody has changed or opened for a year, and the empty ones after a day.

    python manage.py prune_shortlists            # delete them, say how many
    python manage.py prune_shortlists --dry-run  # only count them

Safe to run from cron as often as you like: a second run finds nothing more to delete, and a
list in use is never touched (opening or changing one records the day).
"""

from django.core.management.base import BaseCommand

from programs.visitors import shortlists

WHICH = "unused for a year or empty for a day"


class Command(BaseCommand):
    help = "Delete shortlists unused (neither changed nor opened) for a year, or empty for a day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            count = shortlists.prunable().count()
            self.stdout.write(f"{count} shortlist(s) {WHICH} would be deleted.")
            return
        count = shortlists.prune()
        self.stdout.write(f"Deleted {count} shortlist(s) {WHICH}.")
