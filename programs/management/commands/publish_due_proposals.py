"""Publish every approved proposal whose effective date has come.

    python manage.py publish_due_proposals            # publish them, one line each
    python manage.py publish_due_proposals --dry-run  # only list what is due
    python manage.py publish_due_proposals --every 60 # keep running: what `make run` starts

First it archives every catalog edition the next one has taken over from by today (its day has
come), one line each, so that an edition freezes the catalog as it stood when its year ended,
before that day's proposals change it (programs/actions/editions.archive_superseded).

Meant to run every minute (cron, or deploy/systemd/catalog-proposals.timer). A late run (the
machine was off, the timer missed a day) publishes everything overdue, each proposal once; two
runs at the same moment publish each proposal once between them, because publishing claims the
proposal with one conditional UPDATE (programs/actions/proposals.py). A proposal that can no
longer be published as it stands (its programme changed in a way that clashes with it, or was
deleted or unpublished) is sent back to its proposer with the reason, and listed here with it.

With `--every`, it keeps running and publishes what is due every so many seconds, for a
developer's machine, where `make run` starts it beside runserver (a server has cron or its timer
for this, which survive a crash). It stops with whatever started it: when its parent process
ends, so does it.
"""

import os
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections
from django.utils import timezone

from programs.actions.editions import archive_superseded
from programs.actions.proposals import publish_due
from programs.management.edition_arguments import progress_printer
from programs.models import Edition, Proposal


def named(proposal):
    """How a line names a proposal: its number and its programme's title."""
    return f"proposal {proposal.pk} ({proposal.programme_title})"


def when(proposal):
    if proposal.effective_at is None:
        return "as soon as approved"
    return timezone.localtime(proposal.effective_at).strftime("%Y-%m-%d %H:%M %Z")


class Command(BaseCommand):
    help = "Publish every approved proposal whose effective date has come (run every minute)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list what is due; publish nothing."
        )
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Keep running, publishing what is due every SECONDS, until the process that "
            "started this one ends (make run).",
        )

    def handle(self, *args, dry_run=False, every=None, **options):
        if every is None:
            self.run_once(dry_run)
            return
        parent = os.getppid()
        self.stdout.write(
            f"Publishing due proposals every {every} s (process {os.getpid()}); "
            "stops when its starter does."
        )
        while True:
            try:
                self.run_once(dry_run)
            except DatabaseError as error:
                # The database was busy or away for a moment: the next run tries again.
                self.stderr.write(f"publishing due proposals failed, trying again: {error}")
            # A long-lived process: no connection held between runs, and every line shown now,
            # not when a buffer fills.
            connections.close_all()
            self.stdout.flush()
            try:
                for _ in range(every):
                    time.sleep(1)
                    if os.getppid() != parent:
                        return
            except KeyboardInterrupt:  # Ctrl-C in make run's terminal reaches us too
                return

    def run_once(self, dry_run):
        now = timezone.now()
        today = timezone.localdate(now)
        if dry_run:
            current = Edition.objects.current(today)
            if current is not None:
                superseded = Edition.objects.due(today).filter(
                    publishes_on__lt=current.publishes_on
                )
                for edition in superseded.order_by("publishes_on"):
                    self.stdout.write(f"due: archiving the {edition.label} edition")
            due = Proposal.objects.due(now).order_by("effective_at", "pk")
            for proposal in due:
                self.stdout.write(f"due: {named(proposal)}, takes effect {when(proposal)}")
            self.stdout.write(f"{len(due)} proposal(s) due; nothing published (dry run).")
            return
        for edition in archive_superseded(today, progress_printer(self.stdout)):
            count = edition.programmes.count()
            self.stdout.write(f"archived: the {edition.label} edition, {count:,} programmes frozen")
        published, refused = publish_due(now)
        for proposal, _ in published:
            self.stdout.write(f"published: {named(proposal)}, took effect {when(proposal)}")
        for proposal, reason in refused:
            self.stdout.write(f"sent back: {named(proposal)}: {reason}")
