"""The list's filter fields that keep a link working when some of its values are bad.

Advisors' links outlive the catalog: a language or a university may be gone by the time one is
followed. These fields apply the values still valid and report the others beside the field,
rather than refusing the whole filter.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy
from django_filters.fields import ModelMultipleChoiceField

from programs.core.limits import FILTER_MAX_VALUES

TOO_MANY_VALUES = gettext_lazy(
    "At most %(limit)d can be chosen at once; the address names %(count)d."
)


def check_number_of_values(values):
    """Refuse more than FILTER_MAX_VALUES values (empty ones, an untouched field's, aside)
    before any is looked at: the page would grow with the square of their number."""
    count = sum(1 for value in values if value != "")
    if count > FILTER_MAX_VALUES:
        raise ValidationError(
            TOO_MANY_VALUES,
            code="too_many_values",
            params={"limit": FILTER_MAX_VALUES, "count": count},
        )


class IntegerFilter(django_filters.NumberFilter):
    """A number filter for whole numbers (django-filter's NumberFilter takes decimals)."""

    field_class = forms.IntegerField


class PartlyValidModelMultipleChoiceField(ModelMultipleChoiceField):
    """A repeatable model choice that keeps its valid values when some of the others are bad.

    One mistyped value in `language=en&language=xx` should not cancel the English filter: the
    valid values are the field's value, and the rejected ones' messages are kept in `rejected`
    for the form to show beside the field. Only when no value is usable is the field invalid.
    `lowercase` reads values in lower case, for keys that are always stored so (ISO codes).
    """

    def __init__(self, *args, lowercase=False, **kwargs):
        self.lowercase = lowercase
        self.rejected = []
        super().__init__(*args, **kwargs)

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        self.rejected = []
        if not all(isinstance(item, str) for item in value):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        check_number_of_values(value)
        usable = []
        for item in dict.fromkeys(item.lower() if self.lowercase else item for item in value):
            try:
                self.validate_no_null_characters(item)
            except ValidationError as error:
                self.rejected.append(error)
                continue
            usable.append(item)
        found = self.found(usable) if usable else []
        known = {str(getattr(row, key)) for row in found}
        self.rejected += [
            ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
            )
            for item in usable
            if item not in known
        ]
        if not found:
            raise ValidationError(self.rejected)
        # In the order given, so links rebuilt from the values keep the address's order.
        return sorted(found, key=lambda row: usable.index(str(getattr(row, key))))

    def found(self, values):
        """The choices named by these values (any order; unknown ones left out)."""
        return list(self.queryset.filter(**{f"{self.to_field_name or 'pk'}__in": values}))


class PartlyValidModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """A ModelMultipleChoiceFilter that applies its valid values even when others are bad."""

    field_class = PartlyValidModelMultipleChoiceField


class RepeatableChoiceField(forms.MultipleChoiceField):
    """A repeatable choice (`level=master&level=bachelor` means either) that keeps its valid
    values when some of the others are bad, as PartlyValidModelMultipleChoiceField does.

    Values are matched ignoring case (`Master` is `master`). `pattern`, when given, replaces
    the list of choices: any value matching it is usable, upper-cased (country codes, of which
    the form offers only those with programmes, though any may be linked to).
    """

    def __init__(self, *args, pattern=None, **kwargs):
        self.pattern = re.compile(pattern) if pattern else None
        self.rejected = []
        super().__init__(*args, **kwargs)

    def normal_value(self, value):
        """The choice `value` stands for, or None when it stands for none."""
        if self.pattern:
            return value.upper() if self.pattern.fullmatch(value) else None
        matches = [str(key) for key, _ in self.choices if str(key).casefold() == value.casefold()]
        return matches[0] if len(matches) == 1 else None

    def clean(self, value):
        values = self.to_python(value)
        self.rejected = []
        check_number_of_values(values)
        usable = []
        for item in values:
            if item == "":  # an untouched form field, not a choice
                continue
            try:
                ProhibitNullCharactersValidator()(item)
            except ValidationError as error:
                self.rejected.append(error)
                continue
            normal = self.normal_value(item)
            if normal is None:
                self.rejected.append(
                    ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
                )
            elif normal not in usable:
                usable.append(normal)
        if not usable and self.rejected:
            raise ValidationError(self.rejected)
        return usable


class RepeatableChoiceFilter(django_filters.MultipleChoiceFilter):
    """A MultipleChoiceFilter (any of the values) whose field is a RepeatableChoiceField.

    No DISTINCT: each value is a condition on the programme's own column or a subquery of ids,
    so a programme can't appear twice.
    """

    field_class = RepeatableChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)
