"""A quote of the source: its passages, and whether they are the source's own words.

A row's `source_quote` must be copied from the programme's source text; only spacing may differ.
The admin's change form, the spreadsheet import and `validate_catalog` all check it with
SourceText, and say what is wrong in the words of not_in_source().
"""

from django.utils.translation import gettext

# A line holding only this separates passages taken from different places of the source.
QUOTE_SEPARATOR = "…"
# How much of a passage a message repeats: enough to find it, short enough to read.
PASSAGE_SHOWN = 80


def split_quote(quote):
    """The passages of a quote: the parts between lines that hold only the separator."""
    if not quote:
        return []
    passages, current = [], []
    for line in quote.splitlines():
        if line.strip() == QUOTE_SEPARATOR:
            passages.append("\n".join(current))
            current = []
        else:
            current.append(line)
    passages.append("\n".join(current))
    return [passage.strip() for passage in passages if passage.strip()]


def normalise_spacing(text):
    """The text with every run of whitespace as one space: the only difference a quote may have."""
    return " ".join(text.split())


class SourceText:
    """A source's text, ready for quotes to be looked up in it (made once per source, as a file
    of many quotes from one source would otherwise normalise it once per quote)."""

    def __init__(self, text):
        self.words = normalise_spacing(text)

    def missing_passages(self, quote):
        """The passages of `quote` that are not in the source, in the quote's order."""
        return [
            passage
            for passage in split_quote(quote)
            if normalise_spacing(passage) not in self.words
        ]


def not_in_source(passage):
    """The problem with a passage missing from the source, as a list shows it after the place
    ("modules[0].source: …", "H2 source_quote: …")."""
    return gettext("not in the source text: “%(words)s”") % {"words": passage[:PASSAGE_SHOWN]}


def not_in_source_sentence(passage):
    """not_in_source() as the admin's form says it beside the field, with what to do instead."""
    return gettext(
        "These words are not in the source text: “%(words)s”. Copy them exactly from the "
        "source, or give the reason for the fact under “inferred because”."
    ) % {"words": passage[:PASSAGE_SHOWN]}
