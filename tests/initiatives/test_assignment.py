"""Optimal reviewer assignment: the array layer against an exact MILP/LP on random instances
(hypothesis), the Django layer on a council with units and conflicts, the page's assignment form.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from tests.factories import UserFactory
from tests.factories.initiatives import enter, open_call, submit_review, to_review
from thidua.initiatives import assignment, services
from thidua.initiatives.assignment import Infeasible, Instance
from thidua.initiatives.assignment import context as assignment_context
from thidua.initiatives.models import Assignment, Conflict, Submission
from thidua.shared.models import CouncilMember

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """Assertions read the English texts; pages too (the language cookie)."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


# --- the array layer ----------------------------------------------------------------------------

# A small unit tree: 0 is the province, 1–2 districts, 3–6 wards, 7 a residential group.
PARENT = {0: None, 1: 0, 2: 0, 3: 1, 4: 1, 5: 2, 6: 2, 7: 3}


def ancestors_or_self(unit: int) -> list[int]:
    chain = []
    while unit is not None:
        chain.append(unit)
        unit = PARENT[unit]
    return chain


def district(unit: int) -> int:
    """The depth-1 ancestor (the province itself for the province)."""
    chain = ancestors_or_self(unit)
    return chain[-2] if len(chain) > 1 else chain[-1]


@st.composite
def instances(draw, max_members: int = 8, max_submissions: int = 10, outside: bool | None = None):
    """Members 3–8 with home units (or none), submissions 1–10 from units, declared conflicts
    and named relatives, existing assignments, affinities, load bounds, the outsider rule."""
    m = draw(st.integers(3, max_members))
    n = draw(st.integers(1, max_submissions))
    k = draw(st.integers(1, 3))
    homes = draw(st.lists(st.sampled_from([None, *PARENT]), min_size=m, max_size=m))
    origins = draw(st.lists(st.sampled_from(list(PARENT)[1:]), min_size=n, max_size=n))
    pairs = list(itertools.product(range(n), range(m)))
    declared = set(draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n * m // 3)))
    relatives = set(draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3)))
    already = set(draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n)))
    eligible = np.zeros((n, m), bool)
    out = np.zeros((n, m), bool)
    for s, r in pairs:
        same_or_above = homes[r] is not None and homes[r] in ancestors_or_self(origins[s])
        eligible[s, r] = not same_or_above and (s, r) not in declared | relatives | already
        out[s, r] = homes[r] is None or district(origins[s]) not in ancestors_or_self(homes[r])
    have = np.bincount([s for s, _r in already], minlength=n)
    need = np.maximum(0, k - have)
    affinity = np.array(
        draw(st.lists(st.integers(-30, 200), min_size=n * m, max_size=n * m))
    ).reshape(n, m)
    slack = draw(st.integers(-1, 2))
    max_load = np.full(m, max(0, math.ceil(n * k / m) + slack))
    min_load = np.full(m, draw(st.integers(0, 1)))
    use_outside = draw(st.booleans()) if outside is None else outside
    return Instance(
        affinity=affinity,
        eligible=eligible,
        need=need,
        max_load=max_load,
        min_load=min_load,
        outside=out if use_outside else None,
        need_outside=np.ones(n, bool) if use_outside else None,
    )


def _constraints(instance: Instance) -> tuple[np.ndarray, np.ndarray, list[LinearConstraint]]:
    ss, rr = np.nonzero(instance.eligible & (instance.need > 0)[:, None])
    columns = np.arange(len(ss))
    per_submission = np.zeros((instance.n, len(ss)))
    per_submission[ss, columns] = 1
    per_reviewer = np.zeros((instance.m, len(ss)))
    per_reviewer[rr, columns] = 1
    constraints = [
        LinearConstraint(per_submission, instance.need, instance.need),
        LinearConstraint(per_reviewer, instance.min_load, instance.max_load),
    ]
    if instance.outside is not None:
        rows = np.flatnonzero(instance.need_outside)
        if rows.size:
            outsiders = np.zeros((rows.size, len(ss)))
            for i, s in enumerate(rows):
                outsiders[i] = (ss == s) & instance.outside[ss, rr]
            constraints.append(LinearConstraint(outsiders, 1, np.inf))
    return ss, rr, constraints


