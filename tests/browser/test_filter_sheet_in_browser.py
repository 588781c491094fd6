"""Issue 30, phones: on a phone the filters open in a sheet the visitor closes themselves, with a
live "Show 3 programmes" on its close button, instead of the page jumping down to the results after
every tick; a desk keeps its filters beside the results, and without JavaScript they are a form."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
ENGLISH = 'input[name="language"][value="en"]'


def open_list(browser, live_server, viewport, javascript=True):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/programmes/")
    return context, page


def settled(page):
    """Wait until htmx has finished the update (swapped and settled)."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def sheet_close(page):
    return page.locator("#filter-sheet-close")


def test_on_a_phone_the_filters_open_in_a_sheet_that_covers_the_page(browser, live_catalog):
    context, page = open_list(browser, live_catalog, PHONE)
    summary = page.locator("#facet-panel > summary")
    expect(sheet_close(page)).to_be_hidden()

    summary.click()

    box = page.locator("#facet-panel").bounding_box()
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 844)
    expect(sheet_close(page)).to_be_visible()
    expect(sheet_close(page)).to_have_text("Show 4 programmes")
    # The page behind can't take focus (it is covered): the results are inert.
    assert page.evaluate("document.getElementById('results').closest('[inert]') !== null")
    serious, report = axe_violations(page)
    assert serious == [], report
    context.close()


def test_ticking_in_the_sheet_updates_its_count_and_does_not_jump_to_the_results(
    browser, live_catalog
):
    context, page = open_list(browser, live_catalog, PHONE)
    page.locator("#facet-panel > summary").click()
    page.locator(ENGLISH).scroll_into_view_if_needed()
    scrolled = page.evaluate("document.getElementById('facet-panel').scrollTop")

    page.locator(ENGLISH).check()

    expect(page).to_have_url(re.compile(r"language=en"))
    # The list's own count, the one the results heading shows behind the sheet.
    expect(sheet_close(page)).to_have_text("Show 3 programmes")
    expect(page.locator("#results-heading")).to_contain_text("3 programmes match")
    # Still in the sheet, at the box just ticked: not sent to the results 2,000 px below.
    expect(sheet_close(page)).to_be_visible()
    expect(page.locator(ENGLISH)).to_be_focused()
    expect(page.locator(ENGLISH)).to_be_in_viewport()
    assert page.evaluate("document.getElementById('facet-panel').scrollTop") == scrolled
    expect(page.locator("#results-heading")).not_to_be_focused()

    page.locator(ENGLISH).uncheck()
    expect(sheet_close(page)).to_have_text("Show 4 programmes")
    expect(page.locator("#results-heading")).to_have_text("4 programmes")
    serious, report = axe_violations(page)
    assert serious == [], report
    context.close()


@pytest.mark.parametrize("how", ["button", "escape", "heading"])
def test_closing_the_sheet_shows_the_results_and_gives_focus_back(browser, live_catalog, how):
    context, page = open_list(browser, live_catalog, PHONE)
    summary = page.locator("#facet-panel > summary")
    summary.click()
    page.locator(ENGLISH).check()
    expect(sheet_close(page)).to_have_text("Show 3 programmes")
    settled(page)

    if how == "button":
        sheet_close(page).click()
    elif how == "escape":
        page.keyboard.press("Escape")
    else:
        summary.click()

    expect(page.locator(ENGLISH)).to_be_hidden()
    expect(summary).to_be_focused()
    expect(page.locator(".programme-card").first).to_be_in_viewport()
    expect(page.locator("#results-heading")).to_be_in_viewport()
    assert page.evaluate("document.querySelector('[inert]')") is None
    expect(page.locator(".programme-card")).to_have_count(3)
    context.close()


def test_on_a_desk_the_filters_stay_beside_the_results(browser, live_catalog):
    context, page = open_list(browser, live_catalog, DESK)
    expect(page.locator(ENGLISH)).to_be_visible()
    page.locator(ENGLISH).check()
    expect(page.locator("#results-heading")).to_contain_text("3 programmes match")
    expect(sheet_close(page)).to_be_hidden()
    assert page.locator("#facet-panel").bounding_box()["width"] < 400
    assert page.evaluate("document.querySelector('[inert]')") is None
    context.close()


def test_without_javascript_the_phone_filters_are_a_plain_form(browser, live_catalog):
    context, page = open_list(browser, live_catalog, PHONE, javascript=False)
    page.locator("#facet-panel > summary").click()
    expect(sheet_close(page)).to_be_hidden()
    page.locator(ENGLISH).check()
    page.locator("#filters").get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"language=en"))
    expect(page.locator(".programme-card")).to_have_count(3)
    context.close()
