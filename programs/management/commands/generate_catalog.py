"""Add synthetic programmes for scale benchmarks: `manage.py generate_catalog --programmes 200`."""

import time

from django.core.management.base import BaseCommand, CommandError

from programs.synthetic_catalog import delete_synthetic_programmes, generate_programmes


class Command(BaseCommand):
    help = (
        "Add labelled synthetic programmes (slugs starting 'synthetic-') to measure pages at "
        "scale; --delete removes them. Never run this against the public catalog."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programmes", type=int, default=200)
        parser.add_argument("--delete", action="store_true", help="remove synthetic rows instead")

    def handle(self, *args, programmes, delete, **options):
        if delete:
            removed = delete_synthetic_programmes()
            self.stdout.write(f"Removed {removed} synthetic programmes.")
            return
        if programmes < 1:
            raise CommandError("--programmes must be at least 1")
        started = time.perf_counter()
        created = generate_programmes(programmes)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Generated {created} synthetic programmes in {elapsed:.2f} s.")
