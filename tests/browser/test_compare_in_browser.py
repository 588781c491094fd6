"""Issue 17, item 1 in a real browser: the compare choice adds up, with and without JavaScript.

Adding from two programme pages compares both; a programme chosen on the first page of results is
still chosen after going to the second; the Compare menu link opens the choice.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.support import factories

pytestmark = pytest.mark.browser


def column_titles(page):
    return page.locator("table.compare-table thead th[scope=col] > a")


@pytest.mark.parametrize("java_script_enabled", [True, False])
def test_adding_from_two_programme_pages_compares_both(browser, live_catalog, java_script_enabled):
    context = browser.new_context(java_script_enabled=java_script_enabled)
    page = context.new_page()
    page.goto(live_catalog.url + "/programmes/medical-data-science/")
    page.get_by_role("button", name="Add to compare: Medical Data Science").click()
    expect(page.locator(".compare-help")).to_contain_text("choose at least one more")
    page.goto(live_catalog.url + "/programmes/data-driven-health/")
    page.get_by_role("button", name="Add to compare: Data-driven Health").click()
    expect(page).to_have_url(re.compile(r"/compare/\?p=medical-data-science&p=data-driven-health$"))
    expect(column_titles(page)).to_have_text(["Medical Data Science", "Data-driven Health"])
    # The menu link opens the same choice from anywhere.
    page.goto(live_catalog.url + "/universities/")
    # Its name says how many are chosen (issue 30: "Compare (2)" on every page).
    page.locator("nav.site-nav").get_by_role("link", name="Compare 2 programmes chosen").click()
    expect(column_titles(page)).to_have_text(["Medical Data Science", "Data-driven Health"])
    context.close()


@pytest.fixture
def two_pages(live_server, transactional_db):
    """25 published programmes: 20 on the first page of results, 5 on the second."""
    for number in range(25):
        factories.ProgrammeFactory(title=f"Programme {number:02d}", slug=f"programme-{number:02d}")
    return live_server


@pytest.mark.parametrize("java_script_enabled", [True, False])
def test_choice_on_list_page_one_is_kept_on_page_two(browser, two_pages, java_script_enabled):
    context = browser.new_context(java_script_enabled=java_script_enabled)
    page = context.new_page()
    page.goto(two_pages.url + "/programmes/")
    if java_script_enabled:
        page.evaluate("window.__notReloaded = true")
    page.get_by_role("button", name="Add to compare: Programme 03").click()
    expect(
        page.get_by_role("button", name="Remove Programme 03 from the comparison")
    ).to_be_visible()
    expect(page.locator("#compare-bar")).to_contain_text("Compare 1 chosen programme")
    if java_script_enabled:
        assert page.evaluate("window.__notReloaded") is True, "htmx should update in place"

    page.get_by_role("link", name=re.compile("Next")).click()
    expect(page.get_by_role("link", name="Programme 22")).to_be_visible()
    expect(page.locator("#compare-bar")).to_contain_text("Compare 1 chosen programme")
    page.get_by_role("button", name="Add to compare: Programme 22").click()
    expect(page.locator("#compare-bar")).to_contain_text("Compare 2 chosen programmes")
    # Back on the first page, the earlier choice still shows as chosen.
    page.goto(two_pages.url + "/programmes/")
    expect(
        page.get_by_role("button", name="Remove Programme 03 from the comparison")
    ).to_be_visible()

    page.get_by_role("link", name="Compare 2 chosen programmes").click()
    expect(page).to_have_url(re.compile(r"/compare/\?p=programme-03&p=programme-22$"))
    expect(column_titles(page)).to_have_text(["Programme 03", "Programme 22"])

    # Removing a column on the compare page is remembered too.
    page.get_by_role("button", name="Remove Programme 03 from the comparison").click()
    expect(page).to_have_url(re.compile(r"/compare/\?p=programme-22$"))
    page.goto(two_pages.url + "/compare/")
    expect(page).to_have_url(re.compile(r"/compare/\?p=programme-22$"))
    context.close()


def test_compare_menu_link_without_a_choice_says_how_to_choose(page, live_catalog):
    page.goto(live_catalog.url + "/")
    page.locator("nav.site-nav").get_by_role("link", name="Compare", exact=True).click()
    expect(page.locator(".compare-help")).to_contain_text("Add to compare")
    expect(page.get_by_role("checkbox")).to_have_count(4)


def test_list_and_compare_controls_have_no_serious_accessibility_violations(page, live_catalog):
    page.goto(live_catalog.url + "/programmes/")
    page.get_by_role("button", name="Add to compare: Health Informatics").click()
    expect(page.locator("#compare-bar")).to_contain_text("Compare 1 chosen programme")
    serious, report = axe_violations(page)
    assert serious == [], report
    page.goto(live_catalog.url + "/programmes/health-informatics/")
    serious, report = axe_violations(page)
    assert serious == [], report
