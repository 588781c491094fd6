"""The proposals in the admin: the list of proposals and each proposal's page."""

from django.contrib import admin

from programs.models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["programme_title", "state", "proposed_by", "created_at", "effective_at"]
    list_filter = ["state"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
