"""Optimal conflict-free reviewer assignment for a call's council.

Two layers, so the solver can be tested and benchmarked on plain arrays:

- the array layer: an `Instance` (affinity and eligibility matrices, reviews still needed per
  submission, load bounds per reviewer, optionally who counts as "from outside the district") is
  solved by `solve_optimal` (maximum total affinity), `solve_fair` (the least-matched pair as
  good as possible, then maximum total) or `greedy` (the baseline). An infeasible instance
  raises `Infeasible` naming the binding constraint.
- the Django layer: `build_context(call, …)` loads a call's submissions and council in a bounded
  number of queries and turns expertise, past reviews, text similarity and declared preferences
  into affinities; `optimal_assignment(call, …)` returns `[(submission, member, explanation)]`, the
  seam `services.auto_assign` applies through `services.assign`.

Why a min-cost flow is exact here: with k reviews per submission, load bounds per reviewer and
0/1 pairs, the problem is a transportation problem whose constraint matrix is totally unimodular,
so the integer optimum equals the LP optimum and a min-cost flow finds it. "At least one reviewer
from outside the district" keeps it a flow: each submission that needs an outsider gets a second
node through which only its outside reviewers are reached, with a lower bound of 1 on the arc
into it (a laminar constraint, still totally unimodular).

Fairness: the worst-off match of a plan is the affinity of the least-matched new reviewer of any
submission. "Every new pair reaches at least t" is a flow (only such pairs are arcs), so a
bisection on t with flows finds the best worst-off match exactly and proves it (no plan reaches
the next level), then a flow over the pairs at that level gives the best total. (The worst-off
*sum* of a submission's reviewers is not a flow — a lower bound on a weighted sum per submission
— and its max-min is NP-hard; the earlier CP-SAT formulation of it did not scale and could not
prove it: see `benchmarks/README.md`.) Each plan names the guarantees it carries (`Plan`).

Large instances are solved by column generation: a flow over candidate pairs (each submission's
best reviewers and outsiders, plus an "overflow" reviewer that keeps the restricted problem
feasible), reviewer prices `v` read off the plan's exchange graph (difference constraints,
Bellman-Ford on m nodes), every pair that prices out added, until none does. The Lagrangian
bound with those prices, computed over every eligible pair, then equals the plan's total: it is
the LP optimum (weak duality gives ≥, the plan gives ≤), so the plan is certified optimal. When
it cannot conclude, the dense flow decides.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.graph.python import max_flow, min_cost_flow

# Affinity points of each component (affinities are integers: solvers work on integer costs).
FIELD_POINTS = 100  # the member has the submission's field among their expertise
EXPERIENCE_POINTS = 10  # per past review in the submission's field, up to EXPERIENCE_CAP
EXPERIENCE_CAP = 5
SIMILARITY_POINTS = 100  # times the TF-IDF cosine with the member's past reviewed texts
PREFERENCE_POINTS = 50  # times a declared preference in [-1, 1]
DENSE_LIMIT = 2_000_000  # eligible pairs up to which the flow is solved on the full matrix
CHUNK = 2048  # rows per block when scanning dense matrices


# --- the array layer --------------------------------------------------------------------------


class Infeasible(Exception):  # noqa: N818 - the instance is infeasible; `code` says why
    """No plan meets every constraint. `code` names the binding constraint, `data` the numbers
    (indices into the instance); the Django layer turns them into a translated sentence."""

    def __init__(self, code: str, **data: Any) -> None:
        super().__init__(code)
        self.code = code
        self.data = data


@dataclass
class Instance:
    """What is left to assign. n submissions × m reviewers.

    affinity: (n, m) integers, higher is better; eligible: (n, m) booleans (False for a conflict
    or a reviewer already assigned); need: (n,) reviews still to make; max_load / min_load: (m,)
    remaining bounds; outside: (n, m) reviewer r is from outside submission s's district;
    need_outside: (n,) s still needs an outside reviewer; base: (n,) affinity of the reviewers
    already assigned (`Plan.per_submission` adds it)."""

    affinity: np.ndarray
    eligible: np.ndarray
    need: np.ndarray
    max_load: np.ndarray
    min_load: np.ndarray | None = None
    outside: np.ndarray | None = None
    need_outside: np.ndarray | None = None
    base: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.affinity = np.asarray(self.affinity, dtype=np.int64)
        self.eligible = np.asarray(self.eligible, dtype=bool)
        n, m = self.eligible.shape
        self.need = np.asarray(self.need, dtype=np.int64).reshape(n)
        self.max_load = np.asarray(self.max_load, dtype=np.int64).reshape(m)
        self.min_load = (
            np.zeros(m, np.int64)
            if self.min_load is None
            else np.asarray(self.min_load, dtype=np.int64).reshape(m)
        )
        if self.outside is None or self.need_outside is None:
            self.outside = None
            self.need_outside = np.zeros(n, bool)
        else:
            self.outside = np.asarray(self.outside, dtype=bool)
            self.need_outside = np.asarray(self.need_outside, dtype=bool) & (self.need > 0)
        self.base = np.zeros(n, np.int64) if self.base is None else np.asarray(self.base, np.int64)

    @property
    def n(self) -> int:
        return self.eligible.shape[0]

    @property
    def m(self) -> int:
        return self.eligible.shape[1]

    def without_outside(self) -> Instance:
        return Instance(
            self.affinity, self.eligible, self.need, self.max_load, self.min_load, base=self.base
        )


@dataclass
class Plan:
    """New pairs (submission index, reviewer index) and what is proven about their quality.

    Each guarantee is named and carried only when it was proven:

    - `total_optimal`: no plan meeting every constraint has a larger total affinity;
      `total_bound`: a proven upper bound on the total of any plan (the LP optimum, which a
      flow plan reaches, when certified by reviewer prices over every pair);
    - `worst_off_optimal`: no plan has a better worst-off match (`worst_off`: the least-matched
      new reviewer of any submission) — the max-min; `worst_off_bound`: a proven upper bound
      on the worst-off match of any plan;
    - `total_optimal_at_worst_off`: among plans whose worst-off match is at least this one's,
      none has a larger total (the fair variant's tie-break).

    `objective` says which the plan was built for: "total" (optimal) or "fair"."""

    submissions: np.ndarray
    reviewers: np.ndarray
    total: int
    method: str
    objective: str = "total"
    total_optimal: bool = False
    total_bound: int | None = None
    worst_off_optimal: bool = False
    worst_off_bound: int | None = None
    total_optimal_at_worst_off: bool = False
    complete: bool = True  # False only for a greedy plan that left reviews unassigned

    @property
    def upper_bound(self) -> int | None:
        """The certified LP optimum of the total (the name before the guarantees were split)."""
        return self.total_bound

    @property
    def proven_optimal(self) -> bool:
        """Optimal for its own objective: the total; or for "fair", the worst-off match and
        then the total among plans whose worst-off match is as good."""
        if self.objective == "fair":
            return self.worst_off_optimal and self.total_optimal_at_worst_off
        return self.total_optimal

    def guarantees(self) -> list[str]:
        """The names of the guarantees this plan carries (for reports and tests)."""
        names = ["total_optimal", "worst_off_optimal", "total_optimal_at_worst_off"]
        return [name for name in names if getattr(self, name)]

    def per_submission(self, instance: Instance) -> np.ndarray:
        """Affinity of each submission's reviewers, those already assigned included."""
        gained = np.bincount(
            self.submissions,
            weights=instance.affinity[self.submissions, self.reviewers],
            minlength=instance.n,
        )
        return instance.base + gained.astype(np.int64)

    def worst_off(self, instance: Instance) -> int | None:
        """The worst-off match: the affinity of the least-matched new reviewer of any
        submission (what the fair variant maximises); None when nothing is assigned."""
        if not len(self.submissions):
            return None
        return int(instance.affinity[self.submissions, self.reviewers].min())

    def total_gap(self) -> int | None:
        """How far the total may be below the best total of any plan (0: optimal)."""
        return None if self.total_bound is None else self.total_bound - self.total

    def worst_off_gap(self, instance: Instance) -> int | None:
        """How far the worst-off match may be below the best possible (0: optimal)."""
        worst = self.worst_off(instance)
        if worst is None or self.worst_off_bound is None:
            return None
        return self.worst_off_bound - worst

    def loads(self, m: int) -> np.ndarray:
        return np.bincount(self.reviewers, minlength=m)


def _make_plan(instance: Instance, s: np.ndarray, r: np.ndarray, **kwargs: Any) -> Plan:
    order = np.lexsort((r, s))
    s, r = s[order].astype(np.int64), r[order].astype(np.int64)
    return Plan(s, r, int(instance.affinity[s, r].sum()), **kwargs)


def _flow(
    instance: Instance,
    ss: np.ndarray,
    rr: np.ndarray,
    overflow: int | None = None,
    gains: np.ndarray | None = None,
) -> np.ndarray | None:
    """Min-cost flow over the candidate pairs (ss, rr): which pairs are chosen, or None when no
    plan exists on these pairs. Nodes: submissions 0..n-1, their "outsider" nodes n..2n-1,
    reviewers 2n..2n+m-1, the sink 2n+m. Lower bounds (min load, one outsider) become supplies.
    The arcs to the `overflow` reviewer (see `_with_overflow`) carry a submission's whole need.
    `gains`: what each pair is worth to the flow (default: its affinity)."""
    n, m = instance.n, instance.m
    low, cap, need = instance.min_load, instance.max_load, instance.need
    if np.any(cap < low):
        return None
    via_outsider = instance.need_outside[ss]
    if instance.outside is not None:
        via_outsider &= instance.outside[ss, rr]
    graph = min_cost_flow.SimpleMinCostFlow()
    tails = np.where(via_outsider, n + ss, ss).astype(np.int32)
    arcs = graph.add_arcs_with_capacity_and_unit_cost(
        tails,
        (2 * n + rr).astype(np.int32),
        np.where(rr == overflow, need[ss], 1) if overflow is not None else np.ones(len(ss), int),
        -(instance.affinity[ss, rr] if gains is None else gains),
    )
    outsiders = np.flatnonzero(instance.need_outside)
    if outsiders.size:
        graph.add_arcs_with_capacity_and_unit_cost(
            outsiders.astype(np.int32),
            (n + outsiders).astype(np.int32),
            need[outsiders] - 1,
            np.zeros(outsiders.size, np.int64),
        )
    sink = 2 * n + m
    graph.add_arcs_with_capacity_and_unit_cost(
        np.arange(2 * n, 2 * n + m, dtype=np.int32),
        np.full(m, sink, np.int32),
        cap - low,
        np.zeros(m, np.int64),
    )
    supply = np.zeros(sink + 1, np.int64)
    supply[:n] = need
    supply[outsiders] -= 1
    supply[n + outsiders] += 1
    supply[2 * n : 2 * n + m] -= low
    supply[sink] = low.sum() - need.sum()
    graph.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supply)
    if graph.solve() != graph.OPTIMAL:
        return None
    return graph.flows(arcs) > 0


