"""Writes for movements: create, launch, close; scope and input checks shared by the topics."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from thidua.core import audit
from thidua.core.policy import can, require
from thidua.core.text import clean_name
from thidua.movements.models import (
    Indicator,
    IndicatorTarget,
    Movement,
    Period,
)
from thidua.org.models import Unit, UnitKind

Status = Movement.Status


# --- movements ------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(unidecode(title))[:60] or "movement"
    slug, n = base, 2
    while Movement.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def generate_periods(movement: Movement) -> list[Period]:
    """Reporting periods covering the movement, each due `due_days` after it ends."""
    periods: list[Period] = []
    start = movement.starts_on
    while start <= movement.ends_on:
        if movement.schedule == Movement.Schedule.MONTHLY:
            last = dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
            label = f"{start:%Y-%m}"
        elif movement.schedule == Movement.Schedule.QUARTERLY:
            quarter = (start.month - 1) // 3
            end_month = quarter * 3 + 3
            last = dt.date(start.year, end_month, calendar.monthrange(start.year, end_month)[1])
            label = f"{start.year}-Q{quarter + 1}"
        else:
            last = dt.date(start.year, 12, 31)
            label = f"{start.year}"
        end = min(last, movement.ends_on)
        periods.append(
            Period(
                movement=movement,
                label=label,
                starts_on=start,
                ends_on=end,
                due_on=end + dt.timedelta(days=movement.due_days),
            )
        )
        start = end + dt.timedelta(days=1)
    return periods


def create_movement(
    actor: Any,
    *,
    title: str,
    owner_unit: Unit,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    schedule: str,
    description: str = "",
    indicators: list[dict[str, Any]] | None = None,
    fields: list[Any] | None = None,
    scope_kinds: list[UnitKind] | None = None,
    parent: Movement | None = None,
    due_days: int = 10,
    reminder_days: int = 3,
    launch_level: str = "",
    scope: str = "",
    method: str = "",
) -> Movement:
    """Draft a movement for `owner_unit`'s subtree, with its indicators and targets per kind.
    The statistics' launch level, scope and method may be given (empty: derived)."""
    require(actor, "movements.manage", owner_unit)
    title = clean_name(title)
    movement = Movement(
        title=title,
        slug=_unique_slug(title),
        description=description,
        owner_unit=owner_unit,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        schedule=schedule,
        parent=parent,
        due_days=due_days,
        reminder_days=reminder_days,
        launch_level=launch_level,
        scope=scope,
        method=method,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    movement.full_clean(exclude=["slug"])
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date must not be before the start date.")})
    if parent is not None:
        if not owner_unit.path.startswith(parent.owner_unit.path):
            raise ValidationError(
                {"parent": _("A local drive must be launched inside the movement's scope.")}
            )
        if parent.status != Status.LAUNCHED:
            raise ValidationError({"parent": _("The higher movement is not running.")})
    indicators = indicators or []
    names = [spec.get("name", "").strip() for spec in indicators]
    if any(not name for name in names):
        raise ValidationError({"indicators": _("Every indicator needs a name.")})
    if len(set(names)) != len(names):
        raise ValidationError({"indicators": _("Two indicators have the same name.")})
    kinds = {k.code: k for k in UnitKind.objects.all()}
    with transaction.atomic():
        movement.save()
        if fields:
            movement.fields.set(fields)
        if scope_kinds:
            movement.scope_kinds.set(scope_kinds)
        for order, spec in enumerate(indicators):
            indicator = Indicator(
                movement=movement,
                name=spec["name"].strip(),
                unit_of_measure=spec.get("unit_of_measure", ""),
                aggregation=spec.get("aggregation", Indicator.Aggregation.SUM),
                order=order,
            )
            indicator.full_clean(exclude=["movement"])
            indicator.save()
            for kind_code, target in (spec.get("targets") or {}).items():
                if kind_code not in kinds:
                    raise ValidationError(
                        {"indicators": _("Unknown unit kind %(kind)s.") % {"kind": kind_code}}
                    )
                IndicatorTarget.objects.create(
                    indicator=indicator, unit_kind=kinds[kind_code], target=_number(target)
                )
        audit.record(actor, "movements.create", movement, {"title": title})
    return movement


def launch_movement(actor: Any, *, movement: Movement, on: dt.date | None = None) -> Movement:
    """Open a draft movement: its reporting periods are fixed and units may register."""
    require(actor, "movements.manage", movement.owner_unit)
    if movement.status != Status.DRAFT:
        raise ValidationError(_("Only a draft movement can be launched."))
    if not movement.indicators.exists():
        raise ValidationError(_("Add at least one indicator before launching."))
    with transaction.atomic():
        Period.objects.bulk_create(generate_periods(movement))
        movement.status = Status.LAUNCHED
        movement.launched_on = on or timezone.localdate()
        movement.save(update_fields=["status", "launched_on"])
        audit.record(actor, "movements.launch", movement, {"launched_on": movement.launched_on})
    return movement


def close_movement(actor: Any, *, movement: Movement) -> Movement:
    require(actor, "movements.manage", movement.owner_unit)
    if movement.status != Status.LAUNCHED:
        raise ValidationError(_("Only a running movement can be closed."))
    with transaction.atomic():
        movement.status = Status.CLOSED
        movement.save(update_fields=["status"])
        audit.record(actor, "movements.close", movement, {})
    return movement


# --- scope ----------------------------------------------------------------------------------


def in_scope(movement: Movement, unit: Unit, *, on: dt.date | None = None) -> bool:
    """Below the launching unit, of a participating kind, and in force on `on` if given."""
    if unit.pk == movement.owner_unit_id or not unit.path.startswith(movement.owner_unit.path):
        return False
    kinds = [k.pk for k in movement.scope_kinds.all()]
    if kinds and unit.kind_id not in kinds:
        return False
    return on is None or unit.is_valid_on(on)


def _check_running(movement: Movement) -> None:
    if movement.status != Status.LAUNCHED:
        raise ValidationError(_("This movement is not open for registrations and reports."))


def _check_unit(movement: Movement, unit: Unit, *, on: dt.date | None = None) -> None:
    if not in_scope(movement, unit):
        raise ValidationError(
            {"unit": _("%(unit)s is not in this movement's scope.") % {"unit": unit}}
        )
    if on is not None and not unit.is_valid_on(on):
        raise ValidationError(
            {"unit": _("%(unit)s is not in force on %(date)s.") % {"unit": unit, "date": on}}
        )


def _number(raw: Any, *, field: str = "value") -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({field: _("Enter a number.")}) from error
    if not value.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    if value < 0:
        raise ValidationError({field: _("The value cannot be negative.")})
    if abs(value) >= Decimal("1e14"):
        raise ValidationError({field: _("The value is too large.")})
    return value.quantize(Decimal("0.01"))


def require_approver(actor: Any, unit: Unit) -> None:
    """Decisions on a unit's registration or report belong to a leader of its parent or above."""
    if unit.parent_id is None or not can(actor, "unit.approve", unit.parent):
        raise PermissionDenied(_("Only a leader of the unit above can decide on this."))


def _decide(actor: Any, obj: Any, *, accept: bool, reason: str, verb: str) -> Any:
    require_approver(actor, obj.unit)
    if obj.status != obj.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted item can be accepted or returned."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why it is returned.")})
    obj.status = obj.Status.ACCEPTED if accept else obj.Status.RETURNED
    obj.return_reason = "" if accept else reason.strip()
    obj.decided_at = timezone.now()
    obj.decided_by = actor if getattr(actor, "pk", None) else None
    obj.save(update_fields=["status", "return_reason", "decided_at", "decided_by"])
    audit.record(actor, verb, obj, {"reason": obj.return_reason}, unit=obj.unit)
    return obj
