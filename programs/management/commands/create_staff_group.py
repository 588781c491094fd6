"""Create or update the "Admissions staff" group with exactly the permissions staff need
(programs/staff/group.py lists them).

    python manage.py create_staff_group

Running it again resets the group's permissions to exactly that list; `migrate` does the same
for an existing group, so a new part's permissions reach staff on the next deploy.
"""

from django.core.management.base import BaseCommand

from programs.staff.group import admissions_staff_group


class Command(BaseCommand):
    help = (
        'Create or update the "Admissions staff" group: add/change/delete/view programmes and '
        "their parts, view universities and languages. Safe to run again."
    )

    def handle(self, *args, **options):
        group = admissions_staff_group()
        self.stdout.write(
            self.style.SUCCESS(f'Group "{group.name}" has {group.permissions.count()} permissions.')
        )
