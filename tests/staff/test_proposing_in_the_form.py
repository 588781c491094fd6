"""The change form of a published programme: a save is a proposal, one per programme, which the
next editor sees and works on; a draft is saved as before."""

import pytest
from django.contrib.auth.models import Permission

from programs.actions.saving import programme_write
from programs.models import Programme, Proposal, ProposalEvent, ProposalState
from tests.support import factories
from tests.support.admin_pages import add_row, change_url, errors_of, form_data, row_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def kth(catalog):
    return Programme.objects.get(slug="data-driven-health")


def staff_of(programme, **kwargs):
    return factories.StaffUserFactory(
        universities=list(programme.universities.all()), first_name="Astrid", **kwargs
    )


def propose_summary(client, programme, summary):
    data = form_data(client.get(change_url(programme)))
    data["summary"] = summary
    response = client.post(change_url(programme), data)
    assert response.status_code == 302, errors_of(response)
    return response


def test_a_save_of_a_published_programme_starts_a_proposal_and_changes_nothing_live(client, kth):
    client.force_login(staff_of(kth))
    before, versions = kth.summary, kth.history.count()
    response = propose_summary(client, kth, "A clearer summary.")

    proposal = Proposal.objects.get(programme=kth)
    assert response["Location"].endswith(f"/admin/programs/proposal/{proposal.pk}/change/")
    assert proposal.state == ProposalState.EDITING
    assert proposal.proposed["programme"]["summary"] == "A clearer summary."
    assert proposal.base["programme"]["summary"] == before
    kth.refresh_from_db()
    assert kth.summary == before
    assert kth.history.count() == versions  # no new version


def test_a_second_editor_sees_the_open_proposal_and_edits_it_instead_of_starting_another(
    client, kth
):
    client.force_login(staff_of(kth))
    propose_summary(client, kth, "First editor's summary.")

    second = factories.StaffUserFactory(
        username="second", universities=list(kth.universities.all())
    )
    client.force_login(second)
    page = client.get(change_url(kth))
    text = page.content.decode()
    assert "This form shows the open proposal by Astrid" in text
    assert "First editor&#x27;s summary." in text or "First editor's summary." in text
    data = form_data(page)
    assert data["summary"] == "First editor's summary."

    data["summary"] = "Second editor's summary."
    response = client.post(change_url(kth), data)
    assert response.status_code == 302, errors_of(response)

    proposal = Proposal.objects.get(programme=kth)  # still one
    assert proposal.proposed["programme"]["summary"] == "Second editor's summary."
    assert proposal.proposed_by.first_name == "Astrid"
    assert list(proposal.events.values_list("action", "actor__username")) == [
        (ProposalEvent.Action.STARTED, proposal.proposed_by.username),
        (ProposalEvent.Action.EDITED, "second"),
    ]


def test_editing_a_proposals_module_in_the_form_keeps_its_rows(client, kth):
    """The form shows the proposal's rows (a renamed module, an added one) and a second save
    keeps them, with no duplicate and nothing live."""
    client.force_login(staff_of(kth))
    data = form_data(client.get(change_url(kth)))
    index = row_index(data, "modules", "title", "Statistics")
    data[f"modules-{index}-title"] = "Statistics and probability"
    response = client.post(change_url(kth), data)
    assert response.status_code == 302, errors_of(response)

    data = form_data(client.get(change_url(kth)))
    titles = [value for name, value in data.items() if name.endswith("-title")]
    assert "Statistics and probability" in titles
    assert "Statistics" not in titles
    data["summary"] = "And a summary."
    response = client.post(change_url(kth), data)
    assert response.status_code == 302, errors_of(response)

    proposed = Proposal.objects.get(programme=kth).proposed["parts"]["programs.Module"]
    proposed_titles = sorted(row["title"] for row in proposed.values())
    live_titles = sorted(kth.modules.values_list("title", flat=True))
    assert proposed_titles == sorted(
        "Statistics and probability" if title == "Statistics" else title for title in live_titles
    )
    assert "Statistics" in live_titles


def test_a_save_that_changes_nothing_starts_no_proposal(client, kth):
    client.force_login(staff_of(kth))
    data = form_data(client.get(change_url(kth)))
    response = client.post(change_url(kth), data, follow=True)
    assert not Proposal.objects.exists()
    assert "no proposal was started" in response.content.decode()


def test_form_errors_are_shown_and_nothing_is_kept(client, kth):
    client.force_login(staff_of(kth))
    data = form_data(client.get(change_url(kth)))
    data["ects"] = "-5"
    response = client.post(change_url(kth), data)
    assert response.status_code == 200
    assert errors_of(response)
    assert not Proposal.objects.exists()


