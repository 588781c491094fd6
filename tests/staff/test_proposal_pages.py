"""The proposal pages in the admin: the approval list, a proposal's page with the published and
the proposed programme side by side, its review steps, the preview, and who may see them."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from programs.actions.proposals import approvals_needed, proposed_state, save_proposal, submit
from programs.actions.saving import programme_write
from programs.models import Module, Programme, Proposal, ProposalEvent, ProposalState, ReviewRule
from tests.support import factories

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def university():
    return factories.UniversityFactory(name="Uni A", slug="uni-a")


@pytest.fixture
def programme(university):
    programme = factories.ProgrammeFactory(
        title="Health Data Science",
        slug="health-data-science",
        ects=120,
        universities=[university],
    )
    factories.ModuleFactory(programme=programme, title="Statistics", ects=Decimal(10))
    return programme


@pytest.fixture
def proposer(university):
    return factories.StaffUserFactory(username="paula", universities=[university])


def approver_of(university, username):
    user = factories.StaffUserFactory(username=username, universities=[university])
    user.user_permissions.add(Permission.objects.get(codename="approve_proposal"))
    return user


@pytest.fixture
def reviewer(university):
    return approver_of(university, "rita")


def propose(programme, user, ects=90):
    """A proposal as the change form makes one: the ECTS changed, a module changed and one added."""

    def write():
        Programme.objects.filter(pk=programme.pk).update(ects=ects)
        Module.objects.filter(programme=programme, title="Statistics").update(ects=Decimal("7.5"))
        Module.objects.create(programme=programme, title="Medical Imaging", ects=Decimal(5))

    snapshot, _ = proposed_state(programme.pk, write)
    proposal, _ = save_proposal(programme, snapshot, user)
    return proposal


def page_url(proposal):
    return reverse("admin:programs_proposal_change", args=[proposal.pk])


def preview_url(proposal):
    return reverse("proposal-preview", args=[proposal.pk])


def without_tokens(content):
    """A page's bytes without its CSRF tokens, which are masked anew for each response."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def body(response):
    content = b"".join(response) if response.streaming else response.content
    return without_tokens(content)


