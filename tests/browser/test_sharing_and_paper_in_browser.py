"""Issue 30, sharing and paper: the shortlist's read-only link has a Copy button (the Clipboard
API, with a "Link copied" that is announced) and a Share button where the browser can share;
printed lists and shortlists carry each programme's full address, its official page and the
date; on a desk and at 390 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser

WIDTHS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


@pytest.fixture(params=WIDTHS, ids=list(WIDTHS))
def context(request, browser, live_catalog):
    context = browser.new_context(viewport=WIDTHS[request.param])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_catalog.url)
    yield context
    context.close()


def shortlist_with_a_link(page, url):
    """Two programmes on the shortlist and its read-only link made; the link's address."""
    for slug in ("medical-data-science", "health-informatics"):
        page.goto(f"{url}/programmes/{slug}/")
        page.locator(".shortlist-control button[type=submit]").first.click()
        expect(page.locator("#shortlist-count .count-badge")).to_be_visible()
    page.goto(url + "/shortlist/")
    page.get_by_role("button", name="Make a read-only link").click()
    return page.locator("#share-url").input_value()


def test_copy_puts_the_shared_link_on_the_clipboard_and_says_so(context, live_catalog):
    page = context.new_page()
    share_url = shortlist_with_a_link(page, live_catalog.url)
    assert re.match(re.escape(live_catalog.url) + r"/shortlist/[\w-]+/$", share_url)
    section = page.locator("#share")

    section.get_by_role("button", name="Copy link").click()

    expect(section.locator(".copy-link-status")).to_have_text("Link copied")
    expect(section.locator(".copy-link-status")).to_have_attribute("role", "status")
    assert page.evaluate("navigator.clipboard.readText()") == share_url
    serious, report = axe_violations(page)
    assert serious == [], report


def test_share_is_offered_only_where_the_browser_can_share(context, live_catalog):
    page = context.new_page()
    shortlist_with_a_link(page, live_catalog.url)
    # Chromium on Linux has no Web Share API: no button that would do nothing.
    assert page.evaluate("typeof navigator.share") == "undefined"
    expect(page.locator("#share").get_by_role("button", name="Share")).to_be_hidden()


def test_share_hands_the_link_to_the_system_where_it_can(context, live_catalog):
    page = context.new_page()
    share_url = shortlist_with_a_link(page, live_catalog.url)
    context.add_init_script(
        "navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };"
    )
    page.reload()

    page.locator("#share").get_by_role("button", name="Share").click()

    assert page.evaluate("window.__shared") == {"title": "My shortlist", "url": share_url}


def printed(page):
    page.emulate_media(media="print")
    return page


def test_a_printed_list_carries_each_programmes_addresses_and_the_date(context, live_catalog):
    page = context.new_page()
    page.goto(live_catalog.url + "/programmes/")
    addresses = page.locator(".programme-card .print-addresses")
    expect(addresses.first).to_be_hidden()  # on screen the links are there to click

    printed(page)

    expect(addresses).to_have_count(4)
    card = page.locator(".programme-card", has=page.get_by_role("link", name="Health Informatics"))
    expect(card.locator(".print-addresses")).to_be_visible()
    expect(card.locator(".print-addresses")).to_contain_text(
        f"In the catalog{live_catalog.url}/programmes/health-informatics/"
    )
    with_official = page.locator(".print-addresses", has_text="Official page")
    assert with_official.count() >= 1
    expect(with_official.first.locator("dd").last).to_have_text(re.compile(r"^https?://"))
    printed_on = page.locator(".printed-on")
    expect(printed_on).to_be_visible()
    expect(printed_on).to_contain_text(f"Printed from {live_catalog.url}/")
    today = page.evaluate("new Date().toISOString().slice(0, 10)")
    expect(printed_on.locator("time")).to_have_attribute("datetime", today)
    # The controls stay on screen.
    for selector in (".card-actions", "#filters", ".export-link", ".compare-bar"):
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()


def test_a_printed_shortlist_carries_each_programmes_addresses_and_the_date(context, live_catalog):
    page = context.new_page()
    share_url = shortlist_with_a_link(page, live_catalog.url)
    for path in ("/shortlist/", share_url.removeprefix(live_catalog.url)):
        page.goto(live_catalog.url + path)
        printed(page)
        entry = page.locator(".shortlist-entry", has_text="Health Informatics")
        expect(entry.locator(".print-addresses")).to_be_visible()
        expect(entry.locator(".print-addresses")).to_contain_text(
            f"{live_catalog.url}/programmes/health-informatics/"
        )
        expect(page.locator(".printed-on time")).to_be_visible()
        expect(page.locator(".share-link-actions")).to_be_hidden()
        page.emulate_media(media="screen")


def test_a_printed_german_list_has_german_addresses(context, live_catalog):
    page = context.new_page()
    page.goto(live_catalog.url + "/de/programmes/")
    printed(page)
    expect(page.locator(".print-addresses").first).to_contain_text(
        f"Im Katalog{live_catalog.url}/de/programmes/"
    )
