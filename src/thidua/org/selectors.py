"""Reads across the unit tree. Each costs a bounded number of queries whatever the subtree size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import StrIndex, Substr
from django.db.models.lookups import In
from django.http import Http404
from django.utils import timezone

from thidua.core.policy import can, scope_filter
from thidua.core.text import normalise_search
from thidua.org.models import PATH_SEPARATOR, Lineage, Unit


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


@dataclass(frozen=True)
class Successor:
    unit_id: int
    share: Decimal
    is_default: bool


_Carried = tuple[Decimal, bool]  # (share, every step a default successor)
_ONE, _ZERO = Decimal(1), Decimal(0)


# One lineage row seen from its predecessor: (successor, share, is_default, successor's valid_from,
# successor's valid_to). A plain tuple, not a NamedTuple: the garbage collector stops tracking
# tuples of plain values, so a big graph does not make every later collection slower.
_Edge = tuple[int, Decimal, bool, dt.date, dt.date | None]


@dataclass
class _LineageGraph:
    """Lineage rows by predecessor, with each predecessor's closing date and path; and, when it
    was read for the lineage leading into some units, those units' paths (`into`)."""

    edges: dict[int, tuple[_Edge, ...]] = field(default_factory=dict)
    closed_on: dict[int, dt.date | None] = field(default_factory=dict)
    paths: dict[int, str] = field(default_factory=dict)
    into: dict[int, str] = field(default_factory=dict)

    def add(
        self, predecessor: int, closed_on: dt.date | None, path: str, edge: _Edge, *, again: bool
    ) -> bool:
        """Record one lineage row; False if it was already there (a row read `again` can be,
        when met through a longer chain; within one query, (predecessor, successor) is unique)."""
        known = self.edges.get(predecessor, ())
        if again and any(old[0] == edge[0] for old in known):
            return False
        self.edges[predecessor] = (*known, edge)
        self.closed_on[predecessor] = closed_on
        self.paths[predecessor] = path
        return True

    def carrier(self, to_date: dt.date) -> Callable[[int, dt.date | None], dict[int, _Carried]]:
        """A memoised function: (unit id, the unit's valid_to) -> the unit(s) carrying it on
        `to_date`, each with its share (the product along the chain, summed over chains) and
        whether every step was a default successor."""
        memo: dict[int, dict[int, _Carried]] = {}

        def carry(pk: int, valid_to: dt.date | None, depth: int = 0) -> dict[int, _Carried]:
            if valid_to is None or valid_to >= to_date:
                return {pk: (_ONE, True)}
            if pk in memo:
                return memo[pk]
            if depth > 64:
                raise RuntimeError("lineage cycle")
            result: dict[int, _Carried] = {}
            for successor, share, is_default, successor_from, successor_to in self.edges.get(
                pk, ()
            ):
                if successor_from > to_date:
                    continue
                if successor_to is None or successor_to >= to_date:  # the usual one step
                    carried: Iterable[tuple[int, _Carried]] = ((successor, (_ONE, True)),)
                else:
                    carried = carry(successor, successor_to, depth + 1).items()
                for final, (sub_share, sub_default) in carried:
                    old_share, old_default = result.get(final, (_ZERO, False))
                    result[final] = (
                        old_share + share * sub_share,
                        old_default or (is_default and sub_default),
                    )
            if depth:  # only units met inside a chain are met again
                memo[pk] = result
            return result

        return carry


# What an `_Edge` is read from, on a lineage row.
_EDGE_FIELDS = (
    "successor_id",
    "share",
    "is_default",
    "successor__valid_from",
    "successor__valid_to",
)


