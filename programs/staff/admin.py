"""The admissions staff's workspace.

Staff belong to one or more universities (`University.staff`) and may see, edit and delete only
the programmes those universities offer; superusers see everything. Every save of a programme
checks the version it was loaded with (optimistic locking, see `programs.staff.forms`) and is
recorded by django-simple-history, parts included, so an earlier version can be restored.
"""

import datetime
from dataclasses import replace

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from programs.actions.programme_writes import duplicate_programme, mark_checked, set_published
from programs.actions.restore import RestoreRefused, restore_preview, restore_programme, version_end
from programs.actions.saving import StaleVersion, programme_write
from programs.core import names
from programs.models import PART_MODELS, Programme, ProposalEvent, ShortlistEntry
from programs.staff import (
    edition_admin,  # noqa: F401 (imported for its registration: catalog editions)
    mail_choice_admin,  # noqa: F401 (imported for its registration: each one's proposal e-mails)
    proposal_admin,  # noqa: F401 (imported for its registration: proposals)
    reference_admin,  # noqa: F401 (imported for its registrations: languages, universities)
    spreadsheet_pages,
)
from programs.staff.error_summary import error_links
from programs.staff.forms import (
    CatalogFormFieldsMixin,
    ProgrammeAdminForm,
    core_facts_not_stated,
    removed_language_codes,
    requirements_asking_for_removed_languages,
)
from programs.staff.inlines import PART_INLINES, OfferingInline
from programs.staff.proposal_conflicts import ProposalConflictMixin
from programs.staff.proposing import ProposingChangeFormMixin
from programs.staff.proposing_restores import ProposingRestoreMixin, proposing_context

# Programmes not checked against their source for this long are flagged to their staff.
CHECK_INTERVAL = datetime.timedelta(days=365)


def check_overdue_since(today=None):
    """The day before which a check counts as overdue (12 months before `today`)."""
    return (today or timezone.localdate()) - CHECK_INTERVAL


class CheckedFilter(admin.SimpleListFilter):
    """Which programmes have not been checked against their source for 12 months."""

    title = gettext_lazy("checked against the source")
    parameter_name = "checked"

    def lookups(self, request, model_admin):
        return [
            ("overdue", gettext("Not in the last 12 months")),
            ("recent", gettext("In the last 12 months")),
        ]

    def queryset(self, request, queryset):
        overdue = queryset.not_checked_since(check_overdue_since())
        if self.value() == "overdue":
            return overdue
        if self.value() == "recent":
            return queryset.exclude(pk__in=overdue.values("pk"))
        return queryset


