"""The mobilization work items: receipts waiting for confirmation (never one's own) and support
cases waiting for approval."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.formatting import format_money
from thidua.core.work import QuerySetSource, WorkItem, WorkItemSource
from thidua.mobilization import selectors
from thidua.mobilization.models import Receipt, StatementLine, SupportCase

RECEIPT_CONFIRM = "mobilization.receipt_confirm"
CASE_APPROVE = "mobilization.case_approve"
LINE_MATCH = "mobilization.line_match"
LABELS = {
    LINE_MATCH: gettext_lazy("Bank lines to match"),
    RECEIPT_CONFIRM: gettext_lazy("Receipts to confirm"),
    CASE_APPROVE: gettext_lazy("Support cases to approve"),
}


def receipts_to_confirm(user: Any) -> QuerySetSource:
    def to_item(receipt: Receipt) -> WorkItem:
        return WorkItem(
            kind=RECEIPT_CONFIRM,
            kind_label=str(LABELS[RECEIPT_CONFIRM]),
            title=_("Receipt %(number)s — %(fund)s")
            % {"number": receipt.number, "fund": receipt.fund.name},
            unit=receipt.unit,
            due=None,
            url=reverse("mobilization:confirm_list", args=[receipt.fund_id]),
            action=_("Confirm"),
            order=receipt.pk,
        )

    return QuerySetSource(
        kind=RECEIPT_CONFIRM,
        label=str(LABELS[RECEIPT_CONFIRM]),
        queryset=selectors.receipts_to_confirm(user),
        unit_path="unit__path",
        due=None,
        to_item=to_item,
    )


def cases_to_approve(user: Any) -> QuerySetSource:
    def to_item(case: SupportCase) -> WorkItem:
        return WorkItem(
            kind=CASE_APPROVE,
            kind_label=str(LABELS[CASE_APPROVE]),
            title=_("%(kind)s — %(name)s")
            % {"kind": case.get_kind_display(), "name": case.head_name},
            unit=case.unit,
            due=None,
            url=reverse("mobilization:case", args=[case.pk]),
            action=_("Approve or reject"),
            order=case.pk,
        )

    return QuerySetSource(
        kind=CASE_APPROVE,
        label=str(LABELS[CASE_APPROVE]),
        queryset=selectors.cases_to_approve(user),
        unit_path="unit__path",
        due=None,
        to_item=to_item,
    )


def lines_to_match(user: Any) -> QuerySetSource:
    def to_item(line: StatementLine) -> WorkItem:
        return WorkItem(
            kind=LINE_MATCH,
            kind_label=str(LABELS[LINE_MATCH]),
            title=_("%(amount)s on %(day)s — %(fund)s")
            % {
                "amount": format_money(line.amount),
                "day": line.booked_on.strftime("%d/%m/%Y"),
                "fund": line.account.fund.name,
            },
            unit=line.account.fund.unit,
            due=None,
            url=reverse("mobilization:line_match", args=[line.pk]),
            action=_("Match"),
            order=line.pk,
        )

    return QuerySetSource(
        kind=LINE_MATCH,
        label=str(LABELS[LINE_MATCH]),
        queryset=selectors.lines_to_match(user),
        unit_path="account__fund__unit__path",
        due=None,
        to_item=to_item,
    )


def work_items(user: Any) -> Iterable[WorkItemSource]:
    return [receipts_to_confirm(user), cases_to_approve(user), lines_to_match(user)]
