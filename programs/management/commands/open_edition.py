"""Open the next catalog edition: upcoming until it is published and its day has come.

    python manage.py open_edition 2027 --publishes-on 2027-09-01

The same step as the admin's "Add catalog edition" (programs/actions/editions.open_edition).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from programs.actions.editions import EditionRefused, open_edition


def day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date: write it as 2027-09-01.") from error


class Command(BaseCommand):
    help = "Open the catalog edition of the academic year starting in YEAR (2027: 2027/28)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="The year the academic year starts in: 2027.")
        parser.add_argument(
            "--publishes-on",
            required=True,
            metavar="DATE",
            help="The day it becomes the current catalog once published (2027-09-01).",
        )

    def handle(self, *args, year, publishes_on, **options):
        try:
            edition = open_edition(year, day(publishes_on))
        except EditionRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(
            f"Opened the {edition.label} edition (upcoming): it becomes current on "
            f"{edition.publishes_on.isoformat()} once published (publish_edition {edition.slug})."
        )
