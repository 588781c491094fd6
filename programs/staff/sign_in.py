"""Signing in to the admin: a password, then a code from an authenticator app (TOTP).

Password guessing is stopped by django-axes (settings.AXES_*): after too many wrong passwords for
one username from one address, that pair gets `locked_out_response` for the cool-off period.

With `ADMIN_REQUIRE_2FA` on (the default when DEBUG is off) only a session verified with a code
may use the admin. A staff member without a device signs in with their password and is sent to
their own enrolment page (`/admin/two-factor/`), where they add the app by scanning a QR code and
confirm it with a first code. A lost device is reset by a superuser, who deletes it under
"TOTP devices" in the admin; the staff member then enrols again.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def locked_out_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: our own page, 429, and when to retry."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    response = render(
        request,
        "admin/locked_out.html",
        {"cooloff_minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


class StaffLoginForm(AdminAuthenticationForm, OTPAuthenticationFormMixin):
    """The admin's sign-in: username and password, and the app's code once a device is set up.

    Someone who has not set up a device yet signs in with the password alone; the admin then
    sends them to enrol (CatalogAdminSite) before anything else.
    """

    otp_token = forms.CharField(
        label=gettext_lazy("Authentication code"),
        required=False,
        max_length=8,
        help_text=gettext_lazy("The 6-digit code your authenticator app shows for this site."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": gettext_lazy("Enter the 6-digit code from your authenticator app."),
        "invalid_token": gettext_lazy(
            "That code is not right or has expired. Enter the code your app shows now."
        ),
    }

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned_data

    def _chosen_device(self, user):
        # Each person has one authenticator app (TOTP device), so there is nothing to choose.
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class EnrolmentForm(forms.Form):
    """The first code from a newly added app, which proves the app holds the right key."""

    token = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_token(self):
        token = self.cleaned_data["token"].strip().replace(" ", "")
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                gettext(
                    "After a wrong code, the next try must wait a few seconds. Wait, then enter "
                    "the code the app shows then."
                )
            )
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                gettext(
                    "That code does not match. Check that the app's clock is right and enter "
                    "the code it shows now."
                )
            )
        return token


def qr_code_svg(data):
    """The QR code of `data` as inline SVG markup (no inline style, so the CSP allows it)."""
    return mark_safe(segno.make(data).svg_inline(scale=4, title="QR code for your app"))


def grouped_secret(secret):
    """The key in groups of four characters, as people type it into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def pending_device(user):
    """The user's unconfirmed device, created with a fresh key when there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device
