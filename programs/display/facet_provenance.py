"""How the list's facets know a programme's values: the answer its own page gives.

A facet counts a programme under each value it holds, however the value is known, and says how
many of those programmes hold it only as an inference ("Austria (1, 1 inferred)"). Whether a
value is inferred is decided here, from the same sources and by the same rule as the programme's
key facts (facts.Fact.provenance), so the list never counts as stated what the page marks
inferred.
"""

from programs.display.facts import COUNTRY_REASON, DerivedSource, Fact
from programs.models import KeyFact

# The key fact each facet's values come from: a value is inferred when that fact is.
FACET_FACTS = {
    "language": KeyFact.LANGUAGES,
    "university": KeyFact.UNIVERSITIES,
    "level": KeyFact.LEVEL,
    "field": KeyFact.FIELD_OF_STUDY,
    "study_mode": KeyFact.STUDY_MODE,
    "delivery": KeyFact.DELIVERY,
    "start": KeyFact.START_TERM,
}

# No text is taken to name a country: a programme's country is where its universities are, so it
# is always the catalog's inference, as the page's Country fact says.
COUNTRY_SOURCE = DerivedSource(inferred_because=COUNTRY_REASON)


def source_of(quote, reason):
    """A source row's quote and reason (as read with values_list), for `is_inferred`."""
    return DerivedSource(source_quote=quote, inferred_because=reason)


def is_inferred(value, source):
    """Whether a facet's `value`, known from `source`, is an inference.

    `source`: the key fact's FactSource (as FACET_FACTS names it), a track for its background,
    COUNTRY_SOURCE for a country, anything with `inferred_because`; None when not recorded.
    """
    return Fact("facet", "", value, source=source).inferred
