"""XLSX exports of a drive: the receipts book (opening balance, in, out, closing), the
disbursements book and the beneficiary list to post at a residential area."""

from __future__ import annotations

from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from thidua.core.excel import add_table, new_workbook, workbook_response
from thidua.core.formatting import EXCEL_MONEY
from thidua.mobilization import selectors
from thidua.mobilization.models import Disbursement, Drive, Receipt, SupportCase


def receipts_book(drive: Drive):
    workbook = new_workbook()
    rows = []
    balance = 0
    for receipt in (
        Receipt.objects.filter(drive=drive, status__in=selectors.COUNTED)
        .select_related("donor", "unit")
        .order_by("received_on", "id")
        .iterator(chunk_size=2000)
    ):
        if receipt.is_money:
            balance += receipt.amount
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
    out = Disbursement.objects.filter(case__fund=drive.fund).aggregate(s=Sum("amount"))["s"] or 0
    add_table(
        workbook,
        _("Summary"),
        [_("Opening balance (đ)"), _("Received (đ)"), _("Paid out (đ)"), _("Closing balance (đ)")],
        [[0, balance, out, balance - out]],
        formats=[EXCEL_MONEY] * 4,
    )
    return workbook


def disbursements_book(drive: Drive):
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
        for d in Disbursement.objects.filter(case__fund=drive.fund)
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


def beneficiaries(drive: Drive):
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
        for c in SupportCase.objects.filter(fund=drive.fund)
        .exclude(status=SupportCase.Status.REJECTED)
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


def response(drive: Drive, book: str) -> HttpResponse:
    if book not in BOOKS:
        raise Http404
    build, name = BOOKS[book]
    return workbook_response(build(drive), f"{name}-{drive.pk}.xlsx")
