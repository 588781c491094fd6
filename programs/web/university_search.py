"""The universities index's search: `q`, words of a university's name, and `country`, one
ISO 3166-1 code. A value that can't be used is named in a message and left out of the search,
never a failure."""

import re

from django import forms
from django.utils.translation import gettext_lazy

from programs.core import names
from programs.finder.filters import cut_search_text


class UniversitySearchForm(forms.Form):
    """The query of /universities/."""

    q = forms.CharField(label=gettext_lazy("University name"), required=False)
    country = forms.CharField(label=gettext_lazy("Country"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A message about input that was used after changing it (not an error).
        self.notice = ""

    def clean_q(self):
        text, self.notice = cut_search_text(" ".join(self.cleaned_data["q"].split()))
        return text

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        # A code CLDR names, so nothing is looked up for a made-up one.
        if code and (not re.fullmatch(r"[A-Z]{2}", code) or names.country_name(code) == code):
            raise forms.ValidationError(
                gettext_lazy("Choose a country by its two-letter code, such as DE.")
            )
        return code

    def search(self):
        """(words, country code) to search by: each "" when not given or not usable."""
        self.is_valid()
        data = self.cleaned_data
        return data.get("q", ""), data.get("country", "")

    def shown_q(self):
        """The search text to put back in the box: as typed, minus NUL bytes no page echoes."""
        return (self.data.get("q") or "").replace("\x00", "")
