"""Staff registers of the mobilization app: donors, pledges, transfers between funds and bank
accounts (list with search and pages, create, edit, detail), and the manual matching of bank
lines no reference matched. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.forms import add_errors
from thidua.core.pagination import paginate
from thidua.core.policy import can, require, scope_filter
from thidua.mobilization import selectors, services
from thidua.mobilization.forms import (
    AccountForm,
    DonorForm,
    LineReceiptForm,
    PledgeForm,
    SearchForm,
    TransferForm,
)
from thidua.org.models import Unit

PER_PAGE = 50
CHOICES_LIMIT = 300


def _listing(request: HttpRequest, rows: Any, template: str, **context: Any) -> HttpResponse:
    search = SearchForm(request.GET or None)
    page, query = paginate(request, rows, PER_PAGE)
    return render(request, template, {"search": search, "page": page, "query": query, **context})


def _q(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


def _units_for(user: Any, action: str) -> list[Unit]:
    return list(
        Unit.objects.filter(scope_filter(user, action))
        .valid_on(timezone.localdate())
        .select_related("kind")
        .order_by("path")[:CHOICES_LIMIT]
    )


# --- donors ---------------------------------------------------------------------------------


@login_required
def donor_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "mobilization.view_donors")
    donors = selectors.visible_donors(request.user).order_by("name", "pk")
    if q := _q(request):
        donors = donors.filter(Q(name__icontains=q) | Q(public_name__icontains=q))
    return _listing(
        request,
        donors,
        "mobilization/donor_list.html",
        may_record=can(request.user, "mobilization.record"),
    )


def _donor_form(request: HttpRequest, donor=None) -> HttpResponse:
    units = _units_for(request.user, "mobilization.record")
    if not units:
        raise PermissionDenied(_("You do not have permission to do this."))
    initial = (
        {
            "unit": donor.unit_id,
            "kind": donor.kind,
            "name": donor.name,
            "public_name": donor.public_name if donor.public_name != donor.name else "",
            "wants_public": donor.wants_public,
        }
        if donor
        else {"wants_public": True}
    )
    form = DonorForm(request.POST or None, units=units, initial=initial)
    if donor is not None:
        form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if donor is None:
                unit = next(u for u in units if u.pk == data.pop("unit"))
                donor = services.add_donor(request.user, unit=unit, **data)
            else:
                data.pop("unit", None)
                services.update_donor(request.user, donor=donor, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mobilization:donor", pk=donor.pk)
    return render(
        request,
        "mobilization/register_form.html",
        {
            "form": form,
            "object": donor,
            "title": _("Edit the donor") if donor else _("New donor"),
            "back": "mobilization:donor_list",
        },
    )


@login_required
def donor_new(request: HttpRequest) -> HttpResponse:
    return _donor_form(request)


@login_required
def donor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    donor = selectors.get_donor_for_user(request.user, pk)
    require(request.user, "mobilization.record", donor.unit)
    return _donor_form(request, donor)


@login_required
def donor(request: HttpRequest, pk: int) -> HttpResponse:
    donor = selectors.get_donor_for_user(request.user, pk)
    totals = selectors.donor_totals(donor)
    return render(
        request,
        "mobilization/donor.html",
        {
            "donor": donor,
            "totals": totals,
            "pledges": list(donor.pledges.select_related("drive")[:50]),
            "receipts": list(
                selectors.visible_receipts(request.user).filter(donor=donor).order_by("-id")[:50]
            ),
            "may_edit": can(request.user, "mobilization.record", donor.unit),
            "may_commend": selectors.may_be_commended(donor, totals),
        },
    )


# --- pledges --------------------------------------------------------------------------------


@login_required
def pledge_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "mobilization.view_donors")
    pledges = selectors.visible_pledges(request.user).order_by("-created_at", "-pk")
    if q := _q(request):
        pledges = pledges.filter(
            Q(reference__icontains=q) | Q(donor__name__icontains=q) | Q(drive__title__icontains=q)
        )
    return _listing(
        request,
        pledges,
        "mobilization/pledge_list.html",
        may_record=can(request.user, "mobilization.record"),
    )


@login_required
def pledge_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "mobilization.record")
    drives = list(selectors.visible_drives(request.user)[:CHOICES_LIMIT])
    donors = list(selectors.visible_donors(request.user).order_by("name")[:CHOICES_LIMIT])
    initial = {"donor": request.GET.get("donor"), "drive": request.GET.get("drive")}
    form = PledgeForm(request.POST or None, drives=drives, donors=donors, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        drive = next(d for d in drives if d.pk == data.pop("drive"))
        chosen = next((d for d in donors if d.pk == data.pop("donor")), None)
        if chosen is None:
            form.add_error("donor", _("Choose a donor."))
        else:
            try:
                pledge = services.record_pledge(request.user, drive=drive, donor=chosen, **data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("mobilization:pledge", pk=pledge.pk)
    return render(
        request,
        "mobilization/register_form.html",
        {
            "form": form,
            "object": None,
            "title": _("New pledge"),
            "back": "mobilization:pledge_list",
        },
    )


@login_required
def pledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = selectors.get_pledge_for_user(request.user, pk)
    require(request.user, "mobilization.record", pledge.unit)
    form = PledgeForm(
        request.POST or None,
        edit=True,
        initial={
            "amount": pledge.amount,
            "instalments": pledge.instalments,
            "due_on": pledge.due_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pledge(request.user, pledge=pledge, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mobilization:pledge", pk=pledge.pk)
    return render(
        request,
        "mobilization/register_form.html",
        {
            "form": form,
            "object": pledge,
            "title": _("Edit the pledge"),
            "back": "mobilization:pledge_list",
        },
    )


@login_required
def pledge(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = selectors.get_pledge_for_user(request.user, pk)
    return render(
        request,
        "mobilization/pledge.html",
        {
            "pledge": pledge,
            "received": selectors.pledge_received(pledge),
            "receipts": list(
                selectors.visible_receipts(request.user).filter(pledge=pledge).order_by("-id")[:50]
            ),
            "may_edit": can(request.user, "mobilization.record", pledge.unit),
        },
    )


# --- transfers between funds ----------------------------------------------------------------


@login_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "mobilization.view")
    transfers = selectors.visible_transfers(request.user).order_by("-made_on", "-pk")
    if q := _q(request):
        transfers = transfers.filter(
            Q(decision__icontains=q)
            | Q(from_fund__name__icontains=q)
            | Q(to_fund__name__icontains=q)
        )
    return _listing(
        request,
        transfers,
        "mobilization/transfer_list.html",
        may_manage=can(request.user, "mobilization.manage"),
    )


@login_required
def transfer_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "mobilization.manage")
    sources = [
        f
        for f in selectors.visible_funds(request.user).select_related("unit")[:CHOICES_LIMIT]
        if can(request.user, "mobilization.manage", f.unit)
    ]
    if not sources:
        raise PermissionDenied(_("You do not have permission to do this."))
    # money goes up the tree (commune → city) or to any fund the user sees
    targets = list(selectors.public_funds()[:CHOICES_LIMIT])
    form = TransferForm(request.POST or None, sources=sources, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = next(f for f in sources if f.pk == data.pop("from_fund"))
        target = next(f for f in targets if f.pk == data.pop("to_fund"))
        try:
            transfer = services.record_transfer(
                request.user, from_fund=source, to_fund=target, **data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mobilization:transfer", pk=transfer.pk)
    return render(
        request,
        "mobilization/register_form.html",
        {
            "form": form,
            "object": None,
            "title": _("New transfer between funds"),
            "back": "mobilization:transfer_list",
            "note": _("A transfer is never edited: record the opposite transfer to undo it."),
        },
    )


@login_required
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "mobilization/transfer.html",
        {"transfer": selectors.get_transfer_for_user(request.user, pk)},
    )


# --- bank accounts --------------------------------------------------------------------------


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "mobilization.view")
    accounts = selectors.visible_accounts(request.user).order_by("fund__name", "bank", "pk")
    if q := _q(request):
        accounts = accounts.filter(
            Q(bank__icontains=q) | Q(number__icontains=q) | Q(holder__icontains=q)
        )
    return _listing(
        request,
        accounts,
        "mobilization/account_list.html",
        may_manage=can(request.user, "mobilization.manage"),
    )


@login_required
def account_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "mobilization.manage")
    funds = [
        f
        for f in selectors.visible_funds(request.user).select_related("unit")[:CHOICES_LIMIT]
        if can(request.user, "mobilization.manage", f.unit)
    ]
    if not funds:
        raise PermissionDenied(_("You do not have permission to do this."))
    form = AccountForm(request.POST or None, funds=funds, initial={"statements_public": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fund = next(f for f in funds if f.pk == data.pop("fund"))
        try:
            account = services.add_account(request.user, fund=fund, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mobilization:account", pk=account.pk)
    return render(
        request,
        "mobilization/register_form.html",
        {
            "form": form,
            "object": None,
            "title": _("New bank account"),
            "back": "mobilization:account_list",
        },
    )


@login_required
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.get_account_for_user(request.user, pk)
    require(request.user, "mobilization.manage", account.fund.unit)
    form = AccountForm(
        request.POST or None,
        edit=True,
        initial={
            "holder": account.holder,
            "bank_bin": account.bank_bin,
            "statements_public": account.statements_public,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_account(request.user, account=account, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mobilization:account", pk=account.pk)
    return render(
        request,
        "mobilization/register_form.html",
        {
            "form": form,
            "object": account,
            "title": _("Edit the bank account"),
            "back": "mobilization:account_list",
        },
    )


@login_required
def account(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.get_account_for_user(request.user, pk)
    return render(
        request,
        "mobilization/account.html",
        {
            "account": account,
            "statements": list(account.statements.all()[:20]),
            "unmatched": list(selectors.unmatched_lines(account.fund).filter(account=account)[:50]),
            "may_manage": can(request.user, "mobilization.manage", account.fund.unit),
            "may_confirm": can(request.user, "mobilization.confirm", account.fund.unit),
        },
    )


# --- bank lines matched by hand -------------------------------------------------------------


@login_required
def line_match(request: HttpRequest, pk: int) -> HttpResponse:
    """An unmatched bank line: match it to a transfer receipt already recorded, or record the
    receipt it shows (it then waits for another officer's confirmation)."""
    line = selectors.get_line_for_user(request.user, pk)
    fund = line.account.fund
    require(request.user, "mobilization.confirm", fund.unit)
    drives = list(fund.drives.all()[:CHOICES_LIMIT])
    donors = list(selectors.visible_donors(request.user).order_by("name")[:CHOICES_LIMIT])
    form = LineReceiptForm(
        request.POST if request.POST.get("action") == "record" else None,
        drives=drives,
        donors=donors,
    )
    candidates = list(selectors.candidate_receipts(line))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "match":
                chosen = next(
                    (r for r in candidates if str(r.pk) == request.POST.get("receipt")), None
                )
                if chosen is None:
                    raise ValidationError(_("Choose one of the receipts listed."))
                services.match_line(request.user, line=line, receipt=chosen)
                messages.success(
                    request,
                    _("The bank line is matched to receipt %(number)s.")
                    % {"number": chosen.number},
                )
                return redirect("mobilization:account", pk=line.account_id)
            if form.is_valid():
                data = form.cleaned_data
                receipt = services.receipt_from_line(
                    request.user,
                    line=line,
                    drive=next((d for d in drives if d.pk == data["drive"]), None),
                    donor=next((d for d in donors if d.pk == data["donor"]), None),
                )
                messages.success(
                    request,
                    _("Receipt %(number)s recorded from the bank line; it waits for confirmation.")
                    % {"number": receipt.number},
                )
                return redirect("mobilization:account", pk=line.account_id)
        except ValidationError as error:
            add_errors(form, error)
            messages.error(request, " ".join(form.non_field_errors()) or _("Check the form."))
    return render(
        request,
        "mobilization/line_match.html",
        {"line": line, "candidates": candidates, "form": form},
    )
