"""Following in a real browser: the feed opened in Chromium reads as a page, not raw XML, under
the site's Content-Security-Policy; the follow and alert pages have no accessibility faults."""

import pytest
from playwright.sync_api import expect

from programs.actions import alerts
from programs.changelog.changes import record_public_changes
from programs.models import Programme
from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def changed_catalog(live_catalog):
    """The real catalog, and one programme changed since it was published."""
    programme = Programme.objects.get(slug="medical-data-science")
    Programme.objects.filter(pk=programme.pk).update(ects=121)
    record_public_changes(programme)
    return live_catalog


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_a_feed_opened_in_chromium_reads_as_a_page(page, changed_catalog, prefix):
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Refused to load" in message.text else None,
    )
    page.goto(changed_catalog.url + prefix + "/programmes/medical-data-science/changes.atom")

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Medical Data Science")
    # Each change is a list item a person reads, its escapes undone, not XML markup.
    entry = page.locator(".feed-entries > li").first
    expect(entry).to_contain_text("ECTS credits: 90 ECTS → 121 ECTS" if not prefix else "121 ECTS")
    expect(page.locator("body")).not_to_contain_text("<li>")
    expect(page.locator("body")).not_to_contain_text("This XML file does not appear")
    # Styled by the site's own stylesheet, which the policy lets in.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.feed-page')).maxWidth") != "none"
    )
    # Chromium's own XSLT deprecation banner carries inline styles the policy blocks; nothing of
    # the site's (the stylesheet, the XSLT) is refused.
    assert refused == []


def test_the_programme_page_leads_to_its_follow_page(page, changed_catalog):
    page.goto(changed_catalog.url + "/programmes/medical-data-science/")
    page.get_by_role("link", name="Follow this programme's changes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Follow Medical Data Science")
    expect(page.get_by_label("The feed's address")).to_have_value(
        changed_catalog.url + "/programmes/medical-data-science/changes.atom"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/medical-data-science/follow/",
        "/de/programmes/medical-data-science/follow/",
        "/changes/follow/?country=DE",
        "/sv/changes/follow/?country=xx",
    ],
)
def test_follow_pages_have_no_accessibility_violations(page, changed_catalog, path):
    page.goto(changed_catalog.url + path)
    found, report = axe_violations(page, impacts=None)
    assert found == [], report


def test_a_refused_address_is_marked_and_linked_without_accessibility_faults(page, changed_catalog):
    page.goto(changed_catalog.url + "/programmes/medical-data-science/follow/")
    page.get_by_label("Your e-mail address").fill("not an address")
    page.get_by_role("button", name="Send me e-mails").click()
    expect(page.locator("#email-error")).to_contain_text("This is not an e-mail address")
    expect(page.get_by_label("Your e-mail address")).to_have_attribute("aria-invalid", "true")
    found, report = axe_violations(page, impacts=None)
    assert found == [], report


def test_the_alert_pages_have_no_accessibility_violations(page, changed_catalog):
    programme = Programme.objects.get(slug="medical-data-science")
    alert, _ = alerts.ask("ada@example.org", "en", programme=programme)
    confirm = f"/alerts/confirm/{alerts.confirmation_token(alert)}/"
    unsubscribe = f"/alerts/unsubscribe/{alerts.unsubscribe_token(alert)}/"

    page.goto(changed_catalog.url + confirm)
    assert axe_violations(page, impacts=None)[0] == []
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".follow-page [role=status]")).to_contain_text("Confirmed: ada@example.org")
    assert axe_violations(page, impacts=None)[0] == []

    page.goto(changed_catalog.url + unsubscribe)
    assert axe_violations(page, impacts=None)[0] == []
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator(".follow-page [role=status]")).to_contain_text("the address was deleted")
    found, report = axe_violations(page, impacts=None)
    assert found == [], report
