"""The list's facets: each filter's options with how many programmes each would give.

The counts come from the facet index (programs/search/facet_index.py); here they become the
options a facet shows, in the order it shows them. A count says how many of its programmes hold
the value only as an inference ("Austria (1, 1 inferred)"), and a facet how many programmes it
can't count under any option because their source doesn't state the fact.
"""

import heapq
from dataclasses import dataclass, field

from programs.core import names

# A facet with more options shows this many, the most common, and a field to find the others.
FACET_OPTIONS_SHOWN = 10
# At most this many options found by that field are shown.
FACET_OPTIONS_FOUND = 30


@dataclass
class FacetOption:
    """One option of a facet: its value, how it reads, how many programmes it would give and
    how many of those hold the value only as an inference."""

    value: str
    label: str
    count: int
    selected: bool
    inferred: int = 0


@dataclass
class Facet:
    """One filter of the form with its options, for rendering as a group of checkboxes.

    A facet with many options (thousands of universities) shows the most common ones and a
    field to find the others by name (`find`, the text typed; `total`, how many there are).
    """

    name: str
    label: str
    options: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    findable: bool = False
    find: str = ""
    total: int = 0
    # How many programmes no option counts, their source not stating this fact.
    unstated: int = 0

    @property
    def find_parameter(self):
        return f"find_{self.name}"


def fill_options(facet, counted, chosen, label, find="", order=None, inferred=None):
    """Give `facet` its options and return it.

    `counted` maps each value to its count, `chosen` lists the values chosen, `label(value)` is
    how a value reads; `find` is the text typed to find an option; `order`, the facet's choices
    in their own order (None sorts the options by label, as names are); `inferred` maps a value
    to how many of its count hold it only as an inference. An option that would
    give nothing is left out unless it is chosen, so a choice never silently disappears; a facet
    with many options shows the chosen ones and either those matching `find` or the most common.
    """
    values = list(dict.fromkeys([*chosen, *counted]))
    if len(values) > FACET_OPTIONS_SHOWN:
        facet.findable, facet.total, facet.find = True, len(values), find
        others = [value for value in counted if value not in chosen]
        if find:
            wanted = names.sort_key(find)
            others = [
                value
                for value in others
                if wanted in names.sort_key(label(value)) or wanted == value.casefold()
            ][:FACET_OPTIONS_FOUND]
        else:
            others = heapq.nlargest(FACET_OPTIONS_SHOWN, others, key=counted.get)
        values = chosen + others
    inferred = inferred or {}
    facet.options = [
        FacetOption(
            value,
            label(value),
            counted.get(value, 0),
            selected=value in chosen,
            inferred=inferred.get(value, 0),
        )
        for value in values
    ]
    if order is None:
        facet.options.sort(key=lambda option: names.sort_key(option.label))
    else:
        facet.options.sort(key=lambda option: order.index(option.value))
    return facet
