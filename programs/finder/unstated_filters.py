"""Filters on facts no published programme states yet, which therefore can't match any.

The deadline and tuition filters keep only programmes whose source states a deadline or a fee.
While no programme in the catalog states one, such a filter empties the list whatever else is
chosen; "0 programmes" alone reads as "none fits you", so the list says why instead.
"""

from django.utils.translation import gettext_lazy

from programs.models import ApplicationDeadline, Programme, Tuition

# Each filter, the rows that state what it filters on, and what the list says when none does.
_FILTERS = (
    (
        "apply_by",
        ApplicationDeadline,
        gettext_lazy(
            "No programme in the catalog states an application deadline yet, so the deadline "
            "filter can't match any."
        ),
    ),
    (
        "tuition_max",
        Tuition,
        gettext_lazy(
            "No programme in the catalog states a tuition fee yet, so the tuition filter can't "
            "match any."
        ),
    ),
)


def _stated_anywhere():
    """For each of _FILTERS, whether some published programme states what it filters on."""
    published = Programme.objects.published()
    return [
        published.filter(pk__in=rows.objects.values("programme_id")).exists()
        for _name, rows, _message in _FILTERS
    ]


def filters_nothing_can_match(filterset):
    """What the list says of each applied filter of the live `filterset` that no published
    programme can match (its rows are asked once per catalog revision)."""
    data = filterset.form.cleaned_data if filterset.is_valid() else {}
    applied = [data.get(name) is not None for name, _rows, _message in _FILTERS]
    if not any(applied):
        return []
    stated = filterset.catalog_cache.get_or_compute("stated-deadlines-fees", (), _stated_anywhere)
    return [
        message
        for (_name, _rows, message), used, any_stated in zip(_FILTERS, applied, stated, strict=True)
        if used and not any_stated
    ]
