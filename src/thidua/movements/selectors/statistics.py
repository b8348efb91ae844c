"""Reads for the statutory statistics (form 0601): the movements of a subtree launched in a
period, as plain records with their launch level, scope, method and duration band."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from thidua.movements.models import Movement
from thidua.movements.statistics import (
    derived_launch_level,
    derived_method,
    derived_scope,
    duration_band,
)


def statistic_record(movement: dict[str, Any]) -> dict[str, Any]:
    kind_code = movement["owner_unit__kind__code"]
    return {
        "id": movement["id"],
        "launch_level": movement["launch_level"] or derived_launch_level(kind_code),
        "scope": movement["scope"] or derived_scope(kind_code),
        "method": movement["method"] or derived_method(movement["kind"]),
        "duration": duration_band(movement["starts_on"], movement["ends_on"]),
    }


def movements_for_statistics(
    *, unit_path: str, starts_on: dt.date, ends_on: dt.date
) -> list[dict[str, Any]]:
    """Movements launched by a unit of the subtree at `unit_path` between the two days
    (inclusive; the launch day, or the first day for a movement launched without one); drafts
    are not movements yet. One query."""
    rows = (
        Movement.objects.exclude(status=Movement.Status.DRAFT)
        .annotate(launch_day=Coalesce("launched_on", "starts_on"))
        .filter(
            Q(owner_unit__path__startswith=unit_path),
            launch_day__gte=starts_on,
            launch_day__lte=ends_on,
        )
        .order_by("id")
        .values(
            "id",
            "kind",
            "starts_on",
            "ends_on",
            "launch_level",
            "scope",
            "method",
            "owner_unit__kind__code",
        )
    )
    return [statistic_record(row) for row in rows]


def movements_by_ids(ids: Iterable[int]) -> QuerySet[Movement]:
    """The movements behind a report's cell, for its drill-down page."""
    return (
        Movement.objects.filter(pk__in=list(ids))
        .select_related("owner_unit__parent", "owner_unit__kind")
        .order_by("-starts_on", "title", "id")
    )
