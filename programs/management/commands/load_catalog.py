"""`manage.py load_catalog [directory]`: load the transcribed catalog from fixtures/."""

from django.core.management.base import BaseCommand, CommandError

from programs.transfer.fixtures_load import CatalogLoadError, load_catalog


class Command(BaseCommand):
    help = (
        "Load languages, universities and programmes from fixtures/ (or DIRECTORY) in one "
        "transaction. A second run changes nothing; a faulty file changes nothing and is named. "
        "Programmes staff have edited in the admin are kept as they are unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", default=None, help="fixtures directory (default: fixtures/)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="also overwrite programmes edited in the admin with the fixtures' version",
        )

    def handle(self, *args, directory=None, force=False, verbosity=1, **options):
        try:
            report = load_catalog(directory, force=force)
        except CatalogLoadError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        if verbosity >= 1:
            for line in report:
                self.stdout.write(line)
