"""Issue 30: the programme change form passes axe (its select2 and inline selects were
unlabelled: 145 and 30 critical violations), and its error summary leads to the field."""

import pytest

from programs.models import Programme
from tests.browser.accessibility import axe_violations
from tests.browser.test_admin_in_browser import signed_in_page
from tests.support import factories

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_the_change_form_passes_axe(browser, live_catalog, width):
    page = signed_in_page(
        browser,
        live_catalog,
        factories.UserFactory(is_staff=True, is_superuser=True),
        width=width,
    )
    programme = Programme.objects.get(slug="medical-data-science")
    page.goto(f"{live_catalog.url}/admin/programs/programme/{programme.pk}/change/")
    page.wait_for_selector(".select2-container")

    violations, report = axe_violations(page, impacts=None)
    assert violations == [], report
    page.context.close()


def test_the_change_form_with_errors_passes_axe_and_its_summary_leads_to_the_field(
    browser, live_catalog
):
    page = signed_in_page(
        browser, live_catalog, factories.UserFactory(is_staff=True, is_superuser=True)
    )
    programme = Programme.objects.get(slug="medical-data-science")
    page.goto(f"{live_catalog.url}/admin/programs/programme/{programme.pk}/change/")
    page.fill("#id_ects", "-5")
    page.locator("input[name=_continue]").click()

    summary = page.locator("#error-summary")
    summary.wait_for()  # the form comes back from the server with its errors
    assert summary.is_visible()
    summary.get_by_role("link", name="ECTS credits").click()
    assert page.evaluate("location.hash") == "#id_ects"
    violations, report = axe_violations(page, impacts=None)
    assert violations == [], report
    page.context.close()
