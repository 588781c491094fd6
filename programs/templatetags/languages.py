"""The page in the site's other languages: the switcher and `<link rel="alternate" hreflang>`."""

from django import template
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.translation import pgettext

from programs.core import names, reasons
from programs.models import TEXT_LANGUAGE
from programs.web import languages

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


def _differs():
    return translation.get_language() != TEXT_LANGUAGE


@register.simple_tag
def text_lang():
    """` lang="en"` for an element holding only the programme's own text, on a page in another
    language (on an English page the text is in the page's language and needs no mark)."""
    return format_html(' lang="{}"', TEXT_LANGUAGE) if _differs() else ""


@register.filter
def source_text(value):
    """The programme's own text `value`, marked with its language when the page's differs."""
    return format_html('<span lang="{}">{}</span>', TEXT_LANGUAGE, value) if _differs() else value


@register.filter
def source_quotation(value):
    """The source's own words inside a translated sentence ("… this programme is under
    ministerial approval"): on a page in another language they are a quotation, in that
    language's quotation marks and marked as the text's language, not English words dropped
    into an Italian sentence. On a page in the text's language they are part of the sentence."""
    if not _differs():
        return value
    # Translators: the quotation marks of your language around the source's (English) words.
    return format_html(
        pgettext("quotation of the source's words", "“{words}”"), words=source_text(value)
    )


@register.filter
def reason(text):
    """The catalog's reason for an inference in the page's language; one nobody has translated
    yet is shown as recorded, marked as English (programs/core/reasons.py)."""
    translated, done = reasons.in_language(text)
    return (
        translated
        if done
        else format_html('<span lang="{}">{}</span>', reasons.RECORDED_IN, translated)
    )


@register.simple_tag
def text_language_name():
    """The name, in the page's language, of the language the programmes' texts are in."""
    return names.language_name(TEXT_LANGUAGE, in_sentence=True)


@register.filter
def local_name(language, capital=True):
    """A Language row's name in the page's language (CLDR), falling back to its stored name.

    `capital=False` inside a sentence or after the first name of a list ("Inglese, tedesco"):
    the name as the page's language writes it there."""
    return names.language_name(language.code, default=language.name, in_sentence=not capital)


@register.filter
def grouped(number):
    """A count with the page's thousands separator: 1,234 / 1.234 / 1 234.

    Only where a count is read, never in an address (page=1234 must stay a number), which is
    why USE_THOUSAND_SEPARATOR stays off.
    """
    return formats.number_format(number, force_grouping=True)
