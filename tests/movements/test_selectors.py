"""Coverage and results read the tree in a fixed number of queries, with the roll-up's figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from tests.factories import make_unit
from tests.factories.movements import indicator_ids
from thidua.movements import selectors, services
from thidua.movements.models import Report, ReportValue
from thidua.org.selectors import rollup, rollup_measures

pytestmark = pytest.mark.django_db

AFTER = dt.date(2026, 8, 1)


def q1(movement):
    return movement.periods.get(label="2026-Q1")


def accept(admin_user, movement, unit, period, values, bases=None):
    report = services.save_report(
        admin_user,
        movement=movement,
        unit=unit,
        period=period,
        values=values,
        bases=bases or {},
        submit=True,
    )
    return services.accept_report(admin_user, report=report)


@pytest.fixture
def reported(movement, tree, admin_user):
    """Accepted sums and ratios on three wards, one not accepted, then Bồ Đề and Phúc Lợi merge."""
    from thidua.org.services import apply_restructuring

    sum_id, ratio_id = indicator_ids(movement)
    for unit, value, good, base in (
        (tree["bo_de"], 40, 30, 60),
        (tree["phuc_loi"], 25, 5, 20),
        (tree["quang_an"], 7, 10, 40),
    ):
        accept(
            admin_user,
            movement,
            unit,
            q1(movement),
            {sum_id: value, ratio_id: good},
            {ratio_id: base},
        )
    services.save_report(
        admin_user,
        movement=movement,
        unit=tree["bo_de"],
        period=movement.periods.get(label="2026-Q2"),
        values={sum_id: 1000},
        submit=True,
    )
    apply_restructuring(
        admin_user,
        effective_date=dt.date(2026, 7, 1),
        title="Sáp nhập",
        operations=[
            {
                "op": "merge",
                "units": [tree["bo_de"].code, tree["phuc_loi"].code],
                "into": {"code": "LB-NEW", "name": "Phường Long Biên mới"},
            }
        ],
    )
    return movement


@pytest.mark.parametrize("tree_of", ["then", AFTER])
@pytest.mark.parametrize("root_name", ["city", "long_bien"])
def test_rollup_measures_equals_one_rollup_per_indicator_and_measure(
    reported, tree, tree_of, root_name
):
    root = tree[root_name]
    values = ReportValue.objects.filter(
        report__movement=reported, report__status=Report.Status.ACCEPTED
    )
    rolled = rollup_measures(
        values,
        aggregates={"value": Sum("value"), "base": Sum("base"), "n": Count("*")},
        group_by="indicator_id",
        root=root,
        tree=tree_of,
        unit_field="report__unit",
    )
    for indicator_id in indicator_ids(reported):
        own = values.filter(indicator_id=indicator_id)
        for measure in ("value", "base"):
            single = rollup(own, value=measure, root=root, tree=tree_of, unit_field="report__unit")
            assert [u.pk for u in rolled.children] == [u.pk for u in single.children]
            assert rolled.total(indicator_id, measure) == single.total
            assert rolled.total(indicator_id, "n") == single.count
            for child in single.children:
                assert rolled.child(indicator_id, measure, child.pk) == single.by_child.get(
                    child.pk, Decimal(0)
                )
                assert rolled.child(indicator_id, "n", child.pk) == single.count_by_child.get(
                    child.pk, Decimal(0)
                )


def test_results_under_both_trees_in_a_fixed_number_of_queries(
    reported, tree, django_assert_num_queries
):
    # indicators, the root's children, every value in one grouped query, the pledged targets
    with django_assert_num_queries(4):
        then = selectors.results(reported, root=tree["city"], tree="then")
    # and under a date, the lineage leading into the subtree
    with django_assert_num_queries(5):
        now = selectors.results(reported, root=tree["city"], tree=AFTER)
    assert then[0].value == now[0].value == Decimal(72)
    assert then[1].value == now[1].value == Decimal("0.3750")  # (30 + 5 + 10) / (60 + 20 + 40)
    assert dict((u.code, v) for u, v in now[0].by_child) == {
        tree["long_bien"].code: Decimal(65),
        tree["tay_ho"].code: Decimal(7),
    }


def test_results_query_count_does_not_grow_with_units(
    movement, tree, admin_user, django_assert_num_queries
):
    sum_id, _ratio = indicator_ids(movement)
    accept(admin_user, movement, tree["bo_de"], q1(movement), {sum_id: 1})
    for n in range(3):
        ward = make_unit(f"Phường mới {n}", parent=tree["tay_ho"], code=f"W{n}")
        accept(admin_user, movement, ward, q1(movement), {sum_id: n})
    period = q1(movement)
    with django_assert_num_queries(3):  # with a period: no pledged targets
        results = selectors.results(movement, root=tree["city"], periods=[period])
    assert results[0].value == Decimal(4)


def test_coverage_in_a_fixed_number_of_queries(
    movement, tree, admin_user, ward_officer, django_assert_num_queries
):
    services.register(ward_officer, movement=movement, unit=tree["bo_de"])
    services.save_report(
        ward_officer,
        movement=movement,
        unit=tree["bo_de"],
        period=q1(movement),
        values={},
        submit=True,
    )
    for n in range(3):
        make_unit(f"Phường mới {n}", parent=tree["tay_ho"], code=f"W{n}")
    period = q1(movement)
    # scope kinds, counts grouped by child, the children, the units not reported
    with django_assert_num_queries(4):
        cover = selectors.coverage(movement, root=tree["city"], period=period)
    assert (cover.total.expected, cover.total.registered, cover.total.reported) == (6, 1, 1)
    assert {row.unit.code: row.expected for row in cover.rows} == {
        tree["long_bien"].code: 2,
        tree["tay_ho"].code: 4,
    }
    assert tree["bo_de"] not in cover.missing and len(cover.missing) == 5
    with django_assert_num_queries(1):  # the units without a congress work, when asked
        assert len(cover.no_congress) == 6
    with django_assert_num_queries(0):
        assert len(cover.no_congress) == 6


@pytest.mark.parametrize("tree_of", ["then", AFTER])
def test_rollup_measures_without_groups_is_the_plain_rollup(reported, tree, tree_of):
    values = ReportValue.objects.filter(
        report__movement=reported, report__status=Report.Status.ACCEPTED
    )
    rolled = rollup_measures(
        values,
        aggregates={"value": Sum("value"), "n": Count("*")},
        root=tree["city"],
        tree=tree_of,
        unit_field="report__unit",
    )
    single = rollup(
        values, value="value", root=tree["city"], tree=tree_of, unit_field="report__unit"
    )
    assert rolled.total(None, "value") == single.total and single.total > 0
    assert rolled.total(None, "n") == single.count
    for child in single.children:
        assert rolled.child(None, "value", child.pk) == single.by_child.get(child.pk, Decimal(0))
