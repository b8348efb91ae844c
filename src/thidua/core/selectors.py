"""Reads of the shared kernel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

from thidua.core.models import AuditEvent
from thidua.core.policy import require, scope_filter
from thidua.core.text import normalise_search


def audit_events(
    user: Any,
    *,
    units: list[Any] | None = None,
    actor: str = "",
    area: str = "",
    target_type: str = "",
    target_id: str = "",
    verb: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events the user may see (their administered subtrees), filtered: `units` (each with
    what lies below it; an empty list matches nothing), the person by full name or username, the
    area (app) of the action."""
    require(user, "core.view_audit")
    events = AuditEvent.objects.filter(scope_filter(user, "core.view_audit", "unit_path"))
    if units is not None:
        if not units:
            return events.none()
        within = Q()
        for unit in units:
            within |= Q(unit_path__startswith=unit.path)
        events = events.filter(within)
    if actor:
        events = events.filter(
            Q(actor_label__icontains=actor) | Q(actor__full_name__icontains=actor)
        )
    if area:
        events = events.filter(verb__startswith=f"{area}.")
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if verb:
        events = events.filter(verb__startswith=verb)
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events.select_related("unit__parent", "actor").order_by("-id")


UNIT_MATCH_LIMIT = 50


def audit_units(user: Any, text: str) -> list[Any]:
    """Units whose events the user may see matching what they typed (`org.selectors.units_named`:
    part of a name without accents, or "Tổ dân phố 14 — Phường Bồ Đề"), at most
    UNIT_MATCH_LIMIT, highest levels first."""
    # the search of `org.selectors.units_named`, through the app registry: core imports no app
    Unit = apps.get_model("org", "Unit")
    name, _, parent = (part.strip() for part in text.partition("—"))
    units = Unit.objects.filter(
        scope_filter(user, "core.view_audit"), search_name__contains=normalise_search(name)
    )
    if parent:
        units = units.filter(parent__search_name__contains=normalise_search(parent))
    return list(
        units.select_related("parent").order_by("depth", "name", "-valid_from")[:UNIT_MATCH_LIMIT]
    )


def audit_unit_choices(user: Any) -> list[Any]:
    """The units offered by the audit filter's picker: the user's own and the next two levels
    in force (the city and its wards; residential groups are found by typing)."""
    Unit = apps.get_model("org", "Unit")
    units = Unit.objects.filter(scope_filter(user, "core.view_audit"), valid_to__isnull=True)
    top = units.order_by("depth").values_list("depth", flat=True).first()
    if top is None:
        return []
    return list(units.filter(depth__lte=top + 1).select_related("parent").order_by("depth", "name"))
