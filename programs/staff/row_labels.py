"""Labels for the fields of a programme's part tables (the admin's tabular inlines).

A tabular inline names its columns in the table's header, which a screen reader does not tie to
the selects and text boxes in the rows: axe counted 30 inline selects and every other row field
without a name. Each field gets the column's label and its row ("Title (row 2)") as its
accessible name; the select2 boxes take theirs from it (static/js/admin_select2_labels.js).
"""

from django.utils.text import capfirst
from django.utils.translation import gettext


def label_row_fields(form, row):
    """Give each visible field of `form` its column's label and `row` as accessible name."""
    for field in form.fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        # The widget itself, inside the admin's "add another" wrapper: the wrapper's attrs are
        # those of the widget it was made with, shared by every row's form.
        while hasattr(widget, "widget"):
            widget = widget.widget
        label = capfirst(str(field.label)) if field.label else ""
        widget.attrs["aria-label"] = f"{label} ({row})"


class LabelledRows:
    """A mixin for an inline formset: every row's fields labelled (label_row_fields)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        label_row_fields(form, gettext("row %(number)d") % {"number": i + 1})
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        label_row_fields(form, gettext("new row"))
        return form
