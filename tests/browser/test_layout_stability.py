"""Nothing moves as a page loads (Lighthouse's cumulative layout shift), and the filter panel,
folded on a phone and open on a desk, opens and closes with and without JavaScript."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
GERMAN = 'input[name="language"][value="de"]'

# Every layout shift since the page started loading (buffered), as Lighthouse adds them up.
LAYOUT_SHIFT = """
() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) total += entry.value;
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})
"""


def open_page(browser, viewport, path, live_server, javascript=True):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + path, wait_until="load")
    return context, page


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
@pytest.mark.parametrize(
    "path",
    ["/", "/programmes/", "/programmes/?language=en", "/de/programmes/"],
)
def test_the_list_does_not_shift_while_it_loads(browser, live_catalog, viewport, path):
    context, page = open_page(browser, viewport, path, live_catalog)
    page.wait_for_timeout(500)  # past DOMContentLoaded, where filters.js used to fold the panel

    shift = page.evaluate(LAYOUT_SHIFT)

    assert shift < 0.01, f"{path} shifted by {shift:.3f} while loading"
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/medical-data-science/",
        "/compare/?p=medical-data-science&p=data-driven-health",
        "/universities/",
        "/modules/",
    ],
)
def test_other_pages_do_not_shift_on_a_phone(browser, live_catalog, path):
    context, page = open_page(browser, PHONE, path, live_catalog)
    page.wait_for_timeout(300)
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_phone_the_filters_start_folded_and_open_on_request(browser, live_catalog, javascript):
    context, page = open_page(browser, PHONE, "/programmes/", live_catalog, javascript)
    summary = page.locator("#facet-panel > summary")
    german = page.locator(GERMAN)
    expect(german).to_be_hidden()
    # The first result is in view without scrolling past the filters.
    assert page.locator(".programme-card").first.bounding_box()["y"] < PHONE["height"]

    summary.click()
    expect(german).to_be_visible()
    german.check()
    if not javascript:
        page.locator("#filters").get_by_role("button", name="Apply filters").click()
    expect(page.locator(".programme-card")).to_have_count(1)
    # After htmx's refresh the panel is as the reader left it; a newly loaded page (without
    # JavaScript) starts folded again, with the ticked box inside.
    if javascript:
        expect(german).to_be_visible()
        summary.click()
        expect(german).to_be_hidden()
    else:
        expect(german).to_be_hidden()
        summary.click()
        expect(german).to_be_checked()
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_desk_the_filters_are_open_from_the_start(browser, live_catalog, javascript):
    context, page = open_page(browser, DESK, "/programmes/", live_catalog, javascript)
    german = page.locator(GERMAN)
    expect(german).to_be_visible()

    german.check()
    if not javascript:
        page.locator("#filters").get_by_role("button", name="Apply filters").click()
    expect(page.locator(".programme-card")).to_have_count(1)
    expect(german).to_be_visible()
    if javascript:  # the reader may still fold them
        page.locator("#facet-panel > summary").click()
        expect(german).to_be_hidden()
        page.locator("#facet-panel > summary").click()
        expect(german).to_be_visible()
    context.close()


def test_on_a_phone_an_invalid_filter_is_shown_unfolded(browser, live_catalog):
    context, page = open_page(browser, PHONE, "/programmes/?ects_min=abc", live_catalog)
    expect(page.locator("#id_ects_min")).to_be_visible()
    expect(page.locator("#id_ects_min")).to_have_attribute("aria-invalid", "true")
    context.close()


# The widths of the comparison's columns, then the same with every body row gone.
COLUMN_WIDTHS_WITH_AND_WITHOUT_BODY = """
() => {
  const table = document.querySelector(".compare-table");
  const widths = () => [...table.querySelectorAll("thead tr > *")].map(
    (cell) => Math.round(cell.getBoundingClientRect().width));
  const whole = widths();
  table.querySelector("tbody").remove();
  return [whole, widths()];
}
"""


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
@pytest.mark.parametrize("language", ["", "/de"], ids=["en", "de"])
def test_the_comparison_columns_are_settled_by_its_header_row(
    browser, live_catalog, viewport, language
):
    """A slow phone paints the table before all its rows have arrived: the columns must not widen
    when a later row's long word comes in, or every row below moves (CI saw a 0.057 shift)."""
    path = f"{language}/compare/?p=medical-data-science&p=data-driven-health&p=health-informatics"
    context, page = open_page(browser, viewport, path, live_catalog)

    whole, header_only = page.evaluate(COLUMN_WIDTHS_WITH_AND_WITHOUT_BODY)

    assert whole == header_only
    assert len(whole) == 4  # the row headers' column and three programmes
    context.close()
