"""Template filters that show a programme's facts the way the detail page words them."""

from django import template

from programs.display import facts

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
