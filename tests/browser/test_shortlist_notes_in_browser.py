"""Issue 30, item 4: notes typed on three shortlist entries are not lost when one is saved. Each
note saves on its own, in place, and the others keep what was typed; leaving the page while a
box holds unsaved text asks first. In real Chromium at desktop and phone width."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
CHOSEN = ["Medical Data Science", "Health Informatics", "Data-driven Health"]
NOTES = ["Ask about the admission test", "Scholarship deadline in March", "Visit in May"]


@pytest.fixture(params=WIDTHS, ids=list(WIDTHS))
def context(request, browser):
    context = browser.new_context(viewport=WIDTHS[request.param])
    yield context
    context.close()


def shortlist_of_three(context, url):
    page = context.new_page()
    page.goto(url + "/programmes/")
    for title in CHOSEN:
        page.get_by_role("button", name=f"Add to shortlist: {title}").click()
        expect(
            page.get_by_role("button", name=f"Remove {title} from your shortlist")
        ).to_be_visible()
    page.goto(url + "/shortlist/")
    expect(page.locator(".shortlist-entry h2")).to_have_text(CHOSEN)
    return page


def note_boxes(page):
    return page.get_by_label("Your note")


def test_saving_one_note_keeps_what_is_typed_in_the_others(context, live_catalog):
    page = shortlist_of_three(context, live_catalog.url)
    for index, text in enumerate(NOTES):
        note_boxes(page).nth(index).fill(text)

    page.get_by_role("button", name="Save note on Health Informatics").click()

    saved = page.locator(".shortlist-entry").nth(1)
    expect(saved.locator(".note-saved")).to_have_text("Saved.")
    expect(page.locator("#action-status")).to_have_text(
        "Your note on “Health Informatics” is saved."
    )
    for index, text in enumerate(NOTES):
        expect(note_boxes(page).nth(index)).to_have_value(text)
    expect(page.get_by_role("button", name="Save note on Health Informatics")).to_be_focused()
    serious, report = axe_violations(page)
    assert serious == [], report

    # Typing again makes "Saved." untrue: it goes.
    note_boxes(page).nth(1).press("End")
    note_boxes(page).nth(1).press_sequentially(".")
    expect(saved.locator(".note-saved")).to_have_count(0)
    page.get_by_role("button", name="Save note on Health Informatics").click()
    expect(saved.locator(".note-saved")).to_have_text("Saved.")
    kept = [NOTES[0], NOTES[1] + ".", NOTES[2]]

    # The other two save as well, one at a time, each keeping the rest.
    page.get_by_role("button", name="Save note on Data-driven Health").click()
    page.get_by_role("button", name="Save note on Medical Data Science").click()
    expect(page.locator(".note-saved")).to_have_count(3)

    # All three are kept: a fresh visit shows them, and asks nothing on the way.
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.goto(live_catalog.url + "/shortlist/")
    for index, text in enumerate(kept):
        expect(note_boxes(page).nth(index)).to_have_value(text)
    assert asked == []


def test_leaving_with_an_unsaved_note_asks_first(context, live_catalog):
    page = shortlist_of_three(context, live_catalog.url)
    note_boxes(page).nth(0).fill(NOTES[0])
    note_boxes(page).nth(2).fill(NOTES[2])
    page.get_by_role("button", name="Save note on Medical Data Science").click()
    expect(page.locator(".note-saved")).to_have_count(1)

    # Moving an entry loads the page again: the browser asks, and "Stay" keeps the text.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("button", name=re.compile(r"^Move down\W+Medical Data Science$")).click(
        no_wait_after=True
    )
    # The dialog comes a moment after the click (the box still holds its text before it does).
    for _ in range(50):
        if asked:
            break
        page.wait_for_timeout(100)
    assert asked == ["beforeunload"]
    expect(note_boxes(page).nth(2)).to_have_value(NOTES[2])
    expect(page.locator(".shortlist-entry h2")).to_have_text(CHOSEN)


def test_a_note_too_long_is_kept_in_its_box_with_the_reason(context, live_catalog):
    page = shortlist_of_three(context, live_catalog.url)
    note_boxes(page).nth(0).fill(NOTES[0])
    # maxlength stops typing past the limit; a pasted or scripted value can still be longer.
    page.evaluate(
        "document.querySelectorAll('.note-form textarea')[1].removeAttribute('maxlength')"
    )
    note_boxes(page).nth(1).fill("x" * 2001)
    page.get_by_role("button", name="Save note on Health Informatics").click()

    expect(page.locator(".shortlist-entry").nth(1).locator(".field-error")).to_contain_text(
        "A note can be at most 2,000 characters; this one has 2,001."
    )
    expect(note_boxes(page).nth(1)).to_have_value("x" * 2001)
    expect(note_boxes(page).nth(0)).to_have_value(NOTES[0])
    expect(page.locator("#action-status")).to_contain_text("was not saved")
