"""Reads across the unit tree. Each costs a bounded number of queries whatever the subtree size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
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


_Carried = tuple[Decimal, bool]  # (share, every step a default successor)


class _Edge(NamedTuple):
    """One lineage row, seen from its predecessor."""

    successor: int
    share: Decimal
    is_default: bool
    successor_from: dt.date
    successor_to: dt.date | None


@dataclass
class _LineageGraph:
    """Lineage rows by predecessor, with each predecessor's closing date and path."""

    edges: dict[int, list[_Edge]] = field(default_factory=lambda: defaultdict(list))
    closed_on: dict[int, dt.date | None] = field(default_factory=dict)
    paths: dict[int, str] = field(default_factory=dict)

    def carrier(self, to_date: dt.date) -> Callable[[int, dt.date | None], dict[int, _Carried]]:
        """A memoised function: (unit id, the unit's valid_to) -> the unit(s) carrying it on
        `to_date`, each with its share (the product along the chain, summed over chains) and
        whether every step was a default successor."""
        memo: dict[int, dict[int, _Carried]] = {}

        def carry(pk: int, valid_to: dt.date | None, depth: int = 0) -> dict[int, _Carried]:
            if pk in memo:
                return memo[pk]
            if depth > 64:
                raise RuntimeError("lineage cycle")
            result: dict[int, _Carried] = {}
            if valid_to is None or valid_to >= to_date:
                result[pk] = (Decimal(1), True)
            else:
                for edge in self.edges.get(pk, ()):
                    if edge.successor_from > to_date:
                        continue
                    carried = carry(edge.successor, edge.successor_to, depth + 1)
                    for final, (sub_share, sub_default) in carried.items():
                        old_share, old_default = result.get(final, (Decimal(0), False))
                        result[final] = (
                            old_share + edge.share * sub_share,
                            old_default or (edge.is_default and sub_default),
                        )
            memo[pk] = result
            return result

        return carry


def _chains_into(units: QuerySet[Unit], *, using: str) -> RawSQL:
    """SQL for the ids of `units` and of every unit whose lineage leads to one of them through
    any number of restructurings: one recursive query whatever the depth (PostgreSQL and SQLite).
    UNION, not UNION ALL, so a unit reached twice is walked once."""
    base, params = units.order_by().values("pk").query.get_compiler(using=using).as_sql()
    quote = connections[using].ops.quote_name
    lineage = quote(Lineage._meta.db_table)
    predecessor = quote(Lineage._meta.get_field("predecessor").column)
    successor = quote(Lineage._meta.get_field("successor").column)
    return RawSQL(
        f"WITH RECURSIVE reach (id) AS ({base}"
        f" UNION SELECT link.{predecessor} FROM {lineage} link"
        f" JOIN reach ON link.{successor} = reach.id)"
        " SELECT id FROM reach",
        params,
    )


def _lineage_edges(*, into: QuerySet[Unit] | None = None) -> _LineageGraph:
    """The lineage graph in one query: every row, or with `into` only the rows on some chain
    that ends in one of those units (what carrying records into them needs, nothing more)."""
    links = Lineage.objects.all()
    if into is not None:
        links = links.filter(successor_id__in=_chains_into(into, using=links.db))
    graph = _LineageGraph()
    rows = links.values_list(
        "predecessor_id",
        "predecessor__valid_to",
        "predecessor__path",
        "successor_id",
        "share",
        "is_default",
        "successor__valid_from",
        "successor__valid_to",
    )
    for pred, pred_to, pred_path, succ, share, is_default, succ_from, succ_to in rows:
        graph.edges[pred].append(_Edge(succ, share, is_default, succ_from, succ_to))
        graph.closed_on[pred] = pred_to
        graph.paths[pred] = pred_path
    return graph


def successor_map(
    from_date: dt.date | None = None,
    to_date: dt.date | None = None,
    *,
    unit_ids: Iterable[int] | None = None,
) -> dict[int, list[Successor]]:
    """Map units to the unit(s) carrying them on `to_date`, with shares (product along the chain).

    Units in force on `to_date` map to themselves. Units closed before it follow their lineage
    through every later restructuring up to `to_date`. `from_date` limits the keys to units in
    force on that date. Two queries: lineage (with both ends' dates) and the candidate units.
    """
    to_date = to_date or timezone.localdate()
    carry = _lineage_edges().carrier(to_date)
    units = Unit.objects.all()
    if from_date is not None:
        units = units.valid_on(from_date)
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    return {
        pk: [
            Successor(unit_id=final, share=share, is_default=is_default)
            for final, (share, is_default) in carry(pk, valid_to).items()
        ]
        for pk, valid_to in units.order_by().values_list("id", "valid_to")
    }


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