def exact_optimum(instance: Instance) -> int | None:
    """The integer optimum by MILP (HiGHS), or None when no plan exists."""
    ss, rr, constraints = _constraints(instance)
    if len(ss) == 0:
        ok = instance.need.sum() == 0 and instance.min_load.sum() == 0
        return 0 if ok else None
    result = milp(
        -instance.affinity[ss, rr].astype(float),
        constraints=constraints,
        integrality=np.ones(len(ss)),
        bounds=Bounds(0, 1),
    )
    return None if result.status != 0 else round(-result.fun)


def lp_optimum(instance: Instance) -> float | None:
    """The LP relaxation's optimum (linprog): equal to the integer one (total unimodularity)."""
    ss, rr, constraints = _constraints(instance)
    if len(ss) == 0:
        return None
    a_eq = constraints[0].A
    a_ub = np.vstack([c.A for c in constraints[1:]] + [-c.A for c in constraints[1:]])
    b_ub = np.concatenate(
        [np.where(np.isinf(c.ub), 1e9, c.ub) for c in constraints[1:]]
        + [-np.asarray(c.lb, float) * np.ones(c.A.shape[0]) for c in constraints[1:]]
    )
    result = linprog(
        -instance.affinity[ss, rr].astype(float),
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=instance.need,
        bounds=(0, 1),
        method="highs",
    )
    return None if result.status != 0 else -result.fun


def check_constraints(instance: Instance, plan: assignment.Plan) -> None:
    """Every hard constraint holds."""
    pairs = list(zip(plan.submissions.tolist(), plan.reviewers.tolist(), strict=True))
    assert len(set(pairs)) == len(pairs), "a pair twice"
    assert all(instance.eligible[s, r] for s, r in pairs), "an ineligible pair"
    assert (np.bincount(plan.submissions, minlength=instance.n) == instance.need).all()
    load = plan.loads(instance.m)
    assert (load <= instance.max_load).all() and (load >= instance.min_load).all()
    if instance.outside is not None:
        for s in np.flatnonzero(instance.need_outside):
            assert any(instance.outside[s, r] for t, r in pairs if t == s), "no outsider"


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(instance=instances())
@example(  # greedy once counted a plan without the outsider #3 needs as complete
    instance=Instance(
        affinity=[[0, 0, 0], [0, 0, 0], [0, 1, 1], [0, 0, 0]],
        eligible=[[0, 0, 1], [1, 1, 1], [1, 1, 1], [1, 0, 1]],
        need=[1, 2, 2, 1],
        max_load=[2, 2, 2],
        outside=[[1, 1, 1], [1, 1, 1], [1, 1, 1], [0, 1, 1]],
        need_outside=[1, 1, 1, 1],
    )
)
def test_optimal_meets_every_constraint_and_equals_the_exact_optimum(instance):
    expected = exact_optimum(instance)
    try:
        plan = assignment.solve_optimal(instance)
    except Infeasible:
        assert expected is None, "reported infeasible, but a plan exists"
        return
    assert expected is not None, "found a plan where the MILP says none exists"
    check_constraints(instance, plan)
    assert plan.total == expected
    assert plan.upper_bound == plan.total  # the dual certificate
    lp = lp_optimum(instance)
    assert lp is None or abs(lp - expected) < 1e-6  # integral LP: no gap
    baseline = assignment.greedy(instance)
    if baseline.complete and (baseline.loads(instance.m) >= instance.min_load).all():
        assert plan.total >= baseline.total


