"""What a page says about itself to search engines and link previews: the meta description and
the Open Graph tags (templates/_page_meta.html)."""

import re

from django import template
from django.conf import settings
from django.utils.translation import get_language

from programs.core.site_address import absolute_url

register = template.Library()

# Search engines show about this many characters of a description; longer ones are cut by them,
# mid-word. Ours end at a word, with an ellipsis.
DESCRIPTION_LENGTH = 160

# Open Graph names a locale as language_TERRITORY; each language's main territory.
OPEN_GRAPH_LOCALES = {"en": "en_GB", "de": "de_DE", "it": "it_IT", "sv": "sv_SE"}


@register.filter
def meta_description(text):
    """The text on one line, cut after the last whole word that fits in DESCRIPTION_LENGTH."""
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[: DESCRIPTION_LENGTH - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.\N{EN DASH}-") + "…"


@register.simple_tag(takes_context=True)
def page_url(context):
    """This page's address, query and all, on the site's public origin (og:url): never the
    request's Host header, which a kept page would hand on to every later visitor."""
    return absolute_url(context["request"].get_full_path())


@register.simple_tag
def open_graph_locales():
    """(this page's locale, the other languages' locales) for og:locale and og:locale:alternate."""
    current = get_language() or settings.LANGUAGE_CODE
    others = [OPEN_GRAPH_LOCALES[code] for code, _ in settings.LANGUAGES if code != current]
    return OPEN_GRAPH_LOCALES[current], others


@register.filter
def labels(items):
    """The `label` of each item (the list's active-filter chips), as one phrase."""
    return "; ".join(str(item.label) for item in items)
