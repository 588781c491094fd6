"""The catalog's reference tables in the admin: languages and universities, which programmes
point at (and staff pick from, in the autocomplete fields)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy

from programs.changelog.changes import record_public_changes_of
from programs.core import names
from programs.models import Language, ProgrammeUniversity, ReviewRule, University
from programs.staff.forms import CatalogFormFieldsMixin


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    """Every ISO 639-1 language (migration 0010), named in the staff member's language."""

    list_display = ["code", "local_name", "name"]
    search_fields = ["code", "name"]

    @admin.display(description=gettext_lazy("Name in this page's language"))
    def local_name(self, language):
        return str(language)

    def get_search_results(self, request, queryset, search_term):
        # The pickers (autocomplete) search here: staff type a language's name as they know it,
        # "Italienisch" or "italiano" as well as "Italian" or "it", and see the matches in
        # alphabetical order of their own language's names.
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = names.sort_key(search_term.strip())
        if term:
            named = [
                code
                for code in queryset.values_list("code", flat=True)
                if term in names.sort_key(names.language_name(code))
            ]
            found = found | queryset.filter(code__in=named)
        return found.in_reading_order(), may_have_duplicates


class ReviewRuleInline(admin.StackedInline):
    """How the university's proposals are reviewed: set by whoever may change the university
    (superusers), shown to its staff, who work by it."""

    model = ReviewRule
    can_delete = False
    max_num = 1
    fields = ["approvals_needed", "approvers"]

    def may_set(self, request):
        return request.user.has_perm("programs.change_university")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("programs.view_university")

    def get_extra(self, request, obj=None, **kwargs):
        # No empty form for those who can't fill it in (Django's read-only page would still
        # show one, built before it takes the form's extra rows away).
        return 1 if self.may_set(request) else 0

    def has_add_permission(self, request, obj=None):
        return self.may_set(request)

    def has_change_permission(self, request, obj=None):
        return self.may_set(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(University)
class UniversityAdmin(CatalogFormFieldsMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "country", "city"]
    list_filter = ["country"]
    search_fields = ["name", "short_name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]
    inlines = [ReviewRuleInline]
    # Shown, never edited: the identifier other systems know the university by.
    readonly_fields = ["uuid"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A university's name is on its programmes' pages: their change logs say so now, dated
        # today, rather than at some later, unrelated save of each programme. Only the log: the
        # programmes themselves are not written (no new version; their search words follow the
        # university by signal), so this is not a programs.actions.saving.programme_write.
        record_public_changes_of(obj.programmes.filter(published=True).values_list("pk", flat=True))

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to_staff(request.user)

    def get_exclude(self, request, obj=None):
        # Who works for which university is for superusers to see and set: a staff member who
        # could add themselves to a university could edit its programmes.
        if request.user.is_superuser:
            return super().get_exclude(request, obj)
        return ["staff"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The autocomplete behind a programme's "offering university" offers staff their own
        # universities only (the formset rejects any other id that is posted anyway).
        offering_autocomplete = (
            request.path == reverse("admin:autocomplete")
            and request.GET.get("model_name") == ProgrammeUniversity._meta.model_name
        )
        if offering_autocomplete and not request.user.is_superuser:
            queryset = queryset.filter(staff=request.user)
        return queryset, may_have_duplicates
