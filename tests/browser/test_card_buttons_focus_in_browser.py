"""Issue 30, item 6: after "Add to compare", "Add to shortlist" or "Remove" on a card, keyboard
focus stays on the button that took the pressed one's place (not dropped to <body>), and what
happened is read out from the page's standing live region; in real Chromium at desktop and
phone width."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import axe_violations

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
TITLE = "Health Informatics"


@pytest.fixture(params=WIDTHS, ids=list(WIDTHS))
def page_at_width(request, browser):
    context = browser.new_context(viewport=WIDTHS[request.param])
    yield context.new_page()
    context.close()


def press(page, name):
    button = page.get_by_role("button", name=name)
    button.focus()
    page.keyboard.press("Enter")


@pytest.mark.parametrize(
    ("add", "remove", "added", "removed"),
    [
        (
            f"Add to compare: {TITLE}",
            f"Remove {TITLE} from the comparison",
            f"“{TITLE}” is in your comparison.",
            f"“{TITLE}” is no longer in your comparison.",
        ),
        (
            f"Add to shortlist: {TITLE}",
            f"Remove {TITLE} from your shortlist",
            f"“{TITLE}” is now on your shortlist.",
            f"“{TITLE}” is no longer on your shortlist.",
        ),
    ],
    ids=["compare", "shortlist"],
)
def test_focus_stays_on_the_card_and_the_change_is_announced(
    page_at_width, live_catalog, add, remove, added, removed
):
    page = page_at_width
    page.goto(live_catalog.url + "/programmes/")
    status = page.locator("#action-status")
    # The live region is in the page before anything happens: one added later with its text is
    # often not read out.
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("")

    press(page, add)
    expect(page.get_by_role("button", name=remove)).to_be_focused()
    expect(status).to_have_text(added)
    serious, report = axe_violations(page)
    assert serious == [], report

    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=add)).to_be_focused()
    expect(status).to_have_text(removed)

    # Tab goes on from there, to the card's next control, not from the top of the page.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('.programme-card') !== null")
    assert focused, "Tab after the swap should stay among the card's controls"


def test_on_the_programme_page_the_shortlist_button_keeps_focus_too(page_at_width, live_catalog):
    page = page_at_width
    page.goto(live_catalog.url + "/programmes/health-informatics/")
    press(page, f"Add to shortlist: {TITLE}")
    expect(page.get_by_role("button", name=f"Remove {TITLE} from your shortlist")).to_be_focused()
    expect(page.locator("#action-status")).to_have_text(f"“{TITLE}” is now on your shortlist.")
