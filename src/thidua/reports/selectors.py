"""Reads for the statutory statistics: regimes in force, computing a form for a unit's subtree,
reports in the user's part of the tree, the reported values and their checks, the records
behind a cell.

Other apps are read only through their selectors (movements, honors)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from thidua.core.policy import scope_paths
from thidua.core.uploads import Served
from thidua.honors import selectors as honors
from thidua.movements import selectors as movements
from thidua.org.models import Unit
from thidua.reports.engine import CheckResult, Computed, cell_key, compute, data_rows, run_checks
from thidua.reports.models import StatForm, StatRegime, StatReport

CENTRAL_KINDS = frozenset({"nation"})


# --- regimes -------------------------------------------------------------------------------


def regime_in_force(year: int) -> StatRegime | None:
    """The regime in force on the last day of the year's period (it may be a placeholder)."""
    for regime in StatRegime.objects.all():
        if regime.in_force_on(regime.period(year)[1]):
            return regime
    return None


def regimes_offered(year: int) -> list[StatRegime]:
    """The regimes a report of `year` may use: those with forms whose validity overlaps the
    period, the latest first (the one in force when its forms are known, else the previous)."""
    offered = []
    for regime in StatRegime.objects.prefetch_related("forms"):
        start, end = regime.period(year)
        overlaps = regime.valid_from <= end and (
            regime.valid_to is None or regime.valid_to >= start
        )
        if overlaps and not regime.is_placeholder and regime.forms.all():
            offered.append(regime)
    return offered


def get_form(regime_code: str, form_code: str) -> StatForm:
    form = (
        StatForm.objects.select_related("regime")
        .filter(regime__code=regime_code, code=form_code)
        .first()
    )
    if form is None:
        raise Http404
    return form


# --- computing -----------------------------------------------------------------------------


def records_for(form: StatForm, unit: Unit, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    if form.source == StatForm.Source.MOVEMENTS:
        return movements.movements_for_statistics(unit_path=unit.path, starts_on=start, ends_on=end)
    submitter = "ministry" if unit.kind.code in CENTRAL_KINDS else "province"
    records = honors.honours_for_statistics(unit_path=unit.path, starts_on=start, ends_on=end)
    for record in records:
        record["submitter"] = submitter
    return records


def compute_stat_form(form: StatForm, unit: Unit, year: int) -> Computed:
    start, end = form.regime.period(year)
    return compute(
        records=records_for(form, unit, start, end),
        base_filter=form.base_filter,
        rows=form.rows,
        columns=form.columns,
    )


def compute_form(unit: Unit, regime_code: str, form_code: str, year: int) -> dict[str, int]:
    """The cells of a form for `unit` and its subtree in `year`'s period, as {"row|column": n}
    (non-zero cells only; e.g. result.get("05|2", 0)). Reads the registries as they are now."""
    return compute_stat_form(get_form(regime_code, form_code), unit, year).cells


# --- reports -------------------------------------------------------------------------------


def visible_reports(user: Any) -> QuerySet[StatReport]:
    reports = StatReport.objects.select_related("form__regime", "unit__parent", "unit__kind")
    paths = scope_paths(user, "reports.view")
    if paths is None:
        return reports
    if not paths:
        return reports.none()
    condition = Q()
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return reports.filter(condition)


def get_report_for_user(user: Any, pk: int) -> StatReport:
    report = visible_reports(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def adjustment_totals(report: StatReport) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for adjustment in report.adjustments.all():
        totals[cell_key(adjustment.row_code, adjustment.column_code)] += adjustment.delta
    return dict(totals)


@dataclass
class Cell:
    row_code: str
    column_code: str
    computed: int
    adjustment: int

    @property
    def reported(self) -> int:
        return self.computed + self.adjustment


@dataclass
class SheetRow:
    code: str
    label: str
    level: int
    heading: bool
    cells: list[Cell]


@dataclass
class Sheet:
    report: StatReport
    rows: list[SheetRow]
    column_codes: list[str]
    checks: list[CheckResult]

    @property
    def passes(self) -> bool:
        return all(check.passed for check in self.checks)

    def value(self, row_code: str, column_code: str) -> int:
        for row in self.rows:
            if row.code == row_code:
                for cell in row.cells:
                    if cell.column_code == column_code:
                        return cell.reported
        return 0


def localised(text: dict[str, str], language: str) -> str:
    return text.get(language) or text.get("vi", "")


def sheet(report: StatReport, *, language: str = "vi") -> Sheet:
    """The report's rows with computed, adjusted and reported values, and the checks."""
    form = report.form
    adjustments = adjustment_totals(report)
    column_codes = [c["code"] for c in form.columns]
    rows = []
    for row in form.rows:
        heading = bool(row.get("heading"))
        cells = []
        if not heading:
            for code in column_codes:
                key = cell_key(row["code"], code)
                cells.append(
                    Cell(row["code"], code, report.computed.get(key, 0), adjustments.get(key, 0))
                )
        rows.append(
            SheetRow(
                code=row.get("code", ""),
                label=localised(row["label"], language),
                level=row.get("level", 1),
                heading=heading,
                cells=cells,
            )
        )

    def value(row_code: str, column_code: str) -> int:
        key = cell_key(row_code, column_code)
        return report.computed.get(key, 0) + adjustments.get(key, 0)

    checks = run_checks(
        value=value,
        row_codes=[r["code"] for r in data_rows(form.rows)],
        column_codes=column_codes,
        row_checks=form.row_checks,
        column_checks=form.column_checks,
    )
    return Sheet(report=report, rows=rows, column_codes=column_codes, checks=checks)


def cell_records(report: StatReport, row_code: str, column_code: str) -> QuerySet:
    """The records the cell counted when it was computed (movements or honours)."""
    known_rows = {r["code"] for r in data_rows(report.form.rows)}
    known_columns = {c["code"] for c in report.form.columns}
    if row_code not in known_rows or column_code not in known_columns:
        raise Http404
    ids = report.cell_ids.get(cell_key(row_code, column_code), [])
    if report.form.source == StatForm.Source.MOVEMENTS:
        return movements.movements_by_ids(ids)
    return honors.honours_by_ids(ids)


def later_revocations(report: StatReport) -> int:
    """Honours a frozen report counted that have been revoked since."""
    if report.form.source != StatForm.Source.HONOURS or not report.is_frozen:
        return 0
    ids = {pk for ids in report.cell_ids.values() for pk in ids}
    return honors.revoked_among(ids) if ids else 0


def waiting(user: Any, state: str, action: str) -> QuerySet[StatReport]:
    paths = scope_paths(user, action)
    reports = StatReport.objects.filter(state=state).select_related(
        "form__regime", "unit__parent", "unit__kind"
    )
    if paths is None:
        return reports
    if not paths:
        return reports.none()
    condition = Q()
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return reports.filter(condition)


def _frozen_file(user: Any, pk: int, field: str, extension: str) -> Served:
    report = get_report_for_user(user, pk)
    stored = getattr(report, field)
    if not stored:
        raise Http404
    name = f"{report.form.code}-{report.year}-{report.pk}.{extension}"
    return Served(file=stored, name=name)


def xlsx_file_for_user(user: Any, pk: int) -> Served:
    return _frozen_file(user, pk, "xlsx", "xlsx")


def pdf_file_for_user(user: Any, pk: int) -> Served:
    return _frozen_file(user, pk, "pdf", "pdf")
