"""Reads for movements: what a user may see (movements, registrations, reports, works, files)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from thidua.core.policy import can, scope_paths
from thidua.core.uploads import Served
from thidua.movements.models import (
    Attachment,
    Evidence,
    Movement,
    Registration,
    Report,
    Work,
)
from thidua.org.models import PATH_SEPARATOR, Unit
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
