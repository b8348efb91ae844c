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

The package: `solver` (arrays), `similarity` (texts), `context` (the Django layer).
"""

from thidua.initiatives.assignment.context import (
    ASSIGNER_METHODS,
    EXPERIENCE_CAP,
    EXPERIENCE_POINTS,
    FIELD_POINTS,
    OPTIMAL_ASSIGNERS,
    PREFERENCE_POINTS,
    SIMILARITY_POINTS,
    Context,
    build_context,
    optimal_assignment,
    plan_for_call,
)
from thidua.initiatives.assignment.similarity import (
    text_similarity,
)
from thidua.initiatives.assignment.solver import (
    CHUNK,
    DENSE_LIMIT,
    Infeasible,
    Instance,
    Plan,
    diagnose,
    exchange_prices,
    greedy,
    lagrangian_bound,
    solve_fair,
    solve_optimal,
    worst_off_ceiling,
)

__all__ = [
    "DENSE_LIMIT",
    "CHUNK",
    "Infeasible",
    "Instance",
    "Plan",
    "exchange_prices",
    "lagrangian_bound",
    "solve_optimal",
    "worst_off_ceiling",
    "solve_fair",
    "greedy",
    "diagnose",
    "text_similarity",
    "FIELD_POINTS",
    "EXPERIENCE_POINTS",
    "EXPERIENCE_CAP",
    "SIMILARITY_POINTS",
    "PREFERENCE_POINTS",
    "Context",
    "build_context",
    "plan_for_call",
    "optimal_assignment",
    "ASSIGNER_METHODS",
    "OPTIMAL_ASSIGNERS",
]
