"""`manage.py export_elm DIR`: each university's programmes in the European Learning Model."""

from django.core.management.base import BaseCommand

from programs.transfer.elm_files import write_elm_files


class Command(BaseCommand):
    help = (
        "Write DIR/<university>.jsonld (its published programmes as ELM 3 learning "
        "opportunities) and DIR/<university>/report.json (those left out, and why) for every "
        "university with a published programme: the files /api/elm/ serves."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write (created if missing)")

    def handle(self, *args, directory, verbosity=1, **options):
        lines = write_elm_files(directory)
        if verbosity >= 1:
            for line in lines:
                self.stdout.write(line)
            self.stdout.write(f"Wrote {len(lines)} universities' files to {directory}.")
