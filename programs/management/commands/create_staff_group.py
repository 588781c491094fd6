"""Create or update the "Admissions staff" group with exactly the permissions staff need.

    python manage.py create_staff_group

Members may add, change, delete and view programmes and their parts (offering universities,
sources of the key facts, semesters, tracks, modules, admission requirements, application
deadlines, tuition fees, careers: programs.models.parts.PROGRAMME_PARTS), and view
universities and languages (for the autocomplete fields). Which programmes they may touch is
decided by the universities they belong to (University.staff), not by the group. Running it again
resets the group's permissions to exactly this list, so it is safe to run on every deploy.
"""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from programs.models import PART_MODELS

GROUP_NAME = "Admissions staff"

EDITED_MODELS = ("programme", *(model._meta.model_name for model in PART_MODELS))
VIEWED_MODELS = ("university", "language")

STAFF_PERMISSIONS = frozenset(
    [
        f"{action}_{model}"
        for model in EDITED_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    + [f"view_{model}" for model in VIEWED_MODELS]
)


@transaction.atomic
def admissions_staff_group():
    """The "Admissions staff" group, created if missing, with exactly STAFF_PERMISSIONS."""
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="programs", codename__in=STAFF_PERMISSIONS
        )
    )
    missing = STAFF_PERMISSIONS - {permission.codename for permission in permissions}
    if missing:
        raise CommandError(
            f"Permissions missing from the database: {', '.join(sorted(missing))}. "
            "Run `python manage.py migrate` first."
        )
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)
    return group


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