@PROPERTY
@given(instance=instances())
def test_infeasible_instances_are_reported_with_their_binding_constraint(instance):
    feasible = exact_optimum(instance) is not None
    try:
        assignment.solve_optimal(instance)
    except Infeasible as error:
        assert not feasible
        assert error.code in {
            "too_few_eligible",
            "no_outside",
            "capacity",
            "min_loads_total",
            "min_load_reviewer",
            "bottleneck",
            "outside",
            "min_loads",
            "min_above_max",
        }
    else:
        assert feasible


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances())
def test_fair_variant_lifts_the_worst_off_submission(instance):
    try:
        optimal = assignment.solve_optimal(instance)
    except Infeasible:
        return
    fair = assignment.solve_fair(instance)
    check_constraints(instance, fair)
    worst = optimal.worst_off(instance)
    if worst is not None:
        assert fair.worst_off(instance) >= worst
    assert fair.total <= optimal.total


def exact_fair(instance: Instance) -> tuple[int, int] | None:
    """By brute force over the levels and MILP (HiGHS): the max-min (the best worst-off match,
    the least affinity of a new pair, of any plan) and the largest total among plans reaching
    it; None when no plan or nothing to assign."""
    if exact_optimum(instance) is None or not (instance.need > 0).any():
        return None
    best = None
    for level in sorted(set(instance.affinity[instance.eligible].tolist())):
        reaching = dataclasses.replace(
            instance, eligible=instance.eligible & (instance.affinity >= level)
        )
        total = exact_optimum(reaching)
        if total is None:
            break
        best = (level, total)
    return best


def check_claims(instance: Instance, plan: assignment.Plan, truth: tuple[int, int]) -> None:
    """A plan never claims a guarantee it does not have (checked against the MILP), and its
    bounds hold."""
    best_total = exact_optimum(instance)
    level, total_at_level = truth
    worst = plan.worst_off(instance)
    assert plan.objective == "fair"
    assert plan.worst_off_bound is not None and plan.worst_off_bound >= level >= worst
    assert plan.total_bound is not None and plan.total_bound >= best_total >= plan.total
    if plan.worst_off_optimal:
        assert worst == level == plan.worst_off_bound
    if plan.total_optimal:
        assert plan.total == best_total
    if plan.total_optimal_at_worst_off and worst == level:
        assert plan.total == total_at_level
    assert plan.proven_optimal == (plan.worst_off_optimal and plan.total_optimal_at_worst_off)
    assert set(plan.guarantees()) == {
        name
        for name in ("total_optimal", "worst_off_optimal", "total_optimal_at_worst_off")
        if getattr(plan, name)
    }


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances(max_members=6, max_submissions=6), candidates=st.sampled_from([1, None]))
def test_fair_variant_reaches_the_exact_max_min_and_says_so(instance, candidates):
    """The worst-off match is exactly the max-min found level by level by the MILP, then the
    total the MILP's best at that level; every constraint holds; each claim is true. With one
    candidate per submission the bisection must finish over every pair."""
    truth = exact_fair(instance)
    if truth is None:
        return
    fair = assignment.solve_fair(instance, candidates=candidates)
    check_constraints(instance, fair)
    check_claims(instance, fair, truth)
    assert fair.worst_off(instance) == truth[0] and fair.worst_off_optimal
    assert fair.total == truth[1] and fair.total_optimal_at_worst_off


