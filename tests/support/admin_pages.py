"""Reading admin pages in tests: the data a browser would post back from a rendered form."""

from html.parser import HTMLParser

from django.urls import reverse

from programs.staff.proposing import PUBLISH_NOW


class FormFields(HTMLParser):
    """Collects the successful controls of one form, as a browser would submit them."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data = {}
        self.checkboxes = set()  # every checkbox's name, ticked or not
        self.select = None  # (name, multiple, selected values, first option value)
        self.textarea = None  # (name, collected text)

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        # Rows of the inline templates that JavaScript copies for "Add another" are not posted.
        if name and "__prefix__" in name:
            return
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind == "checkbox":
                self.checkboxes.add(name)
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.add(name, attrs.get("value", "on"))
                return
            self.add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self.select = (name, "multiple" in attrs, [], [])
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select[3].append(value)
            if "selected" in attrs:
                self.select[2].append(value)
        elif tag == "textarea" and name:
            self.textarea = (name, [])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select is not None:
            name, multiple, selected, options = self.select
            if not multiple and not selected and options:
                selected = options[:1]  # a single select always submits something
            for value in selected:
                self.add(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # The HTML parser keeps the newline browsers drop after <textarea>.
            self.add(name, "".join(text).removeprefix("\n"))
            self.textarea = None


def form_data(response, form_id="programme_form", publish_now=False):
    """The POST data of a rendered admin form: {name: value or [values]}, submit with `_save`.

    With `publish_now`, the form's "publish at once, without review" box is ticked, as a
    browser user who may publish directly would tick it: the change form or restore form of a
    published programme then changes it at once instead of starting a proposal. The box must be
    on the page (it is shown only to those who may), so a test can't tick what a user can't.
    """
    parser = FormFields(form_id)
    parser.feed(response.content.decode())
    data = {name: values[0] if len(values) == 1 else values for name, values in parser.data.items()}
    if publish_now:
        assert PUBLISH_NOW in parser.checkboxes, "the form has no “publish at once” box"
        data[PUBLISH_NOW] = "on"
    data["_save"] = "Save"
    return data


def change_url(programme):
    """The admin change page of a programme."""
    return reverse("admin:programs_programme_change", args=[programme.pk])


def row_index(data, prefix, field, value):
    """The index of the inline row whose `field` holds `value`."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    return next(i for i in range(total) if data.get(f"{prefix}-{i}-{field}") == value)


def add_row(data, prefix, **values):
    """Append a new inline row to POST data built from a rendered page."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for field, value in values.items():
        data[f"{prefix}-{index}-{field}"] = value
    data[f"{prefix}-{index}-programme"] = data.get(f"{prefix}-0-programme", "")
    return index


def errors_of(response):
    """All error messages of a re-rendered change form, as plain text."""
    messages = []
    # The admin's list holds the form's and rows' error lists, and formsets' messages as strings.
    for errors in response.context["errors"]:
        messages.extend([errors] if isinstance(errors, str) else errors)
    return " ".join(messages)
