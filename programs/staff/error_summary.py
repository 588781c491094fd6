"""The change form's error summary: every error of the form and its inline rows, linked to its
field, at the top of the page.

Django's admin says "Please correct the errors below" and shows each error beside its field; on
a programme's form, with a dozen inline tables below the fields, a person (and a screen reader,
which reads the top first) had to scroll through all of it to find them. The summary lists each
one with the field's label and links to the field itself (GOV.UK's error summary is the idea).
"""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext

# Django's key for a form's errors that belong to no one field.
NON_FIELD = "__all__"


@dataclass(frozen=True)
class ErrorLink:
    """One error: where it is (an element id on the page), what it is about, and the message."""

    anchor: str
    label: str
    message: str


def _form_errors(form, where=None):
    """Each error of `form` as ErrorLinks; `where` names the inline row the form is."""
    for name, messages in form.errors.items():
        if name == NON_FIELD:
            # An inline row's element has the form's prefix as its id; the form itself, the
            # admin's "<model>_form".
            anchor = form.prefix or f"{form._meta.model._meta.model_name}_form"
            label = where or gettext("The whole form")
        else:
            field = form.fields.get(name)
            anchor = form[name].auto_id if field is not None else f"{form.prefix}"
            label = capfirst(str(field.label)) if field is not None and field.label else name
            if where:
                label = f"{where}: {label}"
        # One link a field: its messages in one line (a checklist's items after its heading).
        first, *rest = messages
        joiner = ", " if first.endswith(":") else " "
        yield ErrorLink(anchor, label, " ".join([first, joiner.join(rest)]) if rest else first)


def error_links(adminform, inline_admin_formsets):
    """Every error on the change form, in the page's order: the programme's fields, then each
    inline table's rows and its own errors."""
    links = list(_form_errors(adminform.form))
    for inline in inline_admin_formsets:
        formset = inline.formset
        heading = capfirst(str(inline.opts.verbose_name_plural))
        for message in formset.non_form_errors():
            links.append(ErrorLink(f"{formset.prefix}-group", heading, message))
        for number, form in enumerate(formset.forms, start=1):
            where = gettext("%(table)s, row %(number)d") % {"table": heading, "number": number}
            links.extend(_form_errors(form, where))
    return links
