"""Catalog editions in the admin: the list, opening the next edition, and each edition's page
with its steps (publish, move its day, archive) and its addenda.

Every step is its function in programs/actions/editions.py; a step that isn't allowed comes back
as a message (or, when opening, as the form's error), having written nothing. Editions are
catalog-wide: every staff member may see them, and only those with `programs.manage_editions`
open, publish and archive them or add addenda. An edition's year never changes (it is in its
addresses); an upcoming edition's day to become current on may move, an archived one's nothing.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.csrf import csrf_protect

from programs.actions import editions as steps
from programs.actions.editions import EditionRefused
from programs.core.limits import ADDENDUM_MAX_LENGTH, ARCHIVE_IN_ADMIN_MAX
from programs.models import Addendum, Edition, EditionProgramme, EditionState, Programme

# The programmes one search of the addendum form's programme field lists at a time.
PROGRAMME_CHOICES_PER_PAGE = 20


def may_view_editions(user):
    return user.is_active and user.is_staff


def may_manage_editions(user):
    return user.is_active and user.is_staff and user.has_perm("programs.manage_editions")


class OpenEditionForm(forms.Form):
    """The next edition: its academic year and the day it becomes the current catalog."""

    starts_in = forms.IntegerField(
        label=Edition._meta.get_field("starts_in").verbose_name,
        help_text=Edition._meta.get_field("starts_in").help_text,
        min_value=2000,
        max_value=2099,
    )
    publishes_on = forms.DateField(
        label=Edition._meta.get_field("publishes_on").verbose_name,
        help_text=Edition._meta.get_field("publishes_on").help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class MoveEditionForm(forms.Form):
    """Another day for an upcoming edition to become current on."""

    publishes_on = OpenEditionForm.base_fields["publishes_on"]


class EditionProgrammeSelect(AutocompleteSelect):
    """The admin's searchable choice, asking this edition's own programme search (an edition
    holds up to 100,000 programmes: too many for a plain list)."""

    def __init__(self, edition, **kwargs):
        self.edition = edition
        super().__init__(Addendum._meta.get_field("entry"), admin.site, **kwargs)

    def get_url(self):
        return reverse("admin:programs_edition_programmes", args=[self.edition.pk])


class AddendumForm(forms.Form):
    """A dated correction to an archived edition, or to one of its programmes."""

    dated = forms.DateField(
        label=gettext_lazy("dated"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    text = forms.CharField(
        label=gettext_lazy("text"),
        max_length=ADDENDUM_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy(
            "Shown, with its date, on the edition's pages. An addendum is never changed or "
            "deleted: to correct one, add another."
        ),
    )
    entry = forms.ModelChoiceField(
        label=gettext_lazy("programme"),
        queryset=EditionProgramme.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Search by title. Empty: the addendum is about the whole edition and shows on every "
            "page of it."
        ),
    )

    def __init__(self, edition, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The widget first: setting the queryset hands the widget its choices.
        self.fields["entry"].widget = EditionProgrammeSelect(edition)
        self.fields["entry"].queryset = EditionProgramme.objects.in_edition(edition)


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["label", "state_name", "publishes_on", "archived_at", "frozen"]
    list_display_links = ["label"]
    ordering = ["-starts_in"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(frozen_count=Count("programmes"))

    @admin.display(description=gettext_lazy("edition"), ordering="starts_in")
    def label(self, edition):
        return edition.label

    @admin.display(description=gettext_lazy("state"))
    def state_name(self, edition):
        return edition.state(timezone.localdate()).label

    @admin.display(description=gettext_lazy("programmes frozen"), ordering="frozen_count")
    def frozen(self, edition):
        # None (the admin's dash) for a live edition: it has frozen nothing yet.
        return edition.frozen_count if edition.is_archived else None

    def has_module_permission(self, request):
        return may_view_editions(request.user)

    def has_view_permission(self, request, obj=None):
        return may_view_editions(request.user)

    def has_add_permission(self, request):
        return may_manage_editions(request.user)

    def has_change_permission(self, request, obj=None):
        # Its fields never change here; its steps have their own permission (manage_editions).
        return False

    def has_delete_permission(self, request, obj=None):
        # An edition's addresses are permanent: it is archived, never deleted.
        return False

    def get_urls(self):
        return [
            path(
                "<int:edition_id>/archive/",
                self.admin_site.admin_view(self.archive_view),
                name="programs_edition_archive",
            ),
            path(
                "<int:edition_id>/programmes/",
                self.admin_site.admin_view(self.programme_choices),
                name="programs_edition_programmes",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        # An edition's history is on its page: its dates and its addenda.
        raise Http404

    def get_object(self, request, object_id, from_field=None):
        if not str(object_id).isdigit():
            return None
        return self.get_queryset(request).filter(pk=object_id).first()

    def _edition_or_404(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        edition = self.get_object(request, object_id)
        if edition is None:
            raise Http404
        return edition

    @method_decorator(csrf_protect)
    def add_view(self, request, form_url="", extra_context=None):
        """Open the next edition (GET: the form; POST: open it through open_edition)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OpenEditionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                edition = steps.open_edition(
                    form.cleaned_data["starts_in"], form.cleaned_data["publishes_on"]
                )
            except EditionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                self.log_addition(request, edition, [{"added": {}}])
                messages.success(
                    request,
                    gettext("The %(year)s edition is open: publish it when it is ready.")
                    % {"year": edition.label},
                )
                return HttpResponseRedirect(
                    reverse("admin:programs_edition_change", args=[edition.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Open the next catalog edition"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/programs/edition/open.html", context)

    @method_decorator(csrf_protect)
    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The edition's page (GET), or a step: publish it, or add an addendum (POST)."""
        edition = self._edition_or_404(request, object_id)
        addendum_form = None
        if request.method == "POST":
            if not may_manage_editions(request.user):
                raise PermissionDenied
            if "_publish" in request.POST:
                return self.publish(request, edition)
            if "_move" in request.POST:
                return self.move(request, edition)
            if "_addendum" not in request.POST:
                messages.error(request, gettext("Unknown step: nothing was changed."))
                return HttpResponseRedirect(request.path)
            addendum_form = AddendumForm(edition, request.POST)
            if addendum_form.is_valid():
                return self.add_addendum(request, edition, addendum_form)
        elif request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        return self.edition_page(request, edition, addendum_form)

    def edition_page(self, request, edition, addendum_form=None):
        manages = may_manage_editions(request.user)
        if addendum_form is None and manages and edition.is_archived:
            addendum_form = AddendumForm(edition)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Catalog edition %(year)s") % {"year": edition.label},
            "opts": self.opts,
            "edition": edition,
            "state": edition.state(timezone.localdate()),
            "addenda": edition.addenda.select_related("entry__edition", "written_by"),
            "addendum_form": addendum_form,
            "move_form": MoveEditionForm(initial={"publishes_on": edition.publishes_on}),
            "may": {
                "move": manages and edition.state(timezone.localdate()) == EditionState.UPCOMING,
                "publish": manages and not edition.published and not edition.is_archived,
                "archive": manages and not edition.is_archived,
                "add_addendum": manages and edition.is_archived,
            },
        }
        return TemplateResponse(request, "admin/programs/edition/edition.html", context)

    def publish(self, request, edition):
        today = timezone.localdate()
        # Publishing for today (or a day past) archives the edition it takes over from at once,
        # in this request: only up to the archiving page's limit.
        superseded = Edition.objects.due(today).filter(publishes_on__lt=edition.publishes_on)
        if edition.publishes_on <= today and superseded.exists():
            to_freeze = Programme.objects.published().count()
            if to_freeze > ARCHIVE_IN_ADMIN_MAX:
                messages.error(request, self.too_many_message(edition, to_freeze, "publish"))
                return HttpResponseRedirect(request.path)
        try:
            steps.publish_edition(edition, today)
        except EditionRefused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(request.path)
        self.log_change(request, edition, [{"changed": {"fields": ["published"]}}])
        if edition.publishes_on <= today:
            messages.success(request, gettext("Published: it is the current catalog now."))
        else:
            messages.success(
                request,
                gettext("Published: it becomes the current catalog on %(day)s.")
                % {"day": formats.date_format(edition.publishes_on, "DATE_FORMAT")},
            )
        return HttpResponseRedirect(request.path)

    def move(self, request, edition):
        form = MoveEditionForm(request.POST)
        try:
            if not form.is_valid():
                raise EditionRefused(" ".join(form.errors["publishes_on"]))
            steps.move_edition(edition, form.cleaned_data["publishes_on"])
        except EditionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            self.log_change(request, edition, [{"changed": {"fields": ["publishes_on"]}}])
            messages.success(
                request,
                gettext("It becomes current on %(day)s now.")
                % {"day": formats.date_format(edition.publishes_on, "DATE_FORMAT")},
            )
        return HttpResponseRedirect(request.path)

    def add_addendum(self, request, edition, form):
        try:
            steps.add_addendum(
                edition,
                form.cleaned_data["text"],
                request.user,
                entry=form.cleaned_data["entry"],
                dated=form.cleaned_data["dated"],
            )
        except EditionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, gettext("The addendum is added to the edition's pages."))
        return HttpResponseRedirect(request.path)

    @method_decorator(csrf_protect)
    def archive_view(self, request, edition_id):
        """Archiving's confirmation (GET), and archiving (POST), up to ARCHIVE_IN_ADMIN_MAX
        programmes: a larger catalog is archived by `manage.py archive_edition`."""
        edition = self._edition_or_404(request, edition_id)
        if not may_manage_editions(request.user):
            raise PermissionDenied
        page = reverse("admin:programs_edition_change", args=[edition.pk])
        if edition.is_archived:
            messages.error(request, gettext("This edition is archived already."))
            return HttpResponseRedirect(page)
        to_freeze = Programme.objects.published().count()
        too_many = to_freeze > ARCHIVE_IN_ADMIN_MAX
        if request.method == "POST":
            if too_many:
                messages.error(request, self.too_many_message(edition, to_freeze, "archive"))
                return HttpResponseRedirect(request.path)
            try:
                archived = steps.archive_edition(edition)
            except EditionRefused as refusal:
                messages.error(request, str(refusal))
            else:
                self.log_change(request, archived, [{"changed": {"fields": ["archived_at"]}}])
                messages.success(
                    request,
                    gettext("The %(year)s edition is archived: its pages no longer change.")
                    % {"year": archived.label},
                )
            return HttpResponseRedirect(page)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Archive the %(year)s edition?") % {"year": edition.label},
            "opts": self.opts,
            "edition": edition,
            "to_freeze": to_freeze,
            "too_many": self.too_many_message(edition, to_freeze, "archive") if too_many else "",
            "edition_page": page,
        }
        return TemplateResponse(request, "admin/programs/edition/archive.html", context)

    @staticmethod
    def too_many_message(edition, to_freeze, step):
        """Why a step that archives an edition is left to a command, and which to run."""
        words = {
            "count": f"{to_freeze:,}",
            "most": f"{ARCHIVE_IN_ADMIN_MAX:,}",
            "command": f"manage.py {step}_edition {edition.slug}",
        }
        if step == "publish":
            return (
                gettext(
                    "Publishing it now archives the edition before it: %(count)s programmes are "
                    "too many to archive in the admin (at most %(most)s). Run `%(command)s` on "
                    "the server, which shows its progress."
                )
                % words
            )
        return (
            gettext(
                "%(count)s programmes are too many to archive in the admin (at most %(most)s). "
                "Run `%(command)s` on the server, which shows its progress."
            )
            % words
        )

    def programme_choices(self, request, edition_id):
        """The edition's programmes whose title holds the search term, as the admin's searchable
        choice asks for them (select2's JSON)."""
        edition = self._edition_or_404(request, edition_id)
        term = request.GET.get("term", "").strip()[:200]
        page = request.GET.get("page", "1")
        page = int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
        found = EditionProgramme.objects.in_edition(edition)
        if term:
            found = found.filter(title__icontains=term)
        start = (page - 1) * PROGRAMME_CHOICES_PER_PAGE
        rows = list(
            found.order_by("title", "slug").values_list("pk", "title", "slug")[
                start : start + PROGRAMME_CHOICES_PER_PAGE + 1
            ]
        )
        return JsonResponse(
            {
                "results": [
                    {"id": str(pk), "text": f"{title} ({slug})"}
                    for pk, title, slug in rows[:PROGRAMME_CHOICES_PER_PAGE]
                ],
                "pagination": {"more": len(rows) > PROGRAMME_CHOICES_PER_PAGE},
            }
        )
