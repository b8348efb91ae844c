"""Reads for movements: what a user may see, coverage and results over the tree, what is due.

Every function here costs a bounded number of queries whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from django.db import connection
from django.db.models import Count, Exists, Field, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import StrIndex, Substr
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from thidua.core import versioned
from thidua.core.policy import can, scope_paths
from thidua.core.uploads import Served
from thidua.movements.models import (
    Attachment,
    Evidence,
    Indicator,
    IndicatorTotal,
    Movement,
    Period,
    PledgedTarget,
    Registration,
    Report,
    Work,
)
from thidua.org.models import PATH_SEPARATOR, Unit
from thidua.org.rollup import MeasureRollup, rollup_measures
from thidua.org.selectors import get_unit_for_user

DASHBOARD_KINDS = ("movements",)  # what the dashboard's figures are made of, besides the tree


def visible_movements(user: Any) -> QuerySet[Movement]:
    """Movements launched above or inside the user's part of the tree (drafts only for owners)."""
    paths = scope_paths(user, "movements.view")
    movements = Movement.objects.select_related("owner_unit", "owner_unit__kind")
    if paths is None:
        return movements
    if not paths:
        return movements.none()
    condition = Q()
    for path in paths:
        # launched by a unit inside my subtree, or by one of my ancestors (I am in its scope)
        ancestors = [path[: i + 1] for i, ch in enumerate(path) if ch == PATH_SEPARATOR]
        condition |= Q(owner_unit__path__startswith=path)
        condition |= Q(owner_unit__path__in=ancestors) & ~Q(status=Movement.Status.DRAFT)
    return movements.filter(condition)


def public_movements() -> QuerySet[Movement]:
    return (
        Movement.objects.exclude(status=Movement.Status.DRAFT)
        .select_related("owner_unit")
        .prefetch_related("fields")
    )


def running_movements(*, on: dt.date | None = None) -> QuerySet[Movement]:
    """Launched movements not yet ended, the latest launched first (the public front door)."""
    day = on or timezone.localdate()
    return (
        public_movements()
        .filter(status=Movement.Status.LAUNCHED, ends_on__gte=day)
        .order_by("-starts_on", "title", "id")
    )


def get_movement_for_user(user: Any, pk: int) -> Movement:
    movement = visible_movements(user).filter(pk=pk).first()
    if movement is None:
        raise Http404
    return movement


def participants(
    movement: Movement,
    *,
    root: Unit | None = None,
    on: dt.date,
    kinds: list[int] | None = None,
) -> QuerySet[Unit]:
    """Units expected to take part, in force on `on`, below `root` (default the launcher);
    `kinds`: the movement's scope kinds when the caller already read them."""
    root = root or movement.owner_unit
    units = (
        Unit.objects.filter(path__startswith=root.path)
        .filter(path__startswith=movement.owner_unit.path)
        .exclude(pk=movement.owner_unit_id)
        .valid_on(on)
    )
    if kinds is None:
        kinds = list(movement.scope_kinds.values_list("pk", flat=True))
    if kinds:
        units = units.filter(kind_id__in=kinds)
    return units


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


@dataclass
class DueItem:
    movement: Movement
    period: Period
    unit: Unit
    report: Report | None

    @property
    def overdue(self) -> bool:
        return timezone.localdate() > self.period.due_on


def due_from(user: Any, *, horizon_days: int = 30, limit: int | None = 50) -> list[DueItem]:
    """Reports the user's units still owe (not submitted), due within `horizon_days` or late."""
    today = timezone.localdate()
    paths = scope_paths(user, "unit.enter_data")
    if paths is not None and not paths:
        return []
    periods = list(
        Period.objects.filter(
            movement__status=Movement.Status.LAUNCHED,
            ends_on__lte=today + dt.timedelta(days=horizon_days),
            due_on__gte=today - dt.timedelta(days=90),
        )
        .select_related("movement", "movement__owner_unit")
        .prefetch_related("movement__scope_kinds")
        .order_by("due_on")
    )
    if not periods or paths is None:
        return []  # a superuser owes nothing themselves
    units = list(
        Unit.objects.filter(path__in=paths).select_related("kind", "parent")
    )  # the units the user reports for (their own grant units)
    reports = {
        (r.movement_id, r.period_id, r.unit_id): r
        for r in Report.objects.filter(period__in=periods, unit__in=units)
    }
    items: list[DueItem] = []
    for period in periods:
        movement = period.movement
        kinds = {k.pk for k in movement.scope_kinds.all()}
        for unit in units:
            if unit.pk == movement.owner_unit_id or not unit.path.startswith(
                movement.owner_unit.path
            ):
                continue
            if kinds and unit.kind_id not in kinds:
                continue
            if not unit.is_valid_on(period.ends_on):
                continue
            report = reports.get((movement.pk, period.pk, unit.pk))
            if report is not None and report.status in (
                Report.Status.SUBMITTED,
                Report.Status.ACCEPTED,
            ):
                continue
            items.append(DueItem(movement=movement, period=period, unit=unit, report=report))
    return items[:limit]


