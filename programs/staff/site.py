"""The admin site staff work in: Django's admin, with a second factor for everyone when
ADMIN_REQUIRE_2FA is on, and each staff member's own enrolment page (programs/staff/sign_in.py
holds the sign-in forms and rules). Installed as the default site by CatalogAdminConfig."""

from base64 import b32encode

from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from programs.core.second_factor import passed_second_factor, two_factor_required
from programs.staff.sign_in import (
    EnrolmentForm,
    StaffLoginForm,
    grouped_secret,
    pending_device,
    qr_code_svg,
)


class CatalogAdminSite(admin.AdminSite):
    """Django's admin, with a second factor for everyone when ADMIN_REQUIRE_2FA is on."""

    site_header = gettext_lazy("Curriculum catalog administration")
    site_title = gettext_lazy("Curriculum catalog admin")
    login_form = StaffLoginForm
    login_template = "admin/two_factor_login.html"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return passed_second_factor(request.user)

    def needs_enrolment(self, request):
        """A signed-in staff member who must use a code but has no device yet."""
        user = request.user
        return (
            two_factor_required()
            and user.is_active
            and user.is_staff
            and not user.is_verified()
            and not user_has_device(user)
        )

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def view_or_enrolment(request, *args, **kwargs):
            if self.needs_enrolment(request):
                return redirect("admin:two-factor")
            return inner(request, *args, **kwargs)

        return view_or_enrolment

    def get_urls(self):
        return [
            path("two-factor/", self.two_factor, name="two-factor"),
            path("two-factor/sign-out/", self.sign_out, name="two-factor-sign-out"),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    def two_factor(self, request):
        """A staff member's own page: add an authenticator app, or see that one is set up."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return redirect(f"{reverse('admin:login')}?next={request.path}")
        confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        context = {
            **self.each_context(request),
            "title": gettext("Two-factor sign-in"),
            "confirmed": confirmed,
            "required": two_factor_required(),
        }
        if confirmed:
            return render(request, "admin/two_factor.html", context)
        device = pending_device(user)
        form = EnrolmentForm(request.POST or None, device=device)
        if request.method == "POST" and form.is_valid():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(
                request,
                gettext("Two-factor sign-in is set up: you will be asked for a code each time."),
            )
            return redirect("admin:index")
        context.update(
            form=form,
            qr_code=qr_code_svg(device.config_url),
            secret=grouped_secret(b32encode(device.bin_key).decode()),
        )
        return render(request, "admin/two_factor.html", context)

    def sign_out(self, request):
        """Sign out from the enrolment page, which the admin's own sign-out doesn't serve."""
        return auth_views.LogoutView.as_view(next_page=reverse("admin:login"))(request)
