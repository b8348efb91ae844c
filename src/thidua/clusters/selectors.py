"""Reads of the clusters: fetch-and-check for pages and the API, members through restructurings,
the effective scores of a sheet and the review's ranking."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from thidua.clusters.models import (
    REVIEW_STEPS,
    Cluster,
    Criterion,
    Evidence,
    Pledge,
    Review,
    ReviewChain,
    ScoreEntry,
    ScoreSheet,
    ScoreTable,
    Step,
    Term,
)
from thidua.core.policy import RULES, can, grants_in_force, scope_filter
from thidua.core.uploads import Served, download_name
from thidua.org.models import Unit
from thidua.org.selectors import successor_map

UNIT_JOINS = ("unit", "unit__kind", "unit__parent")
# the score that counts: the most advanced step's, down to the member's own
STEP_RANK = {step: n for n, step in enumerate([Step.SELF_ASSESSING, *REVIEW_STEPS])}


def _own_unit_paths(user: Any, action: str) -> list[str]:
    """Units where the user holds a role allowed `action` (not their subtrees)."""
    if not getattr(user, "is_authenticated", False):
        return []

    roles = RULES[action]
    return [g.unit.path for g in grants_in_force(user, timezone.localdate()) if g.role in roles]


def visible_clusters(user: Any) -> QuerySet[Cluster]:
    """Clusters organised in the user's subtree, and those the user's units belong to."""
    member_paths = _own_unit_paths(user, "clusters.self_assess")
    condition = scope_filter(user, "clusters.view", "owner_unit__path")
    if member_paths:
        condition |= Q(memberships__unit__path__in=member_paths)
    return (
        Cluster.objects.filter(condition)
        .distinct()
        .select_related("owner_unit", "owner_unit__kind", "owner_unit__parent")
        .order_by("name", "pk")
    )


def get_cluster_for_user(user: Any, pk: int) -> Cluster:
    cluster = visible_clusters(user).filter(pk=pk).first()
    if cluster is None:
        raise Http404
    return cluster


def visible_sheets(user: Any) -> QuerySet[ScoreSheet]:
    """Sheets of reviews the user oversees, the sheets of the user's own units and the sheets
    the user's units score as peers."""
    member_paths = _own_unit_paths(user, "clusters.self_assess")
    condition = scope_filter(user, "clusters.view", "review__cluster__owner_unit__path")
    if member_paths:
        condition |= Q(unit__path__in=member_paths)
        condition |= Q(peers__scorer__unit__path__in=member_paths)
    return (
        ScoreSheet.objects.filter(condition)
        .distinct()
        .select_related(*UNIT_JOINS, "review", "review__cluster", "review__cluster__owner_unit")
        .order_by("review__year", "review__cluster__name", "unit__name", "pk")
    )


def get_sheet_for_user(user: Any, pk: int) -> ScoreSheet:
    sheet = visible_sheets(user).filter(pk=pk).first()
    if sheet is None:
        raise Http404
    return sheet


# the states of a sheet between its submission and the publication of its review
IN_REVIEW = (Step.SUBMITTED, Step.PEER_SCORING, *REVIEW_STEPS)


def sheets_in_review(owner_unit: Unit) -> QuerySet[ScoreSheet]:
    """Sheets of the organising unit's unpublished reviews that are past their submission: they
    follow the unit's chain, so the chain cannot change under them."""
    return ScoreSheet.objects.filter(
        review__cluster__owner_unit=owner_unit,
        review__published_at__isnull=True,
        status__in=IN_REVIEW,
    )


def chain_is_set(owner_unit: Unit) -> bool:
    return ReviewChain.objects.filter(owner_unit=owner_unit).exists()


def get_chain_unit_for_user(user: Any, pk: int) -> Unit:
    """An organising unit in force whose review chain the user may see (404 otherwise)."""
    unit = Unit.objects.filter(pk=pk, valid_to__isnull=True).select_related("kind").first()
    if unit is None or not can(user, "clusters.view", unit):
        raise Http404
    return unit


def get_review_for_user(user: Any, pk: int) -> Review:
    review = (
        Review.objects.filter(cluster__in=visible_clusters(user), pk=pk)
        .select_related("cluster", "cluster__owner_unit", "table")
        .first()
    )
    if review is None:
        raise Http404
    return review


def evidence_file_for_user(user: Any, pk: int) -> Served:
    evidence = Evidence.objects.filter(pk=pk).first()
    if evidence is None:
        raise Http404
    get_sheet_for_user(user, evidence.sheet_id)
    return Served(file=evidence.file, name=download_name(evidence.name, evidence.file.name))