def pending_decisions(user: Any, *, limit: int = 50) -> dict[str, list[Any]]:
    """Registrations and reports submitted by units below the ones the user leads."""
    paths = scope_paths(user, "unit.approve")
    if paths is not None and not paths:
        return {"registrations": [], "reports": []}
    condition = Q()
    if paths is not None:
        for path in paths:
            # strictly below the leader's unit: the unit's own leader does not decide for it
            condition |= Q(unit__path__startswith=path) & ~Q(unit__path=path)
    registrations = list(
        Registration.objects.filter(condition, status=Registration.Status.SUBMITTED)
        .select_related("unit", "movement")
        .order_by("submitted_at")[:limit]
    )
    reports = list(
        Report.objects.filter(condition, status=Report.Status.SUBMITTED)
        .select_related("unit", "movement", "period")
        .order_by("submitted_at")[:limit]
    )
    return {"registrations": registrations, "reports": reports}


def get_report_for_user(user: Any, movement: Movement, pk: int) -> Report:
    """A report the user may see: their unit's, or one below a unit they lead or administer."""
    report = (
        Report.objects.select_related("unit", "unit__parent", "period", "movement")
        .filter(movement=movement, pk=pk)
        .first()
    )
    if report is None or not (
        can(user, "unit.enter_data", report.unit) or can(user, "movements.view", report.unit)
    ):
        raise Http404
    return report


def get_registration_for_user(user: Any, movement: Movement, pk: int) -> Registration:
    """A registration of the movement the user may see (404 otherwise, like a missing one)."""
    registration = (
        Registration.objects.select_related("unit", "unit__parent", "movement")
        .filter(movement=movement, pk=pk)
        .first()
    )
    if registration is None or not can(user, "movements.view", registration.unit):
        raise Http404
    return registration


def get_work_for_user(user: Any, movement: Movement, pk: int) -> Work:
    """A work of the movement whose owner unit the user may see (404 otherwise)."""
    work = (
        Work.objects.select_related("owner_unit", "field", "movement")
        .filter(movement=movement, pk=pk)
        .first()
    )
    if work is None or not can(user, "movements.view", work.owner_unit):
        raise Http404
    return work


def dashboard_root(user: Any, movement: Movement, unit_id: int | None = None) -> Unit:
    """Fetch-and-check of the unit whose subtree a dashboard, coverage or results question
    covers — the same answer on the page and the API. The unit asked for must be inside the
    movement's tree and visible to the user; without one, the launching unit, or for someone
    who may not see it the highest of their own units inside (a ward officer sees their ward).
    404 when the user may see neither."""
    owner = movement.owner_unit
    if unit_id is not None:
        root = get_unit_for_user(user, unit_id)
        if not root.is_within(owner):
            raise Http404
    elif can(user, "movements.view", owner):
        return owner
    else:
        root = own_dashboard_root(user, movement) or owner
    if not can(user, "movements.view", root) and not can(user, "movements.view", owner):
        raise Http404
    return root


def registration_counts(movement: Movement) -> dict[str, int]:
    rows = (
        Registration.objects.filter(movement=movement)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def own_dashboard_root(user: Any, movement: Movement) -> Unit | None:
    """Where a dashboard opens for someone who may not see the launching unit's: the highest of
    their own units inside the movement's scope (a ward officer sees their ward)."""
    paths = [
        path
        for path in scope_paths(user, "movements.view") or []
        if path.startswith(movement.owner_unit.path)
    ]
    if not paths:
        return None
    highest = min(paths, key=len)
    return (
        Unit.objects.filter(path=highest, valid_to__isnull=True).first()
        or Unit.objects.filter(path=highest).first()
    )


# --- private files (served by core:file) ----------------------------------------------------


def evidence_file_for_user(user: Any, pk: int) -> Served:
    """A work's evidence, for whoever may see the work (the registration page's own check)."""
    evidence = Evidence.objects.select_related("work__owner_unit").filter(pk=pk).first()
    if evidence is None or not can(user, "movements.view", evidence.work.owner_unit):
        raise Http404
    get_movement_for_user(user, evidence.work.movement_id)
    return Served(evidence.file, evidence.name or evidence.file.name.rsplit("/", 1)[-1])


def report_attachment_file_for_user(user: Any, pk: int) -> Served:
    attachment = Attachment.objects.select_related("report__movement").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    get_report_for_user(
        user, get_movement_for_user(user, attachment.report.movement_id), attachment.report_id
    )
    return Served(attachment.file, attachment.name or attachment.file.name.rsplit("/", 1)[-1])
