"""The admin's spreadsheet pages for programmes: import (upload, preview, confirm) and export.

The upload is previewed row by row and kept in the staff member's session until they confirm;
confirming reads it again, checks again and writes it in one transaction
(`programs.transfer.spreadsheet_import`). A file larger than ADMIN_IMPORT_MAX_BYTES is refused here
with a pointer to `manage.py import_programmes`, which reads larger ones; what an upload may unpack
to and how many rows it may hold are bounded by the reader (spreadsheet_read.UPLOAD_LIMITS).

Changes to published programmes become proposals (one per programme, or added to its open
one), unless the staff member may publish directly and ticks "Publish at once, without review".
After the import, its result page lists the proposals, each a link to its page, and the new
programmes with what they are (published or drafts).
"""

import base64

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats.base_formats import CSV, XLSX

from programs.core import limits
from programs.models import Module, Programme, Proposal, ProposalState
from programs.staff.proposing import may_publish_directly
from programs.transfer.spreadsheet_columns import ModuleResource, ProgrammeResource
from programs.transfer.spreadsheet_import import CatalogImport, ImportRefused
from programs.transfer.spreadsheet_read import UPLOAD_LIMITS, SpreadsheetError, read_table

# What the upload page accepts; larger files go through the command line.
ADMIN_IMPORT_MAX_BYTES = getattr(settings, "ADMIN_IMPORT_MAX_BYTES", limits.ADMIN_IMPORT_MAX_BYTES)
SESSION_KEY = "programme_import"
# What the last confirmed import did, for its result page (kept until the next one).
RESULT_SESSION_KEY = "programme_import_result"
FORMATS = {"csv": CSV, "xlsx": XLSX}


def size_in_megabytes(size):
    return f"{size / (1024 * 1024):.1f}"


class ImportForm(forms.Form):
    programmes = forms.FileField(
        label=gettext_lazy("Programmes file"),
        required=False,
        # An empty file is reported by the import, in the same words as other unreadable files.
        allow_empty_file=True,
        help_text=gettext_lazy("CSV or XLSX with the columns of the programmes export."),
    )
    modules = forms.FileField(
        label=gettext_lazy("Modules file"),
        required=False,
        allow_empty_file=True,
        help_text=gettext_lazy(
            "CSV or XLSX with the columns of the modules export; it replaces the modules of "
            "each programme it names."
        ),
    )
    publish_now = forms.BooleanField(
        label=gettext_lazy("Publish at once, without review"),
        required=False,
        help_text=gettext_lazy(
            "Changes to published programmes go live as soon as you confirm, instead of "
            "becoming proposals for review."
        ),
    )

    def __init__(self, *args, may_publish_directly=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish_directly:
            # Only offered to staff who may publish without review.
            del self.fields["publish_now"]

    def clean(self):
        cleaned = super().clean()
        files = [cleaned.get(name) for name in ("programmes", "modules")]
        if not any(files) and not self.errors:
            raise forms.ValidationError(_("Choose a programmes file, a modules file, or both."))
        for upload in files:
            if upload is not None and upload.size > ADMIN_IMPORT_MAX_BYTES:
                raise forms.ValidationError(
                    _(
                        "%(name)s is %(size)s MB; this page takes files up to %(limit)s MB. "
                        "Import larger files on the server with “manage.py import_programmes”."
                    )
                    % {
                        "name": upload.name,
                        "size": size_in_megabytes(upload.size),
                        "limit": size_in_megabytes(ADMIN_IMPORT_MAX_BYTES),
                    }
                )
        return cleaned


class ExportForm(forms.Form):
    sheet = forms.ChoiceField(
        label=gettext_lazy("What"),
        choices=[
            ("programmes", gettext_lazy("Programmes")),
            ("modules", gettext_lazy("Modules of the programmes")),
        ],
        widget=forms.RadioSelect,
        initial="programmes",
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("xlsx", "XLSX"), ("csv", "CSV")],
        widget=forms.RadioSelect,
        initial="xlsx",
    )


def import_view(model_admin, request):
    """Upload a programmes and/or modules file, see every row's change, confirm."""
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Programme._meta,
        "title": _("Import programmes from a spreadsheet"),
        "max_megabytes": size_in_megabytes(ADMIN_IMPORT_MAX_BYTES),
        "export_url": reverse("admin:programs_programme_export"),
    }
    template = "admin/programs/programme/import.html"
    if request.method == "POST" and "confirm" in request.POST:
        return confirm(model_admin, request, context, template)
    if request.method == "GET" and "done" in request.GET:
        return import_result(request, context, template)
    may_publish = may_publish_directly(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, may_publish_directly=may_publish)
    if request.method == "POST" and form.is_valid():
        publish_now = form.cleaned_data.get("publish_now", False)
        if request.POST.get("publish_now") and not may_publish:
            messages.warning(request, refused_publishing())
        uploads = {
            name: (upload.name, upload.read())
            for name in ("programmes", "modules")
            if (upload := form.cleaned_data.get(name)) is not None
        }
        try:
            importer = importer_for(request.user, uploads, propose=not publish_now)
        except SpreadsheetError as problem:
            form.add_error(None, str(problem))
        else:
            preview = importer.preview()
            request.session[SESSION_KEY] = {
                "files": {
                    name: [file_name, base64.b64encode(data).decode()]
                    for name, (file_name, data) in uploads.items()
                },
                "publish_now": publish_now,
            }
            context.update(preview=preview, file_names=[name for name, _data in uploads.values()])
            return TemplateResponse(request, template, context)
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, template, context, status=status)