def test_a_draft_is_saved_directly_as_before(client, kth):
    Programme.objects.filter(pk=kth.pk).update(published=False)
    client.force_login(staff_of(kth))
    propose_summary(client, kth, "Draft summary.")
    kth.refresh_from_db()
    assert kth.summary == "Draft summary."
    assert not Proposal.objects.exists()


def test_publishing_at_once_needs_the_permission(client, kth):
    client.force_login(staff_of(kth))
    data = form_data(client.get(change_url(kth)))
    assert "_publish_now" not in client.get(change_url(kth)).content.decode()
    data["summary"] = "Urgent fix."
    data["_publish_now"] = "on"
    client.post(change_url(kth), data)
    kth.refresh_from_db()
    assert kth.summary != "Urgent fix."  # ignored: a proposal instead
    assert Proposal.objects.filter(programme=kth).exists()


def test_who_may_publish_directly_can_tick_it(client, kth):
    user = staff_of(kth)
    user.user_permissions.add(Permission.objects.get(codename="publish_directly"))
    client.force_login(user)
    page = client.get(change_url(kth))
    assert 'name="_publish_now"' in page.content.decode()
    data = form_data(page)
    data["summary"] = "Urgent fix."
    data["_publish_now"] = "on"
    response = client.post(change_url(kth), data)
    assert response.status_code == 302, errors_of(response)
    kth.refresh_from_db()
    assert kth.summary == "Urgent fix."
    assert not Proposal.objects.exists()


def test_after_another_change_went_live_the_form_shows_both_and_a_save_brings_it_up_to_date(
    client, kth
):
    client.force_login(staff_of(kth))
    propose_summary(client, kth, "Proposed summary.")

    # Another change goes live meanwhile (as an import or a restore by someone who may).
    with programme_write({kth.pk: None}):
        live = Programme.objects.get(pk=kth.pk)
        live.description = "Corrected description."
        live.save()
    kth.refresh_from_db()

    client.force_login(staff_of(kth, username="third"))
    page = client.get(change_url(kth))
    assert "The published programme has changed since this proposal began" in page.content.decode()
    data = form_data(page)
    assert (data["summary"], data["description"]) == ("Proposed summary.", "Corrected description.")
    data["summary"] = "Proposed summary, revised."
    response = client.post(change_url(kth), data)
    assert response.status_code == 302, errors_of(response)

    proposal = Proposal.objects.get(programme=kth)
    assert proposal.base_version == kth.version
    assert proposal.base["programme"]["description"] == "Corrected description."
    assert proposal.proposed["programme"]["description"] == "Corrected description."
    assert proposal.proposed["programme"]["summary"] == "Proposed summary, revised."


def test_publishing_at_once_over_an_open_proposal_takes_its_changes_live_and_closes_it(client, kth):
    """The form showed the proposal's rows (a module it added): a direct save publishes them
    with the save, rather than failing on rows the live programme doesn't have."""
    client.force_login(staff_of(kth))
    data = form_data(client.get(change_url(kth)))
    add_row(
        data,
        "modules",
        title="Ethics of health data",
        kind="compulsory",
        source_quote="",
        inferred_because="Planned module.",
        position="99",
    )
    response = client.post(change_url(kth), data)
    assert response.status_code == 302, errors_of(response)
    proposal = Proposal.objects.get(programme=kth)
    assert not kth.modules.filter(title="Ethics of health data").exists()

    admin = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(change_url(kth))
    assert "at once, with the open proposal" in page.content.decode()
    data = form_data(page)
    data["summary"] = "Urgent fix."
    data["_publish_now"] = "on"
    response = client.post(change_url(kth), data)
    assert response.status_code == 302, errors_of(response)

    kth.refresh_from_db()
    assert kth.summary == "Urgent fix."
    assert kth.modules.filter(title="Ethics of health data").count() == 1
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PUBLISHED
    assert proposal.published_by == admin
    assert not Proposal.objects.open().exists()


def test_unticking_published_in_a_proposal_says_where_unpublishing_is_done(client, kth):
    client.force_login(staff_of(kth))
    data = form_data(client.get(change_url(kth)))
    data.pop("published")
    response = client.post(change_url(kth), data, follow=True)
    text = response.content.decode()
    assert "It is still published" in text
    assert "no proposal was started" in text
    kth.refresh_from_db()
    assert kth.published