def _candidates(instance: Instance, per_submission: int) -> np.ndarray:
    """A sparse first set of pairs: each submission's best reviewers and best outsiders, and,
    when reviewers have minimum loads, each reviewer's best submissions."""
    n, m = instance.n, instance.m
    keep = np.zeros((n, m), bool)
    take = min(m, per_submission)
    for start in range(0, n, CHUNK):
        rows = slice(start, min(n, start + CHUNK))
        score = np.where(instance.eligible[rows], instance.affinity[rows], -np.inf)
        best = np.argpartition(-score, take - 1, axis=1)[:, :take]
        np.put_along_axis(keep[rows], best, True, axis=1)
        if instance.outside is not None:
            out = np.where(instance.outside[rows], score, -np.inf)
            best_out = np.argpartition(-out, min(m, 2) - 1, axis=1)[:, : min(m, 2)]
            np.put_along_axis(keep[rows], best_out, True, axis=1)
    if instance.min_load.any():
        per_reviewer = min(n, 2 * int(instance.min_load.max()) + per_submission)
        score = np.where(instance.eligible, instance.affinity, -np.inf)
        best = np.argpartition(-score, per_reviewer - 1, axis=0)[:per_reviewer]
        np.put_along_axis(keep, best, True, axis=0)
    return keep & instance.eligible & (instance.need > 0)[:, None]


