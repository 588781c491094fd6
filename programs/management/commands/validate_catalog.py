"""`manage.py validate_catalog`: check the stored catalog against the shared consistency rules."""

from django.core.management.base import BaseCommand, CommandError

from programs.transfer.fixtures_check import catalog_problems


class Command(BaseCommand):
    help = (
        "Check every programme: semester numbers within the standard period, module credits not "
        "past the programme's ECTS, ISO 639-1 language codes, a recorded source. Exits non-zero "
        "on any problem."
    )

    def handle(self, *args, **options):
        checked, problems = catalog_problems()
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found in {checked} programme(s).")
        self.stdout.write(self.style.SUCCESS(f"{checked} programme(s) checked: no problems."))
