"""The site works in a real browser: pages render and the main landmarks are there."""

import pytest

pytestmark = pytest.mark.browser


def test_home_page_lists_the_catalog_in_a_real_browser(page, live_catalog):
    page.goto(live_catalog.url + "/")
    assert page.locator("h1").first.is_visible()
    assert page.get_by_role("link", name="Skip to content").count() == 1