def test_a_plan_claims_only_what_it_proved():
    """Two submissions want the same reviewer, who can take one. The best total takes her
    once; the fair plan gives nobody the 0-affinity reviewer, and says which is which."""
    instance = Instance(
        affinity=[[100, 0, 60], [100, 60, 0]],
        eligible=[[1, 1, 1], [1, 1, 1]],
        need=[1, 1],
        max_load=[1, 1, 1],
    )
    plain = assignment.solve_optimal(instance)
    assert plain.total == 160 and plain.worst_off(instance) == 60
    assert plain.guarantees() == ["total_optimal"] and plain.worst_off_bound is None
    assert assignment.worst_off_ceiling(instance) == 100  # each alone would get 100
    fair = assignment.solve_fair(instance)
    assert fair.worst_off(instance) == 60 == fair.worst_off_bound  # 100 for both: impossible
    assert fair.guarantees() == ["total_optimal", "worst_off_optimal", "total_optimal_at_worst_off"]
    # a fairer plan that costs total: the best total is not claimed, its gap is given
    instance = Instance(
        affinity=[[100, 50], [45, 0]], eligible=np.ones((2, 2)), need=[1, 1], max_load=[1, 1]
    )
    fair = assignment.solve_fair(instance)
    assert fair.worst_off(instance) == 45 and fair.total == 95 and fair.total_bound == 100
    assert fair.total_gap() == 5 and fair.worst_off_gap(instance) == 0
    assert fair.guarantees() == ["worst_off_optimal", "total_optimal_at_worst_off"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(10, 40),
    m=st.integers(24, 48),
    k=st.integers(1, 3),
    outside=st.booleans(),
)
def test_column_generation_matches_the_dense_optimum(seed, n, m, k, outside):
    """Above the dense limit the solver works on candidate pairs and certifies the result."""
    rng = np.random.default_rng(seed)
    instance = Instance(
        affinity=rng.integers(0, 300, (n, m)),
        eligible=rng.random((n, m)) > 0.15,
        need=np.full(n, k),
        max_load=np.full(m, math.ceil(n * k / m) + int(rng.integers(0, 2))),
        outside=rng.random((n, m)) > 0.6 if outside else None,
        need_outside=np.ones(n, bool) if outside else None,
    )
    expected = exact_optimum(instance)
    try:
        plan = assignment.solve_optimal(instance, dense_limit=0)
    except Infeasible:
        assert expected is None
        return
    check_constraints(instance, plan)
    assert plan.total == expected and plan.upper_bound == expected


def test_a_hand_made_instance():
    """Two submissions, three reviewers, one review each, at most one per reviewer: the best
    pairing is 0→1 and 1→0 (10 + 9); greedy takes 0→0 first and leaves 1→2 (10 + 1)."""
    instance = Instance(
        affinity=[[10, 10, 0], [9, 0, 1]],
        eligible=np.ones((2, 3), bool),
        need=[1, 1],
        max_load=[1, 1, 1],
    )
    plan = assignment.solve_optimal(instance)
    assert plan.total == 19 and plan.upper_bound == 19
    assert list(zip(plan.submissions, plan.reviewers, strict=True)) == [(0, 1), (1, 0)]
    assert assignment.greedy(instance).total == 11


def test_diagnosis_names_the_binding_constraint():
    base = {"affinity": np.zeros((2, 3)), "need": [2, 2], "max_load": [2, 2, 2]}
    only_one = np.array([[True, False, False], [True, True, True]])
    with pytest.raises(Infeasible) as error:
        assignment.solve_optimal(Instance(eligible=only_one, **base))
    assert error.value.code == "too_few_eligible"
    assert error.value.data == {"submission": 0, "eligible": 1, "need": 2, "others": []}
    tight = {**base, "max_load": [1, 1, 1]}
    with pytest.raises(Infeasible) as error:
        assignment.solve_optimal(Instance(eligible=np.ones((2, 3), bool), **tight))
    assert error.value.code == "capacity" and error.value.data == {"capacity": 3, "needed": 4}
    # Submissions 0 and 1 can only go to reviewers 0 and 1 (capacity 1 each); 2 is free.
    cut = Instance(
        affinity=np.zeros((3, 3)),
        eligible=np.array([[1, 1, 0], [1, 1, 0], [1, 1, 1]], bool),
        need=[1, 1, 1],
        max_load=[1, 0, 5],
    )
    with pytest.raises(Infeasible) as error:
        assignment.solve_optimal(cut)
    assert error.value.code == "bottleneck"
    assert error.value.data == {"submissions": [0, 1], "needed": 2, "possible": 1}


