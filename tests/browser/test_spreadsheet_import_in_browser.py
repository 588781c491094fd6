"""Staff import a small XLSX in Chromium: upload, read the preview, confirm, see the programmes
(a new one published at once, the change to a published one as its proposal)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from programs.models import Programme, Proposal, University
from programs.transfer.spreadsheet_columns import MODULE_COLUMNS
from tests.support import factories
from tests.support.spreadsheet_files import xlsx_bytes

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_staff_import_a_small_xlsx_preview_it_confirm_and_see_the_programmes(browser, live_catalog):
    rwth = University.objects.get(slug="rwth-aachen")
    client = Client()
    client.force_login(factories.StaffUserFactory(username="alice", universities=[rwth]))
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_catalog.url,
            }
        ]
    )
    page = context.new_page()
    programmes = xlsx_bytes(
        [
            {
                "slug": "medical-data-science",
                "title": "Medical Data Science",
                "universities": "rwth-aachen",
                "ects": "120",
                "languages": "de; en",
                "published": "yes",
            },
            {
                "slug": "clinical-ai",
                "title": "Clinical AI",
                "universities": "rwth-aachen",
                "ects": "120",
                "languages": "en",
                "published": "yes",
            },
        ],
        # Only these columns: the others are left as they are.
        ["slug", "title", "universities", "ects", "languages", "published"],
    )
    modules = xlsx_bytes(
        [
            {
                "programme": "clinical-ai",
                "position": "0",
                "title": "Deep learning for imaging",
                "kind": "compulsory",
                "ects": "7.5",
            }
        ],
        MODULE_COLUMNS,
    )

    page.goto(f"{live_catalog.url}/admin/programs/programme/")
    page.get_by_role("link", name="Import from a spreadsheet").click()
    page.set_input_files(
        "#id_programmes", files=[{"name": "ours.xlsx", "mimeType": XLSX, "buffer": programmes}]
    )
    page.set_input_files(
        "#id_modules", files=[{"name": "modules.xlsx", "mimeType": XLSX, "buffer": modules}]
    )
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("table.import-preview tbody tr")
    expect(preview).to_have_count(3)
    expect(preview.nth(0)).to_contain_text("medical-data-science")
    expect(preview.nth(0)).to_contain_text("changed")
    expect(preview.nth(0).locator("del")).to_have_text("90")
    expect(preview.nth(0).locator("ins")).to_have_text("120")
    expect(preview.nth(1)).to_contain_text("clinical-ai")
    expect(preview.nth(1)).to_contain_text("new")
    expect(preview.nth(2)).to_contain_text("clinical-ai #0")
    expect(page.locator(".import-proposals")).to_contain_text(
        "medical-data-science (Medical Data Science): a new proposal"
    )
    assert not Programme.objects.filter(slug="clinical-ai").exists()

    page.get_by_role("button", name="Confirm the import").click()

    expect(page).to_have_url(re.compile(r"/admin/programs/programme/import/\?done$"))
    expect(page.locator(".messagelist")).to_contain_text(
        "Imported ours.xlsx, modules.xlsx: 2 new, 1 changed"
    )
    proposal = Proposal.objects.get()
    link = page.locator(".import-proposals").get_by_role("link", name="Medical Data Science")
    expect(link).to_have_attribute("href", f"/admin/programs/proposal/{proposal.pk}/change/")
    expect(page.locator(".import-proposals")).to_contain_text(
        "These published programmes are unchanged until their proposals are approved"
    )
    expect(page.locator(".import-created")).to_contain_text("Clinical AI: published at once")
    # The published programme is as it was; the proposal holds the new ECTS.
    page.goto(f"{live_catalog.url}/programmes/medical-data-science/")
    expect(page.locator("main")).to_contain_text("90 ECTS")
    assert proposal.proposed["programme"]["ects"] == 120
    page.goto(f"{live_catalog.url}/programmes/clinical-ai/")
    expect(page.locator("h1")).to_have_text("Clinical AI")
    expect(page.locator("main")).to_contain_text("Deep learning for imaging")
    context.close()
