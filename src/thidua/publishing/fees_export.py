"""The writers' fees of an issue or a month as an XLSX list (nhuận bút)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from thidua.core.excel import add_table, new_workbook
from thidua.core.formatting import EXCEL_MONEY
from thidua.publishing.models import Fee, StoryType


def fees_workbook(fees: Iterable[Fee], *, title: str) -> Workbook:
    workbook = new_workbook()
    rows = []
    total = 0
    types = dict(StoryType.choices)
    statuses = dict(Fee.Status.choices)
    for number, fee in enumerate(fees, start=1):
        rows.append(
            [
                number,
                fee.payee,
                str(fee.story),
                str(types.get(fee.story_type, fee.story_type)),
                fee.story.owner_unit.display_name,
                fee.amount,
                str(statuses[fee.status]),
            ]
        )
        total += fee.amount
    rows.append(["", _("Total"), "", "", "", total, ""])
    add_table(
        workbook,
        _("Writers' fees"),
        [_("No."), _("Payee"), _("Story"), _("Type"), _("Unit"), _("Amount (đ)"), _("Status")],
        rows,
        formats=[None, None, None, None, None, EXCEL_MONEY, None],
    )
    workbook.properties.title = title
    return workbook
