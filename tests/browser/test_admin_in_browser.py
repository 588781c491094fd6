"""The admissions staff's admin in a real browser."""

import pytest
from django.conf import settings
from django.test import Client

from programs.models import Programme
from tests import factories

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 900])
def test_a_programmes_part_tables_scroll_in_their_own_box_on_narrow_screens(
    browser, live_catalog, width
):
    """A wide inline table scrolls inside its panel; the page itself does not scroll sideways.

    Django's own admin styles do this (the inline group scrolls); this guards it.
    """
    client = Client()
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    context = browser.new_context(viewport={"width": width, "height": 740})
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_catalog.url}]
    )
    page = context.new_page()
    programme = Programme.objects.get(slug="health-informatics")

    page.goto(f"{live_catalog.url}/admin/programs/programme/{programme.pk}/change/")

    assert page.locator("#modules-group table").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the change page scrolls sideways by {overflow}px at {width}px"
    table_width, panel_width, panel_scrolls = page.evaluate(
        """(() => {
            const group = document.querySelector('#modules-group');
            return [group.querySelector('table').scrollWidth, group.clientWidth,
                    getComputedStyle(group).overflowX];
        })()"""
    )
    assert table_width > panel_width and panel_scrolls in {"auto", "scroll"}
    context.close()
