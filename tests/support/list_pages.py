"""Reading the programme list page the way a person sees it: cards, facet counts, marked fields."""

import re
from html import unescape

from django.urls import reverse


def get_list(client, params=None, **headers):
    """GET /programmes/ with these parameters (a dict or a list of pairs); asserts a 200.

    Empty parameters, as a form without JavaScript sends them, redirect to the short address
    (tests/web/test_short_addresses.py): the page read is the one the browser lands on.
    """
    response = client.get(
        reverse("programs:programme-list"), params or {}, headers=headers, follow=True
    )
    assert response.status_code == 200, response.content[:500]
    return response


def html_of(response):
    return response.content.decode()


def shown_slugs(response):
    """The programmes on the page, as slugs, in the order their cards appear."""
    return re.findall(r'<h3 id="programme-([^"]+)">', html_of(response))


def text_of(fragment):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def facet_options(response, name):
    """The options of one facet as {value: (label, count, chosen)}, checkboxes or a select."""
    html = html_of(response)
    select = re.search(rf'<select id="id_{name}" name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if select:
        return {
            value: (unescape(label), int(count), bool(chosen))
            for value, chosen, label, count in re.findall(
                r'<option value="([^"]+)"( selected)?>([^<]*) \((\d+)\)</option>', select.group(1)
            )
        }
    return {
        value: (unescape(label.strip()), int(count), bool(chosen))
        for value, chosen, label, count, _ in _checkboxes(html, name)
    }


def _checkboxes(html, name):
    """(value, checked, label, count, inferred part) of each checkbox option of a facet."""
    return re.findall(
        rf'<input type="checkbox" id="[^"]*" name="{name}" value="([^"]+)"( checked)?[^>]*>'
        r'([^<]*)<span class="count">\((\d+)(?:<span class="count-inferred">([^<]*)</span>)?\)'
        r"</span>",
        html,
    )


def facet_counts(response, name):
    """{option value: count} of one facet."""
    return {value: count for value, (_, count, _) in facet_options(response, name).items()}


def facet_inferred(response, name):
    """{option value: what its count says of inferences} of one facet ("" for none):
    "Austria (1, 1 inferred)" gives {"AT": "1 inferred"}."""
    return {
        value: " ".join(unescape(inferred).strip(" ,").split())
        for value, _, _, _, inferred in _checkboxes(html_of(response), name)
    }


def facet_hint(response, name):
    """The text below a facet's options (what it leaves uncounted), or None."""
    found = re.search(rf'<p class="field-hint" id="{name}-hint">(.*?)</p>', html_of(response))
    return text_of(found.group(1)) if found else None


def marked_invalid(response, field_id):
    """Whether the form field with this id (or ids starting with it) is marked invalid."""
    return bool(
        re.search(
            rf'<(?:input|select)[^>]*id="{field_id}[^"]*"[^>]*aria-invalid="true"',
            html_of(response),
        )
    )


CHIP = re.compile(r'<a class="chip" href="([^"]*)"[^>]*>(.*?)<span class="chip-x"', re.S)


def chips(response):
    """The active-filter chips as {label: href}."""
    return {text_of(label): unescape(href) for href, label in CHIP.findall(html_of(response))}
