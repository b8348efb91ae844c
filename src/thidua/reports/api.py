"""The statistics API: reports in the caller's part of the tree, their cells, checks and the
records behind a cell; computing, adjusting and the sign-off steps call `services`.

Objects are fetched through selectors that check the caller's part of the tree, so a report
outside it answers 404 as a missing one does."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import ReasonIn, UnitRef
from thidua.core.policy import require
from thidua.org.selectors import get_unit_for_user
from thidua.reports import selectors, services
from thidua.reports.models import StatForm, StatReport

router = Router(tags=["reports"])


class StatReportOut(Schema):
    id: int
    form_code: str
    official_code: str
    form_name: str
    regime: str
    unit: UnitRef
    year: int
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    state: str


class StatCellOut(Schema):
    row: str
    column: str
    computed: int
    adjustment: int
    reported: int


class StatCheckOut(Schema):
    kind: str
    description: str
    passed: bool
    where: str


class StatReportDetailOut(StatReportOut):
    cells: list[StatCellOut]
    checks: list[StatCheckOut]
    passes: bool
    later_revocations: int
    xlsx_hash: str
    pdf_hash: str


class StatReportIn(Schema):
    unit_id: int
    year: int
    regime: str
    receiving_unit: str = ""


class StatAdjustmentIn(Schema):
    row: str
    column: str
    delta: int
    reason: str


class StatRecordOut(Schema):
    id: int
    label: str
    unit: UnitRef
    day: dt.date


def _summary(report: StatReport) -> dict:
    return {
        "id": report.pk,
        "form_code": report.form.code,
        "official_code": report.form.official_code,
        "form_name": report.form.name,
        "regime": report.form.regime.number,
        "unit": report.unit,
        "year": report.year,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "due_on": report.due_on,
        "state": report.state,
    }


def _detail(report: StatReport) -> dict:
    sheet = selectors.sheet(report)
    cells = [
        {
            "row": cell.row_code,
            "column": cell.column_code,
            "computed": cell.computed,
            "adjustment": cell.adjustment,
            "reported": cell.reported,
        }
        for row in sheet.rows
        for cell in row.cells
        if cell.reported or cell.computed
    ]
    return {
        **_summary(report),
        "cells": cells,
        "checks": [c.__dict__ for c in sheet.checks],
        "passes": sheet.passes,
        "later_revocations": selectors.later_revocations(report),
        "xlsx_hash": report.xlsx_hash,
        "pdf_hash": report.pdf_hash,
    }


@router.get("", response=list[StatReportOut])
@paginate(Pagination, page_size=50)
def list_stat_reports(request: HttpRequest) -> list[dict]:
    """Reports of units in the caller's part of the tree, the latest year first."""
    require(request.auth, "reports.view")
    return _Summaries(selectors.visible_reports(request.auth))


class _Summaries:
    """A queryset seen as summaries, sliced by the paginator before it is read."""

    def __init__(self, queryset: QuerySet[StatReport]) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        rows = self.queryset[item]
        return [_summary(r) for r in rows] if isinstance(item, slice) else _summary(rows)


@router.post("", response={201: list[StatReportDetailOut]})
def create_stat_reports(request: HttpRequest, payload: StatReportIn) -> Status[list[dict]]:
    """Compute every form of a circular for a unit (and its subtree) and a year, as drafts."""
    unit = get_unit_for_user(request.auth, payload.unit_id)
    regimes = {r.code: r for r in selectors.regimes_offered(payload.year)}
    regime = regimes.get(payload.regime)
    if regime is None:
        raise ValidationError({"regime": [_("This circular does not cover the year's period.")]})
    reports = services.create_reports(
        request.auth,
        unit=unit,
        year=payload.year,
        regime=regime,
        receiving_unit=payload.receiving_unit,
    )
    return Status(201, [_detail(r) for r in reports])


@router.get("/{int:report_id}", response=StatReportDetailOut)
def get_stat_report(request: HttpRequest, report_id: int) -> dict:
    return _detail(selectors.get_report_for_user(request.auth, report_id))


@router.get("/{int:report_id}/cells/{row}/{column}", response=list[StatRecordOut])
@paginate(Pagination, page_size=50)
def stat_cell_records(request: HttpRequest, report_id: int, row: str, column: str) -> list[dict]:
    """The records a cell counts (movements or honours); their number equals the cell."""
    report = selectors.get_report_for_user(request.auth, report_id)
    records = selectors.cell_records(report, row, column)
    movements = report.form.source == StatForm.Source.MOVEMENTS
    return _Records(records, movements=movements)


class _Records:
    def __init__(self, queryset: QuerySet, *, movements: bool) -> None:
        self.queryset = queryset
        self.movements = movements

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def _row(self, record) -> dict:
        if self.movements:
            return {
                "id": record.pk,
                "label": record.title,
                "unit": record.owner_unit,
                "day": record.starts_on,
            }
        return {
            "id": record.pk,
            "label": f"{record.recipient_name} · {record.award_type.name}",
            "unit": record.unit,
            "day": record.conferred_on,
        }

    def __getitem__(self, item):
        rows = self.queryset[item]
        return [self._row(r) for r in rows] if isinstance(item, slice) else self._row(rows)


@router.post("/{int:report_id}/recompute", response=StatReportDetailOut)
def recompute_stat_report(request: HttpRequest, report_id: int) -> dict:
    report = selectors.get_report_for_user(request.auth, report_id)
    return _detail(services.recompute_report(request.auth, report=report))


@router.post("/{int:report_id}/adjustments", response={201: StatReportDetailOut})
def adjust_stat_report(
    request: HttpRequest, report_id: int, payload: StatAdjustmentIn
) -> Status[dict]:
    """Change one cell by `delta`, with a reason (an explicit adjustment row)."""
    report = selectors.get_report_for_user(request.auth, report_id)
    services.add_adjustment(
        request.auth,
        report=report,
        row_code=payload.row,
        column_code=payload.column,
        delta=payload.delta,
        reason=payload.reason,
    )
    return Status(201, _detail(report))


@router.post("/{int:report_id}/check", response=StatReportDetailOut)
def check_stat_report(request: HttpRequest, report_id: int) -> dict:
    report = selectors.get_report_for_user(request.auth, report_id)
    return _detail(services.check_report(request.auth, report=report))


@router.post("/{int:report_id}/sign", response=StatReportDetailOut)
def sign_stat_report(request: HttpRequest, report_id: int) -> dict:
    report = selectors.get_report_for_user(request.auth, report_id)
    return _detail(services.sign_report(request.auth, report=report))


@router.post("/{int:report_id}/submit", response=StatReportDetailOut)
def submit_stat_report(request: HttpRequest, report_id: int) -> dict:
    report = selectors.get_report_for_user(request.auth, report_id)
    return _detail(services.submit_report(request.auth, report=report))


@router.post("/{int:report_id}/reopen", response=StatReportDetailOut)
def reopen_stat_report(request: HttpRequest, report_id: int, payload: ReasonIn) -> dict:
    report = selectors.get_report_for_user(request.auth, report_id)
    return _detail(services.reopen_report(request.auth, report=report, reason=payload.reason))
