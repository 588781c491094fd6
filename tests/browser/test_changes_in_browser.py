"""The change log in a real browser: readable without JavaScript, no accessibility faults."""

import pytest
from playwright.sync_api import expect

from programs.changelog.changes import record_public_changes
from programs.models import Programme
from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def changed_catalog(live_catalog):
    """The real catalog, published, and one programme changed since."""
    programme = Programme.objects.get(slug="medical-data-science")
    Programme.objects.filter(pk=programme.pk).update(ects=121, study_mode=None)
    record_public_changes(programme)
    return live_catalog


@pytest.mark.parametrize(
    "path",
    [
        "/changes/",
        "/changes/?country=DE&language=xx",
        "/programmes/medical-data-science/#changes",
    ],
)
def test_change_pages_have_no_accessibility_violations(page, changed_catalog, path):
    page.goto(changed_catalog.url + path)
    found, report = axe_violations(page, impacts=None)
    assert found == [], report


def test_the_change_log_reads_and_filters_without_javascript(browser, changed_catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(changed_catalog.url + "/programmes/?country=DE")
    page.get_by_role("link", name="What changed").first.click()

    expect(page).to_have_url(changed_catalog.url + "/changes/?country=DE")
    expect(page.locator(".change")).to_have_count(2)
    expect(page.locator(".change").first).to_contain_text("ECTS credits: 90 ECTS → 121 ECTS")
    expect(page.locator(".change").first).to_contain_text("Study mode: Part-time → not stated")

    page.get_by_role("link", name="Country: Germany (remove this filter)").click()
    expect(page.locator(".change")).to_have_count(5)
    page.get_by_role("link", name="Medical Data Science").first.click()
    expect(page.locator("#changes")).to_contain_text("ECTS credits: 90 ECTS → 121 ECTS")
    context.close()