def _parent_path(path: str) -> str:
    return path[: path.rstrip(PATH_SEPARATOR).rfind(PATH_SEPARATOR) + 1]


def _covering_prefixes(paths: Iterable[str], *, limit: int = 64) -> list[str]:
    """Path prefixes of subtrees that together hold every unit of `paths` (they may hold other
    units too): the units whose parent is not among them. Past `limit` prefixes, the deepest are
    replaced by their parents, so the query stays short whatever the lineage looks like."""
    members = set(paths)
    prefixes = {path for path in members if _parent_path(path) not in members}
    while len(prefixes) > limit:
        deepest = max(path.count(PATH_SEPARATOR) for path in prefixes)
        prefixes = {
            _parent_path(path) if path.count(PATH_SEPARATOR) == deepest else path
            for path in prefixes
        }
    kept: list[str] = []
    for path in sorted(prefixes):  # a subtree's paths sort right after its root's
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


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

    For a date, only the lineage leading into the root's subtree is read (one recursive query),
    and the measures are read from the subtrees that hold every contributing unit (a few path
    prefixes: the root, plus the old units that merged into it), summed per unit in the
    database; shares are applied in Python on those per-unit sums, in exact decimals.
    """
    unit_id = f"{unit_field}_id"
    unit_path = f"{unit_field}__path"
    root_path = root.path
    result = Rollup(root=root)
    if tree == "then":
        rows = (
            measures.filter(**{f"{unit_path}__startswith": root_path})
            .values(unit_id, unit_path)
            .annotate(total=Sum(value), n=Count("*"))
            .order_by()
        )
        child_units = list(Unit.objects.filter(parent=root).select_related("kind"))
        weighted = ((row[unit_path], Decimal(row["total"] or 0), Decimal(row["n"])) for row in rows)
    else:
        day = tree
        in_scope = Unit.objects.within(root).valid_on(day)
        scope_paths = dict(in_scope.order_by().values_list("id", "path"))
        graph = _lineage_edges(into=in_scope)
        carry = graph.carrier(day)
        # Which units' records count here, and where: a unit in scope for itself; an older unit
        # for the unit(s) in scope that carry it (outside the scope's share is dropped).
        contributors: dict[int, list[tuple[str, Decimal]]] = {
            pk: [(path, Decimal(1))] for pk, path in scope_paths.items()
        }
        for pk, valid_to in graph.closed_on.items():
            if pk in scope_paths:
                continue
            targets = [
                (scope_paths[final], share)
                for final, (share, _default) in carry(pk, valid_to).items()
                if final in scope_paths
            ]
            if targets:
                contributors[pk] = targets
        contributor_paths = [*scope_paths.values()]
        contributor_paths += [graph.paths[pk] for pk in contributors if pk not in scope_paths]
        where = Q()
        for prefix in _covering_prefixes(contributor_paths):
            where |= Q(**{f"{unit_path}__startswith": prefix})
        rows = (
            measures.filter(where).values(unit_id).annotate(total=Sum(value), n=Count("*"))
            if contributors
            else measures.none()
        ).order_by()
        child_units = list(Unit.objects.filter(parent=root).valid_on(day).select_related("kind"))

        def spread():
            # Units under a covering prefix that do not contribute have no targets: skipped.
            for row in rows:
                total, n = Decimal(row["total"] or 0), Decimal(row["n"])
                for path, share in contributors.get(row[unit_id], ()):
                    yield path, total * share, n * share

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
    return (
        units.select_related("kind")
        .annotate(child_count=Count("children"))
        .order_by("code", "name")
    )


def restructurings() -> QuerySet:
    from thidua.org.models import Restructuring

    return Restructuring.objects.select_related("created_by").annotate(
        closed_count=Count("closed_units", distinct=True),
        opened_count=Count("opened_units", distinct=True),
    )
