"""django-import-export in our admin: safe input formats and the behaviour every importing
ModelAdmin shares (explicit permission, Chinese messages, all or nothing).

django-import-export hands the uploaded bytes to a format's ``create_dataset``; ours run
`safety.check_upload` first (size, type sniffing, zip bomb) and read with formulas refused
(`flat.load_dataset`), then give a plain tablib Dataset to the resource.

The confirmation applies against what the preview saw (`reports.spreadsheets.versions`).
django-import-export runs the preview in `import_action` and the confirmation in
`process_import`, two requests that share only the confirm form, and hands the form of each
step to `get_import_data_kwargs`. So in the preview that hook gives the resource an empty dict
(``versions_seen``), which the resource fills row by row during the dry run, and keeps it on
the import form; `get_confirm_form_initial` (called after the dry run with that same form) puts
it in the confirm form's hidden ``versions`` field; in the confirmation the hook hands the
posted dict to the resource as ``preview_versions``. A confirmation without it is refused.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult

from reports.access import access_for
from reports.resources import import_problems
from reports.spreadsheets import flat
from reports.spreadsheets.safety import CSV, XLSX, SpreadsheetError, check_upload

UPLOAD_NAME = "上传的文件"


class SafeXLSX(base_formats.XLSX):
    kind = XLSX

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            raise SpreadsheetError("请选择与文件相符的格式（xlsx）。")
        return flat.load_dataset(
            check_upload(in_stream, f"{UPLOAD_NAME}.{self.kind}", allowed=(self.kind,))
        )


class SafeCSV(base_formats.CSV):
    """CSV read as bytes, so a GB18030 file from Chinese Excel is decoded too (not only UTF-8)."""

    kind = CSV

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return flat.load_dataset(
            check_upload(in_stream, f"{UPLOAD_NAME}.{self.kind}", allowed=(self.kind,))
        )


IMPORT_FORMATS = [SafeXLSX, SafeCSV]
NO_PREVIEW = (
    "未导入：确认表单缺少预览时的版本信息（页面可能已过期），数据没有任何改动。请重新上传。"
)


class VersionedConfirmImportForm(ConfirmImportForm):
    """The confirm form, carrying what the preview saw of each row (see the module docstring)."""

    versions = forms.JSONField(widget=forms.HiddenInput)

    def clean_versions(self):
        held = self.cleaned_data["versions"]
        rows = held.get("rows") if isinstance(held, dict) else None
        if not isinstance(rows, dict) or not all(
            isinstance(v, int | str | None) for v in rows.values()
        ):
            raise forms.ValidationError(NO_PREVIEW)
        return rows


EXPORT_FORMATS = [base_formats.XLSX, base_formats.CSV]


class PortalImportMixin:
    """Mixed into an ImportMixin ModelAdmin: coordinators only, Chinese messages, and an
    import applied only when every row passed (a row refused at confirmation rolls back all)."""

    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    confirm_form_class = VersionedConfirmImportForm
    skip_admin_log = True  # the resources record ImportRecord rows and Chinese history entries

    def has_import_permission(self, request):
        return access_for(request.user).is_coordinator

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        kwargs["rollback_on_validation_errors"] = True
        if isinstance(form, ConfirmImportForm):
            kwargs["preview_versions"] = form.cleaned_data["versions"]
        elif isinstance(form, ImportForm):
            form.versions_seen = kwargs["versions_seen"] = {}
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            # {"rows": …}: a bare empty dict would count as a missing (required) value.
            initial["versions"] = {"rows": getattr(import_form, "versions_seen", {})}
        return initial

    def process_import(self, request, **kwargs):
        """The confirmation; refused (nothing written) when the confirm form lacks the
        preview's versions, instead of django-import-export's bare form errors."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_confirm_form(request)
            if not form.is_valid():
                messages.error(request, NO_PREVIEW)
                app_label, model_name = self.get_model_info()
                return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))
        return super().process_import(request, **kwargs)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file", f"无法读取该文件（{type(e).__name__}），请确认选择的格式与文件相符。"
            )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            problems = import_problems(result)
            messages.error(request, "未导入，数据没有任何改动：" + "；".join(problems[:10]))
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            f"导入完成：新增{totals[RowResult.IMPORT_TYPE_NEW]}条，"
            f"修改{totals[RowResult.IMPORT_TYPE_UPDATE]}条，"
            f"未变{totals[RowResult.IMPORT_TYPE_SKIP]}条。",
        )
