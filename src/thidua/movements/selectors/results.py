"""Results over the tree: each indicator's figures rolled up below a unit, and pledged targets.

Every function here costs a bounded number of queries whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db import connection
from django.db.models import Field, Q, Sum

from thidua.core import versioned
from thidua.movements.models import (
    Indicator,
    IndicatorTotal,
    Movement,
    Period,
    PledgedTarget,
    Registration,
)
from thidua.movements.selectors.movements import DASHBOARD_KINDS
from thidua.org.models import Unit
from thidua.org.rollup import MeasureRollup, rollup_measures


@dataclass
class IndicatorResult:
    indicator: Indicator
    value: Decimal | None
    target: Decimal | None
    by_child: list[tuple[Unit, Decimal | None]]

    @property
    def percent_of_target(self) -> int | None:
        if self.value is None or not self.target:
            return None
        return round(100 * self.value / self.target)

    @property
    def share_of_target(self) -> Decimal | None:
        """The result as a share of the pledged target (0.913 for 91,3 %)."""
        if self.value is None or not self.target:
            return None
        return self.value / self.target


# What each aggregation needs of the roll-up table's columns: measure -> column.
_MEASURES = {
    Indicator.Aggregation.SUM: {"value": "total"},
    Indicator.Aggregation.COUNT: {"n": "count"},
    Indicator.Aggregation.AVERAGE: {"value": "total", "n": "count"},
    Indicator.Aggregation.RATIO: {"value": "total", "base": "base"},
}


def _aggregates(indicators: list[Indicator]) -> dict[str, Sum]:
    """One sum per indicator and measure it needs ("value:12"), each over its indicator's rows:
    the roll-up then returns one row per unit for every indicator at once, not one per unit and
    indicator (a third of the rows to place in Python under the tree of a date)."""
    # PostgreSQL's driver already returns sums of numeric columns as Decimal and of integers as
    # int: a field without a converter spares Django converting every figure of every row again
    # (measured: a tenth of the roll-up under the tree of a date). SQLite returns floats, which
    # the DecimalField's converter must turn into exact decimals.
    extra = {"output_field": Field()} if connection.vendor == "postgresql" else {}
    return {
        f"{measure}:{indicator.pk}": Sum(column, filter=Q(indicator_id=indicator.pk), **extra)
        for indicator in indicators
        for measure, column in _MEASURES[indicator.aggregation].items()
    }


def _combine(indicator: Indicator, rolled: MeasureRollup, child_pk: int | None = None):
    """The indicator's figure from its rolled-up sums: for the root, or one child of it."""

    def figure(measure: str) -> Decimal:
        name = f"{measure}:{indicator.pk}"
        if child_pk is None:
            return rolled.total(indicator.movement_id, name)
        return rolled.child(indicator.movement_id, name, child_pk)

    aggregation = indicator.aggregation
    if aggregation == Indicator.Aggregation.SUM:
        return figure("value").quantize(Decimal("0.01"))
    if aggregation == Indicator.Aggregation.COUNT:
        return figure("n").quantize(Decimal("0.01"))
    if aggregation == Indicator.Aggregation.AVERAGE:
        count = figure("n")
        return (figure("value") / count).quantize(Decimal("0.01")) if count else None
    base = figure("base")
    return (figure("value") / base).quantize(Decimal("0.0001")) if base else None


def results(
    movement: Movement,
    *,
    root: Unit,
    periods: list[Period] | None = None,
    tree: Literal["then"] | dt.date = "then",
) -> list[IndicatorResult]:
    """`_results`, computed once until something of the movement or the tree changes."""
    return versioned.cached(
        "movements.results",
        [
            movement.pk,
            root.pk,
            ",".join(str(p.pk) for p in periods) if periods else "",
            tree,
        ],
        kinds=DASHBOARD_KINDS,
        compute=lambda: _results(movement, root=root, periods=periods, tree=tree),
    )


def _results(
    movement: Movement,
    *,
    root: Unit,
    periods: list[Period] | None = None,
    tree: Literal["then"] | dt.date = "then",
) -> list[IndicatorResult]:
    """Accepted report values rolled up over `root`'s subtree, under the tree in force when they
    were reported ("then") or carried to the tree of a date, with targets. Read from the roll-up
    table (one row per unit and indicator, per period or over all periods) rather than from every
    value, every indicator in one pass (the roll-up helper's bounded queries), plus the
    indicators and, for the whole movement, the pledged targets: four queries for "then", five
    for a date."""
    # Over all periods, the rows kept for all periods: one per unit, not one per report.
    by_period = {"period__in": periods} if periods else {"period__isnull": True}
    totals = IndicatorTotal.objects.filter(movement=movement, **by_period)
    indicators = list(movement.indicators.all())
    rolled = rollup_measures(
        totals,
        aggregates=_aggregates(indicators),
        group_by="movement_id",  # one group: the indicators are apart in the aggregates
        root=root,
        tree=tree,
        unit_field="unit",
    )
    # Pledges add up only for sums and counts; a pledged ratio or average is not a total.
    targets = pledged_targets(movement, root=root) if not periods else {}
    return [
        IndicatorResult(
            indicator=indicator,
            value=_combine(indicator, rolled),
            target=targets.get(indicator.pk)
            if indicator.aggregation in (Indicator.Aggregation.SUM, Indicator.Aggregation.COUNT)
            else None,
            by_child=[(child, _combine(indicator, rolled, child.pk)) for child in rolled.children],
        )
        for indicator in indicators
    ]


def pledged_targets(movement: Movement, *, root: Unit) -> dict[int, Decimal]:
    """Sum of the targets pledged by registered units below `root`, per indicator."""
    rows = (
        PledgedTarget.objects.filter(
            registration__movement=movement,
            registration__unit__path__startswith=root.path,
            registration__status__in=[Registration.Status.SUBMITTED, Registration.Status.ACCEPTED],
        )
        .values("indicator_id")
        .annotate(total=Sum("target"))
        .order_by()
    )
    return {row["indicator_id"]: row["total"] for row in rows}
