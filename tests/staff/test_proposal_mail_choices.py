"""Each staff member's own page for their proposal e-mails: only ever their own choice."""

import pytest
from django.urls import reverse

from programs.models import MailDelivery, ProposalMailChoice
from tests.support.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

PAGE = "/admin/programs/proposalmailchoice/"

CHOICES = {
    "waiting": MailDelivery.DIGEST,
    "approved": MailDelivery.EACH,
    "sent_back": MailDelivery.EACH,
    "published": MailDelivery.NONE,
    "language": "sv",
}


@pytest.fixture
def petra(client):
    person = StaffUserFactory(username="petra")
    client.force_login(person)
    return person


def test_the_page_is_listed_on_the_admin_index_for_every_staff_member(client, petra):
    index = client.get(reverse("admin:index"))
    assert PAGE in index.content.decode()


def test_a_first_visit_offers_the_form_and_saving_it_keeps_the_choice_for_oneself(client, petra):
    first = client.get(PAGE, follow=True)
    assert first.redirect_chain[-1][0] == reverse("admin:programs_proposalmailchoice_add")
    assert not ProposalMailChoice.objects.exists()  # looking changes nothing

    saved = client.post(reverse("admin:programs_proposalmailchoice_add"), CHOICES, follow=True)

    choice = ProposalMailChoice.objects.get()
    assert choice.user == petra
    assert (choice.waiting, choice.published, choice.language) == ("digest", "none", "sv")
    assert "Your proposal e-mails are saved." in saved.content.decode()


def test_a_later_visit_opens_ones_own_choice_to_change(client, petra):
    own = ProposalMailChoice.objects.create(user=petra)

    page = client.get(PAGE, follow=True)
    assert page.redirect_chain[-1][0] == reverse(
        "admin:programs_proposalmailchoice_change", args=[own.pk]
    )
    client.post(reverse("admin:programs_proposalmailchoice_change", args=[own.pk]), CHOICES)

    own.refresh_from_db()
    assert own.waiting == MailDelivery.DIGEST
    # A second "first" choice can't be added beside it: the add page leads to the one there is.
    again = client.post(reverse("admin:programs_proposalmailchoice_add"), CHOICES)
    assert again.url == reverse("admin:programs_proposalmailchoice_change", args=[own.pk])
    assert ProposalMailChoice.objects.count() == 1


def test_another_persons_choice_can_be_neither_seen_nor_changed(client, petra):
    bruno = StaffUserFactory(username="bruno")
    theirs = ProposalMailChoice.objects.create(user=bruno, waiting=MailDelivery.EACH)
    address = reverse("admin:programs_proposalmailchoice_change", args=[theirs.pk])

    seen = client.get(address)
    changed = client.post(address, CHOICES)

    assert seen.status_code == changed.status_code == 302  # "doesn't exist", as for any id
    assert "bruno" not in seen.content.decode()
    theirs.refresh_from_db()
    assert theirs.waiting == MailDelivery.EACH


def test_an_account_without_an_address_is_told_no_email_can_reach_it(client):
    nobody = StaffUserFactory(username="nomail", email="")
    client.force_login(nobody)

    page = client.get(PAGE, follow=True)

    assert "Your account has no e-mail address" in page.content.decode()
