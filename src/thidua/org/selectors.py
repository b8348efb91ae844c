"""Reads across the unit tree. Each costs a bounded number of queries whatever the subtree size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from unidecode import unidecode

from thidua.core.policy import can, scope_filter
from thidua.org.models import PATH_SEPARATOR, Lineage, Unit


def normalise_search(text: str) -> str:
    """Lower-case ASCII form used for diacritic-insensitive search ("Long Biên" -> "long bien")."""
    return " ".join(unidecode(text or "").lower().replace("đ", "d").split())


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


@dataclass(frozen=True)
class Successor:
    unit_id: int
    share: Decimal
    is_default: bool


def _lineage_edges() -> dict[int, list[tuple[int, Decimal, bool, dt.date]]]:
    edges: dict[int, list[tuple[int, Decimal, bool, dt.date]]] = defaultdict(list)
    rows = Lineage.objects.values_list(
        "predecessor_id", "successor_id", "share", "is_default", "successor__valid_from"
    )
    for pred, succ, share, is_default, valid_from in rows:
        edges[pred].append((succ, share, is_default, valid_from))
    return edges


def successor_map(
    from_date: dt.date | None = None,
    to_date: dt.date | None = None,
    *,
    unit_ids: Iterable[int] | None = None,
) -> dict[int, list[Successor]]:
    """Map units to the unit(s) carrying them on `to_date`, with shares (product along the chain).

    Units in force on `to_date` map to themselves. Units closed before it follow their lineage
    through every later restructuring up to `to_date`. `from_date` limits the keys to units in
    force on that date. Two queries: lineage and the candidate units.
    """
    to_date = to_date or timezone.localdate()
    edges = _lineage_edges()
    units = Unit.objects.all()
    if from_date is not None:
        units = units.valid_on(from_date)
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    validity = {pk: (vf, vt) for pk, vf, vt in units.values_list("id", "valid_from", "valid_to")}

    memo: dict[int, dict[int, tuple[Decimal, bool]]] = {}

    def resolve(
        pk: int, valid_to: dt.date | None, depth: int = 0
    ) -> dict[int, tuple[Decimal, bool]]:
        if pk in memo:
            return memo[pk]
        if depth > 64:
            raise RuntimeError("lineage cycle")
        if valid_to is None or valid_to >= to_date:
            result = {pk: (Decimal(1), True)}
        else:
            result: dict[int, tuple[Decimal, bool]] = {}
            for succ, share, is_default, succ_from in edges.get(pk, []):
                if succ_from > to_date:
                    continue
                succ_valid_to = successor_valid_to.get(succ)
                for final, (sub_share, sub_default) in resolve(
                    succ, succ_valid_to, depth + 1
                ).items():
                    old_share, old_default = result.get(final, (Decimal(0), False))
                    result[final] = (
                        old_share + share * sub_share,
                        old_default or (is_default and sub_default),
                    )
        memo[pk] = result
        return result

    successor_ids = {succ for targets in edges.values() for succ, *_ in targets}
    successor_valid_to = dict(
        Unit.objects.filter(pk__in=successor_ids).values_list("id", "valid_to")
    )
    out: dict[int, list[Successor]] = {}
    for pk, (_valid_from, valid_to) in validity.items():
        out[pk] = [
            Successor(unit_id=final, share=share, is_default=is_default)
            for final, (share, is_default) in resolve(pk, valid_to).items()
        ]
    return out


@dataclass
class Rollup:
    """A measure rolled up over a subtree: the total and one figure per child of the root."""

    root: Unit
    total: Decimal = Decimal(0)
    count: Decimal = Decimal(0)
    by_child: dict[int, Decimal] = field(default_factory=dict)
    count_by_child: dict[int, Decimal] = field(default_factory=dict)
    children: list[Unit] = field(default_factory=list)

    @property
    def average(self) -> Decimal | None:
        return self.total / self.count if self.count else None

    def rows(self) -> list[tuple[Unit, Decimal]]:
        return [(child, self.by_child.get(child.pk, Decimal(0))) for child in self.children]


def rollup(
    measures: QuerySet,
    *,
    value: str,
    root: Unit,
    tree: Literal["then"] | dt.date = "then",
    unit_field: str = "unit",
) -> Rollup:
    """Aggregate `value` of `measures` (rows on units via `unit_field`) over `root`'s subtree.

    tree="then": each row counts under the unit it was recorded on and that unit's ancestors (the
    tree in force when it was recorded; paths never change). tree=<date>: each row is carried to the
    unit(s) in force on that date through the lineage, split by share, and counted there; `root`
    should be a unit in force on that date. Queries: 2 for "then", 4 for a date, whatever the size.
    """
    unit_id = f"{unit_field}_id"
    root_path = root.path
    result = Rollup(root=root)
    if tree == "then":
        rows = (
            measures.filter(**{f"{unit_field}__path__startswith": root_path})
            .values(unit_id, f"{unit_field}__path")
            .annotate(total=Sum(value), n=Count("pk"))
            .order_by()
        )
        child_units = list(Unit.objects.filter(parent=root).select_related("kind"))
        placed = (
            (row[f"{unit_field}__path"], Decimal(row["total"] or 0), row["n"]) for row in rows
        )
        weighted = ((path, total, Decimal(n)) for path, total, n in placed)
    else:
        day = tree
        mapping = successor_map(to_date=day)
        in_scope_now = dict(Unit.objects.within(root).valid_on(day).values_list("id", "path"))
        contributors = {
            pk: [(s.unit_id, s.share) for s in targets if s.unit_id in in_scope_now]
            for pk, targets in mapping.items()
        }
        contributors = {pk: targets for pk, targets in contributors.items() if targets}
        rows = (
            measures.filter(**{f"{unit_id}__in": list(contributors)})
            .values(unit_id)
            .annotate(total=Sum(value), n=Count("pk"))
            .order_by()
            if len(contributors) < len(mapping)
            else measures.values(unit_id).annotate(total=Sum(value), n=Count("pk")).order_by()
        )
        child_units = list(Unit.objects.filter(parent=root).valid_on(day).select_related("kind"))

        def spread():
            for row in rows:
                for target, share in contributors.get(row[unit_id], []):
                    yield (
                        in_scope_now[target],
                        Decimal(row["total"] or 0) * share,
                        Decimal(row["n"]) * share,
                    )

        weighted = spread()

    child_by_segment = {
        child.path[len(root_path) :].split(PATH_SEPARATOR)[0]: child for child in child_units
    }
    for path, total, n in weighted:
        result.total += total
        result.count += n
        segment = path[len(root_path) :].split(PATH_SEPARATOR)[0]
        child = child_by_segment.get(segment)
        if child is not None:
            result.by_child[child.pk] = result.by_child.get(child.pk, Decimal(0)) + total
            result.count_by_child[child.pk] = result.count_by_child.get(child.pk, Decimal(0)) + n
    result.children = sorted(child_units, key=lambda unit: unit.name)
    return result


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
    return units.select_related("kind").annotate(child_count=Count("children")).order_by("code", "name")


def restructurings() -> QuerySet:
    from thidua.org.models import Restructuring

    return Restructuring.objects.select_related("created_by").annotate(
        closed_count=Count("closed_units", distinct=True),
        opened_count=Count("opened_units", distinct=True),
    )
