"""`rollup`: records counted under the tree of their day or carried to a later tree by lineage.

There is no production measure model yet. The records are role grants ("citizen" grants stand for
people registered on a unit): the measure is their number (`Rollup.count`) and, so that a record
sent to the wrong unit changes a sum, `value="id"` gives every record a distinct weight.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from tests.factories import UserFactory, make_unit
from thidua.accounts.models import RoleGrant, User
from thidua.org import rollup as rollup_engine
from thidua.org import vietnam_data
from thidua.org.models import Lineage, Unit
from thidua.org.selectors import Rollup, rollup, successor_map
from thidua.org.services import apply_restructuring
from thidua.org.vietnam_import import LEGACY_DATE, REFORM_DATE

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 7, 1)


def record(unit: Unit, *, user: User | None = None) -> RoleGrant:
    user = user or UserFactory(username="citizen")
    return RoleGrant.objects.create(
        user=user, role="citizen", unit=unit, valid_from=unit.valid_from
    )


def measure(root: Unit, tree: str | dt.date = "then") -> Rollup:
    return rollup(RoleGrant.objects.filter(role="citizen"), value="id", root=root, tree=tree)


def restructure(actor, *operations, day=DAY):
    restructuring, _ = apply_restructuring(
        actor, effective_date=day, title="Sắp xếp", operations=list(operations)
    )
    return restructuring


# --- the tree of then -------------------------------------------------------------------------


def test_records_count_under_their_unit_and_its_ancestors(tree):
    on_group, on_bo_de, on_quang_an = (
        record(tree["group"]),
        record(tree["bo_de"]),
        record(tree["quang_an"]),
    )
    city = measure(tree["city"])
    assert city.total == on_group.pk + on_bo_de.pk + on_quang_an.pk
    assert city.count == 3
    assert city.by_child == {
        tree["long_bien"].pk: on_group.pk + on_bo_de.pk,
        tree["tay_ho"].pk: on_quang_an.pk,
    }
    assert city.count_by_child == {tree["long_bien"].pk: 2, tree["tay_ho"].pk: 1}
    assert [child.pk for child, _ in city.rows()] == sorted(
        [tree["long_bien"].pk, tree["tay_ho"].pk],
        key=lambda pk: Unit.objects.get(pk=pk).name,
    )
    long_bien = measure(tree["long_bien"])
    assert long_bien.by_child == {tree["bo_de"].pk: on_group.pk + on_bo_de.pk}
    assert long_bien.count_by_child == {tree["bo_de"].pk: 2}
    assert long_bien.average == Decimal(on_group.pk + on_bo_de.pk) / 2
    tay_ho = measure(tree["tay_ho"])
    assert (tay_ho.total, tay_ho.count) == (on_quang_an.pk, 1)


def test_a_record_on_the_root_counts_in_the_total_only(tree):
    on_city = record(tree["city"])
    city = measure(tree["city"])
    assert (city.total, city.count, city.by_child) == (on_city.pk, 1, {})
    assert measure(tree["long_bien"]).count == 0


def test_nothing_recorded_is_zero(tree):
    city = measure(tree["city"])
    assert (city.total, city.count, city.by_child, city.average) == (0, 0, {}, None)


def test_the_tree_of_then_ignores_later_restructurings(tree, superuser):
    on_bo_de = record(tree["bo_de"])
    restructure(superuser, {"op": "move", "unit": tree["bo_de"].pk, "parent": tree["tay_ho"].pk})
    city = measure(tree["city"])
    assert city.by_child == {tree["long_bien"].pk: on_bo_de.pk}
    assert measure(tree["tay_ho"]).count == 0


# --- a later tree -----------------------------------------------------------------------------


def test_a_date_before_any_restructuring_is_the_tree_of_then(tree):
    for name in ("group", "bo_de", "phuc_loi", "quang_an"):
        record(tree[name])
    then, on_day = measure(tree["city"]), measure(tree["city"], DAY)
    assert (on_day.total, on_day.count, on_day.by_child) == (then.total, then.count, then.by_child)


def test_a_moved_ward_counts_under_its_new_district(tree, superuser):
    on_bo_de, on_group = record(tree["bo_de"]), record(tree["group"])
    restructure(superuser, {"op": "move", "unit": tree["bo_de"].pk, "parent": tree["tay_ho"].pk})
    city = measure(tree["city"], DAY)
    assert city.by_child == {tree["tay_ho"].pk: on_bo_de.pk + on_group.pk}
    assert city.total == on_bo_de.pk + on_group.pk
    assert measure(tree["long_bien"], DAY).count == 0
    # the day before, the old tree
    assert measure(tree["city"], DAY - dt.timedelta(days=1)).by_child == {
        tree["long_bien"].pk: on_bo_de.pk + on_group.pk
    }


def test_a_split_unit_is_carried_by_share(tree, superuser):
    on_long_bien = record(tree["long_bien"])
    on_bo_de = record(tree["bo_de"])
    restructure(
        superuser,
        {
            "op": "split",
            "unit": tree["long_bien"].pk,
            "into": [
                {"code": "N", "name": "Bắc", "share": "0.6", "is_default": True},
                {"code": "S", "name": "Nam", "share": "0.4"},
            ],
        },
    )
    north = Unit.objects.get(code="N", valid_from=DAY)
    south = Unit.objects.get(code="S", valid_from=DAY)
    city = measure(tree["city"], DAY)
    # the district's own record is divided; its wards went whole to the default successor
    assert city.by_child == {
        north.pk: on_long_bien.pk * Decimal("0.6") + on_bo_de.pk,
        south.pk: on_long_bien.pk * Decimal("0.4"),
    }
    assert city.count_by_child == {north.pk: Decimal("1.6"), south.pk: Decimal("0.4")}
    assert (city.total, city.count) == (on_long_bien.pk + on_bo_de.pk, 2)
    assert measure(south, DAY).total == on_long_bien.pk * Decimal("0.4")


def test_an_abolished_level_counts_under_the_parent(tree, superuser):
    on_long_bien, on_bo_de = record(tree["long_bien"]), record(tree["bo_de"])
    restructure(superuser, {"op": "abolish_level", "kind": "district"})
    city = measure(tree["city"], DAY)
    new_bo_de = Unit.objects.get(code=tree["bo_de"].code, valid_from=DAY)
    assert city.by_child == {new_bo_de.pk: on_bo_de.pk}
    assert city.total == on_long_bien.pk + on_bo_de.pk  # the district's own record stays whole


def test_chained_restructurings_multiply_shares(tree, superuser):
    on_bo_de = record(tree["bo_de"])
    restructure(
        superuser,
        {
            "op": "split",
            "unit": tree["bo_de"].pk,
            "into": [
                {"code": "A", "name": "A", "share": "0.25", "is_default": True},
                {"code": "B", "name": "B", "share": "0.75"},
            ],
        },
    )
    b = Unit.objects.get(code="B", valid_from=DAY)
    later = DAY + dt.timedelta(days=100)
    restructure(
        superuser,
        {"op": "merge", "units": [b.pk, tree["quang_an"].pk], "into": {"code": "BQ", "name": "BQ"}},
        day=later,
    )
    a = Unit.objects.get(code="A", valid_from=DAY)
    bq = Unit.objects.get(code="BQ", valid_from=later)
    long_bien = measure(tree["long_bien"], later)
    assert long_bien.by_child == {
        a.pk: on_bo_de.pk * Decimal("0.25"),
        bq.pk: on_bo_de.pk * Decimal("0.75"),
    }
    mapping = successor_map(to_date=later, unit_ids=[tree["bo_de"].pk])
    assert {(s.unit_id, s.share, s.is_default) for s in mapping[tree["bo_de"].pk]} == {
        (a.pk, Decimal("0.25"), True),
        (bq.pk, Decimal("0.75"), False),
    }


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("tree_of", ["then", DAY])
def test_query_count_does_not_grow_with_records(tree, superuser, tree_of):
    restructure(superuser, {"op": "rename", "unit": tree["long_bien"].pk, "name": "Long Biên"})
    citizen = UserFactory(username="citizen")
    record(tree["bo_de"], user=citizen)
    with CaptureQueriesContext(connection) as one:
        assert measure(tree["city"], tree_of).count == 1
    record(tree["group"], user=citizen)
    record(tree["quang_an"], user=citizen)
    with CaptureQueriesContext(connection) as three:
        assert measure(tree["city"], tree_of).count == 3
    assert len(one) == len(three)


@pytest.mark.parametrize(("tree_of", "documented"), [("then", 2), (DAY, 4)])
def test_query_count_is_the_documented_one(tree, superuser, tree_of, documented):
    restructure(superuser, {"op": "rename", "unit": tree["long_bien"].pk, "name": "Long Biên"})
    record(tree["bo_de"])
    with CaptureQueriesContext(connection) as queries:
        measure(tree["city"], tree_of)
    assert len(queries) <= documented


# --- Hà Nội, real data ------------------------------------------------------------------------


def imported_once(django_db_blocker, province: str) -> Iterator[None]:
    """Import inside a transaction that outlives the class's tests and is rolled back after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("import_vietnam", province=province, stdout=StringIO())
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="class")
def hanoi_import(django_db_setup, django_db_blocker):
    yield from imported_once(django_db_blocker, "hanoi")


