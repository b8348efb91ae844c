"""The writers' fees of an issue or a month as an XLSX list (nhuận bút): each fee with its
publication date, the rate of its type in force on that date (and the date that rate is in force
from), the coefficient and the amount."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from thidua.core.excel import add_table, new_workbook
from thidua.core.formatting import EXCEL_DATE, EXCEL_MONEY, EXCEL_NUMBER
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
                fee.published_on,
                fee.rate or fee.amount,
                fee.rate_from if fee.rate_from else _("default rate"),
                fee.coefficient,
                fee.amount,
                str(statuses[fee.status]),
            ]
        )
        total += fee.amount
    rows.append(["", _("Total"), "", "", "", "", "", "", "", total, ""])
    add_table(
        workbook,
        _("Writers' fees"),
        [
            _("No."),
            _("Payee"),
            _("Story"),
            _("Type"),
            _("Unit"),
            _("Publication date"),
            _("Rate (đ)"),
            _("Rate in force from"),
            _("Coefficient"),
            _("Amount (đ)"),
            _("Status"),
        ],
        rows,
        formats=[
            None,
            None,
            None,
            None,
            None,
            EXCEL_DATE,
            EXCEL_MONEY,
            EXCEL_DATE,
            EXCEL_NUMBER,
            EXCEL_MONEY,
            None,
        ],
    )
    workbook.properties.title = title
    return workbook
