"""Reads for accounts."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from thidua.accounts.models import RoleGrant, TwoFactorPolicy, User
from thidua.core.policy import active_grants, require
from thidua.org.models import Unit


def my_units(user: User, *, on: dt.date | None = None) -> list[Unit]:
    """Units on which the user holds a role today, top of the tree first, without repeats."""
    seen: dict[int, Unit] = {}
    for grant in active_grants(user, on=on):
        seen.setdefault(grant.unit_id, grant.unit)
    return sorted(seen.values(), key=lambda unit: unit.path)


def two_factor_required(user: User) -> bool:
    """True when any role the user holds today is one the administrators require 2FA for."""
    roles = {grant.role for grant in active_grants(user)}
    if user.is_superuser:
        roles.add("administrator")
    if not roles:
        return False
    return TwoFactorPolicy.objects.filter(role__in=roles, required=True).exists()


def grants_on_unit(actor: User, *, unit: Unit) -> QuerySet[RoleGrant]:
    require(actor, "accounts.view_grants", unit)
    return RoleGrant.objects.filter(unit=unit).select_related("user", "granted_by", "unit")


def staff_home_summary(user: User, *, unit: Unit) -> dict:
    """Children in force today, the user's roles here, and the latest audited changes below."""
    from django.utils import timezone

    from thidua.core.models import AuditEvent
    from thidua.core.policy import can

    today = timezone.localdate()
    children = list(
        Unit.objects.filter(parent=unit)
        .valid_on(today)
        .select_related("kind")
        .order_by("code", "name")
    )
    roles = sorted(
        {g.get_role_display() for g in active_grants(user) if unit.path.startswith(g.unit.path)}
    )
    recent = []
    if can(user, "core.view_audit", unit):
        recent = list(
            AuditEvent.objects.filter(unit_path__startswith=unit.path)
            .select_related("actor")
            .order_by("-id")[:10]
        )
    return {
        "children": children,
        "roles": roles,
        "recent_events": recent,
        "may_view_units": can(user, "org.view_unit", unit),
    }
