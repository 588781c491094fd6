"""Two editors of a published programme's proposal: a save from a form opened before the other
editor's save is refused, never silently undoing their changes (the whole form is kept as the
proposal, so it would have)."""

import pytest
from django.test import Client

from programs.models import Programme, Proposal
from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data

pytestmark = pytest.mark.django_db

REFUSED = (
    "Someone else saved this programme's proposal since you opened the form, so your changes "
    "were not saved. The form now shows the proposal as it is: make your changes again."
)


@pytest.fixture
def programme():
    university = factories.UniversityFactory(name="Uni A")
    return factories.ProgrammeFactory(title="Health Data Science", universities=[university])


def editor(programme, username):
    client = Client()
    client.force_login(
        factories.StaffUserFactory(username=username, universities=programme.universities.all())
    )
    return client


def messages_on(client, url):
    return [str(message) for message in client.get(url).context["messages"]]


@pytest.mark.parametrize("with_open_proposal", [False, True], ids=["first-save", "later-save"])
def test_a_save_from_a_form_opened_before_anothers_proposal_save_is_refused(
    programme, with_open_proposal
):
    url = change_url(programme)
    alice, bob = editor(programme, "alice"), editor(programme, "bob")
    if with_open_proposal:
        data = form_data(alice.get(url))
        data["faculty"] = "Medicine"
        assert alice.post(url, data).status_code == 302
    alices_form, bobs_form = form_data(alice.get(url)), form_data(bob.get(url))
    alices_form["summary"] = "Alice's summary"
    bobs_form["campus"] = "Bob's campus"

    assert alice.post(url, alices_form).status_code == 302
    response = bob.post(url, bobs_form)

    assert response.status_code == 302
    assert response["Location"] == url
    assert REFUSED in messages_on(bob, url)
    proposed = Proposal.objects.get(programme=programme).proposed["programme"]
    assert (proposed["summary"], proposed["campus"]) == ("Alice's summary", None)
    # Reloaded, the form shows Alice's change, and Bob's save keeps both.
    reloaded = form_data(bob.get(url))
    assert reloaded["summary"] == "Alice's summary"
    reloaded["campus"] = "Bob's campus"
    saved = bob.post(url, reloaded)
    assert saved.status_code == 302, errors_of(saved)
    proposed = Proposal.objects.get(programme=programme).proposed["programme"]
    assert (proposed["summary"], proposed["campus"]) == ("Alice's summary", "Bob's campus")
    assert Programme.objects.get(pk=programme.pk).summary is None  # public: as published


def test_saving_the_same_form_twice_in_a_row_is_not_a_conflict(programme):
    """ "Save and continue editing" brings the form back carrying the state its save left."""
    url = change_url(programme)
    alice = editor(programme, "alice")
    data = form_data(alice.get(url))
    data["summary"] = "First"
    data["_continue"] = "Save and continue editing"
    assert alice.post(url, data).status_code == 302

    data = form_data(alice.get(url))
    data["summary"] = "Second"

    assert alice.post(url, data).status_code == 302
    assert Proposal.objects.get(programme=programme).proposed["programme"]["summary"] == "Second"
