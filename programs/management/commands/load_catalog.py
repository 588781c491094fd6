"""`manage.py load_catalog [directory]`: load the transcribed catalog from fixtures/."""

from django.core.management.base import BaseCommand, CommandError

from programs.catalog_loader import CatalogLoadError, load_catalog


class Command(BaseCommand):
    help = (
        "Load languages, universities and programmes from fixtures/ (or DIRECTORY) in one "
        "transaction. A second run changes nothing; a faulty file changes nothing and is named."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", default=None, help="fixtures directory (default: fixtures/)"
        )

    def handle(self, *args, directory=None, verbosity=1, **options):
        try:
            report = load_catalog(directory)
        except CatalogLoadError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        if verbosity >= 1:
            for line in report:
                self.stdout.write(line)
