"""Council intelligence at scale: near-duplicates, optimal reviewer assignment and calibration.

    .venv/bin/python benchmarks/review.py [--seed 1] [--skip-large] [--repeat 3]
        [--duplicates 100000] [--skip-datasketch] [--only fair] [--lp-max-min]

The near-duplicate part is `benchmarks/duplicates.py` (its docstring says what it compares), run
here first with `--n` set by `--duplicates` (0 skips it); run that file alone for its options.

No database: the array layer of `thidua.initiatives.assignment` and `.calibration` is driven with
generated instances (Django's settings are loaded only for the translation machinery).

Assignment (submissions × reviewers × reviews per submission): 500 × 40 × 3 and
20,000 × 1,000 × 3. Submissions come from wards of 4 districts; reviewers sit at a ward, a
district or nowhere; a reviewer may not review a submission of their own ward or of a ward of
their district when they sit at the district (the "same unit or above" rule), plus 0.5 % declared
conflicts. Affinity = 100 for the field among the reviewer's expertise + 10 per past review in
the field (up to 5) + 100 × cosine of topic profiles + 60 for a reviewer from the submission's
district (local knowledge, so that the outsider rule binds). Maximum load ⌈n·k/m⌉ + 1. For each
instance: the optimal plan (min-cost flow; column generation with a dual certificate above two
million pairs), a greedy baseline (each submission in turn takes its best reviewers with room
left), and the LP optimum — by SciPy's HiGHS on the full LP where it fits in memory (500 × 40),
and by the Lagrangian dual bound with reviewer prices computed over every pair otherwise (a
valid upper bound on any plan for any prices; equal to the LP optimum at the right ones), checked
once more on the large plain instance by a min-cost flow over all 20 million pairs. Both sizes
are solved with and without the outsider rule.

The fair variant (`solve_fair`: the worst-off match — the least affinity of any new pair — as
high as possible, then the total) on 500 × 40, 2,000 × 200 and 20,000 × 1,000 (× 3 reviews), with
and without the outsider rule: its worst-off match beside the bound it reports, and beside the
ceiling (the least k-th best reviewer of a submission); its total beside the best total of any
plan (the bound it reports) and the LP optimum; the guarantees it claims; whether every hard
constraint holds. `--only fair` runs this part alone; `--lp-max-min` adds, where it fits, the LP
relaxation of the max-min of the *sum* of a submission's affinities (the earlier objective), for
reference.

Calibration: 500 submissions of known quality, 40 reviewers with known biases (±8 points), scales
(±30 %) and noise (3–8 points), 3 reviews each, several seeds; a variant where ten reviewers
review only a few submissions, and one where lenient reviewers tend to draw the strong
submissions. Spearman correlation of raw / z-score / shrunk-z-score means with true quality.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings_test")


def setup() -> None:
    import django

    django.setup()


# --- assignment -----------------------------------------------------------------------------


def make_instance(n: int, m: int, k: int, seed: int, *, outside: bool = False):
    from thidua.initiatives.assignment import Instance

    rng = np.random.default_rng(seed)
    fields, topics, districts, wards = 12, 20, 4, 40
    submission_field = rng.integers(0, fields, n)
    expertise = np.zeros((m, fields), bool)
    for r in range(m):
        expertise[r, rng.choice(fields, rng.integers(1, 4), replace=False)] = True
    past = rng.poisson(1.0, (m, fields)) * expertise
    profile_s = rng.dirichlet(np.full(topics, 0.3), n).astype(np.float32)
    profile_r = rng.dirichlet(np.full(topics, 0.3), m).astype(np.float32)
    affinity = (
        100 * expertise[:, submission_field].T
        + 10 * np.minimum(past[:, submission_field].T, 5)
        + np.rint(100 * (profile_s @ profile_r.T))
    ).astype(np.int64)
    s_district = rng.integers(0, districts, n)
    s_ward = s_district * wards + rng.integers(0, wards, n)
    level = rng.choice(3, m, p=[0.2, 0.3, 0.5])  # 0 nowhere, 1 district, 2 ward
    r_district = rng.integers(0, districts, m)
    r_ward = r_district * wards + rng.integers(0, wards, m)
    same_ward = (level == 2)[None, :] & (s_ward[:, None] == r_ward[None, :])
    above = (level == 1)[None, :] & (s_district[:, None] == r_district[None, :])
    declared = rng.random((n, m)) < 0.005
    eligible = ~(same_ward | above | declared)
    outsider = (level == 0)[None, :] | (s_district[:, None] != r_district[None, :])
    affinity += 60 * ~outsider  # knowing the place: the plain optimum prefers local reviewers
    return Instance(
        affinity=affinity,
        eligible=eligible,
        need=np.full(n, k),
        max_load=np.full(m, math.ceil(n * k / m) + 1),
        outside=outsider if outside else None,
        need_outside=np.ones(n, bool) if outside else None,
    )


def lp_optimum(instance) -> float:
    """The full LP by SciPy's HiGHS (sparse), for instances that fit in memory."""
    from scipy import sparse
    from scipy.optimize import linprog

    ss, rr = np.nonzero(instance.eligible & (instance.need > 0)[:, None])
    columns = np.arange(len(ss))
    ones = np.ones(len(ss))
    a_eq = sparse.csr_matrix((ones, (ss, columns)), shape=(instance.n, len(ss)))
    blocks = [sparse.csr_matrix((ones, (rr, columns)), shape=(instance.m, len(ss)))]
    bounds = [instance.max_load.astype(float)]
    if instance.outside is not None:
        mask = instance.outside[ss, rr] & instance.need_outside[ss]
        blocks.append(
            -sparse.csr_matrix((ones[mask], (ss[mask], columns[mask])), shape=(instance.n, len(ss)))
        )
        bounds.append(-instance.need_outside.astype(float))
    result = linprog(
        -instance.affinity[ss, rr].astype(float),
        A_ub=sparse.vstack(blocks).tocsr(),
        b_ub=np.concatenate(bounds),
        A_eq=a_eq,
        b_eq=instance.need.astype(float),
        bounds=(0, 1),
        method="highs",
    )
    assert result.status == 0, result.message
    return -result.fun


