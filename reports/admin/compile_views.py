"""The 本级 report compiled from subordinate filings: the compile page (choose, preview cell by
cell, apply) and a compiled filing's drill-down (each cell's contributors).

Plain page functions registered in `AnnualReportAdmin.get_urls` (see reports/admin/base.py);
the reads are `reports.levels`, the write `services.report_compile`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from reports import levels, selectors, services
from reports.access import access_for
from reports.admin.base import filing_page, period_asked
from reports.models import Agency, AnnualReport
from reports.rendering import render_tables


def compile_page(model_admin, request, slug):
    """A government's 本级 report of `?year=`: pick the filings to sum (GET ``include``, or the
    default of `levels.chosen`), see what each cell would become, then apply (POST), against
    the versions the preview read."""
    try:
        government = Agency.objects.get(slug=slug)
    except Agency.DoesNotExist:
        raise Http404("没有这个单位。") from None
    if not access_for(request.user).can_manage_agency(government.pk):
        raise PermissionDenied("只有该政府的主管部门可以汇总生成本级报告。")
    periods, period = period_asked(request)
    if period is None:
        return redirect("admin:reports_reportingperiod_add")
    data = request.POST if request.method == "POST" else request.GET
    include = data.getlist("include") if data.get("chosen") == "1" else None
    if request.method == "POST":
        try:
            done = services.report_compile(
                agency=government,
                period=period,
                by=request.user,
                include=include,
                expected_version=_int(request.POST.get("version")),
                expected_sources=request.POST.get("sources", ""),
            )
        except (
            levels.CompileRefusal,
            services.ReportLocked,
            services.EditConflict,
        ) as refusal:
            messages.error(request, f"未汇总：{refusal}")
        else:
            messages.success(
                request,
                f"已由{len(done.preview.sources)}个单位的报告汇总生成本级报告统计表，"
                f"修改了{done.changed}个单元格。",
            )
            return redirect("admin:reports_annualreport_compiled", done.report.pk)
    report = (
        AnnualReport.objects.select_related("agency", "period")
        .filter(agency=government, period=period)
        .first()
    ) or AnnualReport(agency=government, period=period)
    preview, refusal = None, ""
    try:
        preview = levels.compile_preview(report, include)
    except levels.CompileRefusal as problem:
        refusal = str(problem)
    if preview is not None:
        found = preview.candidates
    elif government.kind == Agency.Kind.GOVERNMENT:
        found = levels.candidates(government, period)
    else:
        found = []
    summed = {s.agency_slug for s in preview.sources} if preview else set(include or ())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"{government.name}{period.year}年度本级报告 · 汇总生成",
        "government": government,
        "period": period,
        "periods": periods,
        "report": report,
        "editable": report.pk is None or services.edit_refusal(report, request.user) is None,
        "refusal": refusal or (services.edit_refusal(report, request.user) if report.pk else ""),
        "candidates": found,
        "summed": summed,
        "preview": preview,
        "show_all": request.GET.get("all") == "1",
    }
    return TemplateResponse(request, "admin/reports/annualreport/compile.html", context)


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def compiled_page(model_admin, request, report):
    """The compiled filing's tables, each cell a link to its contributors (`?cell=`): agency,
    value, their filing's state then and now; overrides marked; the sources changed since."""
    values, notes = selectors.report_values(report)
    view = levels.compiled_view(report, values)
    picked = None
    code = request.GET.get("cell", "")
    if view and code and report.format.has_cell(code):
        picked = view.cell(report.format, code, values.get(code))
    access = access_for(request.user)
    linked = set()
    if view:
        linked = {
            c.source.report_id
            for c in view.contributors
            if access.can_see_agency(c.source.agency_id)
        }
    return filing_page(
        model_admin,
        request,
        report,
        "admin/reports/annualreport/compiled.html",
        title=f"{report.title} · 汇总构成",
        view=view,
        picked=picked,
        tables=render_tables(report.format, values, notes) if view else [],
        overridden=view.overridden if view else set(),
        can_compile=access.can_manage_agency(report.agency_id),
        compile_url=reverse("admin:reports_annualreport_compile", args=[report.agency.slug])
        + f"?year={report.period.year}",
        linked=linked,
    )
