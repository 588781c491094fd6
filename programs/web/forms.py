"""Public query parameters that are not programme filters: module search and compare selection."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy

from programs.core.limits import MAX_COMPARE_PARAMETERS, SLUG_PATTERN
from programs.finder.filters import cut_search_text


class ModuleSearchForm(forms.Form):
    """The `q` of /modules/: no NUL bytes (CharField refuses them); longer texts than the
    programme search takes are cut to the same length, with a notice, as on the list."""

    q = forms.CharField(
        label=gettext_lazy("Search modules"),
        required=False,
        help_text=gettext_lazy("Words from a module's title or description, or a track's name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A message about input we used after changing it (not an error).
        self.notice = ""

    def clean_q(self):
        text, self.notice = cut_search_text(self.cleaned_data.get("q") or "")
        return text

    def shown_q(self):
        """The search text to put back in the box: as typed, minus NUL bytes no page echoes."""
        return (self.data.get("q") or "").replace("\x00", "")


class CompareFindForm(forms.Form):
    """The compare chooser's `find`: words a programme to add is searched by, taken as the
    list's search takes its `q` (cut to the same length, with a notice)."""

    find = forms.CharField(
        label=gettext_lazy("Find a programme to add"),
        required=False,
        help_text=gettext_lazy("Words from its title, subject, university or city."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = ""

    def clean_find(self):
        text, self.notice = cut_search_text(self.cleaned_data.get("find") or "")
        return text

    def shown_find(self):
        """The search text to put back in the box: as typed, minus NUL bytes no page echoes."""
        return (self.data.get("find") or "").replace("\x00", "")


@dataclass
class CompareSelection:
    """The distinct programme slugs a compare URL names, in the order given.

    `slugs` are well-formed and worth looking up; `malformed` are values that can't be slugs
    (shown back as "not found" without a query).
    """

    slugs: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)

    @classmethod
    def from_values(cls, values):
        """Read the repeated `p` parameter: blanks and repeats dropped, order kept."""
        selection = cls()
        seen = set()
        for raw in values[:MAX_COMPARE_PARAMETERS]:
            value = raw.strip()
            if not value or value in seen:
                continue
            seen.add(value)
            if SLUG_PATTERN.match(value):
                selection.slugs.append(value)
            else:
                # Shown back to the user: keep it short and printable.
                selection.malformed.append(value.replace("\x00", "")[:100])
        return selection
