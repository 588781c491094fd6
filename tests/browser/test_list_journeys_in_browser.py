"""The list as a phone user, an advisor sharing addresses and a keyboard user take it (issue 17,
items 6, 10 and 12), in real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations
from tests.support import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ENGLISH = 'input[name="language"][value="en"]'


@pytest.fixture
def long_catalog(live_catalog):
    """The real catalog and 41 more programmes taught in English: 3 pages of 20."""
    english = factories.models.Language.objects.get(code="en")
    for index in range(41):
        factories.ProgrammeFactory(
            title=f"Zeta programme {index:02d}", ects=120, languages=[english]
        )
    return live_catalog


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def in_viewport(page, selector):
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def open_phone_list(browser, url, **options):
    context = browser.new_context(viewport=PHONE, has_touch=True, **options)
    page = context.new_page()
    page.goto(url)
    return context, page


# Item 6: on a phone, a filter change and a page change show the count and focus it.


def test_on_a_phone_closing_the_filters_brings_the_result_count_into_view(browser, long_catalog):
    """Issue 30 (phones) replaced the jump to the results after every tick: the filters are a
    sheet the visitor closes, and closing it shows the new count (test_filter_sheet_in_browser)."""
    context, page = open_phone_list(browser, long_catalog.url + "/programmes/")
    page.locator("#facet-panel summary").click()

    page.locator(ENGLISH).check()

    expect(page).to_have_url(re.compile(r"language=en"))
    expect(page.locator("#results-heading")).to_contain_text("programmes match your filters")
    expect(page.locator(ENGLISH)).to_be_focused()
    page.locator("#filter-sheet-close").click()
    expect(page.locator("#facet-panel summary")).to_be_focused()
    assert in_viewport(page, "#results-heading")
    context.close()


def test_on_a_wide_screen_focus_stays_on_the_filter_while_the_count_is_in_view(page, live_catalog):
    """Beside the filters the new count is visible (and announced): keyboard users can tick
    several filters in a row without being sent back from the results each time."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_catalog.url + "/programmes/")
    page.locator(ENGLISH).focus()
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"language=en"))
    expect(page.locator("#result-status")).to_have_text("3 programmes found.")
    expect(page.locator(ENGLISH)).to_be_focused()
    assert in_viewport(page, "#results-heading")


def test_on_a_phone_next_shows_the_new_page_from_its_count(browser, long_catalog):
    context, page = open_phone_list(browser, long_catalog.url + "/programmes/")
    page.get_by_role("link", name="Next →").click()

    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#results-heading")).to_contain_text("page 2 of 3")
    expect(page.locator("#results-heading")).to_be_focused()
    assert in_viewport(page, "#results-heading")
    context.close()


def test_numbered_pages_take_you_to_that_page_with_htmx(page, long_catalog):
    page.goto(long_catalog.url + "/programmes/")
    page.evaluate("window.__notReloaded = true")
    page.locator(".pagination").get_by_role("link", name="Page 3").click()

    expect(page).to_have_url(re.compile(r"/programmes/\?page=3$"))
    expect(page.locator('.pagination a[aria-current="page"]')).to_have_text("Page 3")
    expect(page.locator("#results-heading")).to_be_focused()
    assert page.evaluate("window.__notReloaded") is True


def test_numbered_pages_work_without_javascript(browser, long_catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(long_catalog.url + "/programmes/?ects_min=100")
    page.locator(".pagination").get_by_role("link", name="Page 2").click()
    expect(page).to_have_url(re.compile(r"/programmes/\?ects_min=100&page=2$"))
    expect(page.locator('.pagination a[aria-current="page"]')).to_have_text("Page 2")
    context.close()


# Item 10: short addresses without JavaScript, the way back, "Copy link".


def test_a_form_sent_without_javascript_lands_on_the_short_address(browser, live_catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_catalog.url + "/programmes/")
    page.locator('input[name="country"][value="SE"]').check()
    page.locator('input[name="country"][value="IT"]').check()
    page.get_by_role("button", name="Apply filters").click()

    # In the form's order (countries by name), and nothing else.
    expect(page).to_have_url(live_catalog.url + "/programmes/?country=IT&country=SE")
    expect(page.locator("#results-heading")).to_contain_text("2 programmes match your filters")
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    context.close()


def test_programmes_lead_back_to_the_filtered_list_they_were_opened_from(page, long_catalog):
    page.goto(long_catalog.url + "/programmes/")
    page.locator(ENGLISH).check()
    expect(page).to_have_url(re.compile(r"language=en"))
    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"language=en&page=2"))
    list_address = page.url

    page.locator(".programme-card h3 a").first.click()
    expect(page.locator("h1")).to_have_text(re.compile("Zeta programme"))
    # The page's own address for sharing stays the bare one.
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert "?" not in canonical

    page.locator(".detail-kicker").get_by_role("link", name="Programmes").click()
    expect(page).to_have_url(list_address)
    expect(page.locator(ENGLISH)).to_be_checked()
    expect(page.locator("#results-heading")).to_contain_text("page 2 of 3")


