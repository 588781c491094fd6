"""What a person sees in a real browser: htmx filtering, Back, no-JavaScript use, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser

GERMAN = 'input[name="language"][value="de"]'


def result_titles(page):
    return page.locator(".programme-card h2, .programme-card h3").all_inner_texts()


def test_ticking_a_language_updates_results_in_place_and_back_restores_them(page, live_catalog):
    page.goto(live_catalog.url + "/programmes/")
    expect(page.locator(".programme-card")).to_have_count(4)
    # A marker on the window survives an htmx swap but not a full page load.
    page.evaluate("window.__notReloaded = true")

    page.locator(GERMAN).check()

    expect(page).to_have_url(re.compile(r"[?&]language=de"))
    expect(page.locator(".programme-card")).to_have_count(1)
    assert result_titles(page) == ["Medical Data Science"]
    assert page.evaluate("window.__notReloaded") is True, "the page reloaded instead of swapping"
    expect(page).to_have_title("Programmes: Teaching language: German · Curriculum catalog")

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"language=de"))
    expect(page.locator(".programme-card")).to_have_count(4)
    expect(page).to_have_title("Study programmes · Curriculum catalog")


def test_a_shared_filter_link_shows_the_same_results(page, live_catalog):
    page.goto(live_catalog.url + "/programmes/?ects_min=100")
    assert result_titles(page) == ["Data-driven Health"]
    expect(page.locator('input[name="ects_min"]')).to_have_value("100")


def test_filters_work_without_javascript(browser, live_catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_catalog.url + "/programmes/")
    page.locator(GERMAN).check()
    page.locator("#filters").get_by_role(
        "button", name=re.compile("Search|Apply|Show")
    ).first.click()
    expect(page).to_have_url(re.compile(r"language=de"))
    assert result_titles(page) == ["Medical Data Science"]
    context.close()


def test_compare_two_programmes_from_the_list_without_javascript(browser, live_catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_catalog.url + "/programmes/")
    page.get_by_role("button", name="Add to compare: Medical Data Science").click()
    page.get_by_role("button", name="Add to compare: Data-driven Health").click()
    page.get_by_role("link", name="Compare 2 chosen programmes").click()
    # In the order they were chosen.
    expect(page).to_have_url(re.compile(r"/compare/\?p=medical-data-science&p=data-driven-health"))
    expect(page.locator("table")).to_contain_text("120")
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/",
        "/programmes/?language=xx&ects_min=abc",
        # A field of study and duration bounds, one of each refused and marked.
        "/programmes/?field=068&field=zzz&duration_min=6&duration_max=2",
        "/programmes/medical-data-science/",
        "/compare/?p=medical-data-science&p=health-informatics",
        "/universities/",
        "/modules/?q=imaging",
    ],
)
def test_pages_have_no_serious_accessibility_violations(page, live_catalog, path):
    page.goto(live_catalog.url + path)
    serious, report = axe_violations(page)
    assert serious == [], report


def test_phone_width_has_no_sideways_scrolling(browser, live_catalog):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for path in [
        "/programmes/",
        "/programmes/health-informatics/",
        "/compare/?p=medical-data-science&p=data-driven-health",
    ]:
        page.goto(live_catalog.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px"
    context.close()


def test_leaving_the_search_box_waits_for_the_search_to_be_submitted(page, live_catalog):
    """Only the filters apply on change; the typed search runs when submitted (Enter)."""
    page.goto(live_catalog.url + "/programmes/")
    page.fill("#id_q", "imaging")
    page.locator("#id_q").press("Tab")
    page.wait_for_timeout(700)
    expect(page).not_to_have_url(re.compile(r"q=imaging"))

    page.locator("#id_q").press("Enter")

    expect(page).to_have_url(re.compile(r"q=imaging"))
