"""Reads for accounts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from thidua.accounts.models import RoleGrant, TwoFactorPolicy, User
from thidua.core.models import AuditEvent
from thidua.core.policy import RULES, can, grants_in_force, require
from thidua.org.models import PATH_SEPARATOR, Unit


def my_units(user: User, *, on: dt.date | None = None) -> list[Unit]:
    """Units on which the user holds a role today, top of the tree first, without repeats."""
    seen: dict[int, Unit] = {}
    for grant in grants_in_force(user, on or timezone.localdate()):
        seen.setdefault(grant.unit_id, grant.unit)
    return sorted(seen.values(), key=lambda unit: unit.path)


def units_user_may(user: User, action: str, *, within: Unit | None = None) -> list[Unit]:
    """The units in force on which the user holds a role allowing `action` (inside `within`
    when given), top of the tree first — the one answer to "which units may I act on".

    A superuser holds no grant of their own: they get the roots in force (or `within` itself),
    the same fallback on every page and endpoint."""
    units = [
        unit
        for unit in my_units(user)
        if unit.is_current
        and (within is None or unit.is_within(within))
        and can(user, action, unit)
    ]
    if units or not getattr(user, "is_superuser", False):
        return units
    if within is not None:
        return [within] if within.is_current else []
    return list(
        Unit.objects.filter(parent__isnull=True, valid_to__isnull=True)
        .select_related("kind")
        .order_by("path")
    )


def two_factor_required(user: User) -> bool:
    """True when any role the user holds today is one the administrators require 2FA for."""
    roles = {grant.role for grant in grants_in_force(user, timezone.localdate())}
    if user.is_superuser:
        roles.add("administrator")
    if not roles:
        return False
    return TwoFactorPolicy.objects.filter(role__in=roles, required=True).exists()


def grants_on_unit(actor: User, *, unit: Unit) -> QuerySet[RoleGrant]:
    require(actor, "accounts.view_grants", unit)
    return RoleGrant.objects.filter(unit=unit).select_related("user", "granted_by", "unit")


def children_in_force(unit: Unit, *, on: dt.date | None = None) -> list[Unit]:
    """The unit's children in force on a day (today by default), by code and name."""
    return list(
        Unit.objects.filter(parent=unit)
        .valid_on(on or timezone.localdate())
        .select_related("kind")
        .order_by("code", "name")
    )


def staff_home_summary(user: User, *, unit: Unit) -> dict:
    """The user's roles here, and the latest audited changes below (the children in force are
    `children_in_force`, which the page reads only when its stored list is stale)."""

    today = timezone.localdate()
    roles = sorted(
        {
            g.get_role_display()
            for g in grants_in_force(user, today)
            if unit.path.startswith(g.unit.path)
        }
    )
    recent = []
    if can(user, "core.view_audit", unit):
        recent = list(
            AuditEvent.objects.filter(unit_path__startswith=unit.path)
            .select_related("actor")
            .order_by("-id")[:10]
        )
    return {
        "roles": roles,
        "recent_events": recent,
        "may_view_units": can(user, "org.view_unit", unit),
    }


# --- routing: who decides on an item ---------------------------------------------------------
#
# An item waits at a level (a report at the parent of its unit, a dossier at its current level).
# It is for the people holding a role that may decide on it (`core.policy.RULES[action]`) on the
# nearest unit, that level or above, where somebody holds one: a level where nobody does
# forwards it up. A role on a unit covers its subtree, so the people it is forwarded to are
# allowed to act by the same `can(user, action, level)` the services ask.

DECIDING_ACTION = "unit.approve"


