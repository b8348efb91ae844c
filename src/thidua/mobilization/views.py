"""Staff pages: funds, drive dashboard, bulk entry, confirmation, reversal, statement import,
disclosure publication. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.excel import workbook_response
from thidua.core.formatting import format_money
from thidua.core.forms import add_errors
from thidua.core.pagination import paginate
from thidua.core.policy import can, require, scope_filter
from thidua.honors import selectors as honors_selectors
from thidua.honors import services as honors_services
from thidua.mobilization import reports, selectors, services
from thidua.mobilization.forms import (
    BulkUploadForm,
    CommendationForm,
    DisclosureForm,
    DriveForm,
    ExportForm,
    ReportSignerForm,
    ReverseForm,
    StatementForm,
    grid_rows,
)
from thidua.mobilization.models import Receipt
from thidua.mobilization.services.bulk import COLUMNS, GRID_ROWS
from thidua.org.models import Unit

PER_PAGE = 50
DRIVE_UNITS_PER_PAGE = 20  # the drive page: units ranked by what they mobilised
# the honors nominee kinds of each kind of donor
NOMINEE_KINDS = {
    "individual": "person",
    "household": "household",
    "organisation": "collective",
    "enterprise": "collective",
}


def _errors(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages_ in error.message_dict.values() for m in messages_]
    return error.messages


@login_required
def home(request: HttpRequest) -> HttpResponse:
    require(request.user, "mobilization.view")
    funds = list(selectors.visible_funds(request.user).select_related("unit")[:200])
    drives = list(selectors.visible_drives(request.user)[:200])
    return render(request, "mobilization/home.html", {"funds": funds, "drives": drives})


@login_required
def fund(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.get_fund_for_user(request.user, pk)
    totals = selectors.fund_totals(fund)
    return render(
        request,
        "mobilization/fund.html",
        {
            "fund": fund,
            "totals": totals,
            # money paid is a fact to record, so a payout beyond the balance is not refused: the
            # page says so, for the missing receipts or transfers in to be found
            "overdrawn": -totals.balance if totals.balance < 0 else 0,
            "accounts": list(fund.accounts.all()),
            "drives": list(fund.drives.all()),
            "waiting": selectors.receipts_to_confirm(request.user).filter(fund=fund).count(),
            "disclosures": list(selectors.public_disclosures(fund)[:20]),
            "may_manage": can(request.user, "mobilization.manage", fund.unit),
            "may_confirm": can(request.user, "mobilization.confirm", fund.unit),
        },
    )


@login_required
def drive(request: HttpRequest, pk: int) -> HttpResponse:
    """Mobilised against target by unit under the tree of then or now, with drill-down."""
    drive = selectors.get_drive_for_user(request.user, pk)
    tree = "now" if request.GET.get("tree") == "now" else "then"
    root = drive.owner_unit
    if request.GET.get("unit", "").isdigit():
        candidate = Unit.objects.filter(
            pk=int(request.GET["unit"]), path__startswith=drive.owner_unit.path
        ).first()
        root = candidate or root
    rollup = selectors.drive_rollup(drive, root=root, tree=tree)
    totals = selectors.drive_totals(drive)
    # the units ranked by what they mobilised, a page at a time (a city has hundreds of wards)
    page, query = paginate(request, rollup.rows, DRIVE_UNITS_PER_PAGE)
    giving = sum(1 for _unit, amount in rollup.rows if amount)
    return render(
        request,
        "mobilization/drive.html",
        {
            "drive": drive,
            "rollup": rollup,
            "page": page,
            "query": query,
            "first_rank": page.start_index(),
            "units_total": len(rollup.rows),
            "units_giving": giving,
            "units_nothing": len(rollup.rows) - giving,
            "totals": totals,
            "progress": selectors.percent_of(totals.money + totals.in_kind, drive.target_cash),
            "warnings": services.drive_warnings(drive),
            "tree": tree,
            "may_record": can(request.user, "mobilization.record"),
            "may_report": can(request.user, "mobilization.view_donors", drive.owner_unit),
            "large_donors": selectors.large_donors(drive)
            if can(request.user, "mobilization.view_donors", drive.owner_unit)
            else [],
            "signer": ReportSignerForm(),
            "export": ExportForm(),
        },
    )


def _entry_units(user, drive) -> list[Unit]:
    return list(
        Unit.objects.filter(path__startswith=drive.owner_unit.path)
        .filter(scope_filter(user, "mobilization.record"))
        .valid_on(timezone.localdate())
        .select_related("parent", "kind")
        .order_by("path")[:300]
    )


@login_required
def bulk_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """A residential committee's receipts: the keyboard grid or the filled template."""
    drive = selectors.get_drive_for_user(request.user, pk)
    units = _entry_units(request.user, drive)
    if not units:
        raise PermissionDenied(_("You do not have permission to do this."))
    chosen = request.POST.get("unit") or request.GET.get("unit")
    unit = next((u for u in units if str(u.pk) == chosen), units[-1])
    upload = BulkUploadForm()
    result = None
    errors: list[str] = []
    if request.method == "POST":
        try:
            if request.FILES.get("file"):
                upload = BulkUploadForm(request.POST, request.FILES)
                file = request.FILES["file"]
                result = services.record_bulk(
                    request.user, drive=drive, unit=unit, data=file.read(), file_name=file.name
                )
            else:
                result = services.record_bulk(
                    request.user, drive=drive, unit=unit, rows=grid_rows(request.POST)
                )
        except ValidationError as error:
            errors = _errors(error)
        if result is not None and not result.errors:
            if result.already:
                messages.info(request, _("These receipts were already recorded: nothing added."))
            else:
                messages.success(
                    request,
                    _("%(count)s receipts recorded; they wait for the accountant's confirmation.")
                    % {"count": result.created},
                )
            return redirect(f"{request.path}?unit={unit.pk}")
    posted = request.POST if request.method == "POST" else {}
    recent = (
        Receipt.objects.filter(drive=drive, unit=unit).select_related("donor").order_by("-id")[:50]
    )
    return render(
        request,
        "mobilization/bulk_entry.html",
        {
            "drive": drive,
            "units": units,
            "unit": unit,
            "columns": COLUMNS,
            "grid": [
                [
                    (f"r{index}-{name}", label, posted.get(f"r{index}-{name}", ""))
                    for name, label in COLUMNS
                ]
                for index in range(GRID_ROWS)
            ],
            "upload": upload,
            "result": result,
            "errors": errors,
            "recent": recent,
            "may_see_names": can(request.user, "mobilization.view_donors", unit),
        },
    )


