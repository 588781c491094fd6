"""Per-university permissions: staff see and edit only the programmes their universities offer."""

import pytest

from programs.models import Programme
from tests.factories import ProgrammeFactory, UniversityFactory, UserFactory


@pytest.mark.django_db
def test_editable_by_lists_each_programme_of_the_staff_members_universities_once():
    a, b, c = UniversityFactory.create_batch(3)
    user = UserFactory(is_staff=True)
    a.staff.add(user)
    b.staff.add(user)
    joint = ProgrammeFactory(universities=[a, b])
    own = ProgrammeFactory(universities=[a])
    ProgrammeFactory(universities=[c])

    assert list(Programme.objects.editable_by(user).order_by("pk")) == [joint, own]


@pytest.mark.django_db
def test_editable_by_gives_superusers_everything_and_others_nothing(rf):
    from django.contrib.auth.models import AnonymousUser

    programme = ProgrammeFactory(universities=[UniversityFactory()])
    superuser = UserFactory(is_staff=True, is_superuser=True)
    outsider = UserFactory(is_staff=False)
    programme.universities.first().staff.add(outsider)

    assert list(Programme.objects.editable_by(superuser)) == [programme]
    assert not Programme.objects.editable_by(outsider).exists()
    assert not Programme.objects.editable_by(AnonymousUser()).exists()