@pytest.mark.usefixtures("hanoi_import")
class TestHanoi:
    @pytest.fixture
    def long_bien(self):
        """The legacy Long Biên ward split between the most new wards, from the package."""
        legacy = vietnam_data.legacy_units("01")
        district = next(u for u in legacy if u.level == "district" and u.name == "Quận Long Biên")
        wards = {u.code for u in legacy if u.level == "ward" and u.parent_code == district.code}
        successions = defaultdict(list)
        for s in vietnam_data.successions("01"):
            if s.legacy_ward_code in wards:
                successions[s.legacy_ward_code].append(s)
        ward_code = max(sorted(successions), key=lambda code: len(successions[code]))
        return {
            "city": Unit.objects.get(code="01", kind__code="province", valid_from=LEGACY_DATE),
            "district": Unit.objects.get(code=district.code, valid_from=LEGACY_DATE),
            "ward": Unit.objects.get(code=ward_code, valid_from=LEGACY_DATE),
            "successor_codes": {s.current_ward_code for s in successions[ward_code]},
        }

    def test_a_2024_ward_record_rolls_up_to_long_bien_then(self, long_bien):
        records = [record(long_bien["ward"]) for _ in range(3)]
        total = sum(r.pk for r in records)
        then = measure(long_bien["city"])
        assert then.by_child == {long_bien["district"].pk: total}
        assert then.count_by_child == {long_bien["district"].pk: 3}
        district = measure(long_bien["district"])
        assert district.by_child == {long_bien["ward"].pk: total}

    @pytest.mark.parametrize("day", [REFORM_DATE, "today"])
    def test_a_2024_ward_record_rolls_up_to_the_new_wards_by_share(self, long_bien, day):
        day = timezone.localdate() if day == "today" else day
        records = [record(long_bien["ward"]) for _ in range(3)]
        total = sum(r.pk for r in records)
        shares = dict(
            Lineage.objects.filter(predecessor=long_bien["ward"]).values_list(
                "successor_id", "share"
            )
        )
        new_wards = Unit.objects.filter(pk__in=shares)
        assert set(new_wards.values_list("code", flat=True)) == long_bien["successor_codes"]
        assert len(shares) >= 2
        assert {w.parent_id for w in new_wards} == {long_bien["city"].pk}
        now = measure(long_bien["city"], day)
        assert now.by_child == {pk: total * share for pk, share in shares.items()}
        assert now.count_by_child == {pk: 3 * share for pk, share in shares.items()}
        assert (now.total, now.count) == (total, 3)
        assert sum(now.by_child.values()) == total

    def test_a_district_record_stays_with_the_city(self, long_bien):
        on_district = record(long_bien["district"])
        now = measure(long_bien["city"], REFORM_DATE)
        assert (now.total, now.count, now.by_child) == (on_district.pk, 1, {})
        assert measure(long_bien["city"]).by_child == {long_bien["district"].pk: on_district.pk}


