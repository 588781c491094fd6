"""How a version's page in the admin shows a programme field's value (now, and in the version)."""

from django import template
from django.db import models
from django.template.defaultfilters import truncatechars
from django.utils import formats
from django.utils.translation import gettext

from programs.core import names

register = template.Library()


@register.filter
def history_value(value, field):
    """`value` of the programme's `field` in words: "(empty)" for a fact not stated, a choice's
    label, yes or no, language names in the page's language, the row it names (a user, a
    programme); long texts cut."""
    if field.name == "languages":
        return ", ".join(names.language_name(code) for code in value) or gettext("(empty)")
    if value is None or value == "":
        return gettext("(empty)")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if isinstance(field, models.ForeignKey):
        # The row it names, in its model (a checker is a user, a successor a programme).
        row = field.related_model._default_manager.filter(pk=value).first()
        return str(row) if row is not None else value
    if isinstance(value, str):
        return truncatechars(value, 120)
    return formats.localize(value)
