"""The universities index in a real browser: found by name and country without JavaScript, on a
desktop and a phone, with no accessibility faults in any state of its search."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_a_university_is_found_by_name_and_country_without_javascript(browser, live_catalog, width):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    page.goto(live_catalog.url + "/universities/")
    page.get_by_label("University name").fill("university")
    page.get_by_role("button", name="Find universities").click()
    expect(page).to_have_url(live_catalog.url + "/universities/?q=university")
    expect(page.locator("tbody tr")).to_have_count(3)

    page.get_by_label("Country").select_option(label="Italy (1)")
    page.get_by_role("button", name="Find universities").click()
    expect(page).to_have_url(live_catalog.url + "/universities/?q=university&country=IT")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Vita-Salute San Raffaele University")
    # Nothing wider than the screen on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/universities/?q=milano",
        "/universities/?country=SE",
        "/universities/?country=XX",
        "/universities/?q=sorbonne",
        "/sv/universities/?country=IT",
    ],
)
def test_universities_search_states_have_no_accessibility_violations(page, live_catalog, path):
    page.goto(live_catalog.url + path)
    found, report = axe_violations(page, impacts=None)
    assert found == [], report