def current_members(cluster: Cluster, *, on: dt.date | None = None) -> list[Unit]:
    """The members on a day. A member unit closed by a restructuring is carried by its
    successor(s) in force on the day (the lineage), so the cluster survives a merger."""
    day = on or timezone.localdate()
    rows = list(
        cluster.memberships.filter(joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .select_related("unit")
    )
    closed = [m.unit_id for m in rows if m.unit.valid_to is not None and m.unit.valid_to < day]
    ids: list[int] = [m.unit_id for m in rows if m.unit_id not in closed]
    if closed:
        carried = successor_map(to_date=day, unit_ids=closed)
        for unit_id in closed:
            for successor in carried.get(unit_id, []):
                if successor.is_default or len(carried[unit_id]) == 1:
                    ids.append(successor.unit_id)
    units = Unit.objects.filter(pk__in=set(ids)).select_related("kind", "parent")
    return sorted(units, key=lambda u: (u.name, u.pk))


def leaves(table: ScoreTable) -> list[Criterion]:
    """The scored criteria of a table: those without sub-criteria, in order."""
    criteria = list(table.criteria.select_related("group").order_by("group__order", "order", "pk"))
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


def _latest(entries: list[ScoreEntry]) -> dict[tuple[int, str], ScoreEntry]:
    latest: dict[tuple[int, str], ScoreEntry] = {}
    for entry in entries:  # ordered by time
        latest[(entry.criterion_id, entry.step)] = entry
    return latest


def effective_scores(sheet: ScoreSheet, entries: list[ScoreEntry] | None = None) -> dict:
    """criterion id → the points that count now: the most advanced step's latest entry."""
    if entries is None:
        entries = list(sheet.entries.exclude(step=Step.PEER_SCORING).order_by("at", "pk"))
    best: dict[int, tuple[int, Decimal]] = {}
    for (criterion_id, step), entry in _latest(entries).items():
        rank = STEP_RANK.get(step)
        if rank is None:
            continue
        if criterion_id not in best or rank >= best[criterion_id][0]:
            best[criterion_id] = (rank, entry.points)
    return {cid: points for cid, (_rank, points) in best.items()}


@dataclass
class SheetScores:
    sheet: ScoreSheet
    self_scores: dict[int, Decimal] = field(default_factory=dict)
    final: dict[int, Decimal] = field(default_factory=dict)
    peer: dict[int, Decimal] = field(default_factory=dict)  # the peers' average
    history: dict[int, list[ScoreEntry]] = field(default_factory=dict)

    def total(self, scores: dict[int, Decimal]) -> Decimal:
        return sum(scores.values(), Decimal(0))

    @property
    def final_total(self) -> Decimal:
        return self.total(self.final)

    @property
    def self_total(self) -> Decimal:
        return self.total(self.self_scores)

    @property
    def peer_total(self) -> Decimal | None:
        return self.total(self.peer) if self.peer else None


def sheet_scores(sheets: list[ScoreSheet]) -> dict[int, SheetScores]:
    """Self, peer and final scores of sheets, with each criterion's history. One query."""
    entries = list(
        ScoreEntry.objects.filter(sheet__in=sheets)
        .select_related("author", "scorer_unit")
        .order_by("at", "pk")
    )
    by_sheet: dict[int, list[ScoreEntry]] = defaultdict(list)
    for entry in entries:
        by_sheet[entry.sheet_id].append(entry)
    result = {}
    for sheet in sheets:
        own = by_sheet.get(sheet.pk, [])
        scores = SheetScores(sheet=sheet)
        reviewed = [e for e in own if e.step != Step.PEER_SCORING]
        scores.final = effective_scores(sheet, reviewed)
        scores.self_scores = effective_scores(
            sheet, [e for e in own if e.step == Step.SELF_ASSESSING]
        )
        peer_latest: dict[tuple[int, int | None], Decimal] = {}
        for entry in own:
            if entry.step == Step.PEER_SCORING:
                peer_latest[(entry.criterion_id, entry.scorer_unit_id)] = entry.points
        sums: dict[int, list[Decimal]] = defaultdict(list)
        for (criterion_id, _scorer), points in peer_latest.items():
            sums[criterion_id].append(points)
        scores.peer = {
            cid: (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))
            for cid, values in sums.items()
        }
        for entry in own:
            scores.history.setdefault(entry.criterion_id, []).append(entry)
        result[sheet.pk] = scores
    return result


def group_totals(table_leaves: list[Criterion], scores: dict[int, Decimal]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for criterion in table_leaves:
        code = criterion.group.code
        totals[code] = totals.get(code, Decimal(0)) + scores.get(criterion.pk, Decimal(0))
    return totals


def review_sheets(review: Review) -> list[ScoreSheet]:
    return list(review.sheets.select_related(*UNIT_JOINS, "table").order_by("unit__name", "pk"))


def term_of(cluster: Cluster, year: int) -> Term | None:
    return (
        cluster.terms.filter(year=year)
        .select_related("head", "deputy", "head__kind", "head__parent")
        .first()
    )


def pledge_of(cluster: Cluster, year: int) -> Pledge | None:
    return cluster.pledges.filter(year=year).prefetch_related("targets__unit").first()


# --- public ---------------------------------------------------------------------------------


def public_reviews() -> QuerySet[Review]:
    """Published reviews, newest first."""
    return (
        Review.objects.filter(published_at__isnull=False)
        .select_related("cluster", "cluster__owner_unit")
        .order_by("-year", "cluster__name", "pk")
    )


def get_public_review(pk: int) -> Review:
    review = public_reviews().filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def ranking_rows(review: Review) -> QuerySet:
    return review.ranking.select_related(
        "unit", "unit__kind", "unit__parent", "nomination"
    ).order_by("position", "pk")
