"""Reads across the unit tree. Each costs a bounded number of queries whatever the subtree size."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.http import Http404

from thidua.core.policy import can, scope_filter
from thidua.core.text import normalise_search
from thidua.org.models import Lineage, Restructuring, Unit
from thidua.org.rollup import (  # the roll-up engine, importable from here as before
    MeasureRollup as MeasureRollup,
)
from thidua.org.rollup import Rollup as Rollup
from thidua.org.rollup import Successor as Successor
from thidua.org.rollup import rollup as rollup
from thidua.org.rollup import rollup_measures as rollup_measures
from thidua.org.rollup import successor_map as successor_map


def tree_as_of(day: dt.date) -> QuerySet[Unit]:
    """Every unit in force on `day`, in tree order."""
    return Unit.objects.valid_on(day).select_related("kind").order_by("path")


def subtree(unit: Unit, *, as_of: dt.date | None = None) -> QuerySet[Unit]:
    """The unit and its descendants (in force on `as_of`, or in any period when None)."""
    units = Unit.objects.within(unit).select_related("kind")
    if as_of is not None:
        units = units.valid_on(as_of)
    return units.order_by("path")


def ancestors(unit: Unit) -> list[Unit]:
    """Root first, the unit itself excluded. One query: the ids are in the path."""
    ids = unit.path_ids()[:-1]
    by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids).select_related("kind")}
    return [by_id[i] for i in ids if i in by_id]


def children(unit: Unit, *, as_of: dt.date | None = None) -> QuerySet[Unit]:
    units = Unit.objects.filter(parent=unit).select_related("kind")
    if as_of is not None:
        units = units.valid_on(as_of)
    return units.annotate(child_count=Count("children")).order_by("code", "name")


def search_units(query: str, *, as_of: dt.date | None = None, limit: int = 50) -> QuerySet[Unit]:
    """Diacritic- and case-insensitive search on names and codes."""
    needle = normalise_search(query)
    units = Unit.objects.filter(Q(search_name__contains=needle) | Q(code__iexact=query.strip()))
    if as_of is not None:
        units = units.valid_on(as_of)
    return units.select_related("kind", "parent").order_by("depth", "name")[:limit]


def units_named(
    text: str, *, within: Q | None = None, current: bool = False, limit: int = 50
) -> list[Unit]:
    """Units whose name contains what a person typed, diacritic- and case-insensitive ("bo de"),
    or a name with its parent as pickers offer it (`Unit.display_name`: "Tổ dân phố 14 — Phường
    Bồ Đề"). `within`: a Q limiting the units (e.g. the user's scope); highest levels first."""
    name, _, parent = (part.strip() for part in text.partition("—"))
    units = Unit.objects.filter(search_name__contains=normalise_search(name))
    if within is not None:
        units = units.filter(within)
    if parent:
        units = units.filter(parent__search_name__contains=normalise_search(parent))
    if current:
        units = units.filter(valid_to__isnull=True)
    return list(units.select_related("parent").order_by("depth", "name", "-valid_from")[:limit])


def roots(*, as_of: dt.date | None = None) -> QuerySet[Unit]:
    units = Unit.objects.filter(parent__isnull=True).select_related("kind")
    if as_of is not None:
        units = units.valid_on(as_of)
    return units.annotate(child_count=Count("children")).order_by("name")


def get_unit_for_user(user: Any, pk: int) -> Unit:
    """Fetch-and-check: a unit outside the user's part of the tree is a 404, like a missing one."""
    unit = Unit.objects.select_related("kind", "parent").filter(pk=pk).first()
    if unit is None or not can(user, "org.view_unit", unit):
        raise Http404
    return unit


def visible_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_filter(user, "org.view_unit"))


def lineage_of(unit: Unit) -> dict[str, list[Lineage]]:
    """Where the unit came from and where it went."""
    return {
        "predecessors": list(
            Lineage.objects.filter(successor=unit).select_related("predecessor", "restructuring")
        ),
        "successors": list(
            Lineage.objects.filter(predecessor=unit).select_related("successor", "restructuring")
        ),
    }


def children_annotated(units: QuerySet[Unit]) -> QuerySet[Unit]:
    return (
        units.select_related("kind")
        .annotate(child_count=Count("children"))
        .order_by("code", "name")
    )


def restructurings() -> QuerySet:
    # Latest first, explicitly: Meta.ordering does not apply to a grouped (annotated) query.
    return (
        Restructuring.objects.select_related("created_by")
        .annotate(
            closed_count=Count("closed_units", distinct=True),
            opened_count=Count("opened_units", distinct=True),
        )
        .order_by("-effective_date", "-id")
    )
