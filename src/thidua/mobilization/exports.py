"""XLSX exports of a drive for a period: the receipts book (opening balance, in, out, closing),
the disbursements book (payments to the cases the drive pays for) and the beneficiary list to
post at a residential area (one area and the groups under it, or the whole drive)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from thidua.core.excel import add_table, new_workbook, workbook_response
from thidua.core.formatting import EXCEL_MONEY
from thidua.mobilization import selectors
from thidua.mobilization.models import Disbursement, Drive, Receipt, SupportCase
from thidua.org.models import Unit


@dataclass(frozen=True)
class Period:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    unit: Unit | None = None  # the beneficiary list's residential area


def _in_period(rows, field: str, period: Period):
    if period.date_from:
        rows = rows.filter(**{f"{field}__gte": period.date_from})
    if period.date_to:
        rows = rows.filter(**{f"{field}__lte": period.date_to})
    return rows


def _money_in(drive: Drive):
    return Receipt.objects.filter(
        drive=drive, status__in=selectors.COUNTED, kind__in=selectors.MONEY_KINDS
    )


def _paid_out(drive: Drive):
    return Disbursement.objects.filter(case__drive=drive)


def receipts_book(drive: Drive, period: Period = Period()):
    """Every counted receipt of the period; the summary's opening balance is the drive's money
    received and paid out before the period, its closing balance the opening plus in − out."""
    workbook = new_workbook()
    rows = []
    opening = 0
    if period.date_from:
        before_in = _money_in(drive).filter(received_on__lt=period.date_from)
        before_out = _paid_out(drive).filter(paid_on__lt=period.date_from)
        opening = (before_in.aggregate(s=Sum("amount"))["s"] or 0) - (
            before_out.aggregate(s=Sum("amount"))["s"] or 0
        )
    balance = opening
    received = 0
    receipts = Receipt.objects.filter(drive=drive, status__in=selectors.COUNTED)
    for receipt in (
        _in_period(receipts, "received_on", period)
        .select_related("donor", "unit")
        .order_by("received_on", "id")
        .iterator(chunk_size=2000)
    ):
        if receipt.is_money:
            balance += receipt.amount
            received += receipt.amount
        rows.append(
            [
                receipt.number,
                receipt.received_on,
                receipt.donor.name if receipt.donor and receipt.donor.name else _("Anonymous"),
                receipt.get_kind_display(),
                receipt.amount,
                receipt.item,
                receipt.labour_days,
                receipt.unit.name,
                receipt.get_status_display(),
                balance,
            ]
        )
    add_table(
        workbook,
        _("Receipts book"),
        [
            _("Receipt number"),
            _("Date"),
            _("Donor"),
            _("Kind"),
            _("Amount (đ)"),
            _("Goods"),
            _("Labour-days"),
            _("Unit"),
            _("Status"),
            _("Balance (đ)"),
        ],
        rows,
        formats=[None, None, None, None, EXCEL_MONEY, None, None, None, None, EXCEL_MONEY],
    )
    out = _in_period(_paid_out(drive), "paid_on", period).aggregate(s=Sum("amount"))["s"] or 0
    add_table(
        workbook,
        _("Summary"),
        [_("Opening balance (đ)"), _("Received (đ)"), _("Paid out (đ)"), _("Closing balance (đ)")],
        [[opening, received, out, opening + received - out]],
        formats=[EXCEL_MONEY] * 4,
    )
    return workbook


def disbursements_book(drive: Drive, period: Period = Period()):
    workbook = new_workbook()
    rows = [
        [
            d.paid_on,
            d.case.head_name,
            d.case.unit.name,
            d.case.get_kind_display(),
            d.amount,
            d.case.decision_number,
            d.witness,
        ]
        for d in _in_period(_paid_out(drive), "paid_on", period)
        .select_related("case", "case__unit")
        .order_by("paid_on", "pk")
    ]
    add_table(
        workbook,
        _("Disbursements book"),
        [
            _("Paid on"),
            _("Head of household"),
            _("Residential area"),
            _("Kind of support"),
            _("Amount (đ)"),
            _("Board decision number"),
            _("Witness"),
        ],
        rows,
        formats=[None, None, None, None, EXCEL_MONEY, None, None],
    )
    return workbook


def beneficiaries(drive: Drive, period: Period = Period()):
    cases = SupportCase.objects.filter(drive=drive)
    if period.unit is not None:
        cases = cases.filter(unit__path__startswith=period.unit.path)
    workbook = new_workbook()
    rows = [
        [
            c.head_name,
            c.unit.name,
            c.get_household_class_display(),
            c.get_kind_display(),
            c.approved_amount or 0,
            c.get_status_display(),
        ]
        for c in cases.exclude(status=SupportCase.Status.REJECTED)
        .select_related("unit")
        .order_by("unit__name", "head_name")
    ]
    add_table(
        workbook,
        _("Beneficiaries"),
        [
            _("Head of household"),
            _("Residential area"),
            _("Household class"),
            _("Kind of support"),
            _("Approved amount (đ)"),
            _("Status"),
        ],
        rows,
        formats=[None, None, None, None, EXCEL_MONEY, None],
    )
    return workbook


BOOKS = {
    "receipts": (receipts_book, "so-thu"),
    "disbursements": (disbursements_book, "so-chi"),
    "beneficiaries": (beneficiaries, "danh-sach-ho-duoc-ho-tro"),
}


def response(drive: Drive, book: str, period: Period = Period()) -> HttpResponse:
    if book not in BOOKS:
        raise Http404
    build, name = BOOKS[book]
    return workbook_response(build(drive, period), f"{name}-{drive.pk}.xlsx")
