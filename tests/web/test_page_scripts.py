"""Each public page loads the scripts it uses and no others (issue 17, item 17: a phone's
processor time at every load). htmx goes only where an element has a data-hx-* attribute, with
static/js/htmx-start.js just before it; copy-link.js only where there is a Copy link button."""

import re

import pytest

pytestmark = pytest.mark.django_db

HTMX = "js/vendor/htmx-"
HTMX_START = "js/htmx-start."
COPY_LINK = "js/copy-link."

PAGES = [
    "/",
    "/programmes/",
    "/programmes/?language=en&country=DE",
    "/programmes/medical-data-science/",
    "/compare/",
    "/compare/?p=medical-data-science",
    "/compare/?p=medical-data-science&p=data-driven-health",
    "/universities/",
    "/universities/rwth-aachen/",
    "/modules/",
    "/modules/?q=statistics",
    "/changes/",
    "/shortlist/",
    "/no-such-page/",
    "/de/programmes/",
]


def scripts_and_body(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), f"{path}: {response.status_code}"
    html = response.content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    return scripts, html[html.index("<body") :]


def loads(scripts, name):
    return [index for index, src in enumerate(scripts) if name in src]


@pytest.mark.parametrize("path", PAGES)
def test_htmx_is_loaded_exactly_where_an_element_uses_it(client, catalog, path):
    scripts, body = scripts_and_body(client, path)

    uses_htmx = "data-hx-" in body
    assert bool(loads(scripts, HTMX)) == uses_htmx, (
        f"{path}: htmx {'missing' if uses_htmx else 'loaded for nothing'}"
    )
    if uses_htmx:
        # htmx-start.js must run before htmx loads, to hold back htmx's start.
        assert (
            loads(scripts, HTMX_START) and loads(scripts, HTMX_START)[0] < loads(scripts, HTMX)[0]
        )
    else:
        assert not loads(scripts, HTMX_START), path


@pytest.mark.parametrize("path", PAGES)
def test_copy_link_is_loaded_exactly_where_there_is_a_copy_link_button(client, catalog, path):
    scripts, body = scripts_and_body(client, path)

    has_button = "data-copy-link" in body
    assert bool(loads(scripts, COPY_LINK)) == has_button, (
        f"{path}: copy-link.js {'missing' if has_button else 'loaded for nothing'}"
    )


def test_the_pages_that_need_them_have_them(client, catalog):
    """Not a vacuous pass: the list and a programme use htmx, the comparison copies its link."""
    assert loads(scripts_and_body(client, "/programmes/")[0], HTMX)
    assert loads(scripts_and_body(client, "/programmes/medical-data-science/")[0], HTMX)
    compare = "/compare/?p=medical-data-science&p=data-driven-health"
    assert loads(scripts_and_body(client, compare)[0], COPY_LINK)
    assert not loads(scripts_and_body(client, "/universities/")[0], HTMX)
