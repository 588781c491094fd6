"""Catalog editions in a real browser: a student goes from a programme to last year's edition of
it, reads what changed since, and comes back; the edition pages have no accessibility faults."""

import datetime

import pytest
from playwright.sync_api import expect

from programs.actions.editions import open_edition, publish_edition
from programs.actions.saving import programme_write
from programs.models import Programme
from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser

SLUG = "medical-data-science"


@pytest.fixture
def two_editions(live_catalog):
    """2025/26 archived when 2026/27 became current, then the programme's ECTS changed."""
    last_year = open_edition(2025, datetime.date(2025, 9, 1))
    publish_edition(last_year)
    this_year = open_edition(2026, datetime.date(2026, 9, 1))
    publish_edition(this_year, today=datetime.date(2026, 9, 1))
    programme = Programme.objects.get(slug=SLUG)
    with programme_write() as write:
        programme.ects = 121
        programme.save()
        write.wrote(programme.pk)
    return live_catalog


def test_a_student_reads_last_years_edition_and_comes_back(page, two_editions):
    page.goto(two_editions.url + f"/programmes/{SLUG}/")
    editions = page.get_by_role("navigation", name="This programme in each catalog edition")
    expect(editions).to_contain_text("2026/27 (current)")
    editions.get_by_role("link", name="2025/26").click()

    expect(page).to_have_url(two_editions.url + f"/editions/2025-26/programmes/{SLUG}/")
    banner = page.locator(".edition-banner")
    expect(banner).to_contain_text("Catalog edition 2025/26")
    expect(banner).to_contain_text("archived on")
    # Last year's facts, and what changed since, in the change log's words.
    expect(page.locator("#key-facts")).to_contain_text("90")
    expect(page.locator("#key-facts")).not_to_contain_text("121")
    expect(banner).to_contain_text(
        "2026/27 (current) \N{EN DASH} since the edition before: Changed: ECTS"
    )

    banner.get_by_role("link", name="This programme in the current catalog").click()
    expect(page).to_have_url(two_editions.url + f"/programmes/{SLUG}/")
    expect(page.locator("#key-facts")).to_contain_text("121")


@pytest.mark.parametrize(
    "path",
    ["/editions/", "/editions/2025-26/programmes/", f"/editions/2025-26/programmes/{SLUG}/"],
)
def test_edition_pages_have_no_accessibility_violations(page, two_editions, path):
    page.goto(two_editions.url + path)
    found, report = axe_violations(page, impacts=None)
    assert found == [], report