# --- the Django layer --------------------------------------------------------------------------


def screened(admin_user, call, data, tree, units, **overrides):
    return [
        services.screen(
            admin_user,
            submission=enter(admin_user, call, data(unit=tree[u], **overrides)),
            accept=True,
        )
        for u in units
    ]


def check_call_plan(call, plan):
    declared = set(
        Conflict.objects.filter(submission__call=call).values_list("member_id", "submission_id")
    )
    counts: dict[int, int] = {}
    for submission, member, explanation in plan:
        assert services.conflict_reason(member, submission, declared) is None
        assert len(explanation) <= 300 and explanation
        counts[submission.pk] = counts.get(submission.pk, 0) + 1
    return counts


def test_optimal_assignment_respects_units_conflicts_and_relatives(
    call, data, admin_user, seats, tree, fields
):
    seats["m6"].expertise.set([fields["environment"]])
    submissions = screened(
        admin_user, call, data, tree, ["bo_de", "quang_an", "phuc_loi", "group", "tay_ho"]
    )
    services.declare_conflict(seats["chair"].user, submission=submissions[0], reason="Họ hàng")
    relatives = [(seats["m4"].pk, submissions[1].pk)]
    plan = assignment.optimal_assignment(call, relatives=relatives)
    counts = check_call_plan(call, plan)
    assert counts == {s.pk: 2 for s in submissions}
    pairs = {(s.pk, m.pk) for s, m, _why in plan}
    assert (submissions[1].pk, seats["m4"].pk) not in pairs
    assert all(m != seats["m5"] for _s, m, _why in plan)  # the city is above every applicant
    # The only member with expertise in the initiatives' field is loaded to the maximum:
    # ⌈5 × 2 / 8 members eligible somewhere⌉ + 1 = 3.
    assert sum(m == seats["m6"] for _s, m, _why in plan) == 3
    why = next(w for s, m, w in plan if m == seats["m6"])
    assert why.startswith("chosen for: expertise in Urban beauty and environment")


def test_outside_district_gives_every_initiative_an_outsider(call, data, admin_user, seats, tree):
    submissions = screened(admin_user, call, data, tree, ["bo_de", "phuc_loi", "quang_an"])
    plan = assignment.optimal_assignment(call, outside_district=True)
    check_call_plan(call, plan)
    long_bien, tay_ho = tree["long_bien"].path, tree["tay_ho"].path
    for submission in submissions:
        district = tay_ho if submission.unit == tree["quang_an"] else long_bien
        homes = [m.unit for s, m, _w in plan if s == submission]
        assert any(unit is None or not unit.path.startswith(district) for unit in homes)


def test_past_reviews_and_similar_texts_raise_affinity(call, data, admin_user, seats, tree, fields):
    """m2 reviewed a rain-water initiative in an earlier call: the new one goes to m2."""
    earlier = open_call(
        admin_user,
        owner_unit=tree["city"],
        council=call.council,
        fields=fields,
        title="Sáng kiến 2025",
    )
    old = to_review(
        admin_user,
        earlier,
        data(
            unit=tree["quang_an"],
            title="Thu gom nước mưa sinh hoạt",
            summary="Bể chứa nước mưa cho hộ dân",
        ),
        reviewers=[seats["m2"], seats["m6"]],
    )
    submit_review(seats["m2"], old, 7)
    new = screened(
        admin_user,
        call,
        data,
        tree,
        ["quang_an"],
        title="Lọc nước mưa cho trường học",
        summary="Bể chứa và lọc nước mưa",
    )[0]
    context = assignment.build_context(call)
    s = context.submissions.index(new)
    m2 = context.members.index(seats["m2"])
    assert context.past_in_field[s, m2] == 1 and context.similarity[s, m2] > 0.1
    assert seats["m2"] in [m for _s, m, _w in assignment.optimal_assignment(call)]
    why = context.explain(s, m2)
    assert "1 past review in" in why and "similarity" in why