def exchange_prices(
    instance: Instance, s: np.ndarray, r: np.ndarray, pairs: np.ndarray | None = None
) -> np.ndarray | None:
    """Reviewer prices v under which the plan (s, r) is optimal over `pairs` (default: every
    eligible pair), or None when there are none (the plan can be improved).

    The plan is optimal iff prices exist such that (a) no single swap of a reviewer a for r' pays
    for any submission: v_a − v_r' ≤ A[s, a] − A[s, r'] (for the set of a submission's reviewers
    this is enough: the sets allowed form the bases of a matroid); and (b) v_r > 0 only for a
    reviewer at the maximum load, v_r < 0 only at the minimum. These are difference constraints
    on m+1 nodes (node m is zero), solved by Bellman-Ford; a negative cycle means no prices."""
    n, m = instance.n, instance.m
    pairs = instance.eligible if pairs is None else pairs
    chosen = np.zeros((n, m), bool)
    chosen[s, r] = True
    load = np.bincount(r, minlength=m)
    weights = np.full((m + 1, m + 1), np.inf)
    outsiders_held = None
    if instance.outside is not None:
        outsiders_held = np.bincount(s, weights=instance.outside[s, r], minlength=n)
    by_reviewer = np.argsort(r, kind="stable")
    bounds = np.searchsorted(r[by_reviewer], np.arange(m + 1))
    for a in range(m):
        rows = s[by_reviewer[bounds[a] : bounds[a + 1]]]
        if rows.size == 0:
            continue
        swap = (instance.affinity[rows, a][:, None] - instance.affinity[rows]).astype(float)
        allowed = pairs[rows] & ~chosen[rows]
        if outsiders_held is not None:
            # Swapping the only outsider for an insider would break the outsider requirement.
            last_outsider = (
                instance.need_outside[rows]
                & instance.outside[rows, a]
                & (outsiders_held[rows] == 1)
            )
            allowed &= ~(last_outsider[:, None] & ~instance.outside[rows])
        weights[:m, a] = np.where(allowed, swap, np.inf).min(axis=0)
    zero = m
    weights[zero, :m][load < instance.max_load] = 0.0
    weights[:m, zero][load > instance.min_load] = 0.0
    np.fill_diagonal(weights, 0.0)
    distance = np.zeros(m + 1)
    for _round in range(m + 2):
        relaxed = np.minimum(distance, (distance[:, None] + weights).min(axis=0))
        if np.array_equal(relaxed, distance):
            return distance[:m] - distance[zero]
        distance = relaxed
    return None


def _best_sets(instance: Instance, prices: np.ndarray, rows: slice) -> np.ndarray:
    """For each submission in `rows`: the best value of Σ (A − v) over the reviewer sets it may
    get (its need, at least one outsider when required), over every eligible pair."""
    need = instance.need[rows]
    best = np.zeros(need.size)
    value = np.where(instance.eligible[rows], instance.affinity[rows] - prices, -np.inf)
    for k in np.unique(need[need > 0]):
        plain = np.flatnonzero((need == k) & ~instance.need_outside[rows])
        if plain.size:
            best[plain] = (-np.partition(-value[plain], k - 1, axis=1)[:, :k]).sum(axis=1)
        with_outsider = np.flatnonzero((need == k) & instance.need_outside[rows])
        if with_outsider.size:
            block = value[with_outsider]
            out = np.where(instance.outside[rows][with_outsider], block, -np.inf)
            top = out.argmax(axis=1)
            best[with_outsider] = out[np.arange(top.size), top]
            if k > 1:
                block[np.arange(top.size), top] = -np.inf
                best[with_outsider] += (-np.partition(-block, k - 2, axis=1)[:, : k - 1]).sum(1)
    return best


def lagrangian_bound(instance: Instance, prices: np.ndarray) -> float:
    """An upper bound on the total affinity of any plan (the LP dual with reviewer prices v):
    Σ_s best allowed set under A − v, plus Σ_r max·v⁺ − min·v⁻. Computed over every eligible
    pair, independently of any solver; it equals the optimum at the right prices."""
    prices = np.asarray(prices, float)
    total = sum(
        _best_sets(instance, prices, slice(start, min(instance.n, start + CHUNK))).sum()
        for start in range(0, instance.n, CHUNK)
    )
    total += float((instance.max_load * np.maximum(prices, 0)).sum())
    total -= float((instance.min_load * np.maximum(-prices, 0)).sum())
    return float(total)


def _certify(instance: Instance, s: np.ndarray, r: np.ndarray) -> int | None:
    prices = exchange_prices(instance, s, r)
    if prices is None:
        return None
    bound = lagrangian_bound(instance, prices)
    total = int(instance.affinity[s, r].sum())
    return total if math.isfinite(bound) and abs(bound - total) < 0.5 else None