def shortlist_count():
    """An annotation: how many shortlists hold the programme, in the programme's own query."""
    entries = (
        ShortlistEntry.objects.filter(programme=models.OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    return Coalesce(models.Subquery(entries, output_field=models.IntegerField()), 0)


@admin.register(Programme)
class ProgrammeAdmin(
    ProposalConflictMixin,
    ProposingChangeFormMixin,
    ProposingRestoreMixin,
    CatalogFormFieldsMixin,
    SimpleHistoryAdmin,
):
    form = ProgrammeAdminForm
    inlines = PART_INLINES
    list_display = [
        "title",
        "offered_by",
        "level",
        "teaching_languages",
        "ects",
        "published",
        "shortlisted",
        "checked_on",
        "updated_at",
    ]
    list_filter = [
        CheckedFilter,
        ("universities", admin.RelatedOnlyFieldListFilter),
        ("languages", admin.RelatedOnlyFieldListFilter),
        "level",
        "field_of_study",
        "published",
        "retired",
    ]
    # The list shows no foreign key (a successor is no column); what it shows across
    # relations is prefetched in get_queryset instead, so the list costs the same number of
    # queries at any length.
    list_select_related = False
    search_fields = ["title", "slug", "degree", "universities__name", "universities__short_name"]
    autocomplete_fields = ["languages", "successor"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "uuid",
        "checked_on",
        "checked_by",
        "created_at",
        "updated_at",
        "shortlisted",
    ]
    actions = ["publish", "unpublish", "mark_checked_today", "duplicate"]

    class Media:
        css = {"all": ["css/admin_programme.css"]}
        js = ["js/admin_select2_labels.js"]

    # The same order as the public programme page.
    fieldsets = [
        (
            gettext_lazy("Key facts"),
            {
                "fields": [
                    "title",
                    "slug",
                    "degree",
                    "level",
                    "field_of_study",
                    "is_joint_degree",
                    ("faculty", "campus", "city"),
                    "languages",
                    ("study_mode", "delivery"),
                    "tuition_type",
                    "approval_status",
                ],
                "description": gettext_lazy(
                    "Leave a fact empty when the source does not state it: the public page "
                    "then shows it as not stated. Say how each fact you fill in is known in "
                    "“Sources of the key facts” below: the source's exact words, or why it is "
                    "inferred."
                ),
            },
        ),
        (
            gettext_lazy("Plan"),
            {
                "fields": ["ects", "duration_semesters", "duration_as_stated", "start_term"],
                "description": gettext_lazy(
                    "The offering universities, semesters, tracks, modules, admission "
                    "requirements, application deadlines, tuition fees and careers are edited "
                    "below the form."
                ),
            },
        ),
        (gettext_lazy("Text"), {"fields": ["summary", "description", "career_prospects"]}),
        (
            gettext_lazy("Provenance"),
            {
                "fields": [
                    "source_document",
                    "source_url",
                    "transcribed_on",
                    ("checked_on", "checked_by"),
                    "checked_today",
                    "change_reason",
                ],
                "description": gettext_lazy(
                    "How each key fact is known is recorded in “Sources of the key facts” "
                    "below; each semester, track, module, requirement and career has its own "
                    "source quote and reason. Tick “checked against the source today” once you "
                    "have compared every fact with the source."
                ),
            },
        ),
        (
            gettext_lazy("Retirement"),
            {
                "fields": ["retired", "admission_ends", "successor"],
                "description": gettext_lazy(
                    "A retired programme admits no new students. Its page stays, with a notice "
                    "naming the first intake no longer admitted and the programme that replaces "
                    "it; the list shows it only when asked. On a published programme this is a "
                    "proposal, reviewed like every other change."
                ),
            },
        ),
        (
            gettext_lazy("Publication"),
            {
                "fields": [
                    "published",
                    "publish_incomplete",
                    "version",
                    "uuid",
                    "created_at",
                    "updated_at",
                    "shortlisted",
                ],
                "description": gettext_lazy(
                    "Drafts are seen only here and in the preview (View on site)."
                ),
            },
        ),
    ]

    def get_urls(self):
        # The spreadsheet pages (programs.staff.spreadsheet_pages), ahead of "<id>/" so they aren't
        # ids.
        def view(function):
            return self.admin_site.admin_view(lambda request: function(self, request))

        return [
            path("import/", view(spreadsheet_pages.import_view), name="programs_programme_import"),
            path("export/", view(spreadsheet_pages.export_view), name="programs_programme_export"),
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="programs_programme_publish",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request, object_id):
        """Publish one programme from its draft preview (a POST), then show its public page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        require_whole_numbers(object_id)
        programme = self.get_object(request, object_id)
        if not self.has_change_permission(request, programme):
            raise PermissionDenied
        changed, _ = set_published(Programme.objects.filter(pk=programme.pk), True, request.user)
        if changed:
            message = gettext("Published “%(title)s”: everyone can see it now.")
        else:
            message = gettext("“%(title)s” was already published.")
        self.message_user(request, message % {"title": programme.title}, messages.SUCCESS)
        return HttpResponseRedirect(programme.get_absolute_url())

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "successor" and formfield is not None:
            # Naming the programme that replaces this one must not offer to delete it: that is
            # another programme, perhaps a partner's.
            formfield.widget.can_delete_related = False
        return formfield

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .editable_by(request.user)
            .prefetch_related("offerings__university", "languages")
            .annotate(shortlist_count=shortlist_count())
        )

    @admin.display(description=gettext_lazy("Shortlists"), ordering="shortlist_count")
    def shortlisted(self, programme):
        """How many visitors' shortlists hold the programme: a count, never the lists or notes."""
        count = getattr(programme, "shortlist_count", None)
        if count is None:
            if programme.pk is None:
                return 0
            count = ShortlistEntry.objects.filter(programme=programme).count()
        return count

    @admin.display(description=gettext_lazy("Offered by"))
    def offered_by(self, programme):
        return ", ".join(str(offering.university) for offering in programme.offerings.all())

    @admin.display(description=gettext_lazy("Teaching languages"))
    def teaching_languages(self, programme):
        return ", ".join(
            names.language_name(language.code, default=language.name)
            for language in programme.languages.all()
        )

    # Object permissions: the model permission is not enough, the programme must also be one
    # this user may edit, so a typed URL can't reach another university's programme.
    def may_edit(self, request, obj):
        """Whether this user's universities offer the programme (always, for superusers)."""
        if obj is None or request.user.is_superuser:
            return True
        return Programme.objects.editable_by(request.user).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        # A joint programme is every partner's: one partner's staff may edit it, not delete it.
        return Programme.objects.deletable_by(request.user).filter(pk=obj.pk).exists()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Not there, or not this user's: the same answer, so ids can't be probed.
            raise Http404("No programme with this id that you may edit.")
        return obj

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, OfferingInline):
            kwargs["user"] = request.user
        return kwargs

    # Optimistic locking. The form refuses a stale version it can see; the save claims the
    # version with a conditional UPDATE, so of two saves racing past the form check one
    # fails there, its transaction rolls back and the view runs again to show the conflict.
    def save_model(self, request, obj, form, change):
        record = getattr(obj, "_history", None)
        if record is not None:
            # The revert form (simple-history's, which calls no save_related): the whole version
            # comes back, parts and languages included; its publication only when the user
            # ticked that too. restore_programme is a programme write of its own.
            restore_publication = form.cleaned_data.get("restore_publication", False)
            restored = restore_programme(
                obj,
                version_end(record),
                request.user,
                loaded_version=form.cleaned_data["version"],
                restore_publication=restore_publication,
            )
            obj._restored_from = (record, restored.published, restore_publication)
        # The change form: the programme's row is written in save_related, with its parts, as
        # one programme write; only there can a save that changes nothing be told apart.

    def render_change_form(self, request, context, *args, **kwargs):
        if context.get("errors"):
            context["error_links"] = error_links(
                context["adminform"], context["inline_admin_formsets"]
            )
        return super().render_change_form(request, context, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        if change and not form.has_changed() and not any(fs.has_changed() for fs in formsets):
            # A save that changes nothing writes nothing: no new version, no history row.
            obj._nothing_changed = True
            return
        # Django calls save_model, then this, in its own transaction: the write is this block,
        # which records the public change once the parts are saved too. No savepoint: an error
        # here rolls back Django's whole transaction anyway.
        with programme_write(savepoint=False) as write:
            # The programme's record first, its parts' after it (see programs.actions.restore).
            self.save_programme(request, obj, form, change, write)
            super().save_related(request, form, formsets, change)
        for warning in requirements_asking_for_removed_languages(obj, removed_language_codes(form)):
            self.message_user(request, warning, messages.WARNING)

    def save_programme(self, request, obj, form, change, write):
        """Write the programme's own row as its next version (checked, if ticked, today)."""
        if form.cleaned_data.get("checked_today"):
            obj.mark_checked(request.user, timezone.localdate())
        reason = form.cleaned_data.get("change_reason")
        if reason:
            # simple-history stores it with the version this save writes.
            obj._change_reason = reason
        if change:
            obj.version = write.claim(obj.pk, form.cleaned_data["version"])
        super().save_model(request, obj, form, change)
        write.wrote(obj.pk)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(form.instance, "_nothing_changed", False):
            return []  # the formsets were not saved, so they have no saved rows to list
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(obj, "_nothing_changed", False):
            return None  # nothing happened, so nothing to log
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        restored_from = getattr(obj, "_restored_from", None)
        if restored_from is not None:
            record, published, publication_restored = restored_from
            said = [
                gettext("The version of %(date)s is restored.")
                % {
                    "date": formats.date_format(
                        timezone.localtime(record.history_date), "DATETIME_FORMAT"
                    )
                }
            ]
            if publication_restored:
                said.append(
                    gettext("As you asked, it is published again.")
                    if published
                    else gettext("As you asked, it is a draft again, seen only by staff.")
                )
            else:
                said.append(
                    gettext("Its publication is unchanged: it is still published.")
                    if published
                    else gettext("Its publication is unchanged: it is still a draft.")
                )
            self.message_user(request, " ".join(said), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:programs_programme_change", args=[obj.pk]))
        if getattr(obj, "_nothing_changed", False):
            self.message_user(
                request,
                gettext("No changes: nothing was saved, and the history has no new version."),
                messages.INFO,
            )
            if "_continue" in request.POST:
                return HttpResponseRedirect(request.path)
            if "_addanother" in request.POST:
                return HttpResponseRedirect(reverse("admin:programs_programme_add"))
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    def require_in_scope(self, request, object_id):
        """Answer 404 for a programme this user may not edit, as the change page does.

        simple-history would answer 403 for another university's programme but 404 for an id
        that was never used, which would let staff probe which programmes exist. A deleted
        programme is no university's any more: only superusers may read its history.
        """
        if request.user.is_superuser:
            return
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("No programme with this id that you may edit.")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        require_whole_numbers(object_id, version_id)
        self.require_in_scope(request, object_id)
        if request.method == "POST":
            # simple-history lets anyone who may view a programme post the revert form.
            programme = Programme.objects.filter(pk=object_id).first()
            if programme is not None and not self.has_change_permission(request, programme):
                raise PermissionDenied
        # Restoring a version saves the programme like the change form does, so it takes part
        # in optimistic locking too; simple-history's view doesn't open a transaction itself.
        # On a published programme the restore becomes a proposal (ProposingRestoreMixin), and
        # its refusals come here as a direct restore's do.
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except StaleVersion:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except RestoreRefused as refusal:
            # Rolled back: nothing was written. The version's page again, saying why.
            for message in refusal.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def history_view(self, request, object_id, extra_context=None):
        require_whole_numbers(object_id)
        self.require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    object_history_template = "admin/programs/programme/object_history.html"
    object_history_form_template = "admin/programs/programme/object_history_form.html"
    object_history_list_template = "admin/programs/programme/object_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return EmptyAsEmptyContextHelper(self.model, historical_record)

    def render_history_view(self, request, template, context, **kwargs):
        # Called once the user's permission for the programme has been checked.
        if template == self.object_history_template:
            context["part_changes"] = part_changes(context["object"].pk)
            # Beside the versions: each step of the programme's proposals, who and when.
            context["proposal_steps"] = (
                ProposalEvent.objects.filter(proposal__programme_id=context["object"].pk)
                .select_related("actor", "proposal")
                .order_by("-at", "-pk")
            )
        if template == self.object_history_form_template:
            record = context["original"]._history
            current = Programme.objects.filter(pk=record.id).first()
            if current is not None:
                context["restore_preview"] = restore_preview(current, version_end(record))
            context.update(proposing_context(request, current))
        return super().render_history_view(request, template, context, **kwargs)

    # Actions. Each programme is saved on its own so its history records who changed it, and
    # its version moves on, so a form opened before the action can't silently undo it.
    @admin.action(
        description=gettext_lazy("Publish the selected programmes"), permissions=["change"]
    )
    def publish(self, request, queryset):
        # Drafts without their core facts ask first, as the change form does: a page listing
        # what each one leaves not stated, whose button sends the action again, confirmed.
        if not request.POST.get("publish_confirmed"):
            lacking = [
                (programme, missing)
                for programme in queryset.filter(published=False).prefetch_related("languages")
                if (missing := core_facts_not_stated(programme))
            ]
            if lacking:
                return TemplateResponse(
                    request,
                    "admin/programs/programme/publish_confirmation.html",
                    {
                        **self.admin_site.each_context(request),
                        "title": gettext("Publish without core facts?"),
                        "opts": self.model._meta,
                        "lacking": lacking,
                        "selected": queryset.values_list("pk", flat=True),
                        "action_checkbox_name": ACTION_CHECKBOX_NAME,
                    },
                )
        changed, unchanged = set_published(queryset, True)
        said = []
        if changed:
            said.append(
                ngettext("Published %d programme.", "Published %d programmes.", changed) % changed
            )
        if unchanged:
            said.append(
                ngettext(
                    "%d programme was already published.",
                    "%d programmes were already published.",
                    unchanged,
                )
                % unchanged
            )
        self.message_user(request, " ".join(said), messages.SUCCESS if changed else messages.INFO)

    @admin.action(
        description=gettext_lazy("Unpublish the selected programmes (back to draft)"),
        permissions=["change"],
    )
    def unpublish(self, request, queryset):
        changed, unchanged = set_published(queryset, False)
        said = []
        if changed:
            said.append(
                ngettext(
                    "Unpublished %d programme; it is a draft now.",
                    "Unpublished %d programmes; they are drafts now.",
                    changed,
                )
                % changed
            )
        if unchanged:
            said.append(
                ngettext(
                    "%d programme was already a draft.",
                    "%d programmes were already drafts.",
                    unchanged,
                )
                % unchanged
            )
        self.message_user(request, " ".join(said), messages.SUCCESS if changed else messages.INFO)

    @admin.action(
        description=gettext_lazy(
            "Mark the selected programmes as checked against the source today"
        ),
        permissions=["change"],
    )
    def mark_checked_today(self, request, queryset):
        count = mark_checked(queryset, request.user, timezone.localdate())
        self.message_user(
            request,
            ngettext(
                "Marked %d programme as checked against its source today.",
                "Marked %d programmes as checked against their sources today.",
                count,
            )
            % count,
            messages.SUCCESS,
        )

    @admin.action(
        description=gettext_lazy("Duplicate the selected programmes as drafts"), permissions=["add"]
    )
    def duplicate(self, request, queryset):
        copies = [duplicate_programme(programme) for programme in queryset]
        for copy in copies:
            self.log_addition(request, copy, [{"added": {}}])
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:programs_programme_change", args=[copy.pk]), copy.slug)
                for copy in copies
            ),
        )
        copied = ngettext(
            "Copied %d programme as a draft:", "Copied %d programmes as drafts:", len(copies)
        ) % len(copies)
        self.message_user(request, format_html("{} {}", copied, links), messages.SUCCESS)


# A programme's fields no person edits: the save bumps them. A version whose only changes are
# these (its parts changed, listed in the parts' history) is left out of the versions' list.
BOOKKEEPING_FIELDS = frozenset({"version", "updated_at", "created_at", "uuid"})


class EmptyAsEmptyContextHelper(HistoricalRecordContextHelper):
    """Shows a fact that was not stated as "(empty)" in a version's changes, not "None",
    as the parts' history does; leaves out the fields no person edits (BOOKKEEPING_FIELDS).
    Each change is named by its field's label (simple-history's `format_delta_change`)."""

    def context_for_delta_changes(self, delta):
        edited = [change for change in delta.changes if change.field not in BOOKKEEPING_FIELDS]
        return super().context_for_delta_changes(replace(delta, changes=edited))

    def prepare_delta_change_value(self, change, value):
        # A foreign key that was empty reads as a deleted row "(pk=None)" in simple-history.
        if value is None or getattr(value, "pk", 0) is None:
            return gettext("(empty)")
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        return super().prepare_delta_change_value(change, value)


def require_whole_numbers(*ids):
    """Answer 404 for a typed admin URL whose ids are not numbers (simple-history would 500)."""
    if not all(str(value).isdigit() for value in ids):
        raise Http404("No such programme or version.")


def part_changes(programme_pk, limit=200):
    """The latest recorded changes to a programme's parts, newest first, with what changed."""
    records = []
    for model in PART_MODELS:
        history = model.history.filter(programme_id=programme_pk).select_related("history_user")
        by_row = {}
        for record in history.order_by("history_date", "history_id"):
            previous = by_row.get(record.id)
            record.part_kind = model._meta.verbose_name
            record.changes = (
                [
                    # Named by the field's label, in the staff's language, not its code name.
                    replace(
                        change, field=capfirst(model._meta.get_field(change.field).verbose_name)
                    )
                    for change in record.diff_against(previous, foreign_keys_are_objs=False).changes
                ]
                if previous is not None
                else []
            )
            by_row[record.id] = record
            records.append(record)
    records.sort(key=lambda record: record.history_date, reverse=True)
    return records[:limit]


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect, which would otherwise tell any staff member the
    address (and so the slug) of another university's draft: drafts redirect only for those
    who may edit them, everyone else gets the same 404 as for an id that doesn't exist."""
    if content_type_id == ContentType.objects.get_for_model(Programme).pk:
        visible = Programme.objects.visible_to(request.user)
        if not object_id.isdigit() or not visible.filter(pk=object_id).exists():
            raise Http404("No programme with this id that you may see.")
    return contenttype_views.shortcut(request, content_type_id, object_id)
