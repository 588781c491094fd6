"""htmx starts a slice at a time (static/js/htmx-start.js), and a reader who acts before it has
finished still gets htmx's in-place update, not a page load: the first sign of them finishes the
job before their event reaches the element."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

GERMAN = 'input[name="language"][value="de"]'

# Keeps htmx-start.js at its first step: its slices (and htmx's own start after them) are put off
# forever, as on a phone still busy when the reader taps.
STALLED = """
const setTimeoutBefore = window.setTimeout;
window.setTimeout = function (callback, ...rest) {
  if (callback && (callback.name === "work" || callback.name === "finish")) return 0;
  return setTimeoutBefore.call(this, callback, ...rest);
};
"""


def stalled_list(page, url):
    page.add_init_script(STALLED)
    page.goto(url)
    # A marker on the window survives an htmx swap but not a full page load.
    page.evaluate("window.__notReloaded = true")


def test_until_it_is_needed_htmx_has_not_set_up_the_page(page, live_catalog):
    """The stalled page really is stalled (else the tests below would prove nothing)."""
    stalled_list(page, live_catalog.url + "/programmes/")
    page.wait_for_timeout(300)

    assert page.evaluate("Boolean(window.htmx)")
    assert not page.evaluate("'htmx-internal-data' in document.getElementById('filters')")


def test_a_filter_ticked_before_htmx_has_finished_updates_the_list_in_place(page, live_catalog):
    stalled_list(page, live_catalog.url + "/programmes/")

    page.locator(GERMAN).check()

    expect(page).to_have_url(re.compile(r"[?&]language=de"))
    expect(page.locator(".programme-card")).to_have_count(1)
    assert page.evaluate("window.__notReloaded") is True, "the page reloaded instead of swapping"
    # htmx's own start ran too: Back restores the list from its history.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"language=de"))
    expect(page.locator(".programme-card")).to_have_count(4)


def test_a_sort_chosen_before_htmx_has_finished_updates_the_list_in_place(page, live_catalog):
    """Choosing from a list sends only input and change events, no touch or click."""
    stalled_list(page, live_catalog.url + "/programmes/")

    page.locator("#id_sort").select_option("-ects")

    expect(page).to_have_url(re.compile(r"[?&]sort=-ects"))
    assert page.evaluate("window.__notReloaded") is True, "the page reloaded instead of swapping"


def test_htmx_follows_its_settings_when_it_has_finished(page, live_catalog):
    """Left to itself the page is set up in a moment, with the settings of base.html's meta tag
    (no eval, no inline styles: the Content-Security-Policy's)."""
    page.goto(live_catalog.url + "/programmes/")

    page.wait_for_function("'htmx-internal-data' in document.getElementById('filters')")
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
