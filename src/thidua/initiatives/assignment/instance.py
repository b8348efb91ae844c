"""An assignment instance on plain arrays, the plan solving it, and the infeasibility error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


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
