"""Search that forgives, in Chromium on a desktop and a 390 px phone: a German student types
"Gesundheitsdaten" on /de/ and sees the health data programmes, with what was searched for; a
misspelt search follows its "did you mean" to results; axe finds nothing to fault."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(WIDTHS))
def german_page(request, browser):
    context = browser.new_context(viewport=WIDTHS[request.param], locale="de-DE")
    yield context.new_page()
    context.close()


def test_a_german_student_finds_health_data_by_its_german_word(german_page, live_catalog):
    page = german_page
    page.goto(live_catalog.url + "/")
    expect(page).to_have_url(re.compile(r"/de/$"))
    page.fill("#id_q", "Gesundheitsdaten")
    page.locator("#id_q").press("Enter")

    expect(page).to_have_url(re.compile(r"q=Gesundheitsdaten"))
    expect(page.locator("#search-help")).to_contain_text(
        "Ergebnisse für health data (aus „Gesundheitsdaten“)."
    )
    # Every real programme is about health and data: each is found, as "health data" finds it.
    expect(page.locator(".programme-card")).to_have_count(4)
    violations, report = axe_violations(page, impacts=None)
    assert violations == [], report


def test_a_misspelt_search_follows_its_did_you_mean_to_results(german_page, live_catalog):
    page = german_page
    page.goto(live_catalog.url + "/de/programmes/?q=heath+data")
    expect(page.locator(".programme-card")).to_have_count(0)
    # On a German page a search finding nothing also says the texts are English.
    expect(page.locator("#search-help")).to_contain_text("Die Texte der Studiengänge")
    violations, report = axe_violations(page, impacts=None)
    assert violations == [], report

    page.locator("#search-help").get_by_role("link", name="health data").click()

    expect(page).to_have_url(re.compile(r"q=health\+data"))
    expect(page.locator(".programme-card")).to_have_count(4)


def test_a_languages_name_offers_the_filter_in_place_of_the_word(browser, live_catalog):
    context = browser.new_context(viewport=WIDTHS["phone"], locale="sv-SE")
    page = context.new_page()
    page.goto(live_catalog.url + "/sv/programmes/?q=medicinsk+engelska")
    expect(page.locator("#search-help")).to_contain_text("Undervisning på engelska?")
    violations, report = axe_violations(page, impacts=None)
    assert violations == [], report

    page.locator("#search-help").get_by_role("link", name="Filtrera på undervisningsspråk").click()

    expect(page).to_have_url(re.compile(r"q=medicinsk&language=en$"))
    expect(page.locator('input[name="language"][value="en"]')).to_be_checked()
    expect(page.locator(".programme-card")).not_to_have_count(0)
    context.close()


def test_a_fields_german_word_offers_the_field_in_place_of_the_search(german_page, live_catalog):
    page = german_page
    page.goto(live_catalog.url + "/de/programmes/?q=Informatik")
    offer = page.locator("#search-help .search-field")
    expect(offer).to_contain_text("Studienfeld: Interdisziplinäre Programme")
    violations, report = axe_violations(page, impacts=None)
    assert violations == [], report

    offer.get_by_role("link", name="seine 4 Studiengänge zeigen").click()

    expect(page).to_have_url(re.compile(r"/de/programmes/\?field=068$"))
    expect(page.locator('input[name="field"][value="068"]')).to_be_checked()
    expect(page.locator(".programme-card")).to_have_count(4)