def _lineage_edges(
    *, into: QuerySet[Unit] | None = None, closed_before: dt.date | None = None
) -> _LineageGraph:
    """The lineage graph: every row in one query. Or, with `into`, those units and only the rows on
    chains that end in one of them, walked back one restructuring at a time through units closed
    before `closed_before` (a unit still in force then carries its own records, so its past is not
    needed): one query for the units and the lineage coming into them, then one per further step
    of the longest chain, asked only if the previous step found closed units with a past. Whatever
    the number of units, one query for a single reform such as 2025's."""
    graph = _LineageGraph()
    if into is None:
        for pred, pred_to, pred_path, *edge in Lineage.objects.values_list(
            "predecessor_id", "predecessor__valid_to", "predecessor__path", *_EDGE_FIELDS
        ):
            graph.add(pred, pred_to, pred_path, tuple(edge), again=False)
        return graph

    def has_past(predecessor: str) -> Exists:
        return Exists(Lineage.objects.filter(successor_id=OuterRef(predecessor)))

    # Step one starts from the units (an index range on the path), not from the lineage table.
    rows = (
        into.order_by()
        .annotate(has_past=has_past("predecessor_links__predecessor_id"))
        .values_list(
            "id",
            "path",
            "valid_from",
            "valid_to",
            "predecessor_links__predecessor_id",
            "predecessor_links__predecessor__valid_to",
            "predecessor_links__predecessor__path",
            "predecessor_links__share",
            "predecessor_links__is_default",
            "has_past",
        )
    )
    further = False
    for succ, path, succ_from, succ_to, pred, pred_to, pred_path, share, default, past in rows:
        graph.into[succ] = path
        if pred is not None:
            edge = (succ, share, default, succ_from, succ_to)
            graph.add(pred, pred_to, pred_path, edge, again=False)
            further |= bool(past) and pred_to is not None and pred_to < closed_before
    step = Lineage.objects.filter(successor__in=into.order_by().values("pk"))
    steps = 1
    while further:
        steps += 1
        if steps > 64:
            raise RuntimeError("lineage cycle")
        earlier = step.filter(has_past("predecessor_id"), predecessor__valid_to__lt=closed_before)
        step = Lineage.objects.filter(successor__in=earlier.values("predecessor_id"))
        further = False
        for pred, pred_to, pred_path, *edge, past in step.values_list(
            "predecessor_id",
            "predecessor__valid_to",
            "predecessor__path",
            *_EDGE_FIELDS,
            has_past("predecessor_id"),
        ):
            if graph.add(pred, pred_to, pred_path, tuple(edge), again=True):
                further |= bool(past) and pred_to is not None and pred_to < closed_before
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


# Up to this many contributing units a roll-up reads their records by id (an index scan in table
# order, faster on PostgreSQL than a join on the path even for a province's 5,000 units, and far
# below SQLite's 32,766 variables); past it, by the subtrees that hold them.
_FEW_UNITS = 10_000


class _InIds(In):
    """`IN (ids)` that PostgreSQL receives as one array parameter (`= ANY(%s)`), so thousands of
    ids cost neither the client nor the planner one parameter each; a plain IN list elsewhere."""

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        column, params = self.process_lhs(compiler, connection)
        return f"{column} = ANY(%s)", (*params, list(self.rhs))


