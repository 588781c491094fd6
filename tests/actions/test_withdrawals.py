"""Deletion markers: a programme that leaves the public catalog, by any path, is listed for
harvesters to remove, in the same transaction as the write (programs/actions/withdrawals.py)."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from programs.actions.programme_writes import set_published
from programs.actions.saving import programme_write
from programs.models import Module, Programme, Withdrawal
from tests.support import factories
from tests.support.admin_pages import change_url, form_data

pytestmark = pytest.mark.django_db

SLUG = "health-informatics"


def markers():
    """{programme uuid: reason} of every deletion marker."""
    return dict(Withdrawal.objects.values_list("programme_uuid", "reason"))


def test_unpublishing_leaves_a_marker_and_publishing_again_removes_it(catalog):
    programme = Programme.objects.get(slug=SLUG)

    set_published(Programme.objects.filter(pk=programme.pk), False)
    assert markers() == {programme.uuid: "unpublished"}

    set_published(Programme.objects.filter(pk=programme.pk), True)
    assert markers() == {}


def test_unpublishing_in_the_admin_leaves_a_marker(catalog):
    staff = Client()
    staff.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    programme = Programme.objects.get(slug=SLUG)
    # Unpublished at once (a superuser may): a proposal doesn't change publication.
    data = form_data(staff.get(change_url(programme)), publish_now=True)
    del data["published"]  # the box unticked

    assert staff.post(change_url(programme), data).status_code == 302

    assert markers() == {programme.uuid: "unpublished"}


def test_deleting_a_published_programme_leaves_a_marker(catalog):
    programme = Programme.objects.get(slug=SLUG)

    programme.delete()

    assert markers() == {programme.uuid: "deleted"}


def test_the_admins_bulk_delete_leaves_a_marker_each(catalog):
    staff = Client()
    staff.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    programmes = list(Programme.objects.published()[:2])
    changelist = change_url(programmes[0]).rsplit("/", 3)[0] + "/"

    response = staff.post(
        changelist,
        {
            "action": "delete_selected",
            "_selected_action": [programme.pk for programme in programmes],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert markers() == {programme.uuid: "deleted" for programme in programmes}


def test_deleting_an_unpublished_programme_turns_its_marker_into_a_deletion(catalog):
    programme = Programme.objects.get(slug=SLUG)
    set_published(Programme.objects.filter(pk=programme.pk), False)

    Programme.objects.get(pk=programme.pk).delete()

    assert markers() == {programme.uuid: "deleted"}


def test_a_programme_never_published_leaves_no_marker(catalog):
    draft = factories.ProgrammeFactory(published=False)
    draft.title = "Still a draft"
    draft.save()

    draft.delete()

    assert markers() == {}


def test_saving_a_published_programme_leaves_no_marker(catalog):
    programme = Programme.objects.get(slug=SLUG)
    programme.title = "Health Informatics, renamed"
    programme.save()

    assert markers() == {}


def test_a_programme_built_from_its_stored_values_is_still_seen_unpublished(catalog):
    """A restore or a fixture load builds the row anew, as loaded from nowhere."""
    stored = Programme.objects.get(slug=SLUG)
    built = Programme(**{f.attname: getattr(stored, f.attname) for f in Programme._meta.fields})
    built._state.adding = False
    built.published = False

    built.save()

    assert markers() == {stored.uuid: "unpublished"}


def test_a_write_that_fails_leaves_no_marker(catalog):
    programme = Programme.objects.get(slug=SLUG)

    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        programme_write({programme.pk: programme.version}) as write,
    ):
        programme.refresh_from_db()
        programme.published = False
        programme.save()
        write.wrote(programme.pk)
        # A part the database refuses, in the same write: all of it rolls back.
        Module.objects.create(programme=programme, title="Too heavy", ects=-1)

    assert markers() == {}
    assert Programme.objects.get(pk=programme.pk).published
