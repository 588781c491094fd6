"""Each staff member's own page for the proposal e-mails they get: for each kind of message, an
e-mail each time, a daily digest or none, and the e-mails' language. Nobody sees or changes
another person's choice: the page only ever shows the signed-in person's own."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext

from programs.models import ProposalMailChoice


@admin.register(ProposalMailChoice)
class ProposalMailChoiceAdmin(admin.ModelAdmin):
    fields = ["waiting", "approved", "sent_back", "published", "language"]
    radio_fields = {
        "waiting": admin.VERTICAL,
        "approved": admin.VERTICAL,
        "sent_back": admin.VERTICAL,
        "published": admin.VERTICAL,
    }

    def get_queryset(self, request):
        # Another person's choice is not found (the admin then says so), so a typed address
        # can't show or change it.
        return super().get_queryset(request).filter(user=request.user)

    def _is_staff(self, request):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._is_staff(request) and (obj is None or obj.user_id == request.user.pk)

    def has_add_permission(self, request):
        # Asked on every admin page (its menu), so no query here: add_view sends a person who
        # has a choice already to it.
        return self._is_staff(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """There is no list: the person's own choice, or the form for their first one."""
        choice = self.get_queryset(request).first()
        if choice is None:
            return redirect("admin:programs_proposalmailchoice_add")
        return redirect("admin:programs_proposalmailchoice_change", choice.pk)

    def add_view(self, request, form_url="", extra_context=None):
        """The form for a first choice; anyone who has one changes it instead."""
        choice = self.get_queryset(request).first()
        if choice is not None:
            return redirect("admin:programs_proposalmailchoice_change", choice.pk)
        return super().add_view(request, form_url, extra_context)

    def render_change_form(self, request, context, *args, **kwargs):
        if not request.user.email:
            messages.warning(
                request,
                gettext("Your account has no e-mail address, so no proposal e-mail can reach you."),
            )
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.user = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(request, gettext("Your proposal e-mails are saved."))
        return redirect("admin:programs_proposalmailchoice_change", obj.pk)

    def response_change(self, request, obj):
        messages.success(request, gettext("Your proposal e-mails are saved."))
        return redirect("admin:programs_proposalmailchoice_change", obj.pk)