def max_min_bound(instance) -> float:
    """The LP relaxation of the fairness objective (max t, every submission's affinity ≥ t): an
    upper bound on the worst-off submission of any plan."""
    from scipy import sparse
    from scipy.optimize import linprog

    ss, rr = np.nonzero(instance.eligible & (instance.need > 0)[:, None])
    n, m, size = instance.n, instance.m, len(ss)
    columns = np.arange(size)

    def block(values, index, height, t_column):
        pairs = sparse.csr_matrix((values, (index, columns)), shape=(height, size))
        return sparse.hstack([pairs, sparse.csr_matrix(np.full((height, 1), t_column))])

    ones = np.ones(size)
    blocks = [block(ones, rr, m, 0.0), block(-instance.affinity[ss, rr].astype(float), ss, n, 1.0)]
    bounds = [instance.max_load.astype(float), instance.base.astype(float)]
    if instance.outside is not None:
        mask = (instance.outside[ss, rr] & instance.need_outside[ss]).astype(float)
        blocks.append(block(-mask, ss, n, 0.0))
        bounds.append(-instance.need_outside.astype(float))
    objective = np.zeros(size + 1)
    objective[-1] = -1
    result = linprog(
        objective,
        A_ub=sparse.vstack(blocks).tocsr(),
        b_ub=np.concatenate(bounds),
        A_eq=block(ones, ss, n, 0.0),
        b_eq=instance.need.astype(float),
        bounds=[(0, 1)] * size + [(None, None)],
        method="highs",
    )
    assert result.status == 0, result.message
    return -result.fun


def dual_bound(instance, plan) -> float:
    """The Lagrangian bound at the reviewer prices read off the plan's exchange graph."""
    from thidua.initiatives.assignment import exchange_prices, lagrangian_bound

    prices = exchange_prices(instance, plan.submissions, plan.reviewers)
    assert prices is not None, "no prices: the plan is not optimal"
    return lagrangian_bound(instance, prices)


def constraints_met(instance, plan) -> bool:
    s, r = plan.submissions, plan.reviewers
    pairs = s * instance.m + r
    load = np.bincount(r, minlength=instance.m)
    ok = (
        len(np.unique(pairs)) == len(pairs)
        and bool(instance.eligible[s, r].all())
        and bool((np.bincount(s, minlength=instance.n) == instance.need).all())
        and bool((load <= instance.max_load).all() and (load >= instance.min_load).all())
    )
    if ok and instance.outside is not None:
        held = np.bincount(s, weights=instance.outside[s, r], minlength=instance.n)
        ok = bool((held[instance.need_outside] >= 1).all())
    return ok


