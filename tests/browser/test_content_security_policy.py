"""The strict Content-Security-Policy breaks nothing: Chromium reports no violation anywhere.

Chromium fires `securitypolicyviolation` for every blocked script, style, image or frame; a
script Playwright adds before each page (outside the page's policy) records them.
"""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from programs.models import Programme, University
from tests.support import factories

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} at ` +
    `${event.sourceFile}:${event.lineNumber}`);
});
"""

PUBLIC_PAGES = [
    "/",
    "/programmes/?language=en&ects_min=60",
    "/programmes/?q=data",
    "/programmes/medical-data-science/",
    "/programmes/health-informatics/",
    "/compare/?p=medical-data-science&p=health-informatics&p=data-driven-health",
    "/compare/",
    "/universities/",
    "/universities/?q=milano&country=IT",
    "/universities/rwth-aachen/",
    "/programmes/medical-data-science/follow/",
    "/changes/follow/?country=SE",
    "/modules/?q=data",
    "/programmes/no-such-programme/",
    "/changes/",
    "/changes/?country=SE",
    "/shortlist/",
    # The other languages' pages, with their switcher and source-language note.
    "/de/programmes/?language=en",
    "/it/programmes/health-informatics/",
    "/sv/compare/?p=medical-data-science&p=health-informatics",
]


@pytest.fixture
def watched_page(page):
    """A page that records CSP violations, and console errors about the policy or from htmx
    (an hx-trigger condition needs eval, which the policy forbids)."""
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "htmx:" in message.text
            else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    page.csp_console = console
    return page


def violations(page):
    return page.evaluate("window.__cspViolations") + page.csp_console


def test_public_pages_and_htmx_run_without_a_single_policy_violation(watched_page, live_catalog):
    page = watched_page
    found = {}
    for path in PUBLIC_PAGES:
        page.goto(live_catalog.url + path)
        page.wait_for_load_state("networkidle")
        if violations(page):
            found[path] = violations(page)
    assert found == {}

    # A shortlist: added with htmx, shared, and opened by its read-only link.
    page.goto(live_catalog.url + "/programmes/medical-data-science/")
    page.get_by_role("button", name=re.compile("Add to shortlist")).first.click()
    expect(page.locator(".count-badge")).to_have_text("1")
    page.goto(live_catalog.url + "/shortlist/")
    page.get_by_role("button", name="Make a read-only link").click()
    shared = page.locator("#share-url").input_value()
    page.goto(shared)
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], shared

    # htmx still swaps the results in place under the policy.
    page.goto(live_catalog.url + "/programmes/")
    page.evaluate("window.__notReloaded = true")
    page.locator('input[name="language"][value="de"]').check()
    expect(page.locator(".programme-card")).to_have_count(1)
    assert page.evaluate("window.__notReloaded") is True
    assert violations(page) == []


def test_the_admin_pages_staff_use_run_without_a_policy_violation(
    watched_page, live_catalog, settings
):
    settings.ADMIN_REQUIRE_2FA = True
    page = watched_page
    rwth = University.objects.get(slug="rwth-aachen")
    factories.StaffUserFactory(username="alice", universities=[rwth])
    programme = Programme.objects.get(slug="medical-data-science")
    found = {}

    def visit(path):
        page.goto(live_catalog.url + path)
        page.wait_for_load_state("networkidle")
        if violations(page):
            found[path] = violations(page)

    # Sign in through the real form, then set up two-factor sign-in on the staff member's page.
    visit("/admin/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/two-factor/$"))
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="alice")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("#id_token", f"{code:06d}")
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    for path in [
        "/admin/",
        "/admin/programs/programme/",
        "/admin/programs/programme/?published__exact=1",
        f"/admin/programs/programme/{programme.pk}/change/",
        f"/admin/programs/programme/{programme.pk}/history/",
        "/admin/programs/programme/add/",
        "/admin/programs/university/",
        f"/admin/programs/university/{rwth.pk}/change/",
        "/admin/two-factor/",
        "/admin/password_change/",
        "/admin/programs/programme/import/",
        "/admin/programs/programme/export/",
    ]:
        visit(path)

    # The spreadsheet import's preview page, with its table of changes.
    visit("/admin/programs/programme/import/")
    page.set_input_files(
        "#id_programmes",
        files=[
            {
                "name": "programmes.csv",
                "mimeType": "text/csv",
                "buffer": b"slug,title,universities\nnew-one,New one,rwth-aachen\n",
            }
        ],
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".import-preview")).to_be_visible()
    if violations(page):
        found["import preview"] = violations(page)

    # The autocomplete of offering universities (select2) works under the policy.
    visit("/admin/programs/programme/add/")
    page.locator("#offerings-group .select2-selection").first.click()
    expect(page.locator(".select2-results__option").first).to_contain_text("RWTH")
    assert violations(page) == []
    assert found == {}
