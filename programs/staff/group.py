"""The "Admissions staff" group and exactly the permissions staff need.

Members may add, change, delete and view programmes and their parts (offering universities,
sources of the key facts, semesters, tracks, modules, admission requirements, application
deadlines, tuition fees, careers: programs.models.parts.PROGRAMME_PARTS), and view universities
and languages (for the autocomplete fields). Which programmes they may touch is decided by the
universities they belong to (University.staff), not by the group.

`manage.py create_staff_group` creates the group; every `migrate` afterwards brings an existing
group's permissions up to date (`keep_current_after_migrate`), so a release that adds a part
(as deadlines and fees were added) reaches the staff who already work here without a manual step.
"""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import CommandError
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


def _permissions(using="default"):
    """The group's permissions as stored, and the codenames missing from the database."""
    permissions = list(
        Permission.objects.using(using).filter(
            content_type__app_label="programs", codename__in=STAFF_PERMISSIONS
        )
    )
    return permissions, STAFF_PERMISSIONS - {permission.codename for permission in permissions}


@transaction.atomic
def admissions_staff_group():
    """The "Admissions staff" group, created if missing, with exactly STAFF_PERMISSIONS."""
    permissions, missing = _permissions()
    if missing:
        raise CommandError(
            f"Permissions missing from the database: {', '.join(sorted(missing))}. "
            "Run `python manage.py migrate` first."
        )
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)
    return group


def keep_current_after_migrate(sender, using="default", **kwargs):
    """After `migrate` (post_migrate, once Django has made the permissions of new models): an
    existing group gets exactly STAFF_PERMISSIONS again. A site without the group is left so."""
    group = Group.objects.using(using).filter(name=GROUP_NAME).first()
    permissions, missing = _permissions(using)
    if group is not None and not missing:
        group.permissions.set(permissions)
