"""Restoring an earlier version of a published programme (the history's Revert) is a proposal,
like an edit: the public keeps the published programme until the proposal is reviewed and
published. Staff who may publish directly can tick "restore at once"; a draft is restored
directly, as it is edited directly."""

import html
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from programs.models import Module, Programme, Proposal, ProposalEvent, PublicChange
from tests.support import factories
from tests.support.admin_pages import change_url, errors_of, form_data, row_index
from tests.support.proposal_flow import publish_after_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def university():
    return factories.UniversityFactory(name="Uni A")


@pytest.fixture
def programme(university):
    """Published, with two languages and a module; then renamed, its module deleted and one
    language dropped by a direct save: the version before that is the one to restore."""
    programme = factories.ProgrammeFactory(
        title="Health Data Science",
        universities=[university],
        languages=[
            factories.LanguageFactory(code="en", name="English"),
            factories.LanguageFactory(code="it", name="Italian"),
        ],
    )
    factories.ModuleFactory(programme=programme, title="Biostatistics")
    programme.refresh_from_db()
    programme.earlier = programme.history.latest()
    editor = Client()
    editor.force_login(
        factories.StaffUserFactory(
            username="editor", universities=[university], publishes_directly=True
        )
    )
    data = form_data(editor.get(change_url(programme)), publish_now=True)
    data["title"] = "Renamed by mistake"
    data[f"modules-{row_index(data, 'modules', 'title', 'Biostatistics')}-DELETE"] = "on"
    data["languages"] = ["en"]
    assert editor.post(change_url(programme), data).status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Renamed by mistake", 2)
    return programme


def staff_client(university, username, **permissions):
    client = Client()
    client.force_login(
        factories.StaffUserFactory(username=username, universities=[university], **permissions)
    )
    return client


@pytest.fixture
def alice(university):
    """Staff of the programme's university, who may not publish directly."""
    return staff_client(university, "alice")


def revert_url(programme, record):
    return reverse("admin:programs_programme_simple_history", args=[programme.pk, record.pk])


def revert_page(client, programme):
    return client.get(revert_url(programme, programme.earlier))


def revert(client, programme, publish_now=False, **extra):
    """Press Revert on the earlier version's page (ticking "restore at once" if asked)."""
    data = form_data(
        revert_page(client, programme), form_id="historicalprogramme_form", publish_now=publish_now
    )
    data.update(extra)
    return client.post(revert_url(programme, programme.earlier), data)


def public_page(programme):
    return Client().get(reverse("programs:programme-detail", args=[programme.slug]))


def without_tokens(content):
    """A page's bytes without what differs between any two requests (CSRF tokens, nonces)."""
    content = re.sub(rb'nonce="[^"]*"', b'nonce=""', content)
    return re.sub(rb'csrf[^>]{0,40}?"[A-Za-z0-9]{32,}"', b"csrf", content, flags=re.I)


def notice(page):
    """The version page's words about proposals, as plain text."""
    text = page.content.decode().split('class="proposal-notice"')[1].split("</div>")[0]
    return " ".join(html.unescape(strip_tags('<div class="' + text)).split())


def test_restoring_a_published_programme_proposes_the_version_and_changes_nothing_public(
    alice, programme
):
    before = without_tokens(public_page(programme).content)
    records = programme.history.count()

    response = revert(alice, programme)

    proposal = Proposal.objects.get(programme=programme)
    assert response.status_code == 302, errors_of(response)
    assert response["Location"] == reverse("admin:programs_proposal_change", args=[proposal.pk])
    # The live programme, its history, its public change log and the admin's log: unchanged.
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Renamed by mistake", 2)
    assert not Module.objects.filter(programme=programme).exists()
    assert list(programme.languages.values_list("code", flat=True)) == ["en"]
    assert programme.history.count() == records
    assert not LogEntry.objects.filter(object_id=str(programme.pk), user__username="alice")
    assert without_tokens(public_page(programme).content) == before
    assert PublicChange.objects.filter(programme=programme).count() == 1  # the rename's
    # The proposal holds the version: its title, its languages, its module back.
    proposed = proposal.proposed
    assert proposed["programme"]["title"] == "Health Data Science"
    assert proposed["languages"] == ["en", "it"]
    modules = proposed["parts"]["programs.Module"].values()
    assert [module["title"] for module in modules] == ["Biostatistics"]
    assert (proposal.proposed_by.username, proposal.state) == ("alice", "editing")
    assert list(proposal.events.values_list("action", flat=True)) == ["started"]
    shown = [str(message) for message in alice.get(change_url(programme)).context["messages"]]
    assert len(shown) == 1
    assert shown[0].startswith("Restoring the version of ")
    assert "The published programme stays as it is until the proposal is approved" in shown[0]


def test_the_restore_goes_live_once_its_proposal_is_reviewed_and_published(
    alice, university, programme
):
    revert(alice, programme)
    approver = factories.StaffUserFactory(universities=[university], approves_proposals=True)

    publish_after_review(programme, approver)

    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Health Data Science", 3)
    assert sorted(programme.languages.values_list("code", flat=True)) == ["en", "it"]
    assert list(Module.objects.filter(programme=programme).values_list("title", flat=True)) == [
        "Biostatistics"
    ]
    page = public_page(programme).content.decode()
    assert "Health Data Science" in page.split('id="changes"')[0]
    assert "Biostatistics" in page and "Italian" in page
    # One new version, recorded under the proposer's name, as a restore by alice would be.
    assert programme.history.latest().history_user.username == "alice"


