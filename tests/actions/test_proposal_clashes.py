"""A proposal and the live programme that each took the same unique name since the proposal
began (a track's name, the web address) are merged without an error: the same row twice is one
change, different rows are a conflict the editor decides on, and publishing refuses rather than
failing. On PostgreSQL the two rows had different ids, and the merge kept both: publishing (and
the scheduled run, every minute) failed on the database's unique constraint."""

import pytest
from django.urls import reverse

from programs.actions.proposals import (
    ProposalRefused,
    approve,
    proposed_state,
    publish,
    publish_due,
    save_proposal,
    shown_state,
    submit,
)
from programs.actions.saving import programme_write
from programs.models import Module, Programme, ProposalState, Track
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def university():
    return factories.UniversityFactory(name="Uni A")


@pytest.fixture
def programme(university):
    return factories.ProgrammeFactory(title="Health Data Science", universities=[university])


@pytest.fixture
def proposer(university):
    return factories.StaffUserFactory(username="proposer", universities=[university])


@pytest.fixture
def approver(university):
    return factories.StaffUserFactory(
        username="approver", universities=[university], approves_proposals=True
    )


def add_track(programme, name, description="", with_module=None):
    """A track (and a module in it) added as one programme write, as the admin or an import."""
    with programme_write({programme.pk: None}) as write:
        track = factories.TrackFactory(
            programme=programme, name=name, description=description, position=0
        )
        if with_module:
            factories.ModuleFactory(programme=programme, title=with_module, track=track)
        write.wrote(programme.pk)


def propose(programme, user, write):
    """What `write` would make of the programme, kept as its open proposal."""
    snapshot, _ = proposed_state(programme.pk, write)
    return save_proposal(programme, snapshot, user)[0]


def approved(proposal, approver):
    submit(proposal, proposal.proposed_by)
    return approve(proposal, approver)


def test_a_track_added_live_and_in_the_proposal_alike_is_published_once(
    programme, proposer, approver
):
    proposal = propose(
        programme, proposer, lambda: add_track(programme, "Imaging", "MRI.", "Radiomics")
    )
    add_track(programme, "Imaging", "MRI.")  # the same track, added live meanwhile

    assert shown_state(proposal).conflicts == []
    publish(approved(proposal, approver), approver)

    track = Track.objects.get(programme=programme)
    assert (track.name, track.description) == ("Imaging", "MRI.")
    # The proposal's module follows its track to the one that stays.
    assert Module.objects.get(programme=programme, title="Radiomics").track_id == track.pk


def test_a_track_name_taken_live_by_a_different_track_is_a_conflict_not_an_error(
    client, programme, proposer, approver
):
    proposal = approved(
        propose(programme, proposer, lambda: add_track(programme, "Imaging", "MRI.")), approver
    )
    add_track(programme, "Imaging", "CT.")
    live = Programme.objects.get(pk=programme.pk)

    shown = shown_state(proposal)
    with pytest.raises(ProposalRefused, match="clash"):
        publish(proposal, approver)

    assert len(shown.conflicts) == 1
    assert list(Track.objects.filter(programme=programme).values_list("description")) == [("CT.",)]
    assert Programme.objects.get(pk=programme.pk).version == live.version
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPROVED
    # The proposal's editor sees the form, on the proposal's track, and is told to decide.
    client.force_login(proposer)
    form = client.get(reverse("admin:programs_programme_change", args=[programme.pk]))
    assert form.status_code == 200
    page = form.content.decode()
    assert "1 field was changed both there and in the proposal" in page
    assert "MRI." in page and "CT." not in page


def test_a_web_address_taken_since_is_refused_and_the_scheduled_run_sends_it_back(
    programme, proposer, approver
):
    def new_address():
        Programme.objects.filter(pk=programme.pk).update(slug="health-data-science")

    proposal = approved(propose(programme, proposer, new_address), approver)
    factories.ProgrammeFactory(slug="health-data-science")  # another programme took it

    with pytest.raises(ProposalRefused, match="address"):
        publish(proposal, approver)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPROVED  # refused, having written nothing
    published, refused = publish_due()

    assert published == []
    assert [(item.pk, "address" in message) for item, message in refused] == [(proposal.pk, True)]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SENT_BACK
    assert Programme.objects.get(pk=programme.pk).slug == programme.slug
