"""Issue 30, item 5: the sticky compare bar never covers the element with keyboard focus (WCAG
2.2 AA 2.4.11, Focus Not Obscured), and it is not shown while nothing is chosen; in real Chromium
at desktop and phone width, on a list long enough to scroll under the bar."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.support import factories

pytestmark = pytest.mark.browser

WIDTHS = {
    "desktop": {"width": 1280, "height": 800},
    # The narrowest width with a sticky bar, where its hint wraps most.
    "narrow": {"width": 768, "height": 600},
    "phone": {"width": 390, "height": 844},
}

# The part of the focused element the bar covers, in square pixels (0 when the bar is hidden).
COVERED = """() => {
    const bar = document.getElementById("compare-bar");
    const focused = document.activeElement;
    if (!bar || bar.hidden || !focused || focused === document.body || bar.contains(focused)) {
        return 0;
    }
    const a = bar.getBoundingClientRect();
    const b = focused.getBoundingClientRect();
    const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return width > 0 && height > 0 ? width * height : 0;
}"""

DESCRIBE = """() => {
    const e = document.activeElement;
    return e.tagName + " " + (e.getAttribute("aria-label") || e.textContent.trim().slice(0, 60));
}"""


@pytest.fixture
def long_list(live_catalog):
    """The real catalog and 30 more programmes: a first page of 20 cards to tab through."""
    for index in range(30):
        factories.ProgrammeFactory(title=f"Zeta programme {index:02d}", ects=120)
    return live_catalog


@pytest.fixture(params=WIDTHS, ids=list(WIDTHS))
def page_at_width(request, browser):
    context = browser.new_context(viewport=WIDTHS[request.param])
    yield context.new_page()
    context.close()


def test_the_bar_is_shown_only_while_something_is_chosen(page_at_width, long_list):
    page = page_at_width
    page.goto(long_list.url + "/programmes/")
    bar = page.locator("#compare-bar")
    expect(bar).to_be_hidden()

    page.get_by_role("button", name="Add to compare: Health Informatics").click()
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("Compare 1 chosen programme")
    serious, report = axe_violations(page)
    assert serious == [], report

    page.get_by_role("button", name="Remove Health Informatics from the comparison").click()
    expect(bar).to_be_hidden()
    # And a page loaded with nothing chosen has it hidden too.
    page.reload()
    expect(bar).to_be_hidden()


def test_no_tab_stop_is_covered_by_the_compare_bar(page_at_width, long_list):
    page = page_at_width
    page.goto(long_list.url + "/programmes/")
    page.get_by_role("button", name="Add to compare: Health Informatics").click()
    expect(page.locator("#compare-bar")).to_be_visible()

    # From the top of the page, as a keyboard user starts.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".skip-link").first.focus()
    covered, stops = [], 1
    while stops < 400:
        page.keyboard.press("Tab")
        stops += 1
        if page.evaluate("document.activeElement === document.body"):
            break
        area = page.evaluate(COVERED)
        if area:
            covered.append((page.evaluate(DESCRIBE), area))
        if page.evaluate("document.activeElement.closest('footer') !== null"):
            break
    assert stops > 60, f"only {stops} tab stops: the walk did not reach the cards"
    assert covered == [], f"{len(covered)} of {stops} tab stops under the bar: {covered[:5]}"

    # Backwards too: Shift+Tab up through the cards.
    covered = []
    for _ in range(60):
        page.keyboard.press("Shift+Tab")
        area = page.evaluate(COVERED)
        if area:
            covered.append((page.evaluate(DESCRIBE), area))
    assert covered == [], f"{len(covered)} tab stops under the bar going back: {covered[:5]}"
