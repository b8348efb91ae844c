"""Documents of a drive under Decree 93/2021 art. 14: the report of what was mobilised, received,
distributed and to whom (PDF and XLSX), and the signed A4 disclosure table of a published
snapshot (XLSX, built from the snapshot's frozen CSV so it never changes afterwards)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from thidua.core.excel import write_cell
from thidua.core.formatting import EXCEL_MONEY, formal_date, format_date
from thidua.core.pdf import render_pdf
from thidua.mobilization import selectors
from thidua.mobilization.models import Disbursement, Disclosure, Drive, Pledge
from thidua.mobilization.services import drive_warnings


@dataclass
class Decree93Report:
    drive: Drive
    signer_name: str
    signer_title: str
    pledged: int = 0
    pledges: int = 0
    totals: selectors.Totals = field(default_factory=selectors.Totals)
    by_unit: list[tuple[str, Decimal]] = field(default_factory=list)
    distributed: list[dict[str, Any]] = field(default_factory=list)
    distributed_total: int = 0
    warnings: list[str] = field(default_factory=list)
    made_on: dt.date = field(default_factory=timezone.localdate)

    @property
    def received(self) -> int:
        return self.totals.money + self.totals.in_kind

    @property
    def remaining(self) -> int:
        """Money received and not yet distributed."""
        return self.totals.money - self.distributed_total


def decree93_report(
    drive: Drive, *, signer_name: str = "", signer_title: str = ""
) -> Decree93Report:
    """What the drive mobilised (pledges), received (confirmed receipts by kind, and by unit
    under the tree of then) and distributed (the payments to the cases it pays for: who, where,
    what, how much, when). A bounded number of queries whatever the size of the ledger."""
    latest = drive.disclosures.order_by("-published_at").first()
    report = Decree93Report(
        drive=drive,
        signer_name=signer_name or (latest.signer_name if latest else ""),
        signer_title=signer_title or (latest.signer_title if latest else ""),
    )
    pledged = Pledge.objects.filter(drive=drive).aggregate(total=Sum("amount"))
    report.pledged = pledged["total"] or 0
    report.pledges = Pledge.objects.filter(drive=drive).count()
    report.totals = selectors.drive_totals(drive)
    rollup = selectors.drive_rollup(drive)
    report.by_unit = [(unit.name, amount) for unit, amount in rollup.rows if amount]
    for payment in (
        Disbursement.objects.filter(case__drive=drive)
        .select_related("case", "case__unit", "case__unit__parent")
        .order_by("paid_on", "pk")
    ):
        case = payment.case
        report.distributed.append(
            {
                "paid_on": payment.paid_on,
                "name": case.head_name,
                "area": case.unit.name,
                "kind": case.get_kind_display(),
                "household_class": case.get_household_class_display(),
                "decision": case.decision_number,
                "amount": payment.amount,
            }
        )
        report.distributed_total += payment.amount
    report.warnings = drive_warnings(drive)
    return report


def _context(report: Decree93Report) -> dict[str, Any]:
    return {"report": report, "drive": report.drive, "totals": report.totals}


def decree93_pdf(report: Decree93Report) -> bytes:
    html = render_to_string("mobilization/pdf/decree93.html", _context(report))
    return render_pdf(html)


# --- XLSX with a title block and a signer block, A4 -----------------------------------------


def _a4(sheet: Any, *, landscape: bool, columns: int, widths: list[int]) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    for index, width in enumerate(widths[:columns], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _title(sheet: Any, row: int, text: str, columns: int, *, size: int = 13) -> int:
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    cell = sheet.cell(row=row, column=1)
    write_cell(cell, text)
    cell.font = Font(bold=True, size=size)
    cell.alignment = Alignment(horizontal="center", wrap_text=True)
    return row + 1


def _table(sheet: Any, row: int, header: list[str], rows: list[list[Any]], money: set[int]) -> int:
    for column, label in enumerate(header, start=1):
        cell = sheet.cell(row=row, column=column)
        write_cell(cell, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        row += 1
        for column, value in enumerate(values, start=1):
            write_cell(
                sheet.cell(row=row, column=column),
                value,
                EXCEL_MONEY if column in money and isinstance(value, int) else None,
            )
    return row + 2


def _signature(
    sheet: Any, row: int, columns: int, *, place: str, day: dt.date, title: str, name: str
) -> int:
    """The signer block at the right: place and formal date, title, room to sign, name."""
    start = max(1, columns - 2)
    lines = [
        (f"{place}, {formal_date(day)}", False),
        (title.upper() if title else _("The signer"), True),
        (_("(signature and seal)"), False),
        ("", False),
        ("", False),
        (name, True),
    ]
    for text, bold in lines:
        sheet.merge_cells(start_row=row, start_column=start, end_row=row, end_column=columns)
        cell = sheet.cell(row=row, column=start)
        write_cell(cell, text)
        cell.font = Font(bold=bold, italic=not bold and bool(text))
        cell.alignment = Alignment(horizontal="center")
        row += 1
    sheet.print_area = f"A1:{get_column_letter(columns)}{row}"
    return row


def decree93_xlsx(report: Decree93Report) -> Workbook:
    drive = report.drive
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Decree 93 report")[:31]
    columns = 7
    _a4(sheet, landscape=True, columns=columns, widths=[12, 28, 22, 18, 18, 16, 18])
    row = _title(sheet, 1, drive.owner_unit.name.upper(), columns, size=11)
    row = _title(
        sheet,
        row,
        _("Report on mobilising, receiving and distributing (Decree 93/2021, art. 14)"),
        columns,
    )
    row = _title(sheet, row, drive.title, columns, size=12)
    facts = [
        (_("Calling document"), drive.calling_document or "—"),
        (
            _("Receiving window"),
            f"{format_date(drive.opens_on)} – {format_date(drive.closes_on)}",
        ),
        (
            _("Distribution ends by"),
            format_date(drive.distribute_by) if drive.distribute_by else "—",
        ),
        (_("Pledged"), report.pledged),
        (_("Received in money"), report.totals.money),
        (_("Received in kind (estimated value)"), report.totals.in_kind),
        (_("Labour-days"), report.totals.labour_days),
        (_("Distributed"), report.distributed_total),
        (_("Money not yet distributed"), report.remaining),
    ]
    row += 1
    for label, value in facts:
        write_cell(sheet.cell(row=row, column=1), label)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.cell(row=row, column=1).font = Font(bold=True)
        write_cell(
            sheet.cell(row=row, column=3), value, EXCEL_MONEY if isinstance(value, int) else None
        )
        row += 1
    for warning in report.warnings:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        write_cell(sheet.cell(row=row, column=1), warning)
        sheet.cell(row=row, column=1).font = Font(italic=True)
        row += 1
    row += 1
    row = _title(sheet, row, _("Received by unit"), columns, size=11)
    row = _table(
        sheet, row, [_("Unit"), _("Amount (đ)")], [[n, int(a)] for n, a in report.by_unit], {2}
    )
    row = _title(sheet, row, _("Distributed: to whom"), columns, size=11)
    row = _table(
        sheet,
        row,
        [
            _("Paid on"),
            _("Head of household"),
            _("Residential area"),
            _("Kind of support"),
            _("Household class"),
            _("Board decision number"),
            _("Amount (đ)"),
        ],
        [
            [
                d["paid_on"],
                d["name"],
                d["area"],
                d["kind"],
                d["household_class"],
                d["decision"],
                d["amount"],
            ]
            for d in report.distributed
        ],
        {7},
    )
    _signature(
        sheet,
        row,
        columns,
        place=drive.owner_unit.name,
        day=report.made_on,
        title=report.signer_title,
        name=report.signer_name,
    )
    return workbook


def disclosure_xlsx(disclosure: Disclosure) -> Workbook:
    """The disclosure table to post (A4, landscape, signed): the snapshot's frozen rows, its
    totals, the place and channel, the check code, and the signer block."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Disclosure")[:31]
    rows = list(csv.reader(io.StringIO(disclosure.csv_content)))
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    columns = max(len(header), 6)
    _a4(sheet, landscape=True, columns=columns, widths=[14, 11, 26, 14, 18, 14, 22, 10, 20, 14])
    row = _title(sheet, 1, disclosure.unit.name.upper(), columns, size=11)
    row = _title(sheet, row, _("Public disclosure of the funds received"), columns)
    subject = disclosure.drive.title if disclosure.drive else disclosure.fund.name
    row = _title(
        sheet,
        row,
        f"{subject} · {format_date(disclosure.period_from)} – {format_date(disclosure.period_to)}",
        columns,
        size=11,
    )
    row = _title(
        sheet,
        row,
        _("Channel: %(channel)s · posted from %(start)s · check code %(code)s")
        % {
            "channel": disclosure.get_channel_display(),
            "start": format_date(disclosure.posted_from),
            "code": disclosure.check_code,
        },
        columns,
        size=9,
    )
    row += 1
    money_column = 6  # "Amount (đ)" in the snapshot's CSV
    table = []
    for values in body:
        converted: list[Any] = list(values)
        if len(converted) >= money_column and converted[money_column - 1].lstrip("-").isdigit():
            converted[money_column - 1] = int(converted[money_column - 1])
        table.append(converted)
    row = _table(sheet, row, header, table, {money_column})
    for label, value in (
        (_("Total in money"), disclosure.total_money),
        (_("Total in kind (estimated value)"), disclosure.total_in_kind),
        (_("Labour-days"), disclosure.total_labour_days),
        (_("Entries"), disclosure.entries),
    ):
        write_cell(sheet.cell(row=row, column=1), label)
        sheet.cell(row=row, column=1).font = Font(bold=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        write_cell(
            sheet.cell(row=row, column=4),
            value,
            EXCEL_MONEY if label != _("Entries") and isinstance(value, int) else None,
        )
        row += 1
    row += 1
    sheet.print_title_rows = f"{6}:{6}" if header else None
    _signature(
        sheet,
        row,
        columns,
        place=disclosure.unit.name,
        day=timezone.localtime(disclosure.published_at).date(),
        title=disclosure.signer_title,
        name=disclosure.signer_name,
    )
    return workbook
