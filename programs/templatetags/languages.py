"""The page in the site's other languages: the switcher and `<link rel="alternate" hreflang>`."""

from django import template
from django.utils import formats

from programs import languages, names
from programs.models import TEXT_LANGUAGE

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in every language, keeping its query string (or `language_query`, the address
    an htmx answer pushes, so the switcher follows the filters chosen since the page loaded)."""
    return languages.language_versions(context["request"], context.get("language_query"))


@register.simple_tag
def text_language():
    """The language code of the programmes' own texts (they are shown as published)."""
    return TEXT_LANGUAGE


@register.simple_tag
def text_language_name():
    """The name, in the page's language, of the language the programmes' texts are in."""
    return names.language_name(TEXT_LANGUAGE)


@register.filter
def local_name(language):
    """A Language row's name in the page's language (CLDR), falling back to its stored name."""
    return names.language_name(language.code, default=language.name)


@register.filter
def grouped(number):
    """A count with the page's thousands separator: 1,234 / 1.234 / 1 234.

    Only where a count is read, never in an address (page=1234 must stay a number), which is
    why USE_THOUSAND_SEPARATOR stays off.
    """
    return formats.number_format(number, force_grouping=True)