def test_infeasible_calls_raise_a_translated_message(call, data, admin_user, seats, tree):
    submissions = screened(admin_user, call, data, tree, ["bo_de", "quang_an"])
    call.reviews_per_submission = 7
    call.save()
    with pytest.raises(ValidationError) as error:
        assignment.optimal_assignment(call)
    number = submissions[0].number
    assert f"Initiative #{number} has only 6 eligible reviewers, needs 7" in error.value.messages[0]
    call.reviews_per_submission = 2
    call.save()
    with pytest.raises(ValidationError) as error:
        assignment.optimal_assignment(call, max_load=0)
    assert "Total capacity 0 < 4 reviews needed" in error.value.messages[0]


def test_auto_assign_through_the_seam_records_explanations(call, data, admin_user, seats, tree):
    assert set(assignment.OPTIMAL_ASSIGNERS) <= set(services.ASSIGNERS)  # listed, not patched in
    submissions = screened(admin_user, call, data, tree, ["bo_de", "quang_an", "phuc_loi"])
    services.assign(admin_user, submission=submissions[0], member=seats["m6"])
    made = services.auto_assign(seats["secretary"].user, call=call, method="fair")
    assert len(made) == 5 and {a.method for a in made} == {"fair"}
    assert all(a.explanation.startswith("chosen for") for a in made)
    assert services.auto_assign(seats["secretary"].user, call=call, method="optimal") == []
    for submission in submissions:
        assert submission.assignments.count() == 2


def test_build_context_query_count_does_not_grow(call, data, admin_user, seats, tree):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assignment.build_context(call, outside_district=True)
        return len(queries)

    screened(admin_user, call, data, tree, ["bo_de"])
    one = count()
    screened(admin_user, call, data, tree, ["quang_an", "phuc_loi", "group"])
    assert count() == one <= 8


# Random councils through the database: home units, applicants' units, declared conflicts.
HOME_UNITS = [None, "city", "long_bien", "tay_ho", "bo_de", "phuc_loi", "quang_an", "group"]
APPLICANT_UNITS = ["long_bien", "tay_ho", "bo_de", "phuc_loi", "quang_an", "group"]


@st.composite
def councils(draw):
    homes = draw(st.lists(st.sampled_from(HOME_UNITS), min_size=3, max_size=8))
    origins = draw(st.lists(st.sampled_from(APPLICANT_UNITS), min_size=1, max_size=10))
    pairs = list(itertools.product(range(len(homes)), range(len(origins))))
    conflicts = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs) // 3))
    return homes, origins, conflicts, draw(st.integers(1, 3)), draw(st.booleans())


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=councils())
def test_random_councils_get_valid_plans_or_a_reason(scenario, tree, admin_user, fields, data):
    homes, origins, conflicts, k, outside = scenario
    with transaction.atomic():
        council = services.create_council(
            admin_user,
            owner_unit=tree["city"],
            name="Hội đồng thử",
            members=[
                {
                    "user": UserFactory(username=f"q{i}"),
                    "role": "chair" if i == 0 else "member",
                    "unit": tree[u] if u else None,
                }
                for i, u in enumerate(homes)
            ],
        )
        call = open_call(
            admin_user,
            owner_unit=tree["city"],
            council=council,
            fields=fields,
            reviews_per_submission=k,
        )
        seats_ = list(council.members.order_by("pk").select_related("user"))
        submissions = screened(admin_user, call, data, tree, origins)
        for m, s in conflicts:
            services.declare_conflict(seats_[m].user, submission=submissions[s], reason="Quen")
        context = assignment.build_context(call, outside_district=outside)
        feasible = exact_optimum(context.instance) is not None
        try:
            plan = assignment.optimal_assignment(call, outside_district=outside)
        except ValidationError as error:
            assert not feasible and error.messages[0]
        else:
            assert feasible
            counts = check_call_plan(call, plan)
            assert all(counts.get(s.pk) == k for s in submissions)
            loads: dict[int, int] = {}
            for _s, member, _w in plan:
                loads[member.pk] = loads.get(member.pk, 0) + 1
            assert max(loads.values()) <= context.max_load
        transaction.set_rollback(True)


