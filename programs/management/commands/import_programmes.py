"""`manage.py import_programmes FILE [--modules FILE] --user NAME [--commit]`: a spreadsheet
import from the command line, for files too large for the admin's upload page.

The same rules and preview as the admin's import (programs.transfer.spreadsheet_import). Without
--commit it is a dry run: it prints what each row would do and writes nothing. It reads larger
files than the page (spreadsheet_read.COMMAND_LIMITS), but not unbounded ones: a file is read
into memory whole, and an XLSX file's parts are checked before they are unpacked.

Run by operators on the server, it writes published programmes at once, as their staff's
"Publish at once, without review" does; with --propose their changes become proposals for
review instead (one per programme, or added to its open one), as the admin's page makes them.
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from programs.core.limits import IMPORT_MAX_BYTES
from programs.transfer.spreadsheet_import import CatalogImport, ImportRefused
from programs.transfer.spreadsheet_preview import ERROR, UNCHANGED
from programs.transfer.spreadsheet_read import COMMAND_LIMITS, SpreadsheetError, read_table


class ProgressBar:
    """A one-line progress bar on the command's standard error (an OutputWrapper), redrawn at
    most every tenth of a second."""

    def __init__(self, stream, enabled):
        self.stream = stream
        self.enabled = enabled
        self.step = None
        self.drawn = 0.0

    def __call__(self, step, done, total):
        if not self.enabled:
            return
        now = time.monotonic()
        if step == self.step and done < total and now - self.drawn < 0.1:
            return
        if step != self.step and self.step is not None:
            self.stream.write("", ending="\n")
        self.step, self.drawn = step, now
        filled = int(30 * done / total) if total else 30
        self.stream.write(
            f"\r{step}: [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", ending=""
        )
        self.stream.flush()

    def finish(self):
        if self.enabled and self.step is not None:
            self.stream.write("", ending="\n")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import programmes (and with --modules, their modules) from a CSV or XLSX file, as the "
        "admin's import page does. A dry run by default: prints every row's change and writes "
        "nothing; --commit writes everything in one transaction, or nothing if any row is wrong. "
        "Changes to published programmes are written at once, without review, unless --propose "
        "makes them proposals (as the admin's import page does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the programmes file (CSV or XLSX)")
        parser.add_argument("--modules", help="a modules file (CSV or XLSX)")
        parser.add_argument(
            "--user",
            required=True,
            help="the staff member the import is done as (their universities, their history)",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--dry-run", action="store_true", help="only preview (the default)")
        mode.add_argument("--commit", action="store_true", help="write the import")
        parser.add_argument(
            "--propose",
            action="store_true",
            help="changes to published programmes become proposals, by --user, to be reviewed "
            "before they go live (default: written at once)",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar on standard error"
        )

    def handle(self, *args, file=None, modules=None, user, commit, propose, verbosity=1, **options):
        if file is None and modules is None:
            raise CommandError("Give a programmes file, a --modules file, or both.")
        try:
            person = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {user!r}.") from None
        if not person.is_active or not person.is_staff:
            raise CommandError(f"{user} is not active staff, so may not import.")
        try:
            tables = {
                name: read_table(self.read(path), Path(path).name, COMMAND_LIMITS)
                for name, path in (("programmes", file), ("modules", modules))
                if path is not None
            }
        except SpreadsheetError as problem:
            raise CommandError(f"Nothing was imported. {problem}") from None
        progress = ProgressBar(self.stderr, enabled=not options["no_progress"] and verbosity >= 1)
        importer = CatalogImport(person, progress=progress, propose=propose, **tables)
        try:
            preview = importer.commit() if commit else importer.preview()
        except ImportRefused as refusal:
            progress.finish()
            self.report(refusal.preview, verbosity)
            raise CommandError(str(refusal)) from None
        progress.finish()
        self.report(preview, verbosity)
        if not preview.ok:
            raise CommandError("The file has errors; nothing was imported.")
        if commit:
            for kept in importer.proposals:
                if kept.proposal is not None:
                    self.stdout.write(f"Proposal {kept.proposal.pk} {kept.what}: {kept.proposal}")
            self.stdout.write(self.style.SUCCESS(f"Imported: {preview.summary()}."))
        else:
            for proposed in preview.proposals:
                where = "its open proposal" if proposed.open_proposal else "a new proposal"
                self.stdout.write(f"{proposed.slug}: published; the changes would go to {where}")
            self.stdout.write(
                f"Dry run: {preview.summary()}. Nothing was written; run again with --commit "
                "to import."
            )

    def read(self, path):
        try:
            size = Path(path).stat().st_size
            if size > IMPORT_MAX_BYTES:
                raise CommandError(
                    f"Nothing was imported. {path} is {size / 2**20:.1f} MB; the import reads "
                    f"files of up to {IMPORT_MAX_BYTES / 2**20:.0f} MB. Split it into smaller "
                    "files."
                )
            return Path(path).read_bytes()
        except OSError as problem:
            raise CommandError(f"Nothing was imported. {path}: {problem.strerror}") from None

    def report(self, preview, verbosity):
        """Every row that changes something or has an error (unchanged ones too with -v 2)."""
        for row in preview.rows:
            if row.status == UNCHANGED and verbosity < 2:
                continue
            if verbosity >= 1 or row.status == ERROR:
                self.stdout.write(row.as_text())