def _price_out(instance: Instance, s: np.ndarray, r: np.ndarray, prices: np.ndarray) -> np.ndarray:
    """Pairs that could improve the plan at these prices: for every submission whose best set
    under A − v beats its current reviewers, its best 2·need + 4 reviewers and best outsider."""
    n, m = instance.n, instance.m
    held = np.bincount(s, weights=instance.affinity[s, r] - prices[r], minlength=n)
    add = np.zeros((n, m), bool)
    for start in range(0, n, CHUNK):
        rows = slice(start, min(n, start + CHUNK))
        gaining = np.flatnonzero(_best_sets(instance, prices, rows) > held[rows] + 1e-6)
        if gaining.size == 0:
            continue
        value = np.where(
            instance.eligible[rows][gaining], instance.affinity[rows][gaining] - prices, -np.inf
        )
        take = min(m, 2 * int(instance.need.max()) + 4)
        top = np.argpartition(-value, take - 1, axis=1)[:, :take]
        block = np.zeros((gaining.size, m), bool)
        np.put_along_axis(block, top, True, axis=1)
        if instance.outside is not None:
            out = np.where(instance.outside[rows][gaining], value, -np.inf)
            block[np.arange(gaining.size), out.argmax(axis=1)] = True
        add[start + gaining] = block
    return add & instance.eligible


def _with_overflow(instance: Instance) -> Instance:
    """The instance plus an "overflow" reviewer: eligible for every submission, unlimited, an
    outsider, and so costly that an optimal plan uses it only when no plan without it exists:
    freeing one overflow unit follows an augmenting path through at most min(n, m) reviewers,
    which changes the total by less than M. Restricted problems stay feasible."""
    n = instance.n
    spread = int(instance.affinity.max(initial=0)) - int(instance.affinity.min(initial=0))
    penalty = (spread + 1) * (min(n, instance.m) + 1)
    column = (instance.need > 0)[:, None]
    return Instance(
        affinity=np.hstack([instance.affinity, np.full((n, 1), -penalty, np.int64)]),
        eligible=np.hstack([instance.eligible, column]),
        need=instance.need,
        max_load=np.append(instance.max_load, instance.need.sum()),
        min_load=np.append(instance.min_load, 0),
        outside=None if instance.outside is None else np.hstack([instance.outside, column]),
        need_outside=None if instance.outside is None else instance.need_outside,
        base=instance.base,
    )


def _column_generation(instance: Instance) -> Plan | None:
    """A flow over candidate pairs (plus the overflow reviewer), reviewer prices from its
    exchange graph, every pair that prices out added, until none does; the prices then certify
    the plan optimal over every pair. None when it cannot conclude (the dense flow decides)."""
    m = instance.m
    current = _with_overflow(instance)
    keep = np.hstack(
        [_candidates(instance, 4 * int(instance.need.max()) + 8), current.eligible[:, m:]]
    )
    for _round in range(50):
        ss, rr = np.nonzero(keep)
        chosen = _flow(current, ss, rr, overflow=m)
        if chosen is None:  # only minimum loads can make it infeasible
            return None
        s, r = ss[chosen], rr[chosen]
        if current is not instance and not (r == m).any():
            # The overflow is no longer needed: drop it (its huge cost slows the flow down).
            current, keep = instance, keep[:, :m]
        prices = exchange_prices(current, s, r, keep)
        if prices is None:  # cannot happen for an optimal flow; be safe
            return None
        add = _price_out(current, s, r, prices) & ~keep
        if add.any():
            keep |= add
            continue
        if current is not instance:  # the overflow is needed: no plan (the dense flow diagnoses)
            return None
        bound = lagrangian_bound(instance, prices)
        total = int(instance.affinity[s, r].sum())
        if not (math.isfinite(bound) and abs(bound - total) < 0.5):
            return None
        return _make_plan(
            instance,
            s,
            r,
            method="flow (column generation, certified)",
            total_optimal=True,
            total_bound=total,
        )
    return None


def solve_optimal(instance: Instance, *, dense_limit: int = DENSE_LIMIT) -> Plan:
    """The plan of maximum total affinity meeting every constraint (exact), or `Infeasible`.

    Up to `dense_limit` eligible pairs: one min-cost flow over all of them. Above: column
    generation — a flow over candidate pairs, reviewer prices from its exchange graph, every
    pair that prices out added, until none does; the prices then certify the plan optimal over
    all pairs (the Lagrangian bound equals its total). If the candidates admit no plan, the
    dense flow decides."""
    active = instance.eligible & (instance.need > 0)[:, None]
    if instance.need.sum() == 0 and not instance.min_load.any():
        empty = np.zeros(0, np.int64)
        return _make_plan(instance, empty, empty, method="flow", total_optimal=True, total_bound=0)
    if int(active.sum()) > dense_limit:
        plan = _column_generation(instance)
        if plan is not None:
            return plan
    ss, rr = np.nonzero(active)
    chosen = _flow(instance, ss, rr)
    if chosen is None:
        raise diagnose(instance)
    s, r = ss[chosen], rr[chosen]
    # The min-cost flow is exact (the constraint matrix is totally unimodular); the prices
    # certify it independently of the solver.
    return _make_plan(
        instance, s, r, method="flow", total_optimal=True, total_bound=_certify(instance, s, r)
    )