def messages_of(response):
    """What the page the step redirects to says (the earlier steps' messages said theirs)."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1:]


def step(client, proposal, name, comment=""):
    return client.post(page_url(proposal), {f"_{name}": "", "comment": comment})


def test_the_page_shows_published_and_proposed_values_side_by_side(client, programme, proposer):
    proposal = propose(programme, proposer)
    client.force_login(proposer)

    response = client.get(page_url(proposal))

    assert response.status_code == 200
    fields = {
        line.name: (line.before, line.after) for line in response.context["comparison"].fields
    }
    assert fields == {"ECTS credits": ("120", "90")}
    rows = {(row.kind, row.part, row.label) for row in response.context["comparison"].rows}
    assert rows == {("added", "Module", "Medical Imaging"), ("changed", "Module", "Statistics")}
    changed = next(row for row in response.context["comparison"].rows if row.kind == "changed")
    assert [(line.name, line.before, line.after) for line in changed.fields] == [
        ("ECTS credits", "10", "7.5")
    ]
    html = response.content.decode()
    assert '<td class="before">120</td>' in html and '<td class="after">90</td>' in html
    assert "Medical Imaging" in html


def test_a_fact_the_source_does_not_state_reads_not_stated(client, programme, proposer):
    proposal = propose(programme, proposer, ects=None)
    client.force_login(proposer)

    fields = client.get(page_url(proposal)).context["comparison"].fields

    assert [(line.name, line.before, line.after) for line in fields] == [
        ("ECTS credits", "120", "not stated")
    ]


def test_the_preview_shows_the_proposal_while_the_public_page_keeps_the_published_one(
    client, programme, proposer
):
    proposal = propose(programme, proposer)
    public_before = without_tokens(client.get(programme.get_absolute_url()).content)
    client.force_login(proposer)

    preview = client.get(preview_url(proposal))

    assert preview.status_code == 200
    html = preview.content.decode()
    assert f"Preview of proposal {proposal.pk}, not public." in html
    assert "Medical Imaging" in html
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert preview["X-Robots-Tag"].startswith("noindex")
    client.logout()
    public_after = client.get(programme.get_absolute_url())
    assert "Medical Imaging" not in public_after.content.decode()
    assert without_tokens(public_after.content) == public_before
    assert Programme.objects.get(pk=programme.pk).ects == 120


def test_the_preview_answers_only_get(client, programme, proposer):
    proposal = propose(programme, proposer)
    client.force_login(proposer)

    assert client.post(preview_url(proposal)).status_code == 405


def test_send_back_without_a_comment_is_refused_and_changes_nothing(
    client, programme, proposer, reviewer
):
    proposal = propose(programme, proposer)
    submit(proposal, proposer)
    client.force_login(reviewer)

    response = step(client, proposal, "send_back", comment="  ")

    assert response.status_code == 302
    assert messages_of(response) == ["Say what should change: a comment is required."]
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SUBMITTED


def test_send_back_with_a_comment_keeps_it_on_the_timeline(client, programme, proposer, reviewer):
    proposal = propose(programme, proposer)
    submit(proposal, proposer)
    client.force_login(reviewer)

    step(client, proposal, "send_back", comment="ECTS must stay 120.")

    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SENT_BACK
    client.force_login(proposer)
    html = client.get(page_url(proposal)).content.decode()
    assert "ECTS must stay 120." in html and "rita" in html and "sent it back" in html


def test_a_proposer_cannot_approve_their_own_proposal(client, programme, university):
    author = approver_of(university, "ada")
    proposal = propose(programme, author)
    submit(proposal, author)
    client.force_login(author)

    page = client.get(page_url(proposal)).content.decode()
    response = step(client, proposal, "approve")

    assert 'name="_approve"' not in page
    assert messages_of(response) == ["You can't approve a proposal you wrote yourself."]
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SUBMITTED
    assert not Proposal.objects.get(pk=proposal.pk).approvals.exists()


def test_two_approvals_must_come_from_two_people(client, programme, university, proposer):
    ReviewRule.objects.create(university=university, approvals_needed=2)
    first, second = approver_of(university, "rita"), approver_of(university, "sam")
    proposal = propose(programme, proposer)
    submit(proposal, proposer)

    client.force_login(first)
    step(client, proposal, "approve")
    again = step(client, proposal, "approve")
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SUBMITTED
    assert messages_of(again) == [
        "You have approved it already; another person's approval is needed."
    ]
    client.force_login(second)
    step(client, proposal, "approve")

    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.APPROVED
    assert "2 of 2 needed" in client.get(page_url(proposal)).content.decode()


def test_an_approved_proposal_is_published_from_its_page(client, programme, proposer, reviewer):
    proposal = propose(programme, proposer)
    submit(proposal, proposer)
    client.force_login(reviewer)
    step(client, proposal, "approve")

    response = step(client, proposal, "publish")

    assert messages_of(response) == ["Published: the public now sees the proposed programme."]
    assert Programme.objects.get(pk=programme.pk).ects == 90
    client.logout()
    assert "Medical Imaging" in client.get(programme.get_absolute_url()).content.decode()


def test_the_effective_date_is_entered_in_berlin_time(client, programme, proposer):
    proposal = propose(programme, proposer)
    client.force_login(proposer)

    page = client.get(page_url(proposal)).content.decode()
    client.post(page_url(proposal), {"_schedule": "", "effective_at": "2027-01-15T09:30"})

    assert "Europe/Berlin" in page
    # 09:30 in Berlin in winter (CET, UTC+1).
    assert Proposal.objects.get(pk=proposal.pk).effective_at == datetime.datetime(
        2027, 1, 15, 8, 30, tzinfo=UTC
    )


def test_an_unreadable_effective_date_is_refused_with_a_message(client, programme, proposer):
    proposal = propose(programme, proposer)
    client.force_login(proposer)

    response = client.post(page_url(proposal), {"_schedule": "", "effective_at": "soon"})

    assert response.status_code == 302
    assert messages_of(response) == ["Enter a valid date/time."]
    assert Proposal.objects.get(pk=proposal.pk).effective_at is None


def test_an_approved_proposal_dated_tomorrow_offers_no_publish_button(
    client, programme, proposer, reviewer
):
    with time_machine.travel(datetime.datetime(2027, 1, 10, 12, tzinfo=UTC), tick=False):
        proposal = propose(programme, proposer)
        client.force_login(proposer)
        client.post(page_url(proposal), {"_schedule": "", "effective_at": "2027-01-11T12:00"})
        submit(proposal, proposer)
        client.force_login(reviewer)
        step(client, proposal, "approve")

        page = client.get(page_url(proposal)).content.decode()
        refused = step(client, proposal, "publish")

    assert 'name="_publish"' not in page
    assert messages_of(refused) == [
        "It takes effect on 2027-01-11 12:00: it will be published then."
    ]
    assert Programme.objects.get(pk=programme.pk).ects == 120


def test_a_stale_proposal_shows_the_three_way_difference_and_its_conflict(
    client, programme, proposer
):
    proposal = propose(programme, proposer)
    # Someone else's change went live meanwhile: the ECTS, differently.
    with programme_write({programme.pk: None}):
        live = Programme.objects.get(pk=programme.pk)
        live.ects = 100
        live.save()
    client.force_login(proposer)

    response = client.get(page_url(proposal))

    html = response.content.decode()
    assert "The published programme has changed since this proposal began" in html
    three_way = response.context["comparison"].three_way
    assert [
        (line.name, line.before, line.now, line.after, line.conflict) for line in three_way
    ] == [("ECTS credits", "120", "100", "90", True)]
    assert "changed on both sides" in html


def test_a_proposal_of_a_deleted_programme_says_so_and_can_only_be_withdrawn(
    client, programme, proposer
):
    proposal = propose(programme, proposer)
    programme.delete()
    client.force_login(proposer)

    page = client.get(page_url(proposal)).content.decode()
    response = step(client, proposal, "withdraw")

    assert "The programme was deleted after this proposal began" in page
    assert 'name="_withdraw"' in page
    for other in ("submit", "approve", "publish", "send_back", "comment", "schedule"):
        assert f'name="_{other}"' not in page
    assert response.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.WITHDRAWN


def test_an_unknown_step_is_refused_with_a_message(client, programme, proposer):
    proposal = propose(programme, proposer)
    client.force_login(proposer)

    response = step(client, proposal, "delete")

    assert response.status_code == 302
    assert messages_of(response) == ["Unknown step: nothing was changed."]


STEPS = ["submit", "approve", "send_back", "withdraw", "publish", "comment", "schedule"]


@pytest.mark.parametrize("name", STEPS)
def test_staff_of_another_university_get_404_for_every_step_and_nothing_changes(
    client, programme, proposer, name
):
    proposal = propose(programme, proposer)
    outsider = approver_of(factories.UniversityFactory(name="Uni B"), "otto")
    events = ProposalEvent.objects.filter(proposal=proposal).count()
    client.force_login(outsider)

    response = client.post(
        page_url(proposal), {f"_{name}": "", "comment": "hello", "effective_at": ""}
    )

    assert response.status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.EDITING
    assert ProposalEvent.objects.filter(proposal=proposal).count() == events


def test_staff_of_another_university_get_404_for_the_page_and_the_preview(
    client, programme, proposer
):
    proposal = propose(programme, proposer)
    client.force_login(approver_of(factories.UniversityFactory(name="Uni B"), "otto"))

    assert client.get(page_url(proposal)).status_code == 404
    assert client.get(preview_url(proposal)).status_code == 404
    listing = client.get(reverse("admin:programs_proposal_changelist"))
    assert list(listing.context["cl"].result_list) == []


def test_the_preview_needs_a_signed_in_staff_member(client, programme, proposer):
    proposal = propose(programme, proposer)

    response = client.get(preview_url(proposal))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_list_shows_state_proposer_and_approvals(client, programme, proposer, reviewer):
    proposal = propose(programme, proposer)
    submit(proposal, proposer)
    client.force_login(reviewer)

    html = client.get(reverse("admin:programs_proposal_changelist")).content.decode()

    assert "Health Data Science" in html
    assert "waiting for review" in html
    assert "paula" in html
    assert "0 of 1" in html


def test_waiting_for_my_approval_lists_only_what_the_user_may_approve(
    client, university, proposer, reviewer
):
    waiting = propose(
        factories.ProgrammeFactory(universities=[university], title="Waiting"), proposer
    )
    submit(waiting, proposer)
    propose(factories.ProgrammeFactory(universities=[university], title="Being written"), proposer)
    own = propose(factories.ProgrammeFactory(universities=[university], title="Own"), reviewer)
    submit(own, reviewer)
    url = reverse("admin:programs_proposal_changelist") + "?waiting=me"

    client.force_login(reviewer)
    mine = list(client.get(url).context["cl"].result_list)
    client.force_login(proposer)  # no permission to approve

    assert mine == [waiting]
    assert list(client.get(url).context["cl"].result_list) == []


def test_a_group_rule_lets_only_its_members_approve(client, university, proposer, reviewer):
    group = Group.objects.create(name="Uni A approvers")
    ReviewRule.objects.create(university=university, approvers=group)
    member = factories.StaffUserFactory(username="gina", universities=[university])
    member.groups.add(group)
    proposal = propose(factories.ProgrammeFactory(universities=[university]), proposer)
    submit(proposal, proposer)
    url = reverse("admin:programs_proposal_changelist") + "?waiting=me"

    client.force_login(reviewer)  # has the permission, but isn't in the group
    refused = step(client, proposal, "approve")
    listed_for_reviewer = list(client.get(url).context["cl"].result_list)
    client.force_login(member)
    listed_for_member = list(client.get(url).context["cl"].result_list)
    step(client, proposal, "approve")

    assert messages_of(refused) == ["You may not approve this programme's proposals."]
    assert (listed_for_reviewer, listed_for_member) == ([], [proposal])
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.APPROVED


def list_queries(client, django_assert_num_queries, count):
    with django_assert_num_queries(count):
        response = client.get(reverse("admin:programs_proposal_changelist"))
    return response


@pytest.mark.parametrize("proposals", [1, 5])
def test_the_list_runs_the_same_queries_for_one_or_five_proposals(
    client, university, proposer, reviewer, django_assert_num_queries, proposals
):
    for number in range(proposals):
        programme = factories.ProgrammeFactory(universities=[university], title=f"P{number}")
        factories.ModuleFactory(programme=programme, title="Statistics")
        submit(propose(programme, proposer), proposer)
    client.force_login(reviewer)

    response = list_queries(client, django_assert_num_queries, 10)

    assert len(response.context["cl"].result_list) == proposals


def test_the_proposal_page_runs_a_fixed_number_of_queries(
    client, programme, proposer, reviewer, django_assert_num_queries
):
    proposal = propose(programme, proposer)
    submit(proposal, proposer)
    client.force_login(reviewer)

    # 18: the 17 before, and the catalog edition the proposal goes live in (Edition.for_day).
    with django_assert_num_queries(18):
        response = client.get(page_url(proposal))

    assert response.status_code == 200


def test_the_history_page_lists_the_proposal_steps_with_links(client, programme, proposer):
    proposal = propose(programme, proposer)
    submit(proposal, proposer)
    client.force_login(proposer)

    html = client.get(
        reverse("admin:programs_programme_history", args=[programme.pk])
    ).content.decode()

    assert f'href="{page_url(proposal)}"' in html
    assert "Started the proposal" in html and "Submitted it for review" in html


def test_the_change_form_links_its_open_proposal(client, programme, proposer):
    proposal = propose(programme, proposer)
    client.force_login(proposer)

    html = client.get(
        reverse("admin:programs_programme_change", args=[programme.pk])
    ).content.decode()

    assert f'href="{page_url(proposal)}"' in html


def test_proposals_are_in_the_admin_index_for_staff(client, proposer):
    client.force_login(proposer)

    html = client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse("admin:programs_proposal_changelist")}"' in html


def test_a_superuser_sets_the_review_rule_on_the_university_page(client, university):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:programs_university_change", args=[university.pk])
    form = client.get(url)
    assert "review_rule-0-approvals_needed" in form.content.decode()

    data = {
        "name": university.name,
        "short_name": university.short_name or "",
        "slug": university.slug,
        "country": university.country or "",
        "city": university.city or "",
        "website": university.website or "",
        "review_rule-TOTAL_FORMS": "1",
        "review_rule-INITIAL_FORMS": "0",
        "review_rule-MIN_NUM_FORMS": "0",
        "review_rule-MAX_NUM_FORMS": "1",
        "review_rule-0-approvals_needed": "2",
        "review_rule-0-approvers": "",
    }
    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    assert ReviewRule.objects.get(university=university).approvals_needed == 2


def test_staff_see_their_universitys_review_rule_but_cannot_change_it(client, university, proposer):
    ReviewRule.objects.create(university=university, approvals_needed=2)
    client.force_login(proposer)

    html = client.get(
        reverse("admin:programs_university_change", args=[university.pk])
    ).content.decode()

    assert "Approvals needed" in html
    assert 'name="review_rule-0-approvals_needed"' not in html


def test_staff_are_offered_no_empty_review_rule_form(client, university, proposer):
    client.force_login(proposer)

    html = client.get(
        reverse("admin:programs_university_change", args=[university.pk])
    ).content.decode()

    assert 'name="review_rule-0-approvals_needed"' not in html


def test_a_preview_leaves_nothing_in_search_or_the_public_lists(client, programme, proposer):
    """The preview writes the proposal into the database inside a transaction that is rolled
    back: the search index, the module search and the list must not keep any of it."""
    proposal = propose(programme, proposer)
    searches = ["/modules/?q=Medical+Imaging", "/programmes/?q=Imaging", "/programmes/export.csv"]
    before = [body(client.get(address)) for address in searches]
    client.force_login(proposer)
    assert client.get(preview_url(proposal)).status_code == 200
    client.logout()

    after = [body(client.get(address)) for address in searches]

    assert after == before
    # Neither search finds the programme by its proposed module (the query itself is echoed).
    assert b'href="/programmes/health-data-science/' not in after[0] + after[1]


def test_a_proposal_of_an_unpublished_programme_says_so_and_offers_only_withdraw(
    client, programme, proposer
):
    proposal = propose(programme, proposer)
    Programme.objects.filter(pk=programme.pk).update(published=False)
    client.force_login(proposer)

    page = client.get(page_url(proposal)).content.decode()
    refused = step(client, proposal, "submit")

    assert "The programme is no longer published" in page
    assert 'name="_withdraw"' in page and 'name="_submit"' not in page
    assert client.get(preview_url(proposal)).status_code == 404
    assert messages_of(refused) == [
        "The programme is no longer published: edit the draft directly, and withdraw this proposal."
    ]
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.EDITING


def test_the_list_counts_the_approvals_a_joint_programme_needs_as_the_review_does(
    client, university, proposer
):
    """The strictest rule among the programme's universities; one without a rule needs one."""
    partner = factories.UniversityFactory(name="Uni C")
    ReviewRule.objects.create(university=university, approvals_needed=0)
    ReviewRule.objects.create(university=partner, approvals_needed=2)
    joint = propose(factories.ProgrammeFactory(universities=[university, partner]), proposer)
    lenient = propose(factories.ProgrammeFactory(universities=[university]), proposer)
    unruled = propose(
        factories.ProgrammeFactory(universities=[factories.UniversityFactory()]), proposer
    )
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    rows = client.get(reverse("admin:programs_proposal_changelist")).context["cl"].result_list
    shown = {row.pk: row.approvals_required for row in rows}

    assert shown == {
        proposal.pk: approvals_needed(proposal.programme) for proposal in (joint, lenient, unruled)
    }
    assert shown == {joint.pk: 2, lenient.pk: 0, unruled.pk: 1}