# --- the page's assignment form ------------------------------------------------------------------


def test_the_page_says_what_a_fair_plan_did_not_prove(
    client, call, data, admin_user, seats, tree, monkeypatch
):
    """A plan short of its bounds is not called optimal: the page gives the bounds instead
    (the fair variant proves its plans today; the page must stay honest if it ever cannot)."""
    screened(admin_user, call, data, tree, ["bo_de", "quang_an"])
    solve = assignment.solve_fair

    def unproven(instance):
        plan = solve(instance)
        return dataclasses.replace(
            plan,
            worst_off_optimal=False,
            worst_off_bound=plan.worst_off(instance) + 1234,
            total_optimal=False,
            total_optimal_at_worst_off=False,
            total_bound=plan.total + 2000,
        )

    monkeypatch.setattr(assignment_context, "solve_fair", unproven)
    client.force_login(seats["secretary"].user)
    page = client.get(reverse("initiatives:intelligence", args=[call.pk]), {"preview": "fair"})
    text = page.content.decode()
    assert "not proven optimal" in text and "Proven optimal" not in text
    assert "no plan can reach more than" in text
    assert "at most 2,000 below the highest of any plan" in text


def test_secretariat_previews_and_runs_the_optimal_assignment(
    client, call, data, admin_user, seats, tree
):
    submissions = screened(admin_user, call, data, tree, ["bo_de", "quang_an"])
    url = reverse("initiatives:intelligence", args=[call.pk])
    client.force_login(seats["secretary"].user)
    page = client.get(url, {"preview": "fair"})
    assert page.status_code == 200
    assert b"chosen for" in page.content and b"Proven optimal" in page.content
    guarantees = page.content.decode()
    assert "proven the strongest any plan can reach" in guarantees
    assert Assignment.objects.count() == 0  # a preview writes nothing
    response = client.post(url, {"action": "assign", "assigner": "optimal_outside"})
    assert response.status_code == 302
    assert Assignment.objects.filter(method="optimal_outside").count() == 4
    page = client.get(url)
    assert page.content.count(b"chosen for") == 4
    for submission in submissions:
        submission.refresh_from_db()
        assert submission.status == Submission.Status.UNDER_REVIEW


def test_a_member_sees_no_assignment_form_and_cannot_run_it(
    client, call, data, admin_user, seats, tree
):
    screened(admin_user, call, data, tree, ["bo_de"])
    url = reverse("initiatives:intelligence", args=[call.pk])
    client.force_login(seats["m1"].user)
    page = client.get(url, {"preview": "optimal"})
    assert page.status_code == 200 and b"assignment-run" not in page.content
    assert client.post(url, {"action": "assign", "assigner": "optimal"}).status_code == 403
    assert Assignment.objects.count() == 0


def test_an_infeasible_run_shows_the_reason(client, call, data, admin_user, seats, tree):
    screened(admin_user, call, data, tree, ["bo_de"])
    call.reviews_per_submission = 8
    call.save()
    url = reverse("initiatives:intelligence", args=[call.pk])
    client.force_login(seats["secretary"].user)
    page = client.post(url, {"action": "assign", "assigner": "optimal"}, follow=True)
    assert b"has only 6 eligible reviewers, needs 8" in page.content
    assert CouncilMember.objects.filter(assignments__isnull=False).count() == 0