def worst_off_ceiling(instance: Instance) -> int | None:
    """A proven upper bound on the worst-off match of any plan: a submission needing k more
    reviewers has at best its k-th best eligible reviewer as its least-matched one (and, under
    the outsider rule, at best its best outsider); the least of these over the submissions.
    Over every eligible pair, in blocks of rows."""
    active = instance.need > 0
    if not active.any():
        return None
    bound = None
    for start in range(0, instance.n, CHUNK):
        rows = slice(start, min(instance.n, start + CHUNK))
        need = instance.need[rows]
        value = np.where(instance.eligible[rows], instance.affinity[rows], -np.inf)
        ordered = -np.sort(-value, axis=1)
        ceiling = ordered[np.arange(need.size), np.clip(need - 1, 0, instance.m - 1)]
        if instance.outside is not None:
            outsider = np.where(instance.outside[rows], value, -np.inf).max(axis=1)
            ceiling = np.where(instance.need_outside[rows], np.minimum(ceiling, outsider), ceiling)
        ceiling = ceiling[need > 0]
        if ceiling.size:
            least = ceiling.min()
            bound = least if bound is None else min(bound, least)
    return int(bound)


def _reaching(instance: Instance, level: int) -> Instance:
    """The instance with only the pairs of affinity `level` or more left eligible."""
    return replace(instance, eligible=instance.eligible & (instance.affinity >= level))