def test_the_way_back_works_without_javascript(browser, live_catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_catalog.url + "/programmes/?country=SE&country=DE")
    page.get_by_role("link", name="Medical Data Science").click()
    page.locator(".detail-kicker").get_by_role("link", name="Programmes").click()
    expect(page).to_have_url(live_catalog.url + "/programmes/?country=SE&country=DE")
    context.close()


@pytest.mark.parametrize(
    ("path", "copied"),
    [
        ("/programmes/?language=en", "/programmes/?language=en&country=DE"),
        (
            "/programmes/medical-data-science/?from=language%3Den",
            "/programmes/medical-data-science/",
        ),
        (
            "/compare/?p=medical-data-science&p=data-driven-health&from=language%3Den",
            "/compare/?p=medical-data-science&p=data-driven-health",
        ),
    ],
)
def test_copy_link_copies_the_address_to_share_and_says_so(browser, live_catalog, path, copied):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_catalog.url)
    page = context.new_page()
    page.goto(live_catalog.url + path)
    if path.startswith("/programmes/?"):
        # The list copies the address as it is after an in-place update.
        page.locator('input[name="country"][value="DE"]').check()
        expect(page).to_have_url(re.compile(r"country=DE"))

    page.get_by_role("button", name="Copy link").click()

    expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == live_catalog.url + copied
    context.close()


# Item 12: keyboard and screen-reader use.


def test_skip_to_results_reaches_the_first_result_in_a_few_tab_stops(page, live_catalog):
    page.goto(live_catalog.url + "/programmes/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to results")
    page.keyboard.press("Enter")
    expect(page.locator("#results-heading")).to_be_focused()

    stops = 0
    while not page.evaluate("document.activeElement.matches('.programme-card h3 a')"):
        page.keyboard.press("Tab")
        stops += 1
        assert stops <= 5, "more than 5 tab stops from the results heading to the first result"
    # Two skip links, Enter, then the CSV, the workbook (issue 30), "What changed" and "Copy
    # link" links and the result.
    assert stops + 2 <= 7


def test_removing_a_chip_keeps_focus_on_the_results(page, live_catalog):
    page.goto(live_catalog.url + "/programmes/?language=en&country=SE")
    chip = page.locator(".chip", has_text="Country: Sweden")
    chip.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_catalog.url + "/programmes/?language=en")
    expect(page.locator("#results-heading")).to_be_focused()
    assert focused_id(page) == "results-heading"


def test_changing_page_by_keyboard_keeps_focus_on_the_results(page, long_catalog):
    page.goto(long_catalog.url + "/programmes/")
    page.get_by_role("link", name="Next →").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#results-heading")).to_be_focused()


def relative_luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# For the focused element: its outline colour and the colour behind the ring (the first opaque
# background under a point just outside the element, where the 2px offset ring is drawn).
RING_AND_BACKGROUND = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    const x = Math.max(1, box.left - 3.5), y = box.top + box.height / 2;
    const rgb = (text) => (text.match(/\\d+(\\.\\d+)?/g) || []).map(Number);
    for (const under of document.elementsFromPoint(x, y)) {
        if (under === element || element.contains(under)) continue;
        const colour = rgb(getComputedStyle(under).backgroundColor);
        if (colour.length === 3 || colour[3] > 0) {
            return {
                name: element.outerHTML.slice(0, 80),
                width: style.outlineWidth, ring: rgb(style.outlineColor).slice(0, 3),
                background: colour.slice(0, 3),
            };
        }
    }
    return {name: element.outerHTML.slice(0, 80), width: style.outlineWidth,
            ring: rgb(style.outlineColor).slice(0, 3), background: [255, 255, 255]};
}"""


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/?language=en&country=DE",
        "/programmes/medical-data-science/",
        "/compare/?p=medical-data-science&p=data-driven-health",
    ],
)
def test_the_focus_ring_has_3_to_1_contrast_wherever_it_is_drawn(page, live_catalog, path):
    page.goto(live_catalog.url + path)
    low = []
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        found = page.evaluate(RING_AND_BACKGROUND)
        assert found["width"] == "3px", found
        ratio = contrast(found["ring"], found["background"])
        if ratio < 3:
            low.append((round(ratio, 2), found))
    assert low == []


def test_on_this_page_lists_about_the_programme(page, live_catalog):
    page.goto(live_catalog.url + "/programmes/medical-data-science/")
    contents = page.get_by_role("navigation", name="On this page")
    contents.get_by_role("link", name="About the programme").click()
    expect(page).to_have_url(re.compile(r"#about$"))
    expect(page.locator("#about-heading")).to_be_in_viewport()


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/?page=2",
        "/programmes/?country=SE&country=IT&study_mode=part-time",
        "/programmes/data-driven-health/?from=language%3Den",
        "/compare/?p=medical-data-science&p=data-driven-health&from=language%3Den",
    ],
)
def test_changed_pages_have_no_serious_accessibility_violations(page, long_catalog, path):
    page.goto(long_catalog.url + path)
    serious, report = axe_violations(page)
    assert serious == [], report