# --- property: random trees, restructurings and records --------------------------------------

START = dt.date(2021, 1, 1)
STEP = dt.timedelta(days=61)
TOLERANCE = Decimal("1e-12")


def close_enough(actual: Decimal, expected: Decimal) -> bool:
    return abs(Decimal(actual) - Decimal(expected)) <= TOLERANCE * max(1, abs(Decimal(expected)))


def draw_tree(data) -> Unit:
    root = make_unit("Toàn quốc", code="R", kind_code="nation")
    for p in range(data.draw(st.integers(1, 3), label="provinces")):
        province = make_unit(f"Tỉnh {p}", parent=root, code=f"p{p}")
        for d in range(data.draw(st.integers(0, 3), label="districts")):
            district = make_unit(f"Huyện {p}.{d}", parent=province, code=f"p{p}d{d}")
            for w in range(data.draw(st.integers(0, 3), label="wards")):
                make_unit(f"Xã {p}.{d}.{w}", parent=district, code=f"p{p}d{d}w{w}")
    return root


def draw_shares(data, parts: int) -> list[Decimal]:
    weights = data.draw(st.lists(st.integers(1, 97), min_size=parts, max_size=parts))
    quantum = Decimal("0.00000001")
    shares = [(Decimal(w) / sum(weights)).quantize(quantum) for w in weights[:-1]]
    return [*shares, Decimal(1) - sum(shares)]


