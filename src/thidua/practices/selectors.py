"""Reads for practices: scope, replication trees and reach, coverage by field over the tree."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.selectors import units_user_may
from thidua.core.policy import scope_paths
from thidua.core.text import normalise_search
from thidua.core.uploads import Served
from thidua.org.models import PATH_SEPARATOR, Unit, UnitKind
from thidua.org.rollup import successor_map
from thidua.org.selectors import get_unit_for_user
from thidua.practices.models import STAGE_ORDER, Exemplar, Practice, Stage, StageChange
from thidua.shared.models import Field


def _scoped(queryset: QuerySet, user: Any, action: str = "org.view_unit") -> QuerySet:
    paths = scope_paths(user, action)
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    condition = Q()
    for path in paths:
        condition |= Q(owner_unit__path__startswith=path)
    return queryset.filter(condition)


SHAREABLE = [Stage.SUMMARISED, Stage.REPLICATED]


def visible_practices(user: Any) -> QuerySet[Practice]:
    """Practices of the user's part of the tree, and every summarised practice anywhere (those
    are meant to be replicated; they are on the public portal too)."""
    practices = Practice.objects.select_related(
        "owner_unit__parent", "owner_unit__kind", "field", "source"
    )
    if not getattr(user, "is_authenticated", False):
        return practices.none()
    own = _scoped(practices, user)
    paths = scope_paths(user, "org.view_unit")
    if paths is None:
        return practices
    if not paths:
        return own
    return practices.filter(Q(pk__in=own.values("pk")) | Q(stage__in=SHAREABLE, is_active=True))


def visible_exemplars(user: Any) -> QuerySet[Exemplar]:
    return _scoped(Exemplar.objects.select_related("owner_unit__parent"), user)


def get_practice_for_user(user: Any, pk: int) -> Practice:
    practice = visible_practices(user).filter(pk=pk).first()
    if practice is None:
        raise Http404
    return practice


def get_exemplar_for_user(user: Any, pk: int) -> Exemplar:
    exemplar = visible_exemplars(user).filter(pk=pk).first()
    if exemplar is None:
        raise Http404
    return exemplar


def public_practices() -> QuerySet[Practice]:
    return Practice.objects.filter(is_active=True).select_related("owner_unit__parent", "field")


def public_exemplars() -> QuerySet[Exemplar]:
    return Exemplar.objects.filter(status=Exemplar.Status.VERIFIED).select_related(
        "owner_unit__parent"
    )


def filter_practices(
    practices: QuerySet[Practice],
    *,
    field: Field | None = None,
    stage: str = "",
    unit: Unit | None = None,
    units: list[Unit] | None = None,
    query: str = "",
) -> QuerySet[Practice]:
    """`unit` or `units`: practices owned in that part of the tree (each unit with what lies
    below it)."""
    if units:
        within = Q()
        for each in units:
            within |= Q(owner_unit__path__startswith=each.path)
        practices = practices.filter(within)
    if field is not None:
        practices = practices.filter(field=field)
    if stage in Stage.values:
        practices = practices.filter(stage=stage)
    if unit is not None:
        practices = practices.filter(owner_unit__path__startswith=unit.path)
    if query:
        practices = practices.filter(search_text__contains=normalise_search(query))
    return practices


def search_exemplars(exemplars: QuerySet[Exemplar], query: str) -> QuerySet[Exemplar]:
    """Exemplars whose name or deeds contain the words, accents and case aside ("nguyen van"
    finds "Nguyễn Văn")."""
    needle = normalise_search(query)
    return exemplars.filter(search_text__contains=needle) if needle else exemplars


@dataclass
class TreeNode:
    practice: Practice
    children: list[TreeNode] = field(default_factory=list)


def replication_tree(practice: Practice) -> TreeNode:
    """The whole replication tree the practice belongs to, from its original. One query."""
    origin_id = practice.origin_id or practice.pk
    members = list(
        Practice.objects.filter(Q(pk=origin_id) | Q(origin_id=origin_id))
        .select_related("owner_unit", "owner_unit__kind")
        .order_by("started_on", "pk")
    )
    nodes = {p.pk: TreeNode(p) for p in members}
    for member in members:
        if member.source_id in nodes:
            nodes[member.source_id].children.append(nodes[member.pk])
    return nodes[origin_id]


def descendants(node: TreeNode, pk: int) -> list[Practice]:
    """The practice `pk` and every practice replicated from it, directly or not."""

    def find(current: TreeNode) -> TreeNode | None:
        if current.practice.pk == pk:
            return current
        for child in current.children:
            found = find(child)
            if found is not None:
                return found
        return None

    start = find(node)
    out: list[Practice] = []
    stack = [start] if start else []
    while stack:
        current = stack.pop()
        out.append(current.practice)
        stack.extend(current.children)
    return out


@dataclass
class Reach:
    units: list[Unit]  # the units holding the practice, in the tree of the chosen date
    by_kind: list[tuple[UnitKind, int]]  # distinct units reached at each level

    @property
    def total(self) -> int:
        return len(self.units)


def reach(practice: Practice, *, on: dt.date | None = None) -> Reach:
    """Units the practice has reached (itself and its replications), counted in the tree in
    force on `on` (default today): a unit closed by a restructuring counts as its default
    successor, so a ward merged into another is counted once. Four queries."""
    day = on or timezone.localdate()
    members = descendants(replication_tree(practice), practice.pk)
    unit_ids = {m.owner_unit_id for m in members}
    mapping = successor_map(to_date=day, unit_ids=unit_ids)
    carried: set[int] = set()
    for unit_id in unit_ids:
        successors = mapping.get(unit_id) or []
        default = next((s for s in successors if s.is_default), None)
        if default is None and successors:
            default = max(successors, key=lambda s: s.share)
        carried.add(default.unit_id if default else unit_id)
    units = list(Unit.objects.filter(pk__in=carried).select_related("kind"))
    ancestor_ids = {int(part, 36) for u in units for part in u.path.split(PATH_SEPARATOR) if part}
    levels: dict[int, set[int]] = defaultdict(set)
    kinds: dict[int, UnitKind] = {}
    for unit in Unit.objects.filter(pk__in=ancestor_ids).select_related("kind"):
        levels[unit.kind_id].add(unit.pk)
        kinds[unit.kind_id] = unit.kind
    by_kind = sorted(
        ((kinds[k], len(v)) for k, v in levels.items()), key=lambda item: item[0].order
    )
    return Reach(units=sorted(units, key=lambda u: u.path), by_kind=by_kind)


@dataclass
class CoverageRow:
    unit: Unit
    fields: dict[int, int]  # field id -> active practices in the unit's subtree

    def has(self, field_id: int) -> bool:
        return self.fields.get(field_id, 0) > 0


@dataclass
class PracticeCoverage:
    root: Unit
    kind: UnitKind
    fields: list[Field]
    rows: list[CoverageRow]
    stage_counts: dict[tuple[int, str], int]  # (field id, stage) -> practices in the subtree

    def gaps(self, field_id: int) -> list[Unit]:
        return [row.unit for row in self.rows if not row.has(field_id)]

    @property
    def complete(self) -> int:
        return sum(1 for row in self.rows if all(row.has(f.pk) for f in self.fields))

    def covered(self, field_id: int) -> int:
        """How many units have a practice in the field."""
        return sum(1 for row in self.rows if row.has(field_id))

    def gaps_first(self) -> list[CoverageRow]:
        """The units missing the most fields first, then by name."""
        return sorted(
            self.rows,
            key=lambda row: (
                -sum(1 for f in self.fields if not row.has(f.pk)),
                row.unit.name.casefold(),
            ),
        )


def coverage_root(user: Any, unit_id: int | None = None) -> Unit:
    """Fetch-and-check for the coverage page and endpoint alike: the unit asked for (404 outside
    the user's part of the tree), else the user's first unit they may see (a superuser: the
    root in force), else 404."""
    if unit_id is not None:
        return get_unit_for_user(user, unit_id)
    units = units_user_may(user, "org.view_unit")
    if not units:
        raise Http404
    return units[0]


def next_level(root: Unit, *, on: dt.date | None = None) -> UnitKind | None:
    """The kind of the units directly below `root` (the highest level, if they differ)."""
    day = on or timezone.localdate()
    child = (
        Unit.objects.filter(parent=root)
        .valid_on(day)
        .select_related("kind")
        .order_by("kind__order")
        .first()
    )
    return child.kind if child is not None else None


def coverage(
    root: Unit, *, kind: UnitKind, fields: list[Field] | None = None, on: dt.date | None = None
) -> PracticeCoverage:
    """For every unit of `kind` below `root` in force on `on`: active practices per field in its
    subtree ("every residential group has a model"). Four queries, whatever the size."""
    day = on or timezone.localdate()
    fields = fields if fields is not None else list(Field.objects.all())
    units = list(
        Unit.objects.filter(path__startswith=root.path, kind=kind)
        .valid_on(day)
        .select_related("parent")
        .order_by("path")
    )
    practices = list(
        Practice.objects.filter(is_active=True)
        .filter(Q(owner_unit__path__startswith=root.path) | Q(owner_unit__valid_to__lt=day))
        .values_list(
            "owner_unit_id", "owner_unit__path", "owner_unit__valid_to", "field_id", "stage"
        )
    )
    # A practice of a unit closed since then counts for the unit that carries it on `day`.
    closed = {pk for pk, _path, valid_to, *_rest in practices if valid_to and valid_to < day}
    carried_path: dict[int, str] = {}
    if closed:
        mapping = successor_map(to_date=day, unit_ids=closed)
        defaults = {
            pk: next((s.unit_id for s in succ if s.is_default), succ[0].unit_id)
            for pk, succ in mapping.items()
            if succ
        }
        paths = dict(Unit.objects.filter(pk__in=defaults.values()).values_list("id", "path"))
        carried_path = {pk: paths[target] for pk, target in defaults.items()}
    practices = [
        (carried_path.get(pk, path), field_id, stage)
        for pk, path, _valid_to, field_id, stage in practices
    ]
    practices = [row for row in practices if row[0].startswith(root.path)]
    by_path = {unit.path: CoverageRow(unit=unit, fields={}) for unit in units}
    stage_counts: dict[tuple[int, str], int] = defaultdict(int)
    for path, field_id, stage in practices:
        stage_counts[(field_id, stage)] += 1
        # credit the unit of `kind` that contains (or is) the practice's unit
        prefix = ""
        for part in path.split(PATH_SEPARATOR)[:-1]:
            prefix += part + PATH_SEPARATOR
            row = by_path.get(prefix)
            if row is not None:
                row.fields[field_id] = row.fields.get(field_id, 0) + 1
                break
    return PracticeCoverage(
        root=root,
        kind=kind,
        fields=fields,
        rows=list(by_path.values()),
        stage_counts=dict(stage_counts),
    )


def stage_index(stage: str) -> int:
    return STAGE_ORDER.index(stage)


# --- private files (served by core:file) ----------------------------------------------------


def stage_evidence_file_for_user(user: Any, pk: int) -> Served:
    """The evidence of a stage change, for whoever may open the practice's page."""
    change = StageChange.objects.filter(pk=pk).first()
    if change is None or not change.evidence:
        raise Http404
    get_practice_for_user(user, change.practice_id)
    return Served(change.evidence, change.evidence_name or _("evidence"))


def exemplar_photo_for_user(user: Any, pk: int) -> Served:
    """An exemplar's photo: published with the exemplar once it is verified; before that, only
    for whoever may see the exemplar."""
    exemplar = public_exemplars().filter(pk=pk).first() or get_exemplar_for_user(user, pk)
    if not exemplar.photo:
        raise Http404
    return Served(exemplar.photo, _("photo"))