def refused_publishing():
    return _(
        "You may not publish without review, so changes to published programmes become proposals."
    )


def importer_for(user, uploads, propose=True):
    """A CatalogImport of the uploaded files ({"programmes": (name, bytes), …})."""
    tables = {
        name: read_table(data, file_name, UPLOAD_LIMITS)
        for name, (file_name, data) in uploads.items()
    }
    return CatalogImport(user, propose=propose, **tables)


def confirm(model_admin, request, context, template):
    """Write the previewed upload, or show why not (nothing written)."""
    stored = request.session.get(SESSION_KEY)
    if not stored or "files" not in stored:
        messages.error(request, _("There is no previewed file to import; upload it again."))
        return HttpResponseRedirect(reverse("admin:programs_programme_import"))
    uploads = {
        name: (file_name, base64.b64decode(data))
        for name, (file_name, data) in stored["files"].items()
    }
    publish_now = bool(stored.get("publish_now"))
    if publish_now and not may_publish_directly(request.user):
        # The permission was taken away since the preview.
        messages.warning(request, refused_publishing())
        publish_now = False
    importer = importer_for(request.user, uploads, propose=not publish_now)
    try:
        preview = importer.commit(fingerprint=request.POST.get("fingerprint"))
    except ImportRefused as refusal:
        messages.error(request, str(refusal))
        context.update(
            preview=refusal.preview, file_names=[name for name, _data in uploads.values()]
        )
        return TemplateResponse(request, template, context, status=400)
    del request.session[SESSION_KEY]
    files = ", ".join(name for name, _data in uploads.values())
    request.session[RESULT_SESSION_KEY] = {
        "files": files,
        "summary": preview.summary(),
        "proposals": [
            [kept.proposal.pk, kept.what, kept.state_before, len(kept.replaced)]
            for kept in importer.proposals
            if kept.proposal is not None
        ],
        "created": [programme.pk for programme in importer.created.values()],
        "published_at_once": [
            importer.stored[slug_value].pk for slug_value, _title in preview.published_at_once
        ],
    }
    messages.success(
        request,
        _("Imported %(files)s: %(summary)s.") % {"files": files, "summary": preview.summary()},
    )
    return HttpResponseRedirect(reverse("admin:programs_programme_import") + "?done")


def import_result(request, context, template):
    """What the last import did: the proposals it started or added to, the published programmes
    it changed at once, and the new programmes, each a link."""
    result = request.session.get(RESULT_SESSION_KEY)
    if not result:
        return HttpResponseRedirect(reverse("admin:programs_programme_import"))
    proposals = (
        Proposal.objects.visible_to(request.user)
        .select_related("programme")
        .in_bulk([pk for pk, *_rest in result["proposals"]])
    )
    editable = Programme.objects.editable_by(request.user).only("pk", "title", "slug", "published")
    programmes = editable.in_bulk([*result["created"], *result["published_at_once"]])
    waiting = (ProposalState.SUBMITTED, ProposalState.APPROVED)
    context.update(
        result=result,
        proposals=[
            {
                "proposal": proposals[pk],
                "what": what,
                "submit_again": what == "edited" and state_before in waiting,
                "replaced": replaced,
            }
            for pk, what, state_before, replaced in result["proposals"]
            if pk in proposals
        ],
        created=[programmes[pk] for pk in result["created"] if pk in programmes],
        published_at_once=[
            programmes[pk] for pk in result["published_at_once"] if pk in programmes
        ],
    )
    return TemplateResponse(request, template, context)


def export_view(model_admin, request):
    """Download the programmes (or their modules) this user may edit, in the import's columns."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = ExportForm(request.GET if "sheet" in request.GET else None)
    if form.is_valid():
        sheet = form.cleaned_data["sheet"]
        file_format = FORMATS[form.cleaned_data["file_format"]]()
        editable = Programme.objects.editable_by(request.user)
        if sheet == "programmes":
            dataset = ProgrammeResource().export(editable)
        else:
            dataset = ModuleResource().export(Module.objects.filter(programme__in=editable))
        response = HttpResponse(
            file_format.export_data(dataset), content_type=file_format.get_content_type()
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{sheet}.{file_format.get_extension()}"'
        )
        return response
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Programme._meta,
        "title": _("Export programmes to a spreadsheet"),
        "form": form if form.is_bound else ExportForm(),
    }
    return TemplateResponse(request, "admin/programs/programme/export.html", context)
