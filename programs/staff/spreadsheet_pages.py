"""The admin's spreadsheet pages for programmes: import (upload, preview, confirm) and export.

The upload is previewed row by row and kept in the staff member's session until they confirm;
confirming reads it again, checks again and writes it in one transaction
(`programs.transfer.spreadsheet_import`). A file larger than ADMIN_IMPORT_MAX_BYTES is refused here
with a pointer to `manage.py import_programmes`, which reads larger ones; what an upload may unpack
to and how many rows it may hold are bounded by the reader (spreadsheet_read.UPLOAD_LIMITS).
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
from programs.models import Module, Programme
from programs.transfer.spreadsheet_columns import ModuleResource, ProgrammeResource
from programs.transfer.spreadsheet_import import CatalogImport, ImportRefused
from programs.transfer.spreadsheet_read import UPLOAD_LIMITS, SpreadsheetError, read_table

# What the upload page accepts; larger files go through the command line.
ADMIN_IMPORT_MAX_BYTES = getattr(settings, "ADMIN_IMPORT_MAX_BYTES", limits.ADMIN_IMPORT_MAX_BYTES)
SESSION_KEY = "programme_import"
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
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = {
            name: (upload.name, upload.read())
            for name in ("programmes", "modules")
            if (upload := form.cleaned_data.get(name)) is not None
        }
        try:
            importer = importer_for(request.user, uploads)
        except SpreadsheetError as problem:
            form.add_error(None, str(problem))
        else:
            preview = importer.preview()
            request.session[SESSION_KEY] = {
                name: [file_name, base64.b64encode(data).decode()]
                for name, (file_name, data) in uploads.items()
            }
            context.update(preview=preview, file_names=[name for name, _data in uploads.values()])
            return TemplateResponse(request, template, context)
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, template, context, status=status)


def importer_for(user, uploads):
    """A CatalogImport of the uploaded files ({"programmes": (name, bytes), …})."""
    tables = {
        name: read_table(data, file_name, UPLOAD_LIMITS)
        for name, (file_name, data) in uploads.items()
    }
    return CatalogImport(user, **tables)


def confirm(model_admin, request, context, template):
    """Write the previewed upload, or show why not (nothing written)."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.error(request, _("There is no previewed file to import; upload it again."))
        return HttpResponseRedirect(reverse("admin:programs_programme_import"))
    uploads = {
        name: (file_name, base64.b64decode(data)) for name, (file_name, data) in stored.items()
    }
    importer = importer_for(request.user, uploads)
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
    messages.success(
        request,
        _("Imported %(files)s: %(summary)s.") % {"files": files, "summary": preview.summary()},
    )
    return HttpResponseRedirect(reverse("admin:programs_programme_changelist"))


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
