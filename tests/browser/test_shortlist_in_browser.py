"""A shortlist in a real browser: keep three programmes, note one, share it, open the link
elsewhere and compare from it; with JavaScript (htmx, in place) and without (plain forms)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser

CHOSEN = ["Medical Data Science", "Health Informatics", "Data-driven Health"]
NOTE = "Ask about the admission test <b>before</b> March"


def keep_note_and_share(page, base_url, in_place=False):
    """Add three programmes from the list, note the second, share; returns the shared link.

    `in_place`: the adds must update the button and the header counter without a page load.
    """
    page.goto(base_url + "/programmes/")
    if in_place:
        # A marker on the window survives an htmx swap but not a full page load.
        page.evaluate("window.__notReloaded = true")
    for count, title in enumerate(CHOSEN, start=1):
        page.get_by_role("button", name=f"Add to shortlist: {title}").click()
        remove = page.get_by_role("button", name=f"Remove {title} from your shortlist")
        expect(remove).to_be_visible()
        expected = f"{count} programme{'s' if count > 1 else ''}"
        expect(page.locator("#shortlist-count")).to_have_text(expected)
    if in_place:
        assert page.evaluate("window.__notReloaded") is True, "htmx should update in place"

    page.get_by_role("link", name=re.compile(r"^Shortlist")).click()
    expect(page).to_have_url(re.compile(r"/shortlist/$"))
    expect(page.locator(".shortlist-entry h2")).to_have_text(CHOSEN)
    page.get_by_label("Your note").nth(1).fill(NOTE)
    page.get_by_role("button", name="Save note on Health Informatics").click()
    expect(page.get_by_text("Your note on “Health Informatics” is saved.")).to_be_visible()
    expect(page.get_by_label("Your note").nth(1)).to_have_value(NOTE)

    page.get_by_role("button", name="Make a read-only link").click()
    link = page.get_by_label("Read-only link").input_value()
    assert re.fullmatch(re.escape(base_url) + r"/shortlist/[-_A-Za-z0-9]{43}/", link)
    return link


def open_elsewhere_and_compare(browser, link, java_script_enabled):
    """A fresh browser context (another person) opens the link, reads the note and compares."""
    context = browser.new_context(java_script_enabled=java_script_enabled)
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("A shared shortlist")
    expect(page.locator(".shortlist-entry h2")).to_have_text(CHOSEN)
    # The note is text, markup and all.
    expect(page.locator(".entry-note p")).to_have_text(NOTE)
    expect(page.locator(".entry-note b")).to_have_count(0)
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.locator("#shortlist-count")).to_have_text("")

    page.get_by_role("link", name="Compare all 3").click()
    expect(page).to_have_url(
        re.compile(r"/compare/\?p=medical-data-science&p=health-informatics&p=data-driven-health$")
    )
    expect(page.locator("table.compare-table thead th")).to_have_count(3)

    # The other person can take the list as their own.
    page.go_back()
    page.get_by_role("button", name="Copy to my shortlist").click()
    expect(page).to_have_url(re.compile(r"/shortlist/$"))
    expect(page.locator(".shortlist-entry h2")).to_have_text(CHOSEN)
    expect(page.get_by_label("Your note").nth(1)).to_have_value(NOTE)
    context.close()


def test_keep_note_share_and_compare_with_javascript(page, browser, live_catalog):
    link = keep_note_and_share(page, live_catalog.url, in_place=True)
    open_elsewhere_and_compare(browser, link, java_script_enabled=True)


def test_keep_note_share_and_compare_without_javascript(browser, live_catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    link = keep_note_and_share(page, live_catalog.url)
    context.close()
    open_elsewhere_and_compare(browser, link, java_script_enabled=False)


def test_add_to_shortlist_from_a_programme_page(page, live_catalog):
    page.goto(live_catalog.url + "/programmes/health-informatics/")
    page.get_by_role("button", name="Add to shortlist: Health Informatics").click()
    expect(page.locator(".shortlist-state")).to_have_text("✓ On your shortlist")
    expect(page.locator("#shortlist-count")).to_have_text("1 programme")


def test_shortlist_pages_have_no_serious_accessibility_violations(page, live_catalog):
    link = keep_note_and_share(page, live_catalog.url)
    for url in (live_catalog.url + "/shortlist/", link, live_catalog.url + "/programmes/"):
        page.goto(url)
        serious, report = axe_violations(page)
        assert serious == [], report


def test_shortlist_has_no_sideways_scrolling_at_phone_width(browser, live_catalog):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    link = keep_note_and_share(page, live_catalog.url)
    for url in (live_catalog.url + "/shortlist/", link):
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at 360px"
    context.close()


def test_printing_shows_the_list_without_navigation_or_controls(page, live_catalog):
    keep_note_and_share(page, live_catalog.url)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("textarea").first).to_be_hidden()
    expect(page.get_by_role("button")).to_have_count(0)
    expect(page.locator(".entry-note p")).to_have_text(NOTE)
    expect(page.locator(".shortlist-entry h2")).to_have_text(CHOSEN)
