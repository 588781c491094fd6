"""Issue 30, phones: how many programmes are chosen is in sight on every page ("Compare (2)" in
the header, a compare bar that stays at the bottom of a phone's list), and the compare page keeps
the programmes' names in view while scrolling, shows only the differences on request, and prints
three programmes on an A4 page turned sideways; on a desk and at 390 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.support import factories

pytestmark = pytest.mark.browser

WIDTHS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
THREE = "/compare/?p=medical-data-science&p=data-driven-health&p=health-informatics"


@pytest.fixture(params=WIDTHS, ids=list(WIDTHS))
def page_at_width(request, browser):
    context = browser.new_context(viewport=WIDTHS[request.param])
    yield context.new_page()
    context.close()


def header_count(page):
    return page.locator("nav.site-nav a[href$='/compare/'] .compare-count")


def test_the_header_counts_the_programmes_chosen_on_every_page(page_at_width, live_catalog):
    page = page_at_width
    page.goto(live_catalog.url + "/programmes/")
    expect(header_count(page)).to_have_text("")

    page.get_by_role("button", name="Add to compare: Health Informatics").click()
    expect(header_count(page)).to_have_text("1 programme chosen")
    page.get_by_role("button", name="Add to compare: Medical Data Science").click()
    expect(header_count(page)).to_have_text("2 programmes chosen")
    expect(header_count(page).locator(".count-badge")).to_be_visible()
    expect(header_count(page).locator(".count-badge")).to_have_text("2")
    # On every page, and in the link's name a screen reader reads.
    for path in ("/universities/", "/programmes/medical-data-science/", "/de/programmes/"):
        page.goto(live_catalog.url + path)
        expect(header_count(page).locator(".count-badge")).to_have_text("2")
    page.goto(live_catalog.url + "/modules/")
    expect(
        page.locator("nav.site-nav").get_by_role("link", name="Compare 2 programmes chosen")
    ).to_be_visible()

    page.get_by_role("link", name="Compare 2 programmes chosen").click()
    page.get_by_role("button", name="Remove Health Informatics from the comparison").click()
    expect(header_count(page).locator(".count-badge")).to_have_text("1")


def test_a_kept_page_never_carries_another_visitors_count(browser, live_catalog):
    """Pages are kept for visitors without a session (programs/web/page_cache.py): the one who
    chose two programmes sees their count, the next visitor sees none."""
    chooser = browser.new_context()
    page = chooser.new_page()
    page.goto(live_catalog.url + "/programmes/")
    page.get_by_role("button", name="Add to compare: Health Informatics").click()
    # Each choice answered before the next, as a person sees it (two at once race for the session).
    expect(header_count(page).locator(".count-badge")).to_have_text("1")
    page.get_by_role("button", name="Add to compare: Data-driven Health").click()
    expect(header_count(page).locator(".count-badge")).to_have_text("2")
    page.goto(live_catalog.url + "/programmes/")
    expect(header_count(page).locator(".count-badge")).to_have_text("2")

    for _ in range(2):  # the first visit keeps the page, the second is served the kept one
        stranger = browser.new_context()
        other = stranger.new_page()
        other.goto(live_catalog.url + "/programmes/")
        expect(header_count(other)).to_have_text("")
        expect(other.locator("#compare-bar")).to_be_hidden()
        stranger.close()
    chooser.close()


@pytest.fixture
def long_list(live_catalog):
    """The real catalog and 30 more programmes: a first page of 20 cards to scroll through."""
    for index in range(30):
        factories.ProgrammeFactory(title=f"Zeta programme {index:02d}", ects=120)
    return live_catalog


def test_on_a_phone_the_compare_button_stays_at_the_bottom_while_scrolling(browser, long_list):
    context = browser.new_context(viewport=WIDTHS["phone"])
    page = context.new_page()
    page.goto(long_list.url + "/programmes/")
    page.get_by_role("button", name="Add to compare: Health Informatics").click()
    page.get_by_role("button", name="Add to compare: Medical Data Science").click()
    bar = page.locator("#compare-bar")
    expect(bar).to_contain_text("Compare 2 chosen programmes")

    page.evaluate("window.scrollTo(0, 3000)")

    box = bar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(844, abs=1)
    assert box["height"] < 80, "on a phone the bar is the button alone"
    expect(bar.get_by_role("link", name="Compare 2 chosen programmes")).to_be_in_viewport()
    context.close()


def test_the_programme_names_stay_in_view_while_the_facts_scroll(page_at_width, live_catalog):
    page = page_at_width
    page.goto(live_catalog.url + THREE)
    name = page.locator("table.compare-table thead th[scope=col]").first
    region = page.locator(".compare-scroll")
    expect(name).to_contain_text("Medical Data Science")

    # Scrolled as a visitor would: the page to the table, then down through its facts.
    page.evaluate("window.scrollTo(0, document.querySelector('.compare-scroll').offsetTop)")
    region.hover()
    page.mouse.wheel(0, 400)
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(300)

    assert region.evaluate("element => element.scrollTop") > 300, "the facts did not scroll"
    top = region.bounding_box()["y"]
    assert name.bounding_box()["y"] == pytest.approx(top + 1, abs=2)
    expect(name).to_be_in_viewport()
    # Facts far down the table are under the names now.
    assert region.evaluate("element => element.scrollHeight > 2 * element.clientHeight")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_only_differences_hides_the_facts_all_programmes_state_alike(
    browser, live_catalog, javascript
):
    context = browser.new_context(viewport=WIDTHS["phone"], java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_catalog.url + THREE)
    rows = page.locator("table.compare-table tbody tr")
    alike = page.locator("table.compare-table tbody tr.same")
    all_rows, same = rows.count(), alike.count()
    assert same > 0, "the real programmes state some facts alike"

    page.get_by_role("link", name="Only differences").click()

    expect(page).to_have_url(re.compile(r"differences=only"))
    expect(rows).to_have_count(all_rows - same)
    expect(alike).to_have_count(0)
    expect(page.locator(".compare-view")).to_contain_text(f"{same} facts the programmes state")
    expect(page.get_by_role("link", name="Only differences")).to_have_attribute(
        "aria-current", "page"
    )
    if javascript:  # axe runs in the page's JavaScript
        serious, report = axe_violations(page)
        assert serious == [], report

    page.get_by_role("link", name="All facts").click()
    expect(rows).to_have_count(all_rows)
    context.close()


def test_three_programmes_print_on_a4_turned_sideways(page, live_catalog):
    page.goto(live_catalog.url + THREE)

    pdf = page.pdf(prefer_css_page_size=True, print_background=False)

    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert sizes, "no page size in the PDF"
    for width, height in sizes:
        # A4 landscape: 297 x 210 mm, 842 x 595 points.
        assert (round(float(width)), round(float(height))) == (842, 595)
    page.emulate_media(media="print")
    # Nothing cut off: the table is as wide as the page holds, the scroll box is gone.
    assert page.evaluate(
        """() => {
            const box = document.querySelector(".compare-scroll");
            return getComputedStyle(box).overflowX === "visible"
                && box.scrollWidth <= box.clientWidth + 1;
        }"""
    )
    expect(page.locator("table.compare-table thead th[scope=col]")).to_have_count(3)
    expect(page.locator(".compare-view")).to_be_hidden()
