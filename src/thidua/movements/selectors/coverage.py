"""Coverage over the tree: which units registered and reported for a movement and period.

Every function here costs a bounded number of queries whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from thidua.core import versioned
from thidua.movements.models import (
    Movement,
    Period,
    Registration,
    Report,
    Work,
)
from thidua.movements.selectors.movements import DASHBOARD_KINDS, participants
from thidua.org.models import PATH_SEPARATOR, Unit


def reference_day(movement: Movement, period: Period | None) -> dt.date:
    if period is not None:
        return period.ends_on
    return min(max(timezone.localdate(), movement.starts_on), movement.ends_on)


@dataclass
class CoverageRow:
    unit: Unit
    expected: int = 0
    registered: int = 0
    reported: int = 0
    late: int = 0
    without_congress_work: int = 0

    def percent(self, part: int) -> int:
        return round(100 * part / self.expected) if self.expected else 0

    @property
    def registered_percent(self) -> int:
        return self.percent(self.registered)

    @property
    def reported_percent(self) -> int:
        return self.percent(self.reported)

    @property
    def registered_share(self) -> float:
        return self.registered / self.expected if self.expected else 0.0

    @property
    def reported_share(self) -> float:
        return self.reported / self.expected if self.expected else 0.0


@dataclass
class Coverage:
    root: Unit
    period: Period | None
    day: dt.date
    total: CoverageRow
    rows: list[CoverageRow]
    missing: list[Unit] = field(default_factory=list)  # units of the root's subtree, not reported
    # The units without a congress work: a query, run only when `no_congress` is read.
    no_congress_units: QuerySet[Unit] | None = field(default=None, repr=False)
    scope_kinds: list[int] = field(default_factory=list, repr=False)

    @cached_property
    def no_congress(self) -> list[Unit]:
        return [] if self.no_congress_units is None else list(self.no_congress_units)


def _child_segment(root: Unit) -> Substr:
    """The first path segment below `root` ("2f/"; "" for the root itself), in the database."""
    below = Substr("path", len(root.path) + 1)
    return Substr(below, 1, StrIndex(below, Value(PATH_SEPARATOR)))


def coverage(
    movement: Movement,
    *,
    root: Unit,
    period: Period | None = None,
    periods: list[Period] | None = None,
) -> Coverage:
    """`_coverage`, computed once until something of the movement or the tree changes (an
    audited write of either moves their version on; today is part of the key, as lateness is
    counted against it). The units without a congress work stay a query, made on reading."""
    day = reference_day(movement, period)
    found = versioned.cached(
        "movements.coverage",
        [
            movement.pk,
            root.pk,
            period.pk if period else "",
            timezone.localdate(),
            ",".join(str(p.pk) for p in periods) if periods is not None else "-",
        ],
        kinds=DASHBOARD_KINDS,
        compute=lambda: _coverage(movement, root=root, period=period, periods=periods),
    )
    found.no_congress_units = SimpleLazyObject(
        lambda: _without_congress_work(movement, root=root, day=day, kinds=found.scope_kinds)
    )
    return found


def _without_congress_work(
    movement: Movement, *, root: Unit, day: dt.date, kinds: list[int]
) -> QuerySet[Unit]:
    congress = Work.objects.filter(
        movement=movement, owner_unit_id=OuterRef("pk"), is_congress_work=True
    )
    return (
        participants(movement, root=root, on=day, kinds=kinds)
        .order_by()
        .filter(~Exists(congress))
        .only("id", "path", "name", "code")
        .order_by("path")
    )


def _coverage(
    movement: Movement,
    *,
    root: Unit,
    period: Period | None = None,
    periods: list[Period] | None = None,
) -> Coverage:
    """Which units below `root` registered, reported for `period`, are late, have no congress
    work; totals and one row per child of `root`. Counted in the database, grouped by child:
    four queries (one more for the whole movement without `periods`), whatever the number of
    units; the units without a congress work are listed by one more query, only if asked for.

    For the whole movement (no `period`) a unit has reported when it reported for at least one
    period (submitted or accepted, as a period's view counts), and is late when it registered but
    did not report for some period already past due (`periods`: the movement's periods, when the
    caller has them)."""
    day = reference_day(movement, period)
    kinds = list(movement.scope_kinds.values_list("pk", flat=True))
    units = participants(movement, root=root, on=day, kinds=kinds).order_by()
    registered = Exists(
        Registration.objects.filter(
            movement=movement,
            unit_id=OuterRef("pk"),
            status__in=[Registration.Status.SUBMITTED, Registration.Status.ACCEPTED],
        )
    )
    counted_reports = Report.objects.filter(
        movement=movement, status__in=[Report.Status.SUBMITTED, Report.Status.ACCEPTED]
    )
    if period is not None:
        counted_reports = counted_reports.filter(period=period)
    reported = Exists(counted_reports.filter(unit_id=OuterRef("pk")))
    today = timezone.localdate()
    if period is not None:
        is_late = today > period.due_on
    else:
        if periods is None:
            periods = list(movement.periods.all())
        past_due = [p.pk for p in periods if p.due_on < today]
        is_late = bool(past_due)
    # The counts test membership in the id lists (hashed once by PostgreSQL) rather than the
    # correlated EXISTS of the flags: same figures, but the planner's estimate of a correlated
    # subquery per unit crossed its JIT threshold and compiling took longer than counting.
    registered_ids = Registration.objects.filter(
        movement=movement,
        status__in=[Registration.Status.SUBMITTED, Registration.Status.ACCEPTED],
    ).values("unit_id")
    reported_ids = counted_reports.values("unit_id")
    if period is not None:
        on_time_ids = reported_ids
    else:
        # Over the whole movement: on time = a report for every period past due.
        on_time_ids = (
            counted_reports.filter(period_id__in=past_due)
            .values("unit_id")
            .annotate(n=Count("period_id", distinct=True))
            .filter(n=len(past_due))
            .values("unit_id")
        )
    congress_ids = Work.objects.filter(movement=movement, is_congress_work=True).values(
        "owner_unit_id"
    )
    counts: dict[str, Any] = {
        "expected": Count("pk"),
        "registered": Count("pk", filter=Q(pk__in=registered_ids)),
        "without_congress_work": Count("pk", filter=~Q(pk__in=congress_ids)),
    }
    counts["reported"] = Count("pk", filter=Q(pk__in=reported_ids))
    if is_late:
        counts["late"] = Count("pk", filter=Q(pk__in=registered_ids) & ~Q(pk__in=on_time_ids))
    flagged = units.alias(cover_registered=registered, cover_reported=reported)
    by_segment = list(
        units.values(cover_segment=_child_segment(root)).annotate(**counts).order_by()
    )
    children = list(
        Unit.objects.filter(parent=root).valid_on(day).select_related("kind").order_by("code")
    )
    rows = {child.pk: CoverageRow(unit=child) for child in children}
    segment_to_child = {child.path[len(root.path) :]: child.pk for child in children}
    total = CoverageRow(unit=root)
    for counted in by_segment:
        targets = [total]
        if counted["cover_segment"] in segment_to_child:
            targets.append(rows[segment_to_child[counted["cover_segment"]]])
        for row in targets:
            for name in ("expected", "registered", "reported", "late", "without_congress_work"):
                setattr(row, name, getattr(row, name) + counted.get(name, 0))
    missing: list[Unit] = []
    if period is not None:
        missing = list(
            flagged.filter(cover_reported=False).only("id", "path", "name", "code").order_by("path")
        )
    return Coverage(
        root=root,
        period=period,
        day=day,
        total=total,
        rows=[rows[c.pk] for c in children if rows[c.pk].expected],
        missing=missing,
        scope_kinds=kinds,
    )
