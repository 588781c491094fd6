"""A release that adds a part of a programme reaches the admissions staff who already work here:
`migrate` brings the existing group's permissions up to date, as it did for deadlines and fees,
whose sections staff couldn't see before (programs/staff/group.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from programs.staff.group import GROUP_NAME, STAFF_PERMISSIONS, admissions_staff_group

pytestmark = pytest.mark.django_db


def test_migrate_gives_an_existing_group_the_permissions_of_new_parts():
    group = admissions_staff_group()
    # The group as an earlier release left it: nothing about deadlines and fees.
    group.permissions.remove(
        *Permission.objects.filter(content_type__model__in=["applicationdeadline", "tuition"])
    )
    assert not group.permissions.filter(codename="change_tuition").exists()

    call_command("migrate", verbosity=0)

    stored = set(Group.objects.get(name=GROUP_NAME).permissions.values_list("codename", flat=True))
    assert stored == STAFF_PERMISSIONS
    assert {"change_applicationdeadline", "change_tuition"} <= stored


def test_migrate_makes_no_group_where_there_was_none():
    call_command("migrate", verbosity=0)

    assert not Group.objects.filter(name=GROUP_NAME).exists()
