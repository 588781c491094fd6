"""Template filters that show a programme's facts the way the detail page words them."""

from django import template

from programs.display import curriculum, facts

register = template.Library()


@register.filter
def duration(programme):
    """The standard period with the source's own wording (as the detail page's key facts)."""
    return facts.duration_text(programme, html=True)


@register.filter
def deadlines(programme):
    """The application deadlines in words, one after another (needs them prefetched)."""
    return "; ".join(facts.deadline_texts(programme))


@register.filter
def tuition(programme):
    """The tuition fees in words, each in its own currency (needs them prefetched)."""
    return "; ".join(facts.tuition_texts(programme))


@register.filter
def card(programme):
    """The programme in brief for its card in the list: title, universities and the card's key
    facts, each with how it is known (needs `with_listing_data()`)."""
    return facts.programme_card(programme)


@register.filter
def shortlist_card(programme):
    """The programme in brief for a shortlist entry (its key facts are fewer)."""
    return facts.programme_card(programme, facts.SHORTLIST_CARD_FACTS)


@register.filter
def placement(track):
    """When a track falls, as a fact: stated, inferred (with its reason) or not stated."""
    return curriculum.track_placement(track)


@register.filter
def brief(programme):
    """The programme's title and universities, each with how it is known, for a heading that
    names it (needs the offerings with universities and the fact sources loaded)."""
    return facts.programme_card(programme, ())
