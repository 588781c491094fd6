"""A programme printed from the browser: its content on few pages, without the screen's menu,
buttons and forms."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PROGRAMMES = [
    "medical-data-science",
    "data-driven-health",
    "health-informatics",
    "applied-ai-in-healthcare",
]

# Everything a reader uses only on screen: menu, language switcher, footer, buttons and forms.
SCREEN_ONLY = [
    ".site-header",
    ".site-nav",
    "#language-switcher",
    ".skip-link",
    ".site-footer",
    ".detail-contents",
    ".detail-kicker",
    "button",
    "form",
    "summary",
]


def printed_pages(pdf):
    """The number of pages in a PDF Chromium made (each page is one /Type /Page object)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.parametrize("slug", PROGRAMMES)
def test_a_printed_programme_fits_on_four_a4_pages(page, live_catalog, slug):
    page.goto(f"{live_catalog.url}/programmes/{slug}/")

    pdf = page.pdf(format="A4", print_background=False)

    # Before the print stylesheet covered programmes, each took 4 or 5 pages with the menu.
    assert 1 <= printed_pages(pdf) <= 4


def test_printing_leaves_out_the_menu_buttons_and_forms(page, live_catalog):
    page.goto(f"{live_catalog.url}/programmes/medical-data-science/")
    for selector in SCREEN_ONLY:
        assert page.locator(selector).count(), f"{selector} is not on the page to begin with"
    expect(page.locator(".site-header")).to_be_visible()

    page.emulate_media(media="print")

    for selector in SCREEN_ONLY:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    expect(page.locator("h1")).to_have_text("Medical Data Science")
    expect(page.locator("#key-facts")).to_be_visible()
    expect(page.locator("#careers")).to_be_visible()


def test_printed_links_to_other_sites_show_their_address(page, live_catalog):
    """Paper can't be clicked: a link such as "Official page" prints the address it leads to;
    a link whose text is already the address (the source's public page) prints it once."""
    page.goto(f"{live_catalog.url}/programmes/medical-data-science/")
    page.evaluate(
        """() => {
          const link = document.createElement("a");
          link.id = "official"; link.rel = "external noopener";
          link.href = "https://www.example.org/programme"; link.textContent = "Official page";
          document.querySelector(".detail-header").append(link);
        }"""
    )
    after = "(selector) => getComputedStyle(document.querySelector(selector), '::after').content"

    page.emulate_media(media="print")

    assert page.evaluate(after, "#official") == '" (https://www.example.org/programme)"'
    assert page.evaluate(after, "#source a[rel~=external]") == "none"
    page.emulate_media(media="screen")
    assert page.evaluate(after, "#official") == "none"


def test_the_list_prints_its_results_without_the_filters(page, live_catalog):
    page.goto(f"{live_catalog.url}/programmes/")
    page.emulate_media(media="print")

    expect(page.locator("#filters")).to_be_hidden()
    expect(page.locator(".programme-card").first).to_be_visible()
