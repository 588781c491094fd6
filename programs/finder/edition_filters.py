"""An archived edition's list: the live list's filters, counts, search and orders, on its frozen
programmes.

EditionProgrammeFilter is ProgrammeFilter with the edition's index in place of the live one
(programs/search/edition_index.py): the same URL contract, the same messages, the same counting
and ranking code. What the live list asks the database (deadlines, fees, the sorts by ECTS,
duration and last check) it answers from the facts frozen beside the index, and a university is
one the edition lists, whatever has become of it since.
"""

from collections import namedtuple

import numpy as np
from django.utils.translation import gettext_lazy

from programs.finder.filter_fields import (
    PartlyValidModelMultipleChoiceField,
    PartlyValidModelMultipleChoiceFilter,
)
from programs.finder.filters import ProgrammeFilter
from programs.finder.paging import EditionProgrammesInOrder
from programs.models import Programme, University
from programs.search import edition_index

# A university as the edition names it (the form's chosen values, as the live list's are rows).
NamedUniversity = namedtuple("NamedUniversity", "slug name")


class EditionUniversityField(PartlyValidModelMultipleChoiceField):
    """A university of the edition, by its slug then, checked as the live list checks one."""

    def __init__(self, *args, names=None, **kwargs):
        # {slug: name} of the universities the edition lists.
        self.names = names or {}
        super().__init__(*args, **kwargs)

    def found(self, values):
        return [NamedUniversity(slug, self.names[slug]) for slug in values if slug in self.names]


class EditionUniversityFilter(PartlyValidModelMultipleChoiceFilter):
    field_class = EditionUniversityField


class EditionProgrammeFilter(ProgrammeFilter):
    """The list's filters over an archived edition."""

    university = EditionUniversityFilter(
        # No row is read: the field finds the edition's universities in its index.
        queryset=University.objects.none(),
        to_field_name="slug",
        method="keep_all",
        label=gettext_lazy("University"),
        error_messages={"invalid_choice": gettext_lazy("“%(value)s” is not a university we list.")},
    )

    def __init__(self, data, edition, request=None):
        self.edition = edition
        self.edition_index = edition_index.of_edition(edition)
        super().__init__(data, queryset=Programme.objects.none(), request=request)
        self.filters["university"].extra["names"] = self.edition_index.facets.university_names
        self.counts_namespace = f"edition-{edition.pk}-facet-counts"

    def _facet_index(self):
        return self.edition_index.facets

    def _database_matches(self, names):
        data = self.form.cleaned_data
        matches = None
        if "apply_by" in names:
            matches = set(self.edition_index.open_on(data["apply_by"]))
        currency = data.get("tuition_currency")
        # Without a currency the amount is not applied (the form says to choose one).
        if "tuition_max" in names and currency:
            fees = set(self.edition_index.yearly_fee_at_most(data["tuition_max"], currency))
            matches = fees if matches is None else matches & fees
        if matches is None:
            return self.edition_index.facets.title_order
        return sorted(matches)

    def results(self):
        return self.in_order(self.ids_in_order())

    def in_order(self, ids, for_export=False):
        # A frozen programme holds what its card, its page and its CSV row show.
        return EditionProgrammesInOrder(self.edition, ids)

    def ids_in_order(self):
        ids = super().ids_in_order()
        if ids is not None:
            return ids
        sort = self.form.cleaned_data.get("sort") or "title"
        in_title_order = self._index_counts().in_title_order
        if sort == "relevance":  # asked without a search: the list says so and orders by title
            return in_title_order
        return _by_fact(in_title_order, self._sort_values(sort.lstrip("-")), sort.startswith("-"))

    def _sort_values(self, fact):
        if fact == "ects":
            return self.edition_index.facets.ects
        if fact == "duration":
            return self.edition_index.duration
        return self.edition_index.checked_on

    def _label(self, name, value):
        if name == "university":
            return self.edition_index.facets.university_names.get(value, value)
        return super()._label(name, value)


def _by_fact(ids, values, descending):
    """`ids` (in title order) ordered by their `values`, those without one last, ties in title
    order: what ORDER BY fact NULLS LAST, title, slug gives the live list."""
    ids = np.asarray(ids, dtype=np.int64)
    chosen = values[ids]
    if chosen.dtype == object:  # days as ISO text, "" when not stated
        stated = chosen != ""
        keys = np.unique(chosen[stated], return_inverse=True)[1] if stated.any() else []
        ranks = np.full(len(ids), -1, dtype=np.int64)
        ranks[stated] = keys
    else:
        stated = ~np.isnan(chosen)
        ranks = np.where(stated, chosen, 0)
    order = np.argsort(-ranks if descending else ranks, kind="stable")
    ordered = ids[order]
    return np.concatenate([ordered[stated[order]], ordered[~stated[order]]])