def draw_operation(data, step: int, units: list[Unit]) -> dict:
    """One valid operation on units in force; each unit's parent is of a higher level."""
    by_level: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        by_level[unit.kind.order].append(unit)
    mergeable = [level for level, group in by_level.items() if len(group) >= 2]
    op = data.draw(st.sampled_from(["rename", "merge", "split", "move", "abolish_level"]))
    if op == "merge" and mergeable:
        group = by_level[data.draw(st.sampled_from(sorted(mergeable)))]
        olds = data.draw(st.lists(st.sampled_from(group), min_size=2, max_size=3, unique=True))
        into: dict = {"code": f"m{step}", "name": f"Hợp nhất {step}"}
        parents = [u for u in units if u.kind.order < olds[0].kind.order]
        if parents and data.draw(st.booleans(), label="merge elsewhere"):
            into["parent"] = data.draw(st.sampled_from(parents)).pk
        return {"op": "merge", "units": [u.pk for u in olds], "into": into}
    unit = data.draw(st.sampled_from(units), label="unit")
    if op == "split":
        parts = data.draw(st.integers(2, 3), label="parts")
        shares = draw_shares(data, parts)
        default = data.draw(st.integers(0, parts - 1), label="default part")
        return {
            "op": "split",
            "unit": unit.pk,
            "into": [
                {
                    "code": f"s{step}-{i}",
                    "name": f"{unit.name} ({i})",
                    "share": str(share),
                    "is_default": i == default,
                }
                for i, share in enumerate(shares)
            ],
        }
    if op == "move":
        parents = [u for u in units if u.kind.order < unit.kind.order and u.pk != unit.parent_id]
        if parents:
            parent = data.draw(st.sampled_from(parents), label="new parent")
            return {"op": "move", "unit": unit.pk, "parent": parent.pk}
    if op == "abolish_level":
        operation = {
            "op": "abolish_level",
            "kind": data.draw(st.sampled_from(["district", "ward"])),
        }
        provinces = [u for u in units if u.kind.code == "province"]
        if provinces and data.draw(st.booleans(), label="in one province"):
            operation["under"] = data.draw(st.sampled_from(provinces)).pk
        return operation
    return {"op": "rename", "unit": unit.pk, "name": f"{unit.name}'"}


def carried(unit: Unit, day: dt.date, units: dict[int, Unit], edges) -> dict[int, Decimal]:
    """Independent oracle: where a unit's records sit on `day`, following lineage rows."""
    if unit.valid_from > day:
        return {}
    if unit.valid_to is None or unit.valid_to >= day:
        return {unit.pk: Decimal(1)}
    out: dict[int, Decimal] = defaultdict(Decimal)
    for successor_id, share in edges[unit.pk]:
        for final, sub_share in carried(units[successor_id], day, units, edges).items():
            out[final] += share * sub_share
    return dict(out)


