"""Excel files that are safe to open: no cell written by us is ever read as a formula."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from thidua.core.formatting import EXCEL_COUNT, EXCEL_DATE, EXCEL_NUMBER

EXCEL_DATETIME = "dd/mm/yyyy hh:mm"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "|")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_value(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (=cmd|…, +…, @…) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def number_format_for(value: Any) -> str | None:
    """The office format of a cell that stays a number or a date (Excel shows 126.095, 2,5 and
    27/12/2024 in the reader's own locale)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return EXCEL_DATETIME
    if isinstance(value, dt.date):
        return EXCEL_DATE
    if isinstance(value, int):
        return EXCEL_COUNT
    if isinstance(value, (Decimal, float)):
        return EXCEL_NUMBER
    return None


def write_cell(cell: Cell, value: Any, number_format: str | None = None) -> None:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    cell.value = safe_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text
        return
    chosen = number_format or number_format_for(cell.value)
    if chosen and cell.value is not None:
        cell.number_format = chosen


def add_table(
    workbook: Workbook,
    title: str,
    header: list[str],
    rows: list[list[Any]],
    formats: Sequence[str | None] | None = None,
):
    """A print-ready sheet: bold header, frozen first row, widths fitted, landscape A4. Numbers
    and dates stay numbers and dates with the office formats (`formats` per column, e.g.
    EXCEL_MONEY or EXCEL_PERCENT; otherwise chosen from the value's type)."""
    sheet = workbook.create_sheet(title[:31])
    for column, label in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column)
        write_cell(cell, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            chosen = formats[column - 1] if formats and column <= len(formats) else None
            write_cell(sheet.cell(row=row_number, column=column), value, chosen)
    for column, label in enumerate(header, start=1):
        width = max([len(str(label))] + [len(str(r[column - 1])) for r in rows[:500]] + [8])
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.print_title_rows = "1:1"
    return sheet


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
