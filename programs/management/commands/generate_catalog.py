"""Synthetic programmes for scale benchmarks: `manage.py generate_catalog --programmes 100000`."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from programs.transfer.synthetic import (
    SLUG_PREFIX,
    delete_synthetic_catalog,
    generate_catalog,
    real_published_programmes,
)


class Command(BaseCommand):
    help = (
        f"Replace the synthetic programmes (slugs starting '{SLUG_PREFIX}') by N generated ones, "
        "the same for the same --seed, to measure pages at scale. Transcribed and staff-entered "
        "programmes are never touched, but a database holding real published programmes is "
        "refused unless --force is given. --delete removes the synthetic programmes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programmes", type=int, default=1000, help="how many (default 1000)")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same catalog")
        parser.add_argument(
            "--force",
            action="store_true",
            help="generate even though the database holds real published programmes",
        )
        parser.add_argument("--delete", action="store_true", help="remove synthetic rows instead")

    def handle(self, *args, programmes, seed, force, delete, **options):
        if delete:
            removed = delete_synthetic_catalog()
            self.stdout.write(f"Removed {removed} synthetic programmes.")
            return
        if programmes < 1:
            raise CommandError("--programmes must be at least 1.")
        real = real_published_programmes().count()
        if real and not force:
            raise CommandError(
                f"This database holds {real} real published programmes; synthetic ones would "
                "show beside them on the public pages. Use a database of its own for "
                "benchmarks, or add --force if you really mean it."
            )
        started = time.perf_counter()
        generate_catalog(programmes, seed=seed, progress=self._progress)
        elapsed = time.perf_counter() - started
        self._end_progress()
        self.stdout.write(
            f"Generated {programmes} synthetic programmes (seed {seed}) in {elapsed:.1f} s."
        )

    def _progress(self, stage, done, total):
        """A one-line progress bar on stderr, redrawn in place on a terminal."""
        width = 30
        filled = width * done // total
        line = f"{stage:<40} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,}"
        if sys.stderr.isatty():
            self.stderr.write("\r" + line, ending="")
        elif done == total:
            self.stderr.write(line)
        self._drawn = True

    def _end_progress(self):
        if getattr(self, "_drawn", False) and sys.stderr.isatty():
            self.stderr.write("")
