"""What a programme's page says about itself to search engines and link previews, when the
programme has no summary of its own: the page's parts that hold something, never the ones a
source leaves empty (FH Salzburg's text has no admission requirements and no careers, so its
description must not promise them)."""

from babel.lists import format_list
from django.utils.translation import get_language, gettext, gettext_lazy

from programs.display.facts import title_fact

# The page's parts in its order; each named only when the programme has something in it
# (needs `with_detail_data()`).
_PARTS = (
    (gettext_lazy("key facts"), lambda programme: True),
    (gettext_lazy("study plan"), lambda programme: programme.semesters.all()),
    (gettext_lazy("modules"), lambda programme: programme.modules.all()),
    (
        gettext_lazy("admission requirements"),
        lambda programme: programme.admission_requirements.all(),
    ),
    (
        gettext_lazy("careers"),
        lambda programme: programme.careers.all() or programme.career_prospects,
    ),
)


def _in_a_list(items):
    """The items as the page's language writes a list ("a, b und c"; CLDR, from Babel); English
    as the site writes it, British: no comma before "and"."""
    language = get_language() or "en"
    return format_list(items, locale="en_GB" if language == "en" else language)


def programme_description(programme):
    """The programme's summary, or what its page holds: "Applied AI in Healthcare (inferred):
    key facts, study plan and modules, from the university's own page." The title is marked
    when the catalog infers it, as in the page's <title>."""
    if programme.summary:
        return programme.summary
    parts = [str(name) for name, holds in _PARTS if holds(programme)]
    return gettext("%(title)s: %(parts)s, from the university's own page.") % {
        "title": title_fact(programme).marked_text,
        "parts": _in_a_list(parts),
    }
