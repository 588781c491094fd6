"""`manage.py export_catalog DIR`: the whole catalog as fixture files, for backups and moves."""

from django.core.management.base import BaseCommand

from programs.transfer.fixtures_dump import export_catalog


class Command(BaseCommand):
    help = (
        "Write every language, university and programme (drafts, parts, provenance and staff "
        "edits included) into DIR in the fixture format; `load_catalog DIR` on an empty "
        "database gives the same catalog back."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write (created if missing)")

    def handle(self, *args, directory, verbosity=1, **options):
        report = export_catalog(directory)
        if verbosity >= 1:
            for line in report:
                self.stdout.write(line)
            self.stdout.write(f"Wrote {len(report) - 2} programmes to {directory}.")
