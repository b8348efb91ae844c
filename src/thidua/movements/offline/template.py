"""The offline template: the columns and rows of the reports a subtree owes, as a workbook."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.core.excel import write_cell
from thidua.movements import selectors
from thidua.movements.models import (
    Indicator,
    Movement,
    Period,
    Report,
    ReportValue,
)
from thidua.movements.offline import limits
from thidua.org.models import Unit

META_SHEET = "thidua"


FORMAT = "thidua-offline-reports/1"


@dataclass(frozen=True)
class Column:
    key: str  # unit_code, unit_name, period, value:<indicator id>, base:<indicator id>, narrative
    label: str
    is_input: bool = False


def template_columns(movement: Movement) -> list[Column]:
    """The template's columns: the unit and period, one per indicator (and its base for a ratio),
    then the narrative."""
    columns = [
        Column("unit_code", _("Code")),
        Column("unit_name", _("Unit")),
        Column("period", _("Period")),
    ]
    for indicator in movement.indicators.all():
        columns.append(Column(f"value:{indicator.pk}", str(indicator), is_input=True))
        if indicator.aggregation == Indicator.Aggregation.RATIO:
            label = _("Base for %(indicator)s") % {"indicator": indicator.name}
            columns.append(Column(f"base:{indicator.pk}", label, is_input=True))
    columns.append(Column("narrative", _("Narrative"), is_input=True))
    return columns


@dataclass
class TemplateRow:
    unit_code: str
    unit_name: str
    period: str
    values: dict[int, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    narrative: str = ""


def template_rows(
    movement: Movement, *, unit: Unit, periods: Sequence[Period] | None = None
) -> list[TemplateRow]:
    """One row per participating unit of `unit`'s subtree and period, in tree order, leaving out
    the reports already submitted or accepted; drafts and returned reports come pre-filled.
    Two queries per period plus two."""
    periods = list(periods if periods is not None else movement.periods.all())
    reports = {
        (unit_id, period_id): (pk, status, narrative)
        for pk, unit_id, period_id, status, narrative in Report.objects.filter(
            movement=movement, unit__path__startswith=unit.path, period__in=periods
        ).values_list("pk", "unit_id", "period_id", "status", "narrative")
    }
    open_ids = [
        pk
        for pk, status, _narrative in reports.values()
        if status in (Report.Status.DRAFT, Report.Status.RETURNED)
    ]
    values: dict[int, dict[int, tuple[Decimal | None, Decimal | None]]] = {}
    for report_id, indicator_id, value, base in ReportValue.objects.filter(
        report_id__in=open_ids
    ).values_list("report_id", "indicator_id", "value", "base"):
        values.setdefault(report_id, {})[indicator_id] = (value, base)
    closed = (Report.Status.SUBMITTED, Report.Status.ACCEPTED)
    rows: list[TemplateRow] = []
    for period in periods:
        units = (
            selectors.participants(movement, root=unit, on=period.ends_on)
            .order_by("path")
            .values_list("pk", "code", "name")
        )
        for unit_id, code, name in units:
            report = reports.get((unit_id, period.pk))
            if report is not None and report[1] in closed:
                continue
            rows.append(
                TemplateRow(
                    unit_code=code,
                    unit_name=name,
                    period=period.label,
                    values=values.get(report[0], {}) if report else {},
                    narrative=report[2] if report else "",
                )
            )
    return rows


def build_template(
    movement: Movement, *, unit: Unit, periods: Sequence[Period] | None = None
) -> Workbook:
    """The Excel template of the reports `unit`'s subtree owes (see `template_rows`).

    Refused (ValidationError) when it would hold more rows than an upload may.
    """
    rows = template_rows(movement, unit=unit, periods=periods)
    if len(rows) > limits.MAX_ROWS:
        raise ValidationError(
            _(
                "The template would have %(count)s rows, more than %(max)s: choose a smaller "
                "unit or one period."
            )
            % {"count": len(rows), "max": limits.MAX_ROWS}
        )
    return write_template(movement, unit=unit, rows=rows)


def write_template(movement: Movement, *, unit: Unit, rows: Iterable[TemplateRow]) -> Workbook:
    """A streamed workbook: the data sheet first (input cells unlocked, the rest locked, numbers
    checked by Excel as well), then a very hidden sheet naming the movement and the columns, so
    an upload can tell the template is the right one."""
    rows = list(rows)
    columns = template_columns(movement)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Reports")[:31])
    # Locked cells keep the unit and period from being edited by mistake; not a security
    # boundary (no password): the upload checks everything again.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.freeze_panes = "D2"
    unlocked = Protection(locked=False)
    for number, column in enumerate(columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(number)]
        if column.key == "unit_name":
            dimension.width = 32
        elif column.key == "narrative":
            dimension.width = 48
        elif column.is_input:
            dimension.width = min(max(len(column.label) + 2, 14), 40)
        else:
            dimension.width = 12
        if column.is_input:
            dimension.protection = unlocked  # the style of the column's empty cells
    last_row = len(rows) + 1
    if rows:
        numbers = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Enter a number."),
            error=_("Enter a number of zero or more."),
        )
        for number, column in enumerate(columns, start=1):
            if column.is_input and column.key != "narrative":
                letter = get_column_letter(number)
                numbers.add(f"{letter}2:{letter}{last_row}")
        sheet.data_validations.append(numbers)

    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet)
        write_cell(cell, column.label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    # One styled cell per kind of column; its style is copied into each cell written, which is
    # much cheaper than setting fill or protection on 100,000 cells one by one.
    locked_style = WriteOnlyCell(sheet)
    locked_style.fill = PatternFill("solid", fgColor="EEEEEE")
    input_style = WriteOnlyCell(sheet)
    input_style.protection = unlocked
    plan: list[tuple[str, int | None, Any]] = []
    for column in columns:
        kind, _sep, pk = column.key.partition(":")
        style = input_style._style if column.is_input else locked_style._style
        plan.append((kind, int(pk) if pk else None, style))
    for row in rows:
        line: list[Any] = []
        for kind, pk, style in plan:
            if kind == "unit_code":
                value: Any = row.unit_code
            elif kind == "unit_name":
                value = row.unit_name
            elif kind == "period":
                value = row.period
            elif kind == "narrative":
                value = row.narrative or None
            else:
                pair = row.values.get(pk)
                value = None if pair is None else pair[0] if kind == "value" else pair[1]
            if value is None and kind != "narrative":
                line.append(None)  # no cell: the column's style (unlocked for inputs) applies
                continue
            # The last column always gets a cell, even empty: every row then has the same width
            # for readers that do not pad rows (openpyxl read-only, without a <dimension>).
            cell = WriteOnlyCell(sheet)
            write_cell(cell, value)
            cell._style = copy(style)
            line.append(cell)
        sheet.append(line)

    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    for line in (
        ["format", FORMAT],
        ["movement", movement.pk],
        ["unit", unit.pk],
        ["keys", *[c.key for c in columns]],
        ["labels", *[c.label for c in columns]],
    ):
        cells = []
        for value in line:
            cell = WriteOnlyCell(meta)
            write_cell(cell, value)
            cells.append(cell)
        meta.append(cells)
    return workbook
