"""The site's languages in Chromium: switching keeps the filters, with and without JavaScript;
the browser's language picks the home page's; axe finds nothing to fault in any language."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser


def test_switching_language_keeps_filters_chosen_in_place_with_htmx(page, live_catalog):
    page.goto(live_catalog.url + "/programmes/")
    page.locator('input[name="language"][value="en"]').check()
    expect(page).to_have_url(re.compile(r"/programmes/\?language=en$"))
    expect(page.locator(".programme-card")).to_have_count(3)

    # The switcher came back with the results, so it knows the filter chosen without a reload.
    page.locator("#language-switcher").get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(re.compile(r"/de/programmes/\?language=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Studiengänge")
    expect(page.locator('input[name="language"][value="en"]')).to_be_checked()
    expect(page.locator(".programme-card")).to_have_count(3)

    page.locator("#language-switcher").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/programmes/\?language=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_switching_language_works_without_javascript(browser, live_catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_catalog.url + "/it/programmes/?country=SE&sort=-ects")
    expect(page.locator("#id_country_se")).to_be_checked()
    page.locator("#language-switcher").get_by_role("link", name="Svenska").click()
    expect(page).to_have_url(re.compile(r"/sv/programmes/\?country=SE&sort=-ects$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Utbildningsprogram")
    expect(page.locator("#id_country_se")).to_be_checked()
    expect(page.locator("label", has=page.locator("#id_country_se"))).to_contain_text("Sverige")
    context.close()


def test_the_home_page_opens_in_the_browsers_language(browser, live_catalog):
    context = browser.new_context(locale="it-IT")
    page = context.new_page()
    page.goto(live_catalog.url + "/")
    expect(page).to_have_url(re.compile(r"/it/$"))
    expect(page.locator("html")).to_have_attribute("lang", "it")
    context.close()


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
    ids=["desk", "phone"],
)
def test_the_kept_english_home_page_never_answers_another_language(browser, live_catalog, viewport):
    # Issue 30, item 1: an English visitor's request makes / a kept page; it used to answer
    # every later visitor, whatever their browser's language or their choice in the switcher.
    english = browser.new_context(locale="en-GB", viewport=viewport)
    english.new_page().goto(live_catalog.url + "/")
    english.new_page().goto(live_catalog.url + "/")  # now answered from the kept copy
    english.close()

    for locale, language in (("it-IT", "it"), ("de-DE", "de"), ("sv-SE", "sv")):
        context = browser.new_context(locale=locale, viewport=viewport)
        page = context.new_page()
        page.goto(live_catalog.url + "/")
        expect(page).to_have_url(re.compile(rf"/{language}/$"))
        expect(page.locator("html")).to_have_attribute("lang", language)
        context.close()

    # An English browser that chose Svenska in the switcher keeps it on coming back to /.
    context = browser.new_context(locale="en-GB", viewport=viewport)
    page = context.new_page()
    page.goto(live_catalog.url + "/")
    page.locator("#language-switcher").get_by_role("link", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.goto(live_catalog.url + "/")
    expect(page).to_have_url(re.compile(r"/sv/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    context.close()


@pytest.mark.parametrize("language", ["de", "it", "sv"])
@pytest.mark.parametrize(
    "path",
    [
        "/programmes/?language=en",
        "/programmes/?field=068&duration_min=4",
        "/programmes/health-informatics/",
        "/compare/?p=medical-data-science&p=data-driven-health",
        "/shortlist/",
        "/universities/rwth-aachen/",
        "/no-such-page/",
    ],
)
def test_no_accessibility_violation_in_any_language(page, live_catalog, language, path):
    page.goto(f"{live_catalog.url}/{language}{path}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    found, report = axe_violations(page, impacts=None)
    assert found == [], report
