"""The form that asks for an e-mail alert: an address, and nothing else about the person."""

from django import forms
from django.utils.translation import gettext_lazy

from programs.models import Alert

EMAIL_MAX_LENGTH = Alert._meta.get_field("email").max_length
SEARCH_MAX_LENGTH = Alert._meta.get_field("search").max_length


class AlertForm(forms.Form):
    """An e-mail address to send the alert's confirmation, then its digests, to."""

    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=gettext_lazy(
            "Used only for these e-mails, and deleted when you unsubscribe. You first get an "
            "e-mail with a link to confirm."
        ),
        error_messages={
            "required": gettext_lazy("Enter your e-mail address, such as name@example.org."),
            "invalid": gettext_lazy("This is not an e-mail address; write it as name@example.org."),
        },
    )

    def __init__(self, *args, search="", **kwargs):
        super().__init__(*args, **kwargs)
        # The saved search's query string ("" for a programme), which must fit its column.
        self.search = search

    def clean(self):
        if len(self.search) > SEARCH_MAX_LENGTH:
            raise forms.ValidationError(
                gettext_lazy(
                    "These filters are too many to follow by e-mail; choose fewer, or follow "
                    "them with the feed."
                )
            )
        return super().clean()
