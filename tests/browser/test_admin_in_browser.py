"""The admissions staff's admin in a real browser."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from programs.models import Programme
from tests.browser.accessibility import axe_violations
from tests.support import factories

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


def signed_in_page(browser, live_catalog, user, width=1280, height=800):
    """A browser page signed in as `user` (through the session cookie force_login made)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": height})
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_catalog.url}]
    )
    return context.new_page()


@pytest.mark.parametrize("slug", ["applied-ai-in-healthcare", "medical-data-science"])
def test_every_column_of_the_part_tables_and_their_delete_boxes_fit_a_1280px_window(
    browser, live_catalog, slug
):
    """Issue 17: the modules' table was 1,950 px wide, with Delete and two columns off-screen."""
    page = signed_in_page(
        browser, live_catalog, factories.UserFactory(is_staff=True, is_superuser=True)
    )
    programme = Programme.objects.get(slug=slug)

    page.goto(f"{live_catalog.url}/admin/programs/programme/{programme.pk}/change/")

    page_width, window_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert page_width <= window_width, f"the page scrolls sideways by {page_width - window_width}px"
    tables = page.evaluate(
        """[...document.querySelectorAll('.inline-group')].map(group => {
            const table = group.querySelector('table');
            const cells = [...table.querySelectorAll('th, td.delete, input, select, textarea')]
                .filter(cell => cell.getClientRects().length && cell.type !== 'hidden');
            return {
                id: group.id,
                tableWidth: table.scrollWidth,
                panelWidth: group.clientWidth,
                rightmost: Math.max(...cells.map(cell => cell.getBoundingClientRect().right)),
                columns: table.querySelectorAll('thead th').length,
            };
        })"""
    )
    assert {table["id"] for table in tables} >= {"modules-group", "semesters-group"}
    for table in tables:
        assert table["tableWidth"] <= table["panelWidth"], table
        assert table["rightmost"] <= window_width, table
    # Every row that exists has its Delete box on screen, in the window's width.
    boxes = page.locator('.inline-group td.delete input[type="checkbox"]')
    assert boxes.count() >= programme.modules.count()
    for box in boxes.all():
        left, right = box.evaluate(
            "b => [b.getBoundingClientRect().left, b.getBoundingClientRect().right]"
        )
        assert left >= 0 and right <= window_width
    page.context.close()


def test_the_history_page_passes_axe_and_its_intro_is_not_on_the_blue_heading(
    browser, live_catalog
):
    """The parts' module slid its blue heading behind the intro text: dark on blue."""
    page = signed_in_page(
        browser, live_catalog, factories.UserFactory(is_staff=True, is_superuser=True)
    )
    programme = Programme.objects.get(slug="medical-data-science")

    page.goto(f"{live_catalog.url}/admin/programs/programme/{programme.pk}/history/")

    intro = page.locator(".history-intro")
    heading = page.locator("#part-history h2")
    intro_box, heading_box = intro.bounding_box(), heading.bounding_box()
    assert intro_box["y"] + intro_box["height"] <= heading_box["y"], (intro_box, heading_box)
    serious, report = axe_violations(page, impacts=None)
    assert serious == [], report
    page.context.close()


def test_the_draft_preview_links_back_to_editing_and_publishes(browser, live_catalog):
    programme = Programme.objects.get(slug="health-informatics")
    Programme.objects.filter(pk=programme.pk).update(published=False)
    staff = factories.StaffUserFactory(universities=programme.universities.all())
    page = signed_in_page(browser, live_catalog, staff)

    page.goto(f"{live_catalog.url}/programmes/{programme.slug}/")
    serious, report = axe_violations(page)
    assert serious == [], report
    page.get_by_role("link", name="Edit this programme").click()
    assert page.url.endswith(f"/admin/programs/programme/{programme.pk}/change/")
    page.go_back()
    page.get_by_role("button", name="Publish it now").click()

    assert page.url == f"{live_catalog.url}/programmes/{programme.slug}/"
    assert "everyone can see it now" in page.locator(".messages").inner_text()
    assert page.locator(".draft-banner").count() == 0
    assert Programme.objects.get(pk=programme.pk).published
    page.context.close()


def test_bulk_publishing_an_incomplete_draft_asks_on_a_page_axe_passes(browser, live_catalog):
    programme = Programme.objects.get(slug="health-informatics")
    Programme.objects.filter(pk=programme.pk).update(published=False, study_mode=None)
    staff = factories.StaffUserFactory(universities=programme.universities.all())
    page = signed_in_page(browser, live_catalog, staff)

    page.goto(f"{live_catalog.url}/admin/programs/programme/")
    page.locator(f'input[name="_selected_action"][value="{programme.pk}"]').check()
    page.locator('select[name="action"]').select_option("publish")
    page.locator('button[name="index"]').click()

    expect(page.locator(".publish-checklist")).to_contain_text("Study mode")
    serious, report = axe_violations(page, impacts=None)
    assert serious == [], report
    assert not Programme.objects.get(pk=programme.pk).published
    page.get_by_role("button", name="Publish even though core facts are not stated").click()

    expect(page.locator(".messagelist")).to_contain_text("Published 1 programme.")
    assert Programme.objects.get(pk=programme.pk).published
    page.context.close()
