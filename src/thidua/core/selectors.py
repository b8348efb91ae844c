"""Reads of the shared kernel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from thidua.core.models import AuditEvent
from thidua.core.policy import require, scope_filter


def audit_events(
    user: Any,
    *,
    unit_code: str = "",
    actor: str = "",
    target_type: str = "",
    target_id: str = "",
    verb: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events the user may see (their administered subtrees), filtered."""
    require(user, "core.view_audit")
    events = AuditEvent.objects.filter(scope_filter(user, "core.view_audit", "unit_path"))
    if unit_code:
        Unit = apps.get_model("org", "Unit")
        paths = list(Unit.objects.filter(code=unit_code).values_list("path", flat=True))
        if not paths:
            return events.none()
        events = events.filter(unit_path__startswith=paths[0])
    if actor:
        events = events.filter(actor_label__icontains=actor)
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
    return events.select_related("unit").order_by("-id")