def test_the_version_page_says_a_restore_is_a_proposal_and_offers_restoring_at_once_only_to_those_who_may(  # noqa: E501
    alice, university, programme
):
    page = revert_page(alice, programme)
    direct = revert_page(staff_client(university, "dora", publishes_directly=True), programme)

    assert notice(page) == (
        "This programme is published. Restoring this version starts a proposal: the public "
        "keeps seeing the published programme until the proposal is reviewed, approved and "
        "published."
    )
    assert 'name="_publish_now"' not in page.content.decode()
    assert notice(direct).endswith(
        "Restore it at once, without review (for urgent corrections; you may)"
    )
    assert 'name="_publish_now"' in direct.content.decode()


def test_ticking_restore_at_once_without_the_permission_still_only_proposes(alice, programme):
    response = revert(alice, programme, _publish_now="on")

    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Renamed by mistake", 2)
    assert Proposal.objects.filter(programme=programme).count() == 1


def test_staff_who_may_publish_directly_restore_at_once(university, programme):
    dora = staff_client(university, "dora", publishes_directly=True)

    response = revert(dora, programme, publish_now=True)

    assert response.status_code == 302, errors_of(response)
    assert response["Location"] == change_url(programme)
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Health Data Science", 3)
    assert not Proposal.objects.exists()
    assert "Health Data Science" in public_page(programme).content.decode()


def test_a_restore_with_an_open_proposal_makes_it_propose_the_version(alice, university, programme):
    bob = staff_client(university, "bob")
    data = form_data(bob.get(change_url(programme)))
    data["summary"] = "Bob's summary"
    assert bob.post(change_url(programme), data).status_code == 302
    proposal = Proposal.objects.get(programme=programme)

    page = revert_page(alice, programme)
    response = revert(alice, programme)

    assert "This programme has an open proposal by bob, started " in notice(page)
    assert "makes the proposal propose this version instead of its changes so far" in notice(page)
    assert response["Location"] == reverse("admin:programs_proposal_change", args=[proposal.pk])
    proposal.refresh_from_db()
    assert proposal.proposed["programme"]["title"] == "Health Data Science"
    assert proposal.proposed["programme"]["summary"] is None  # as in the version
    assert list(proposal.events.values_list("action", "actor__username")) == [
        ("started", "bob"),
        ("edited", "alice"),
    ]
    assert Proposal.objects.filter(programme=programme).count() == 1


def test_restoring_a_version_already_proposed_keeps_nothing_new(alice, programme):
    revert(alice, programme)

    response = revert(alice, programme)

    assert response["Location"] == revert_url(programme, programme.earlier)
    shown = [str(message) for message in alice.get(response["Location"]).context["messages"]]
    assert shown[-1] == "The open proposal already holds this version: nothing was changed."
    assert ProposalEvent.objects.count() == 1


def test_asking_for_a_published_versions_publication_still_only_proposes(alice, programme):
    """Only going back to a draft skips review: the box posted for a version that was
    published (the page doesn't show it then) restores nothing at once."""
    response = revert(alice, programme, restore_publication="on")

    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.published) == ("Renamed by mistake", True)
    assert Proposal.objects.filter(programme=programme).count() == 1


def test_going_back_to_a_draft_version_is_direct(alice, programme):
    Programme.objects.filter(pk=programme.pk).update(published=False)
    Programme.objects.get(pk=programme.pk).save()  # a version while it was a draft
    programme.earlier = programme.history.latest()
    programme.save()  # published again (the instance still says so): the version to leave

    response = revert(alice, programme, restore_publication="on")

    assert response["Location"] == change_url(programme)
    programme.refresh_from_db()
    assert (programme.title, programme.published) == ("Renamed by mistake", False)
    assert not Proposal.objects.exists()


def test_a_draft_is_restored_directly(alice, programme):
    Programme.objects.filter(pk=programme.pk).update(published=False)

    response = revert(alice, programme)

    assert response["Location"] == change_url(programme)
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Health Data Science", 3)
    assert not Proposal.objects.exists()


def test_a_stale_restore_form_is_refused_and_proposes_nothing(alice, university, programme):
    data = form_data(revert_page(alice, programme), form_id="historicalprogramme_form")
    Programme.objects.filter(pk=programme.pk).update(version=3, summary="Saved meanwhile")

    response = alice.post(revert_url(programme, programme.earlier), data)

    assert response.status_code == 200
    assert "Someone else saved this programme since you opened it" in errors_of(response)
    assert not Proposal.objects.exists()


def test_a_restore_refused_for_a_proposal_says_why_and_proposes_nothing(
    alice, university, programme
):
    """The restore's own checks hold for a proposal too: here, a university alice doesn't work
    for would come back."""
    partner = factories.UniversityFactory(name="Uni B")
    programme.offerings.create(university=partner, position=1)
    programme.save()  # a version offered by both, until the next one
    programme.earlier = programme.history.latest()
    programme.save()
    programme.offerings.filter(university=partner).delete()  # by Uni B's staff, say

    response = revert(alice, programme)

    assert response["Location"] == revert_url(programme, programme.earlier)
    shown = [str(message) for message in alice.get(response["Location"]).context["messages"]]
    assert shown == [
        "This version was also offered by Uni B; only its staff can add it to the programme again."
    ]
    assert not Proposal.objects.exists()


def test_staff_of_another_university_cannot_propose_a_restore(programme):
    outsider = staff_client(factories.UniversityFactory(name="Uni C"), "carol")

    response = outsider.post(
        revert_url(programme, programme.earlier), {"version": "2", "_save": "Revert"}
    )

    assert response.status_code in {403, 404}
    assert not Proposal.objects.exists()