def _segments(root: Unit, child_units: list[Unit]) -> dict[str, int]:
    """{a child's path below the root ("2f/"): the child's pk}."""
    return {child.path[len(root.path) :]: child.pk for child in child_units}


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
    should be a unit in force on that date. Queries: 2 for "then"; 3 for a date, plus one per
    further step of the longest chain of restructurings leading into the subtree (none for the
    2025 reform alone); never more as records or units grow.

    For a date, only the lineage leading into the subtree is read. The measures of the contributing
    units are read by id when they are few, otherwise from a few subtrees that hold them all
    (usually the root's own, plus those of old units that merged into it), and summed per unit in
    the database; shares are applied to those sums in Python, in exact decimals.
    """
    unit_id = f"{unit_field}_id"
    unit_path = f"{unit_field}__path"
    root_path = root.path
    if tree == "then":
        child_units = list(Unit.objects.filter(parent=root).select_related("kind"))
        segments = _segments(root, child_units)
        # Grouped in the database by the first path segment below the root ("2f/"; "" for the
        # root itself), so one row comes back per child whatever the number of units.
        below = Substr(unit_path, len(root_path) + 1)
        rows = (
            measures.filter(**{f"{unit_path}__startswith": root_path})
            .values(rollup_segment=Substr(below, 1, StrIndex(below, Value(PATH_SEPARATOR))))
            .annotate(rollup_total=Sum(value), rollup_n=Count("*"))
            .values_list("rollup_segment", "rollup_total", "rollup_n")
            .order_by()
        )
        placed = ((total, n, [(segments.get(segment), _ONE)]) for segment, total, n in rows)
    else:
        day = tree
        child_units = list(Unit.objects.filter(parent=root).valid_on(day).select_related("kind"))
        segments = _segments(root, child_units)

        def child_of(path: str, start: int = len(root_path)) -> int | None:
            return segments.get(path[start : path.find(PATH_SEPARATOR, start) + 1])

        graph = _lineage_edges(into=Unit.objects.within(root).valid_on(day), closed_before=day)
        scope = graph.into  # the units in force on `day` under the root: id -> path
        carry = graph.carrier(day)
        # Whose records count here, and under which child: a unit in scope for itself; an older
        # unit for the unit(s) in scope carrying it, by share (a share carried outside is left).
        # The usual (child, 1) targets are shared tuples: fewer objects, fewer GC pauses.
        whole = {child: ((child, _ONE),) for child in [None, *segments.values()]}
        counted: dict[int, Sequence[tuple[int | None, Decimal]]] = {
            pk: whole[child_of(path)] for pk, path in scope.items()
        }
        for pk, valid_to in graph.closed_on.items():
            if pk in scope:
                continue
            targets = tuple(
                (child_of(scope[final]), share)
                for final, (share, _default) in carry(pk, valid_to).items()
                if final in scope
            )
            if len(targets) == 1 and targets[0][1] == 1:
                counted[pk] = whole[targets[0][0]]
            elif targets:
                counted[pk] = targets
        if len(counted) <= _FEW_UNITS:
            where = _InIds(F(unit_id), list(counted))
        else:  # the subtrees holding them, rather than a giant IN list: the root's own subtree
            # holds everything in scope; older units outside it (say a province that merged
            # into the root) bring theirs.
            outside = (graph.paths[pk] for pk in counted if pk not in scope)
            where = Q()
            for prefix in _covering_prefixes(
                [root_path, *(path for path in outside if not path.startswith(root_path))]
            ):
                where |= Q(**{f"{unit_path}__startswith": prefix})
        rows = (
            measures.filter(where)
            .values(unit_id)
            .annotate(rollup_total=Sum(value), rollup_n=Count("*"))
            .values_list(unit_id, "rollup_total", "rollup_n")
            .order_by()
        )
        # Units under those prefixes that do not contribute have no targets and are skipped.
        placed = ((total, n, counted.get(pk, ())) for pk, total, n in rows)

    # Sums by child (None: the root itself), in exact decimals.
    totals: dict[int | None, Decimal] = defaultdict(Decimal)
    counts: dict[int | None, Decimal] = defaultdict(Decimal)
    for row_total, row_n, targets in placed:
        row_total = _ZERO if row_total is None else Decimal(row_total)
        for child, share in targets:
            if share is _ONE:  # the shared whole-share tuples: no multiplication
                totals[child] += row_total
                counts[child] += row_n
            else:
                totals[child] += row_total * share
                counts[child] += row_n * share
    result = Rollup(
        root=root,
        total=sum(totals.values(), _ZERO),
        count=sum(counts.values(), _ZERO),
        by_child={child: figure for child, figure in totals.items() if child is not None},
        count_by_child={child: figure for child, figure in counts.items() if child is not None},
        children=sorted(child_units, key=lambda unit: unit.name),
    )
    return result


@dataclass
class MeasureRollup:
    """Several additive measures of grouped rows rolled up over a subtree: for each (group,
    measure) the total, and one figure per child of the root (absent where nothing counted)."""

    root: Unit
    children: list[Unit] = field(default_factory=list)
    totals: dict[tuple[Any, str], Decimal] = field(default_factory=dict)
    by_child: dict[tuple[Any, str], dict[int, Decimal]] = field(default_factory=dict)

    def total(self, group: Any, measure: str) -> Decimal:
        return self.totals.get((group, measure), _ZERO)

    def child(self, group: Any, measure: str, child: int) -> Decimal:
        return self.by_child.get((group, measure), {}).get(child, _ZERO)


def rollup_measures(
    measures: QuerySet,
    *,
    aggregates: dict[str, Any],
    group_by: str | None = None,
    root: Unit,
    tree: Literal["then"] | dt.date = "then",
    unit_field: str = "unit",
) -> MeasureRollup:
    """`rollup` for several measures and groups in one pass over the rows: each of `aggregates`
    (name -> an additive aggregate such as `Sum("value")` or `Count("*")`) per value of the field
    `group_by`, over `root`'s subtree, under the tree of then or of a date, with the same
    placement and shares as `rollup`. Queries: 2 for "then"; 3 for a date, plus one per further
    step of the longest chain of restructurings leading into the subtree.

    Rows are grouped in the database by the root's child they count under (the first path segment
    below the root) wherever that is known there: always under the tree of then, and for units in
    force on the date under a date. Only rows of older units carried through the lineage come
    back one per unit and group, and are placed in Python by share, in exact decimals."""
    unit_id = f"{unit_field}_id"
    unit_path = f"{unit_field}__path"
    root_path = root.path
    names = list(aggregates)
    below = Substr(unit_path, len(root_path) + 1)
    segment = Substr(below, 1, StrIndex(below, Value(PATH_SEPARATOR)))
    group = F(group_by) if group_by else Value(None, output_field=CharField())
    annotations = {f"rollup_{name}": aggregate for name, aggregate in aggregates.items()}
    # Each row: (child segment or None, unit id or None, group, *figures).
    if tree == "then":
        child_units = list(Unit.objects.filter(parent=root).select_related("kind"))
        segments = _segments(root, child_units)
        rows = (
            measures.filter(**{f"{unit_path}__startswith": root_path})
            .values(rollup_segment=segment, rollup_group=group)
            .annotate(**annotations)
            .values_list("rollup_segment", "rollup_group", *annotations)
            .order_by()
        )
        placed = (
            (group_key, figures, [(segments.get(seg), _ONE)]) for seg, group_key, *figures in rows
        )
    else:
        day = tree
        child_units = list(Unit.objects.filter(parent=root).valid_on(day).select_related("kind"))
        segments = _segments(root, child_units)

        def child_of(path: str, start: int = len(root_path)) -> int | None:
            return segments.get(path[start : path.find(PATH_SEPARATOR, start) + 1])

        graph = _lineage_edges(into=Unit.objects.within(root).valid_on(day), closed_before=day)
        scope = graph.into  # the units in force on `day` under the root: id -> path
        carry = graph.carrier(day)
        # Older units whose records count here: for which child(ren), by share.
        carried: dict[int, tuple[tuple[int | None, Decimal], ...]] = {}
        for pk, valid_to in graph.closed_on.items():
            if pk in scope:
                continue
            targets = tuple(
                (child_of(scope[final]), _ONE if share == 1 else share)
                for final, (share, _default) in carry(pk, valid_to).items()
                if final in scope
            )
            if targets:
                carried[pk] = targets
        in_force = (
            Q(**{f"{unit_path}__startswith": root_path})
            & Q(**{f"{unit_field}__valid_from__lte": day})
            & (
                Q(**{f"{unit_field}__valid_to__isnull": True})
                | Q(**{f"{unit_field}__valid_to__gte": day})
            )
        )
        # Rows are read from subtrees, not by unit id: the unit is joined for its path anyway, and
        # a long id list would be tested against every row. The root's subtree holds everything
        # in force; older units outside it (say a province that merged into the root) bring theirs.
        where = Q()
        outside = (graph.paths[pk] for pk in carried)
        for prefix in _covering_prefixes(
            [root_path, *(path for path in outside if not path.startswith(root_path))]
        ):
            where |= Q(**{f"{unit_path}__startswith": prefix})
        rows = (
            measures.filter(where)
            .values(
                rollup_segment=Case(
                    When(in_force, then=segment), default=None, output_field=CharField()
                ),
                rollup_unit=Case(
                    When(in_force, then=None), default=F(unit_id), output_field=BigIntegerField()
                ),
                rollup_group=group,
            )
            .annotate(**annotations)
            .values_list("rollup_segment", "rollup_unit", "rollup_group", *annotations)
            .order_by()
        )
        whole = {child: ((child, _ONE),) for child in [None, *segments.values()]}
        # A row of an older unit that does not count here (met under a prefix) has no targets.
        placed = (
            (
                group_key,
                figures,
                whole[segments.get(seg)] if pk is None else carried.get(pk, ()),
            )
            for seg, pk, group_key, *figures in rows
        )

    # Sums per group, one dict per measure: child (None: the root itself) -> figure, in exact
    # decimals. The loop is the cost of a roll-up under a date, so it does as little as it can.
    sums_of: dict[Any, list[defaultdict[int | None, Decimal]]] = {}
    for group_key, figures, targets in placed:
        sums = sums_of.get(group_key)
        if sums is None:
            sums = sums_of[group_key] = [defaultdict(Decimal) for _name in names]
        for child, share in targets:
            for measure_sums, figure in zip(sums, figures, strict=True):
                if figure is not None:
                    measure_sums[child] += figure if share is _ONE else figure * share
    totals = {
        (group_key, name): measure_sums
        for group_key, sums in sums_of.items()
        for name, measure_sums in zip(names, sums, strict=True)
        if measure_sums
    }
    return MeasureRollup(
        root=root,
        children=sorted(child_units, key=lambda unit: unit.name),
        totals={key: sum(sums.values(), _ZERO) for key, sums in totals.items()},
        by_child={
            key: {child: figure for child, figure in sums.items() if child is not None}
            for key, sums in totals.items()
        },
    )


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

    # Latest first, explicitly: Meta.ordering does not apply to a grouped (annotated) query.
    return (
        Restructuring.objects.select_related("created_by")
        .annotate(
            closed_count=Count("closed_units", distinct=True),
            opened_count=Count("opened_units", distinct=True),
        )
        .order_by("-effective_date", "-id")
    )
