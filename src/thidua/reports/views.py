"""Statistics pages (staff): the list of reports, creating them for a unit and year, the form
with its cells linked to their records, the checks, adjustments and the sign-off steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.selectors import units_user_may
from thidua.core.excel import XLSX, workbook_response
from thidua.core.policy import can, require
from thidua.core.uploads import file_url
from thidua.reports import exports, selectors, services
from thidua.reports.engine import data_rows
from thidua.reports.forms import AdjustmentForm, CreateForm, ReasonForm
from thidua.reports.models import StatForm


def _language() -> str:
    return (get_language() or "vi")[:2]


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "reports.view")
    reports = selectors.visible_reports(request.user)
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    year = timezone.localdate().year
    in_force = selectors.regime_in_force(year)
    return render(
        request,
        "reports/report_list.html",
        {
            "page": page,
            "can_prepare": can(request.user, "reports.prepare"),
            "in_force": in_force,
            "year": year,
        },
    )


@login_required
def report_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "reports.prepare")
    units = units_user_may(request.user, "reports.prepare")
    year_raw = request.POST.get("year") or request.GET.get("year") or ""
    year = int(year_raw) if year_raw.isdigit() else timezone.localdate().year
    regimes = selectors.regimes_offered(year)
    form = CreateForm(request.POST or None, units=units, regimes=regimes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.pk == data["unit"])
        regime = next(r for r in regimes if r.code == data["regime"])
        try:
            reports = services.create_reports(
                request.user,
                unit=unit,
                year=data["year"],
                regime=regime,
                receiving_unit=data["receiving_unit"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The forms were computed from the registries."))
            return redirect("reports:detail", reports[0].pk)
    return render(
        request,
        "reports/report_form.html",
        {"form": form, "in_force": selectors.regime_in_force(year), "year": year},
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    language = _language()
    sheet = selectors.sheet(report, language=language)
    form = report.form
    may = {
        "prepare": can(request.user, "reports.prepare", report.unit),
        "check": can(request.user, "reports.check", report.unit),
        "sign": can(request.user, "reports.sign", report.unit),
    }
    adjustment_form = AdjustmentForm(
        rows=[(r["code"], selectors.localised(r["label"], language)) for r in data_rows(form.rows)],
        columns=[(c["code"], selectors.localised(c["label"], language)) for c in form.columns],
    )
    siblings = (
        selectors.visible_reports(request.user)
        .filter(unit=report.unit, year=report.year, form__regime=form.regime)
        .exclude(state="superseded")
    )
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "form": form,
            "sheet": sheet,
            "columns": [
                {"code": c["code"], "label": selectors.localised(c["label"], language)}
                for c in form.columns
            ],
            "adjustments": report.adjustments.select_related("author"),
            "later_revocations": selectors.later_revocations(report),
            "may": may,
            "adjustment_form": adjustment_form,
            "reason_form": ReasonForm(),
            "siblings": siblings.order_by("form__order"),
            "xlsx_url": file_url("stat-report-xlsx", report.pk) if report.xlsx else "",
            "pdf_url": file_url("stat-report-pdf", report.pk) if report.pdf else "",
        },
    )


@login_required
def cell(request: HttpRequest, pk: int, row: str, column: str) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    records = selectors.cell_records(report, row, column)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    language = _language()
    row_label = next(
        selectors.localised(r["label"], language)
        for r in data_rows(report.form.rows)
        if r["code"] == row
    )
    column_label = next(
        selectors.localised(c["label"], language)
        for c in report.form.columns
        if c["code"] == column
    )
    return render(
        request,
        "reports/cell.html",
        {
            "report": report,
            "page": page,
            "count": page.paginator.count,
            "row": row,
            "column": column,
            "row_label": row_label,
            "column_label": column_label,
            "movements": report.form.source == StatForm.Source.MOVEMENTS,
        },
    )


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    name = f"{report.form.code}-{report.year}.xlsx"
    if report.xlsx:  # a submitted report: the frozen file, never recomputed
        return _stored(report.xlsx, name, XLSX)
    return workbook_response(exports.build_workbook(report), name)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    name = f"{report.form.code}-{report.year}.pdf"
    if report.pdf:
        return _stored(report.pdf, name, "application/pdf")
    response = HttpResponse(exports.pdf_bytes(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _stored(field_file, name: str, content_type: str) -> HttpResponse:
    field_file.open("rb")
    try:
        content = field_file.read()
    finally:
        field_file.close()
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _step(request: HttpRequest, pk: int, run, done: str) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    try:
        run(report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("reports:detail", report.pk)


@login_required
@require_POST
def recompute(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda r: services.recompute_report(request.user, report=r),
        _("The report was recomputed from the registries."),
    )


@login_required
@require_POST
def check(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda r: services.check_report(request.user, report=r),
        _("The figures passed their checks."),
    )


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda r: services.sign_report(request.user, report=r),
        _("The report is signed."),
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda r: services.submit_report(request.user, report=r),
        _("The report is submitted; its figures are frozen."),
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda r: services.reopen_report(
            request.user, report=r, reason=request.POST.get("reason", "")
        ),
        _("The report is back to draft."),
    )


@login_required
@require_POST
def adjust(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)

    def run(r):
        try:
            delta = int(request.POST.get("delta", ""))
        except ValueError as error:
            raise ValidationError(_("Give the change as a whole number.")) from error
        services.add_adjustment(
            request.user,
            report=r,
            row_code=request.POST.get("row_code", ""),
            column_code=request.POST.get("column_code", ""),
            delta=delta,
            reason=request.POST.get("reason", ""),
        )

    return _step(request, report.pk, run, _("The adjustment was recorded."))