class RollupProperties(HypothesisTestCase):
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.differing_executors,  # also run by the subclass below
        ],
    )
    @given(data=st.data())
    def test_every_record_is_counted_once_on_every_tree(self, data):
        actor = UserFactory(username="root")
        actor.is_superuser = True
        actor.save()
        root = draw_tree(data)
        steps = data.draw(st.integers(0, 5), label="restructurings")
        for step in range(1, steps + 1):
            day = START + step * STEP
            in_force = list(
                Unit.objects.valid_on(day - dt.timedelta(days=1))
                .exclude(pk=root.pk)
                .select_related("kind")
            )
            if not in_force:
                break
            operation = draw_operation(data, step, in_force)
            event(operation["op"])
            apply_restructuring(actor, effective_date=day, title=f"#{step}", operations=[operation])

        units = {u.pk: u for u in Unit.objects.select_related("kind")}
        citizen = UserFactory(username="citizen")
        on = data.draw(st.lists(st.sampled_from(sorted(units)), max_size=8), label="records")
        RoleGrant.objects.bulk_create(
            RoleGrant(user=citizen, role="citizen", unit_id=pk, valid_from=units[pk].valid_from)
            for pk in on
        )
        records = list(RoleGrant.objects.filter(role="citizen").values_list("pk", "unit_id"))

        self.check_tree_of_then(root, units, records)
        last = START + steps * STEP
        days = {last, last + dt.timedelta(days=365)}
        days.add(START + data.draw(st.integers(0, steps), label="middle step") * STEP)
        for day in sorted(days):
            self.check_tree_on(day, root, units, records)

    def check_tree_of_then(self, root, units, records) -> None:
        results = {pk: measure(unit) for pk, unit in units.items()}
        for pk, unit in units.items():
            inside = [(r, u) for r, u in records if units[u].path.startswith(unit.path)]
            result = results[pk]
            assert result.total == sum(r for r, _ in inside), unit
            assert result.count == len(inside), unit
            kids = [u for u in units.values() if u.parent_id == pk]
            for kid in kids:
                assert result.by_child.get(kid.pk, 0) == results[kid.pk].total, (unit, kid)
            own = sum(r for r, u in records if u == pk)
            assert sum(result.by_child.values()) + own == result.total, unit
        assert results[root.pk].total == sum(r for r, _ in records)
        # each record sits under exactly one unit of each level above it
        for level in range(1, 4):
            at_level = [u for u in units.values() if len(u.path_ids()) - 1 == level]
            below = [r for r, u in records if len(units[u].path_ids()) - 1 >= level]
            assert sum(results[u.pk].count for u in at_level) == len(below), level

    def check_tree_on(self, day, root, units, records) -> None:
        edges: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        for old, new, share in Lineage.objects.values_list("predecessor", "successor", "share"):
            edges[old].append((new, share))
        in_force = {pk: u for pk, u in units.items() if u.is_valid_on(day)}
        expected_targets = {pk: carried(u, day, units, edges) for pk, u in units.items()}

        mapping = successor_map(to_date=day)
        for pk, unit in units.items():
            if unit.valid_from > day:
                continue
            targets = mapping[pk]
            assert {t.unit_id for t in targets} <= set(in_force), (day, unit)
            assert close_enough(sum(t.share for t in targets), Decimal(1)), (day, unit, targets)
            assert [t.is_default for t in targets].count(True) == 1, (day, unit, targets)
            assert {t.unit_id: t.share for t in targets}.keys() == expected_targets[pk].keys()
            for t in targets:
                assert close_enough(t.share, expected_targets[pk][t.unit_id]), (day, unit)

        def expected_under(unit: Unit) -> tuple[Decimal, Decimal]:
            total = count = Decimal(0)
            for r, u in records:
                for final, share in expected_targets[u].items():
                    if units[final].path.startswith(unit.path):
                        total += r * share
                        count += share
            return total, count

        results = {pk: measure(unit, day) for pk, unit in in_force.items()}
        for pk, unit in in_force.items():
            total, count = expected_under(unit)
            result = results[pk]
            assert close_enough(result.total, total), (day, unit, result.total, total)
            assert close_enough(result.count, count), (day, unit, result.count, count)
            for kid in (u for u in in_force.values() if u.parent_id == pk):
                assert close_enough(result.by_child.get(kid.pk, 0), results[kid.pk].total)
        # conservation: everything recorded on a unit that existed by then is still counted
        existing = [r for r, u in records if units[u].valid_from <= day]
        assert close_enough(results[root.pk].total, Decimal(sum(existing))), day
        assert close_enough(results[root.pk].count, Decimal(len(existing))), day


class RollupPropertiesThroughSubtrees(RollupProperties):
    """The same properties when a roll-up reads its records through subtree prefixes (the path it
    takes for many contributing units, e.g. a whole province) rather than a list of units."""

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(rollup_engine, "_FEW_UNITS", 0)
        patcher.start()
        self.addCleanup(patcher.stop)
