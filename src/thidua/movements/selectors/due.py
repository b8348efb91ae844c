"""What is due: reports a user's units owe soon, and decisions waiting for a leader."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from thidua.core.policy import scope_paths
from thidua.movements.models import (
    Movement,
    Period,
    Registration,
    Report,
)
from thidua.org.models import Unit


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