def timed(function, repeat: int):
    """(result, (wall seconds, CPU seconds)) of the fastest of `repeat` runs."""
    times, result = [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = function()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return result, min(times)


def assignment_rows(args) -> list[tuple]:
    from thidua.initiatives import assignment

    rows = []
    sizes = [(500, 40, 3)] + ([] if args.skip_large else [(20_000, 1_000, 3)])
    for n, m, k in sizes:
        large = n * m > 2_000_000
        variants = [("plain", False), ("outsider", True)]
        for label, outside in variants:
            instance = make_instance(n, m, k, args.seed, outside=outside)
            repeat = 1 if large else args.repeat
            plan, seconds = timed(
                lambda instance=instance: assignment.solve_optimal(instance), repeat
            )
            start = time.perf_counter()
            if large:
                optimum, how = dual_bound(instance, plan), "dual bound"
            else:
                optimum, how = lp_optimum(instance), "HiGHS LP"
            lp_seconds = time.perf_counter() - start
            name = f"{n:,} × {m:,} × {k} {label}"
            rows.append(
                (name, "optimal: " + plan.method, plan, instance, seconds, optimum, how, lp_seconds)
            )
            if large and not outside:
                # An independent check: the min-cost flow over all n·m pairs at once.
                dense, seconds = timed(
                    lambda instance=instance: assignment.solve_optimal(
                        instance, dense_limit=10**12
                    ),
                    1,
                )
                rows.append(
                    (
                        name,
                        "check: flow on every pair",
                        dense,
                        instance,
                        seconds,
                        optimum,
                        how,
                        None,
                    )
                )
            baseline, seconds = timed(lambda instance=instance: assignment.greedy(instance), repeat)
            rows.append((name, "greedy baseline", baseline, instance, seconds, optimum, how, None))
    return rows


def fair_rows(args) -> list[tuple]:
    """The fair variant on 500 × 40 × 3, 2,000 × 200 × 3 and, unless --skip-large,
    20,000 × 1,000 × 3, with and without the outsider rule."""
    from thidua.initiatives import assignment

    rows = []
    sizes = [(500, 40, 3), (2_000, 200, 3)] + ([] if args.skip_large else [(20_000, 1_000, 3)])
    for n, m, k in sizes:
        for label, outside in [("plain", False), ("outsider", True)]:
            instance = make_instance(n, m, k, args.seed, outside=outside)
            fair, seconds = timed(lambda instance=instance: assignment.solve_fair(instance), 1)
            lp = max_min_bound(instance) if n * m <= 500_000 and args.lp_max_min else None
            ceiling = assignment.worst_off_ceiling(instance)
            rows.append((f"{n:,} × {m:,} × {k} {label}", fair, instance, seconds, ceiling, lp))
    return rows


def print_fair(rows) -> None:
    print("\n## Fair assignment (the worst-off match as high as possible, then the total)\n")
    print(f"Load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores).\n")
    print(
        "| instance | worst-off match | bound (reported) | ceiling | total | best total "
        "(reported bound) | gap | guarantees | all constraints | wall / CPU (s) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|---|---:|")
    for name, plan, instance, seconds, ceiling, lp in rows:
        print(
            f"| {name} | {plan.worst_off(instance)} | {plan.worst_off_bound} | {ceiling} "
            f"| {plan.total:,} | {plan.total_bound:,} | {plan.total_gap():,} "
            f"| {', '.join(plan.guarantees()) or 'none'} "
            f"| {'yes' if constraints_met(instance, plan) else 'NO'} "
            f"| {seconds[0]:.2f} / {seconds[1]:.2f} |"
        )
        if lp is not None:
            sums = plan.per_submission(instance)[instance.need > 0].min()
            print(f"|  ↳ least sum per submission {sums} (LP max-min of sums {lp:,.1f}) |||||||||")
    print(f"\nMethods: {'; '.join(sorted({plan.method for _n, plan, *_r in rows}))}")


def print_assignment(rows) -> None:
    print("\n## Reviewer assignment\n")
    print(f"Load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores).\n")
    header = (
        "| instance | method | total affinity | LP optimum | ratio | worst-off | all constraints "
        "| complete | wall / CPU (s) |"
    )
    print(header)
    print("|---|---|---:|---:|---:|---:|---|---|---:|")
    for name, method, plan, instance, seconds, optimum, how, lp_seconds in rows:
        lp = f"{optimum:,.0f} ({how}{f', {lp_seconds:.1f} s' if lp_seconds else ''})"
        print(
            f"| {name} | {method} | {plan.total:,} | {lp} | {plan.total / optimum:.5f} "
            f"| {plan.worst_off(instance)} | {'yes' if constraints_met(instance, plan) else 'NO'} "
            f"| {'yes' if plan.complete else 'no'} | {seconds[0]:.2f} / {seconds[1]:.2f} |"
        )


# --- calibration ------------------------------------------------------------------------------


def simulate(seed: int, *, n=500, m=40, k=3, occasional=0, confounded=False):
    rng = np.random.default_rng(seed)
    quality = rng.normal(60, 10, n)
    bias = rng.normal(0, 8, m)
    scale = np.exp(rng.normal(0, 0.3, m))
    noise = rng.uniform(3, 8, m)
    activity = np.ones(m)
    activity[:occasional] = 0.05
    reviewers, submissions, scores = [], [], []
    for j in range(n):
        weights = activity.copy()
        if confounded:
            weights *= np.exp(0.15 * bias * (quality[j] - 60) / 10)
        for r in rng.choice(m, k, replace=False, p=weights / weights.sum()):
            reviewers.append(int(r))
            submissions.append(j)
            value = 60 + bias[r] + scale[r] * (quality[j] - 60) + rng.normal(0, noise[r])
            scores.append(float(np.clip(value, 0, 100)))
    return quality, reviewers, submissions, scores


def print_calibration(args) -> None:
    from scipy.stats import spearmanr

    from thidua.initiatives.calibration import calibrate

    print("\n## Calibration (Spearman correlation with true quality, mean over seeds)\n")
    print("| scenario | seeds | raw mean | z-score | shrunk z-score (default) | time (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    scenarios = [
        ("500 × 40 × 3, biases ±8, scales ±30 %, noise 3–8", {}),
        ("same, ten reviewers with ~4 reviews each", {"occasional": 10}),
        ("same, lenient reviewers draw the strong submissions", {"confounded": True}),
        ("300 × 200 × 3 (few reviews per reviewer)", {"n": 300, "m": 200}),
    ]
    seeds = range(args.seed, args.seed + 10)
    for label, options in scenarios:
        results = {"raw": [], "zscore": [], "bayes": []}
        spent = []
        for seed in seeds:
            quality, reviewers, submissions, scores = simulate(seed, **options)
            for method in results:
                start = time.perf_counter()
                fit = calibrate(reviewers, submissions, scores, method=method)
                spent.append(time.perf_counter() - start)
                estimate = [fit.submissions[j].score for j in range(len(quality))]
                results[method].append(spearmanr(estimate, quality).statistic)
        print(
            f"| {label} | {len(seeds)} | {np.mean(results['raw']):.4f} "
            f"| {np.mean(results['zscore']):.4f} | {np.mean(results['bayes']):.4f} "
            f"| {1000 * np.median(spent):.1f} |"
        )
    if not args.skip_large:
        quality, reviewers, submissions, scores = simulate(args.seed, n=20_000, m=1_000)
        start = time.perf_counter()
        calibrate(reviewers, submissions, scores)
        print(
            f"\nCalibrating 60,000 reviews (20,000 × 1,000 × 3): "
            f"{time.perf_counter() - start:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of small instances")
    parser.add_argument("--skip-large", action="store_true", help="no 20,000 × 1,000 instance")
    parser.add_argument(
        "--duplicates", type=int, default=100_000, help="submissions for duplicates (0: skip)"
    )
    parser.add_argument("--skip-datasketch", action="store_true")
    parser.add_argument(
        "--only", choices=["all", "fair"], default="all", help="fair: the fair variant alone"
    )
    parser.add_argument(
        "--lp-max-min", action="store_true", help="also the max-min LP by HiGHS (≤ 500,000 pairs)"
    )
    args = parser.parse_args()
    if args.only == "fair":
        setup()
        print_fair(fair_rows(args))
        return
    if args.duplicates:
        import importlib.util

        path = Path(__file__).with_name("duplicates.py")
        spec = importlib.util.spec_from_file_location("benchmark_duplicates", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print("== Near-duplicates ==")
        module.main(
            ["--n", str(args.duplicates)] + (["--skip-datasketch"] if args.skip_datasketch else [])
        )
        print("\n== Assignment and calibration ==")
    setup()
    print_assignment(assignment_rows(args))
    print_fair(fair_rows(args))
    print_calibration(args)


if __name__ == "__main__":
    main()
