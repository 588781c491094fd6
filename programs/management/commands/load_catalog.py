"""`manage.py load_catalog [directory]`: load the transcribed catalog from fixtures/."""

from django.core.management.base import BaseCommand

from programs.catalog_loader import load_catalog


class Command(BaseCommand):
    help = "Load universities, languages and programmes from fixtures/ (atomic, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=None)

    def handle(self, *args, directory=None, **options):
        for line in load_catalog(directory):
            self.stdout.write(line)
