"""A proposal's whole journey in Chromium: a proposer edits a published programme's ECTS and a
module, a second staff member reviews the side-by-side difference and the preview and sends it
back with a comment, the proposer fixes it, it is approved and published, and the public page,
the CSV and the feed show it."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from playwright.sync_api import expect

from programs.models import Programme
from tests.support import factories

pytestmark = pytest.mark.browser

SLUG = "data-driven-health"


def signed_in(browser, live_catalog, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_catalog.url,
            }
        ]
    )
    return context.new_page()


def test_a_proposal_is_made_reviewed_sent_back_fixed_approved_and_published(browser, live_catalog):
    programme = Programme.objects.get(slug=SLUG)
    universities = list(programme.universities.all())
    proposer = factories.StaffUserFactory(
        username="proposer", first_name="Petra", universities=universities
    )
    reviewer = factories.StaffUserFactory(
        username="reviewer", first_name="Rolf", universities=universities
    )
    reviewer.user_permissions.add(Permission.objects.get(codename="approve_proposal"))
    change_page = f"{live_catalog.url}/admin/programs/programme/{programme.pk}/change/"
    # Both signed in before the browser runs: the test itself reads no rows while it does.
    page = signed_in(browser, live_catalog, proposer)
    review = signed_in(browser, live_catalog, reviewer)

    # The proposer edits the published programme: ECTS (with why) and a module's title.
    page.goto(change_page)
    expect(page.get_by_text("This programme is published.")).to_be_visible()
    page.fill("#id_ects", "90")
    ects_row = page.evaluate(
        """[...document.querySelectorAll('select[name^="fact_sources-"][name$="-fact"]')]
            .find(select => select.value === 'ects').name.split('-')[1]"""
    )
    page.fill(f'[name="fact_sources-{ects_row}-source_quote"]', "")
    page.fill(f'[name="fact_sources-{ects_row}-inferred_because"]', "The new plan has 90.")
    page.locator('input[name^="modules-"][name$="-title"][value="Statistics"]').fill(
        "Statistics and probability"
    )
    page.locator('input[name="_save"]').click()
    expect(page.get_by_text("Saved as a proposal.")).to_be_visible()
    proposal_address = page.url
    assert re.search(r"/admin/programs/proposal/\d+/change/$", proposal_address)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".proposal-state")).to_have_text("Waiting for review")

    # The public still sees the published programme.
    public = browser.new_page()
    public.goto(f"{live_catalog.url}/programmes/{SLUG}/")
    expect(public.get_by_text("120 ECTS").first).to_be_visible()

    # The reviewer sees both values side by side, and the preview of the proposed page.
    review.goto(proposal_address)
    difference = review.locator(".proposal-difference")
    expect(difference).to_contain_text("120")
    expect(difference).to_contain_text("90")
    expect(difference).to_contain_text("Statistics and probability")
    review.get_by_role("link", name="Preview the public page").click()
    expect(review.get_by_text("90 ECTS").first).to_be_visible()
    expect(review.get_by_text("Statistics and probability").first).to_be_visible()
    review.go_back()

    # ... and sends it back with a comment.
    review.fill("#id_comment", "Please say where the 90 credits are stated.")
    review.get_by_role("button", name="Send back").click()
    expect(review.locator(".proposal-state")).to_have_text("Sent back")

    # The proposer reads the comment, fixes the proposal and submits it again.
    page.goto(proposal_address)
    expect(page.locator(".proposal-timeline")).to_contain_text(
        "Please say where the 90 credits are stated."
    )
    page.get_by_role("link", name="Edit the proposal").click()
    expect(page.locator("#id_ects")).to_have_value("90")
    page.fill(
        f'[name="fact_sources-{ects_row}-inferred_because"]',
        "The faculty's plan for 2027 gives 90 credits.",
    )
    page.locator('input[name="_save"]').click()
    expect(page.get_by_text("The proposal is saved.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()

    # Approved and published by the reviewer.
    review.goto(proposal_address)
    review.get_by_role("button", name="Approve").click()
    expect(review.locator(".proposal-state")).to_have_text("Approved")
    review.get_by_role("button", name="Publish now").click()
    expect(review.locator(".proposal-state")).to_have_text("Published")

    # Everyone sees it now: the page, the CSV and the programme's feed.
    public.goto(f"{live_catalog.url}/programmes/{SLUG}/")
    expect(public.get_by_text("90 ECTS").first).to_be_visible()
    expect(public.get_by_text("Statistics and probability").first).to_be_visible()
    csv = public.request.get(f"{live_catalog.url}/programmes/export.csv").text()
    row = next(line for line in csv.splitlines() if SLUG in line)
    assert ",90," in row or ";90;" in row
    feed = public.request.get(f"{live_catalog.url}/programmes/{SLUG}/changes.atom").text()
    assert "90" in feed and "Statistics and probability" in feed