def _reaches(
    instance: Instance, level: int, keep: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """A plan whose every new pair has an affinity of `level` or more, over the pairs of `keep`
    (default every eligible pair), as (submissions, reviewers); None when there is none. A
    flow: only such pairs are arcs."""
    allowed = instance.eligible & (instance.need > 0)[:, None] & (instance.affinity >= level)
    if keep is not None:
        allowed &= keep
    ss, rr = np.nonzero(allowed)
    chosen = _flow(instance, ss, rr, gains=np.zeros(len(ss), np.int64))
    return None if chosen is None else (ss[chosen], rr[chosen])


def solve_fair(instance: Instance, *, candidates: int | None = None) -> Plan:
    """The fair plan: its worst-off match — the affinity of the least-matched new reviewer of
    any submission — as high as any plan's, then the total as high as possible among plans
    with that worst-off match. Every hard constraint of `solve_optimal` holds; everything it
    claims is proven (`Plan`'s guarantees), at any size.

    "Every new pair reaches at least t" is a flow (only such pairs are arcs), and feasibility
    only shrinks as t grows, so a bisection on t finds the max-min exactly:

    1. `solve_optimal`: feasibility (or the diagnosis), the best total of any plan, and a first
       level (its worst-off match).
    2. The ceiling (`worst_off_ceiling`): no plan does better than the least of the
       submissions' k-th best eligible reviewers.
    3. Bisection between the two over the affinities that occur, each level decided by a flow
       over candidate pairs (each submission's best 2·k + 4 reviewers and best outsiders): the
       work grows with those pairs, not with all n·m. A level reached over candidates is
       reached. The level above the last one reached is then decided over every pair: when no
       plan reaches it, the level is proven optimal; when one does (the candidates were too
       few), its pairs join the candidates and the bisection goes on.
    4. `solve_optimal` over the pairs at that level or above: the best total at the max-min,
       exact (certified by reviewer prices on large instances)."""
    optimal = solve_optimal(instance)
    active = instance.need > 0
    if not active.any():
        return replace(
            optimal, objective="fair", worst_off_optimal=True, total_optimal_at_worst_off=True
        )
    low, high = int(optimal.worst_off(instance)), worst_off_ceiling(instance)
    levels = np.unique(instance.affinity[instance.eligible & active[:, None]])
    keep = _candidates(instance, candidates or 2 * int(instance.need.max()) + 4)
    keep[optimal.submissions, optimal.reviewers] = True
    checks = 0
    while True:
        # Invariant: a plan reaches `low`; none over the pairs of `keep` reaches above `high`.
        inside = levels[(levels > low) & (levels <= high)]
        while inside.size:
            middle = int(inside[(inside.size - 1) // 2])
            if _reaches(instance, middle, keep) is not None:
                low = middle
                inside = inside[inside > middle]
            else:
                high = middle - 1
                inside = inside[inside < middle]
        above = levels[levels > low]
        found = _reaches(instance, int(above[0])) if above.size else None
        checks += 1
        if found is None:
            break  # no plan over every pair reaches the next level: `low` is the max-min
        # The candidates were too few: that plan's pairs join them, the bisection goes on.
        keep[found] = True
        low, high = int(above[0]), worst_off_ceiling(instance)
    plan = solve_optimal(_reaching(instance, low))
    return replace(
        plan,
        method=f"flow (fairness: bisection, {checks} over every pair) + {plan.method}",
        objective="fair",
        total_optimal=plan.total == optimal.total,
        total_bound=optimal.total_bound if optimal.total_bound is not None else optimal.total,
        worst_off_optimal=True,
        worst_off_bound=low,
        total_optimal_at_worst_off=plan.total_optimal,
    )


def greedy(instance: Instance) -> Plan:
    """The baseline: submissions in turn take their best reviewers with capacity left (one
    outsider first when needed). Ignores minimum loads; `complete` is False when it left a
    review unassigned or a submission without the outsider it needs."""
    capacity = instance.max_load.copy()
    pairs_s: list[int] = []
    pairs_r: list[int] = []
    complete = True
    for s in range(instance.n):
        need = int(instance.need[s])
        if need == 0:
            continue
        free = instance.eligible[s] & (capacity > 0)
        score = np.where(free, instance.affinity[s], -np.inf)
        picked: list[int] = []
        if instance.need_outside[s]:
            if (free & instance.outside[s]).any():
                picked.append(int(np.where(instance.outside[s], score, -np.inf).argmax()))
                score[picked[0]] = -np.inf
            else:
                complete = False  # no outsider left for it
        order = np.argsort(-score, kind="stable")[: need - len(picked)]
        picked += [int(r) for r in order if np.isfinite(score[r])]
        complete &= len(picked) == need
        for r in picked:
            capacity[r] -= 1
        pairs_s += [s] * len(picked)
        pairs_r += picked
    return _make_plan(
        instance,
        np.array(pairs_s, int),
        np.array(pairs_r, int),
        method="greedy",
        complete=complete,
    )


def diagnose(instance: Instance) -> Infeasible:
    """Name the binding constraint of an instance the solver found infeasible: the first of the
    simple counting arguments that holds, else the bottleneck cut of a maximum flow."""
    n, m = instance.n, instance.m
    need, cap, low = instance.need, instance.max_load, instance.min_load
    active = instance.eligible & (need > 0)[:, None]
    if m == 0:
        return Infeasible("no_members")
    eligible = active.sum(axis=1)
    short = np.flatnonzero(eligible < need)
    if short.size:
        worst = short[np.argmin(eligible[short] - need[short])]
        return Infeasible(
            "too_few_eligible",
            submission=int(worst),
            eligible=int(eligible[worst]),
            need=int(need[worst]),
            others=[int(s) for s in short if s != worst],
        )
    if instance.outside is not None:
        lonely = np.flatnonzero(instance.need_outside & ~(active & instance.outside).any(axis=1))
        if lonely.size:
            return Infeasible("no_outside", submission=int(lonely[0]))
    if np.any(cap < low):
        return Infeasible("min_above_max", reviewer=int(np.flatnonzero(cap < low)[0]))
    if cap.sum() < need.sum():
        return Infeasible("capacity", capacity=int(cap.sum()), needed=int(need.sum()))
    if low.sum() > need.sum():
        return Infeasible("min_loads_total", total=int(low.sum()), needed=int(need.sum()))
    possible = active.sum(axis=0)
    starved = np.flatnonzero(possible < low)
    if starved.size:
        r = int(starved[0])
        return Infeasible(
            "min_load_reviewer", reviewer=r, possible=int(possible[r]), min_load=int(low[r])
        )
    # Bottleneck: the source side of a minimum cut holds submissions whose eligible reviewers
    # cannot take all their reviews.
    graph = max_flow.SimpleMaxFlow()
    source, sink = n + m, n + m + 1
    ss, rr = np.nonzero(active)
    graph.add_arcs_with_capacity(np.full(n, source, np.int32), np.arange(n, dtype=np.int32), need)
    graph.add_arcs_with_capacity(
        ss.astype(np.int32), (n + rr).astype(np.int32), np.ones(len(ss), np.int64)
    )
    graph.add_arcs_with_capacity(
        np.arange(n, n + m, dtype=np.int32), np.full(m, sink, np.int32), cap
    )
    graph.solve(source, sink)
    if graph.optimal_flow() < need.sum():
        side = np.array(graph.get_source_side_min_cut(), dtype=np.int64)
        stuck = side[side < n]
        reviewers = side[(side >= n) & (side < n + m)] - n
        inside = np.isin(rr, reviewers)
        crossing = int((np.isin(ss, stuck) & ~inside).sum())
        return Infeasible(
            "bottleneck",
            submissions=[int(s) for s in stuck],
            needed=int(need[stuck].sum()),
            possible=int(cap[reviewers].sum()) + crossing,
        )
    if instance.outside is not None and instance.need_outside.any():
        plain = instance.without_outside()
        if _flow(plain, *np.nonzero(active)) is not None:
            return Infeasible("outside")
    return Infeasible("min_loads", min_load=int(low.max(initial=0)))


# --- text similarity -----------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def _terms(text: str) -> list[str]:
    from thidua.org.selectors import normalise_search

    words = [w for w in _WORD.findall(normalise_search(text)) if len(w) > 1]
    # Vietnamese words are often two syllables ("nuoc sach"): syllable pairs carry them.
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


def text_similarity(left: list[str], right: list[str]) -> np.ndarray:
    """TF-IDF cosine between every text of `left` and every text of `right` (diacritics and case
    folded, syllables and syllable pairs). An empty text is similar to nothing."""
    from scipy import sparse

    documents = [_terms(t) for t in left + right]
    vocabulary: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for i, terms in enumerate(documents):
        bag: dict[int, int] = defaultdict(int)
        for term in terms:
            bag[vocabulary.setdefault(term, len(vocabulary))] += 1
        for j, c in bag.items():
            rows.append(i)
            cols.append(j)
            counts.append(c)
    if not vocabulary:
        return np.zeros((len(left), len(right)))
    matrix = sparse.csr_matrix(
        (1.0 + np.log(np.array(counts, float)), (rows, cols)),
        shape=(len(documents), len(vocabulary)),
    )
    df = np.bincount(np.array(cols), minlength=len(vocabulary))
    matrix = matrix @ sparse.diags(np.log((1 + len(documents)) / (1 + df)) + 1.0)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.diags(1.0 / norms) @ matrix
    a, b = matrix[: len(left)], matrix[len(left) :]
    return np.asarray((a @ b.T).todense())


# --- the Django layer -----------------------------------------------------------------------


@dataclass
class Context:
    """A call's instance and what explains it: components of every affinity."""

    call: Any
    submissions: list[Any]
    members: list[Any]
    instance: Instance
    field_match: np.ndarray
    past_in_field: np.ndarray
    similarity: np.ndarray
    preference: np.ndarray
    outside_district: bool
    max_load: int
    min_load: int
    existing: dict[int, set[int]] = field(default_factory=dict)

    def explain(self, s: int, r: int) -> str:
        """Why reviewer r was chosen for submission s, in the active language, ≤ 300 chars."""
        submission = self.submissions[s]
        parts = []
        if self.field_match[s, r]:
            parts.append(_("expertise in %(field)s") % {"field": submission.field.name})
        past = int(self.past_in_field[s, r])
        if past:
            parts.append(
                ngettext(
                    "%(n)s past review in %(field)s",
                    "%(n)s past reviews in %(field)s",
                    past,
                )
                % {"n": past, "field": submission.field.name}
            )
        if self.similarity[s, r] >= 0.05:
            parts.append(
                _("close to initiatives they reviewed before (similarity %(similarity)s)")
                % {"similarity": f"{self.similarity[s, r]:.2f}"}
            )
        if self.preference[s, r] > 0:
            parts.append(_("declared interest"))
        outside = self.instance.outside
        if self.outside_district and outside is not None and outside[s, r]:
            parts.append(_("from outside the applicant's district or commune"))
        if not parts:
            parts.append(_("free capacity (no particular match)"))
        text = _("chosen for: %(reasons)s (affinity %(score)s)") % {
            "reasons": "; ".join(parts),
            "score": int(self.instance.affinity[s, r]),
        }
        return text if len(text) <= 300 else text[:299] + "…"

    def message(self, error: Infeasible) -> str:
        """The translated sentence naming the binding constraint."""
        data = error.data

        def number(s: int) -> str:
            return f"#{self.submissions[s].number}"

        if error.code == "no_members":
            return _("The council has no active member to assign.")
        if error.code == "too_few_eligible":
            return ngettext(
                "Initiative %(number)s has only %(eligible)s eligible reviewer, needs %(need)s "
                "(conflicts of interest and units of origin exclude the others).",
                "Initiative %(number)s has only %(eligible)s eligible reviewers, needs %(need)s "
                "(conflicts of interest and units of origin exclude the others).",
                data["eligible"],
            ) % {"number": number(data["submission"]), **data}
        if error.code == "no_outside":
            return _(
                "Initiative %(number)s has no eligible reviewer from outside its district or "
                "commune."
            ) % {"number": number(data["submission"])}
        if error.code == "min_above_max":
            return _("The minimum load is above the maximum load.")
        if error.code == "capacity":
            return _(
                "Total capacity %(capacity)s < %(needed)s reviews needed: raise the maximum load "
                "per reviewer (now %(max_load)s) or add members."
            ) % {**data, "max_load": self.max_load}
        if error.code == "min_loads_total":
            return (
                _(
                    "The minimum loads add up to %(total)s reviews but only %(needed)s are needed: "
                    "lower the minimum load."
                )
                % data
            )
        if error.code == "min_load_reviewer":
            return _(
                "%(member)s can review only %(possible)s of the initiatives still to assign, "
                "below the minimum load of %(min_load)s."
            ) % {**data, "member": self.members[data["reviewer"]].user}
        if error.code == "bottleneck":
            numbers = ", ".join(number(s) for s in data["submissions"][:12])
            if len(data["submissions"]) > 12:
                numbers += ", …"
            return _(
                "Initiatives %(numbers)s need %(needed)s reviews, but the reviewers eligible for "
                "them can take only %(possible)s more within the maximum load of %(max_load)s."
            ) % {**data, "numbers": numbers, "max_load": self.max_load}
        if error.code == "outside":
            return _(
                "Not every initiative can get a reviewer from outside its district or commune "
                "within the maximum load of %(max_load)s: raise it or drop this requirement."
            ) % {"max_load": self.max_load}
        return _(
            "The minimum load of %(min_load)s per reviewer cannot be met together with the "
            "conflicts of interest: lower it."
        ) % {"min_load": self.min_load}


def _locality_paths(submissions: list[Any]) -> dict[int, str]:
    """Each submission's district (or commune where there is no district): the ancestor-or-self
    of its unit of that kind, by the materialized path. One query."""
    from thidua.org.models import PATH_SEPARATOR, Unit

    prefixes: dict[int, list[str]] = {}
    for submission in submissions:
        parts = submission.unit.path.split(PATH_SEPARATOR)[:-1]
        prefixes[submission.pk] = [
            PATH_SEPARATOR.join(parts[: i + 1]) + PATH_SEPARATOR for i in range(len(parts))
        ]
    kinds = dict(
        Unit.objects.filter(path__in={p for paths in prefixes.values() for p in paths}).values_list(
            "path", "kind__code"
        )
    )
    localities = {}
    for submission in submissions:
        paths = prefixes[submission.pk]
        by_kind = {kinds.get(p): p for p in paths}
        localities[submission.pk] = by_kind.get("district") or by_kind.get("ward") or paths[-1]
    return localities


def build_context(
    call: Any,
    *,
    min_load: int | None = None,
    max_load: int | None = None,
    outside_district: bool = False,
    preferences: dict[tuple[int, int], float] | None = None,
    relatives: list[tuple[int, int]] | None = None,
) -> Context:
    """Load the call (eight queries whatever its size) and build its instance.

    Eligible: an active council member with no declared conflict, not from the applicant's unit
    or a unit above it (`services.conflict_reason`), not a named relative of the applicant
    (`relatives`: (member id, submission id) pairs) and not already assigned. Loads count this
    call's assignments; the default maximum is ⌈n·k / m⌉ + 1 over the members eligible for
    something. `preferences`: {(member id, submission id): value in [-1, 1]}."""
    from thidua.initiatives.models import Assignment, Conflict, Review, Submission
    from thidua.initiatives.services import conflict_reason
    from thidua.shared.models import CouncilMember

    status = Submission.Status
    members = list(
        CouncilMember.objects.filter(council_id=call.council_id, is_active=True)
        .select_related("user", "unit")
        .prefetch_related("expertise")
        .order_by("pk")
    )
    submissions = list(
        Submission.objects.filter(call=call, status__in=[status.SCREENED_IN, status.UNDER_REVIEW])
        .select_related("unit", "field")
        .order_by("number")
    )
    declared = set(
        Conflict.objects.filter(submission__call=call).values_list("member_id", "submission_id")
    )
    declared |= {(int(a), int(b)) for a, b in relatives or []}
    existing: dict[int, set[int]] = defaultdict(set)
    existing_paths: dict[int, list[str | None]] = defaultdict(list)
    load: dict[int, int] = defaultdict(int)
    for submission_id, member_id, path in Assignment.objects.filter(
        submission__call=call
    ).values_list("submission_id", "reviewer_id", "reviewer__unit__path"):
        existing[submission_id].add(member_id)
        existing_paths[submission_id].append(path)
        load[member_id] += 1
    past: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for user_id, field_id, title, summary in (
        Assignment.objects.filter(
            reviewer__user_id__in=[m.user_id for m in members],
            review__status=Review.Status.SUBMITTED,
        )
        .exclude(submission__call=call)
        .values_list(
            "reviewer__user_id", "submission__field_id", "submission__title", "submission__summary"
        )
    ):
        past[user_id].append((field_id, f"{title}\n{summary}"))

    n, m, k = len(submissions), len(members), call.reviews_per_submission
    eligible = np.zeros((n, m), bool)
    field_match = np.zeros((n, m), bool)
    past_in_field = np.zeros((n, m), np.int64)
    preference = np.zeros((n, m))
    expertise = [{f.pk for f in member.expertise.all()} for member in members]
    field_counts = [defaultdict(int) for _member in members]
    for r, member in enumerate(members):
        for field_id, _text in past[member.user_id]:
            field_counts[r][field_id] += 1
    for s, submission in enumerate(submissions):
        for r, member in enumerate(members):
            eligible[s, r] = (
                member.pk not in existing[submission.pk]
                and conflict_reason(member, submission, declared) is None
            )
            field_match[s, r] = submission.field_id in expertise[r]
            past_in_field[s, r] = field_counts[r].get(submission.field_id, 0)
            if preferences:
                preference[s, r] = max(
                    -1.0, min(1.0, preferences.get((member.pk, submission.pk), 0.0))
                )
    similarity = (
        text_similarity(
            [f"{s.title}\n{s.summary}" for s in submissions],
            ["\n".join(text for _f, text in past[member.user_id]) for member in members],
        )
        if n and m
        else np.zeros((n, m))
    )
    affinity = np.rint(
        FIELD_POINTS * field_match
        + EXPERIENCE_POINTS * np.minimum(past_in_field, EXPERIENCE_CAP)
        + SIMILARITY_POINTS * similarity
        + PREFERENCE_POINTS * preference
    ).astype(np.int64)

    need = np.array([max(0, k - len(existing[s.pk])) for s in submissions], np.int64)
    useful = [r for r in range(m) if eligible[:, r].any() or load[members[r].pk]]
    if max_load is None:
        max_load = math.ceil(n * k / max(1, len(useful))) + 1
    min_load = min_load or 0
    current = np.array([load[member.pk] for member in members], np.int64)
    outside = need_outside = None
    if outside_district:
        localities = _locality_paths(submissions)
        outside = np.array(
            [
                [
                    member.unit is None or not member.unit.path.startswith(localities[sub.pk])
                    for member in members
                ]
                for sub in submissions
            ],
            bool,
        ).reshape(n, m)
        need_outside = np.array(
            [
                not any(
                    p is None or not p.startswith(localities[sub.pk])
                    for p in existing_paths[sub.pk]
                )
                for sub in submissions
            ],
            bool,
        )
    base = np.zeros(n, np.int64)
    instance = Instance(
        affinity=affinity,
        eligible=eligible,
        need=need,
        max_load=np.maximum(0, max_load - current),
        min_load=np.maximum(0, min_load - current),
        outside=outside,
        need_outside=need_outside,
        base=base,
    )
    return Context(
        call=call,
        submissions=submissions,
        members=members,
        instance=instance,
        field_match=field_match,
        past_in_field=past_in_field,
        similarity=similarity,
        preference=preference,
        outside_district=outside_district,
        max_load=max_load,
        min_load=min_load,
        existing=existing,
    )


def plan_for_call(call: Any, *, fairness: bool = False, **options: Any) -> tuple[Context, Plan]:
    """The plan and its context (for a preview); a translated ValidationError when infeasible."""
    context = build_context(call, **options)
    try:
        plan = solve_fair(context.instance) if fairness else solve_optimal(context.instance)
    except Infeasible as error:
        raise ValidationError(context.message(error)) from error
    return context, plan


def optimal_assignment(
    call: Any, *, fairness: bool = False, outside_district: bool = False, **options: Any
) -> list[tuple[Any, Any, str]]:
    """The assigner behind `OPTIMAL_ASSIGNERS["optimal"]` (and "fair", "optimal_outside",
    "fair_outside"): every hard constraint met, total affinity maximal (or the worst-off
    submission's affinity first, with `fairness`); each pair explains itself."""
    context, plan = plan_for_call(
        call, fairness=fairness, outside_district=outside_district, **options
    )
    return [
        (context.submissions[s], context.members[r], context.explain(s, r))
        for s, r in zip(plan.submissions.tolist(), plan.reviewers.tolist(), strict=True)
    ]


ASSIGNER_METHODS = {
    "optimal": {},
    "fair": {"fairness": True},
    "optimal_outside": {"outside_district": True},
    "fair_outside": {"fairness": True, "outside_district": True},
}
# The assigners this module offers to `services.auto_assign` (which lists them in its own
# `ASSIGNERS`, beside the simple balanced one): {method: assign(call) -> [(submission, member,
# why)]}
OPTIMAL_ASSIGNERS = {
    name: partial(optimal_assignment, **options) for name, options in ASSIGNER_METHODS.items()
}