def _in_force(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def _deciding_grants(action: str, day: dt.date) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(_in_force(day), role__in=RULES[action], user__is_active=True)


def _prefixes(path: str) -> list[str]:
    """The paths of a unit and its ancestors ("1/2/3/" -> "1/", "1/2/", "1/2/3/")."""
    parts = [p for p in path.split(PATH_SEPARATOR) if p]
    return [PATH_SEPARATOR.join(parts[: i + 1]) + PATH_SEPARATOR for i in range(len(parts))]


def deciding_unit(
    unit: Unit | None, *, action: str = DECIDING_ACTION, on: dt.date | None = None
) -> Unit | None:
    """The nearest unit, `unit` itself or an ancestor, where somebody holds a role allowed to
    take `action` on `on` (None when nobody up to the root does). One query."""
    if unit is None:
        return None
    day = on or timezone.localdate()
    grant = (
        _deciding_grants(action, day)
        .filter(unit__path__in=_prefixes(unit.path))
        .select_related("unit", "unit__kind", "unit__parent")
        .order_by(Length("unit__path").desc())
        .first()
    )
    return grant.unit if grant is not None else None


def deciders(
    unit: Unit | None, *, action: str = DECIDING_ACTION, on: dt.date | None = None
) -> tuple[Unit | None, list[User]]:
    """The unit an item waiting at `unit` goes to, and the people there who decide. Two
    queries."""
    day = on or timezone.localdate()
    target = deciding_unit(unit, action=action, on=day)
    if target is None:
        return None, []
    users = User.objects.filter(
        pk__in=_deciding_grants(action, day).filter(unit=target).values("user_id")
    ).order_by("pk")
    return target, list(users)


@dataclass
class Routing:
    """Where the user decides: their units with a deciding role (`own`), and the units below
    them where somebody else decides (`below`, each kept only if no other one covers it).
    Items waiting inside `below` are not forwarded to the user."""

    own: list[Unit]
    below: list[str]

    def _condition(self, field: str, *, from_parent: bool) -> Q:
        # One prefix test per own unit and one regular expression for the units below it where
        # somebody else decides (dozens of them for a city): a few lookups whatever their number.
        if not self.own:
            return Q(pk__in=[])
        condition = Q(pk__in=[])
        for unit in self.own:
            inside = Q(**{f"{field}__startswith": unit.path})
            if from_parent:  # the item waits at the parent of `field`'s unit
                inside &= ~Q(**{field: unit.path})
            blocked = [
                re.escape(path)
                for path in self.below
                if path.startswith(unit.path) and path != unit.path
            ]
            if blocked:
                # strictly below a blocking unit when the item waits at its parent
                tail = ".+" if from_parent else ""
                inside &= ~Q(**{f"{field}__regex": f"^(?:{'|'.join(blocked)}){tail}"})
            condition |= inside
        return condition

    def waiting_at(self, field: str) -> Q:
        """Items waiting at the unit whose path is in `field` (a dossier's current level)."""
        return self._condition(field, from_parent=False)

    def waiting_above(self, field: str) -> Q:
        """Items of the unit whose path is in `field`, waiting at its parent (a report)."""
        return self._condition(field, from_parent=True)

    def landing(self, level: Unit | None) -> tuple[Unit | None, Unit | None]:
        """(where the item waits, the user's unit it was forwarded to) when it was forwarded;
        (None, None) when the user decides at that very level."""
        if level is None:
            return None, None
        mine = [u for u in self.own if level.path.startswith(u.path)]
        if not mine:
            return None, None
        nearest = max(mine, key=lambda u: len(u.path))
        if nearest.path == level.path:
            return None, None
        return level, nearest


def routing(user: User, *, action: str = DECIDING_ACTION, on: dt.date | None = None) -> Routing:
    """The user's deciding units and who else decides below them. Two queries (the user's
    grants and the grants below), read once per user object (a request)."""
    day = on or timezone.localdate()
    if user is None or not user.is_authenticated or not user.is_active:
        return Routing(own=[], below=[])
    cache = user.__dict__.setdefault("_thidua_routing", {})
    if (action, day) not in cache:
        cache[(action, day)] = _routing(user, action, day)
    return cache[(action, day)]


def _routing(user: User, action: str, day: dt.date) -> Routing:
    roles = RULES[action]
    own: dict[str, Unit] = {}
    for grant in grants_in_force(user, day):
        if grant.role in roles:
            own.setdefault(grant.unit.path, grant.unit)
    if not own:
        return Routing(own=[], below=[])
    inside = Q(pk__in=[])
    for path in own:
        inside |= Q(unit__path__startswith=path)
    paths = sorted(
        set(
            _deciding_grants(action, day)
            .filter(inside)
            .exclude(unit__path__in=list(own))
            .values_list("unit__path", flat=True)
        )
    )
    minimal: list[str] = []
    for path in paths:  # sorted: an ancestor comes before its descendants
        if not any(path.startswith(kept) for kept in minimal):
            minimal.append(path)
    return Routing(own=sorted(own.values(), key=lambda u: u.path), below=minimal)


def work_units(user: User, *, on: dt.date | None = None) -> list[Unit]:
    """The units the inbox can be narrowed to: the user's own units and the units just below
    them, in force today, in tree order. One query after the user's grants."""
    day = on or timezone.localdate()
    own = [unit.pk for unit in my_units(user, on=day)]
    if not own:
        return []
    return list(
        Unit.objects.filter(Q(pk__in=own) | Q(parent_id__in=own))
        .valid_on(day)
        .select_related("kind", "parent")
        .order_by("path")
    )
