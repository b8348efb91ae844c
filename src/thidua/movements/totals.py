"""The roll-up table of accepted values (`IndicatorTotal`): kept in step, rebuilt, checked.

Rules enforced here:
- a row holds, for one movement, unit and indicator, the sum of the accepted values, the sum of
  their bases and their count, for one period and once more over all periods (period empty);
- every write that makes a report accepted adds its values here, in the caller's transaction
  (`add_accepted`); today only `services.accept_report` does, as an accepted report is final;
  bulk writers of accepted reports (the benchmark's loader) rebuild the movement instead;
- `rebuild_totals` recomputes a movement's rows from its accepted reports, so the table can
  always be checked against the reports (`compare_totals`) and repaired.

The additions are upserts in SQL (`INSERT … SELECT … ON CONFLICT … DO UPDATE`), the same on
PostgreSQL and SQLite: two concurrent acceptances for the same unit add up instead of colliding.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from thidua.movements.models import IndicatorTotal, Movement, Report, ReportValue

_TOTALS = IndicatorTotal._meta.db_table


_REPORTS = Report._meta.db_table


_VALUES = ReportValue._meta.db_table


# (period column in the SELECT, GROUP BY of the period, conflict target) for the rows of one
# period and for the rows over all periods.
_GRAINS = (
    (
        "r.period_id",
        ", r.period_id",
        "(movement_id, period_id, indicator_id, unit_id) WHERE period_id IS NOT NULL",
    ),
    ("NULL", "", "(movement_id, indicator_id, unit_id) WHERE period_id IS NULL"),
)


def _insert_sql(where: str, *, upsert: bool) -> list[str]:
    """The statements adding the accepted values of the reports matched by `where` (on the report
    `r`) to the table: one per grain."""
    statements = []
    for period, group_period, conflict in _GRAINS:
        sql = (
            f"INSERT INTO {_TOTALS} (movement_id, period_id, indicator_id, unit_id, total, base,"
            " count)"
            f" SELECT r.movement_id, {period}, v.indicator_id, r.unit_id, SUM(v.value),"
            " COALESCE(SUM(v.base), 0), COUNT(*)"
            f" FROM {_VALUES} v INNER JOIN {_REPORTS} r ON r.id = v.report_id"
            f" WHERE r.status = %s AND {where}"
            f" GROUP BY r.movement_id{group_period}, v.indicator_id, r.unit_id"
        )
        if upsert:
            sql += (
                f" ON CONFLICT {conflict} DO UPDATE SET"
                f" total = {_TOTALS}.total + excluded.total,"
                f" base = {_TOTALS}.base + excluded.base,"
                f" count = {_TOTALS}.count + excluded.count"
            )
        statements.append(sql)
    return statements


def add_accepted(report_ids: list[int]) -> None:
    """Add the values of these just-accepted reports to the roll-up table. Runs inside the
    transaction that accepted them (two queries whatever the number of reports)."""
    if not report_ids:
        return
    placeholders = ", ".join(["%s"] * len(report_ids))
    with connection.cursor() as cursor:
        for sql in _insert_sql(f"r.id IN ({placeholders})", upsert=True):
            cursor.execute(sql, [Report.Status.ACCEPTED, *report_ids])


def _rebuild(movement: Movement) -> None:
    IndicatorTotal.objects.filter(movement=movement).delete()
    with connection.cursor() as cursor:
        for sql in _insert_sql("r.movement_id = %s", upsert=False):
            cursor.execute(sql, [Report.Status.ACCEPTED, movement.pk])


def expected_totals(movement: Movement) -> dict[tuple[Any, ...], tuple[Decimal, Decimal, int]]:
    """What the table should hold for the movement, computed from its accepted reports:
    (period id or None, indicator id, unit id) -> (total, base, count)."""
    with transaction.atomic():
        savepoint = transaction.savepoint()
        try:
            _rebuild(movement)
            return stored_totals(movement)
        finally:
            transaction.savepoint_rollback(savepoint)


def stored_totals(movement: Movement) -> dict[tuple[Any, ...], tuple[Decimal, Decimal, int]]:
    """What the table holds for the movement, keyed as `expected_totals`."""
    return {
        (period, indicator, unit): (total, base, count)
        for period, indicator, unit, total, base, count in IndicatorTotal.objects.filter(
            movement=movement
        ).values_list("period_id", "indicator_id", "unit_id", "total", "base", "count")
    }


def compare_totals(movement: Movement) -> int:
    """How many rows of the movement differ from what its accepted reports say (0: in step)."""
    expected, stored = expected_totals(movement), stored_totals(movement)
    return sum(1 for key in expected.keys() | stored.keys() if expected.get(key) != stored.get(key))