# Found walking through the pages as staff would.


@pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T12:00"])
def test_a_date_out_of_any_catalogs_lifetime_is_refused_with_a_message(
    client, programme, proposer, typed
):
    proposal = propose(programme, proposer)
    client.force_login(proposer)

    response = client.post(page_url(proposal), {"_schedule": "", "effective_at": typed})

    assert response.status_code == 302
    assert messages_of(response) == ["Give a date between the years 2000 and 2100."]
    assert Proposal.objects.get(pk=proposal.pk).effective_at is None


def test_a_published_proposal_is_not_called_out_of_date(client, programme, proposer, reviewer):
    proposal = propose(programme, proposer)
    client.force_login(proposer)
    step(client, proposal, "submit")
    client.force_login(reviewer)
    step(client, proposal, "approve")
    step(client, proposal, "publish")

    page = client.get(page_url(proposal)).content.decode()

    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.PUBLISHED
    assert "has changed since this proposal began" not in page


def test_a_stale_proposal_shows_what_publishing_will_make_of_a_change_it_does_not_touch(
    client, programme, proposer
):
    """The live programme changed a field the proposal leaves alone: publishing keeps the live
    value, and the page says so rather than showing the proposal's old copy of it."""
    proposal = propose(programme, proposer)
    with programme_write({programme.pk: None}):
        live = Programme.objects.get(pk=programme.pk)
        live.duration_semesters = 3
        live.save()
    client.force_login(proposer)

    response = client.get(page_url(proposal))

    three_way = {line.name: line for line in response.context["comparison"].three_way}
    semesters = three_way["Standard period (semesters)"]
    assert (semesters.now, semesters.after, semesters.conflict) == ("3", "3", False)
    side_by_side = {line.name: line for line in response.context["comparison"].fields}
    assert side_by_side["ECTS credits"].before == "120"
    assert "Standard period (semesters)" not in side_by_side


def test_only_those_who_wrote_a_proposal_submit_it(client, programme, proposer, reviewer):
    proposal = propose(programme, proposer)
    client.force_login(reviewer)

    page = client.get(page_url(proposal)).content.decode()
    response = step(client, proposal, "submit")

    assert 'name="_submit"' not in page
    assert messages_of(response) == [
        "Only those who wrote the proposal submit it; you can comment on it."
    ]
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.EDITING


def test_a_comment_longer_than_the_limit_is_refused(client, programme, proposer):
    proposal = propose(programme, proposer)
    client.force_login(proposer)

    response = step(client, proposal, "comment", "x" * 5001)

    assert messages_of(response) == ["A comment can be at most 5000 characters long."]
    assert not proposal.events.filter(action=ProposalEvent.Action.COMMENTED).exists()


def test_a_proposal_has_no_separate_history_page(client, programme, proposer):
    proposal = propose(programme, proposer)
    client.force_login(proposer)

    response = client.get(reverse("admin:programs_proposal_history", args=[proposal.pk]))

    assert response.status_code == 404