@login_required
def bulk_template(request: HttpRequest, pk: int) -> HttpResponse:
    drive = selectors.get_drive_for_user(request.user, pk)
    units = _entry_units(request.user, drive)
    if not units:
        raise PermissionDenied(_("You do not have permission to do this."))
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit")), units[-1])
    response = HttpResponse(
        services.receipt_template(drive=drive, unit=unit),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="so-thu.xlsx"'
    return response


@login_required
def confirm_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The accountant's page: receipts recorded by others, to confirm one by one or all."""
    fund = selectors.get_fund_for_user(request.user, pk)
    waiting = selectors.receipts_to_confirm(request.user).filter(fund=fund)
    if request.method == "POST":
        chosen = request.POST.getlist("receipt")
        confirmed = 0
        problems: list[str] = []
        for receipt in waiting.filter(pk__in=[c for c in chosen if c.isdigit()]):
            try:
                services.confirm_receipt(request.user, receipt=receipt)
                confirmed += 1
            except (ValidationError, PermissionDenied) as error:
                problems.append(str(error.messages[0] if hasattr(error, "messages") else error))
        if confirmed:
            messages.success(request, _("%(count)s receipts confirmed.") % {"count": confirmed})
        for problem in problems:
            messages.error(request, problem)
        return redirect(request.path)
    page = Paginator(waiting, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mobilization/confirm_list.html",
        {
            "fund": fund,
            "page": page,
            "may_see_names": can(request.user, "mobilization.view_donors"),
        },
    )


@login_required
def receipts(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff ledger of a fund, with the donors' real names for those allowed."""
    fund = selectors.get_fund_for_user(request.user, pk)
    rows = selectors.visible_receipts(request.user).filter(fund=fund).order_by("-id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mobilization/receipts.html",
        {
            "fund": fund,
            "page": page,
            "may_see_names": can(request.user, "mobilization.view_donors", fund.unit),
        },
    )


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = selectors.get_receipt_for_user(request.user, pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = services.reverse_receipt(
                request.user, receipt=receipt, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Receipt %(number)s reversed by entry %(reversal)s.")
                % {"number": receipt.number, "reversal": reversal.number},
            )
            return redirect("mobilization:receipt", pk=receipt.pk)
    return render(
        request,
        "mobilization/receipt.html",
        {
            "receipt": receipt,
            "form": form,
            "may_reverse": receipt.status == Receipt.Status.CONFIRMED
            and not receipt.is_reversal
            and can(request.user, "mobilization.confirm", receipt.unit),
            "may_see_names": can(request.user, "mobilization.view_donors", receipt.unit),
        },
    )


@login_required
def statement_import(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.get_account_for_user(request.user, pk)
    require(request.user, "mobilization.confirm", account.fund.unit)
    form = StatementForm(request.POST or None, request.FILES or None)
    result = None
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            result = services.import_statement(
                request.user, account=account, data=file.read(), file_name=file.name
            )
        except ValidationError as error:
            errors = _errors(error)
        if result is not None and not result.errors:
            messages.success(
                request,
                _("%(new)s new lines, %(matched)s matched, %(skipped)s already imported.")
                % {"new": result.created, "matched": result.matched, "skipped": result.skipped},
            )
            return redirect(request.path)
    unmatched = selectors.unmatched_lines(account.fund).filter(account=account)[:200]
    return render(
        request,
        "mobilization/statement_import.html",
        {
            "account": account,
            "form": form,
            "result": result,
            "errors": errors,
            "unmatched": unmatched,
            "statements": account.statements.all()[:20],
        },
    )


@login_required
def disclosure_new(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.get_fund_for_user(request.user, pk)
    require(request.user, "mobilization.manage", fund.unit)
    drives = list(fund.drives.all())
    form = DisclosureForm(request.POST or None, drives=drives)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next((d for d in drives if d.pk == data["drive"]), None)
        try:
            disclosure = services.publish_disclosure(
                request.user,
                fund=fund,
                drive=chosen,
                period_from=data["period_from"],
                period_to=data["period_to"],
                channel=data["channel"],
                signer_name=data["signer_name"],
                signer_title=data["signer_title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The disclosure is published."))
            return redirect("public_mobilization:disclosure", pk=disclosure.pk)
    return render(request, "mobilization/disclosure_form.html", {"fund": fund, "form": form})


@login_required
@require_POST
def stock_in(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = selectors.get_receipt_for_user(request.user, pk)
    try:
        services.stock_in(request.user, unit=receipt.fund.unit, receipt=receipt)
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(request, _("The goods are in the warehouse."))
    return redirect("mobilization:receipt", pk=receipt.pk)


@login_required
def drive_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Launch a drive of a fund; the Decree 93 windows are checked by the service."""
    fund = selectors.get_fund_for_user(request.user, pk)
    require(request.user, "mobilization.manage", fund.unit)
    form = DriveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["target_cash"] = data["target_cash"] or 0
        data["target_labour_days"] = data["target_labour_days"] or 0
        try:
            drive = services.create_drive(request.user, fund=fund, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("mobilization:drive", pk=drive.pk)
    return render(request, "mobilization/drive_form.html", {"fund": fund, "form": form})


@login_required
def decree93_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The Decree 93/2021 art. 14 report of a drive: mobilised, received, distributed and to
    whom (the beneficiaries' names: staff who may see them)."""
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    drive = selectors.get_drive_for_user(request.user, pk)
    require(request.user, "mobilization.view_donors", drive.owner_unit)
    signer = ReportSignerForm(request.GET or None)
    data = signer.cleaned_data if signer.is_valid() else {}
    report = reports.decree93_report(
        drive,
        signer_name=data.get("signer_name", ""),
        signer_title=data.get("signer_title", ""),
    )
    if fmt == "xlsx":
        return workbook_response(reports.decree93_xlsx(report), f"bao-cao-nd93-{drive.pk}.xlsx")
    response = HttpResponse(reports.decree93_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-nd93-{drive.pk}.pdf"'
    return response


@login_required
def donor_commend(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Propose for commendation": a named donor whose gifts reached the fund's threshold goes
    into a round open for the donor's unit, through honors' own service; the nomination form
    comes pre-filled with the donor's name and what was given."""
    donor = selectors.get_donor_for_user(request.user, pk)
    totals = selectors.donor_totals(donor)
    if not selectors.may_be_commended(donor, totals):
        raise PermissionDenied(_("This donor's gifts have not reached the fund's threshold."))
    nominee_kind = NOMINEE_KINDS.get(donor.kind, "person")
    rounds = honors_selectors.open_rounds_for(request.user, donor.unit, nominee_kind=nominee_kind)
    gifts = "; ".join(
        _("%(amount)s to %(fund)s")
        % {"amount": format_money(row["total"] or 0), "fund": row["fund__name"]}
        for row in totals
        if row["total"]
    )
    form = CommendationForm(
        request.POST or None,
        rounds=rounds,
        initial={
            "nominee_name": donor.name or donor.public_name,
            "achievements": _("Gave %(gifts)s to the funds of the Fatherland Front.")
            % {"gifts": gifts},
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next(r for r in rounds if r.pk == data["round"])
        award = next((a for a in chosen.award_types.all() if a.pk == data["award_type"]), None)
        try:
            if award is None:
                raise ValidationError(
                    {"award_type": [_("This award is not offered in this round.")]}
                )
            nomination = honors_services.nominate(
                request.user,
                round=chosen,
                award_type=award,
                nominee_kind=nominee_kind,
                nominee_name=data["nominee_name"],
                unit=donor.unit,
                achievements=data["achievements"],
            )
        except ValidationError as error:
            fields = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            for field_name, messages_ in fields.items():
                form.add_error(field_name if field_name in form.fields else None, messages_)
        else:
            messages.success(request, _("The donor is proposed for commendation."))
            return redirect("honors:nomination_detail", pk=nomination.pk)
    return render(
        request,
        "mobilization/donor_commend.html",
        {"donor": donor, "totals": totals, "rounds": rounds, "form": form},
    )
