"""`import_vietnam`: the legacy tree (2024-01-01), the 2025 reform and its lineage.

Expected figures are derived from the packages through `thidua.org.vietnam_data` and, for the
headline numbers of the issue, also pinned as literals. Each class imports once (a class-scoped
transaction rolled back at the end) and every test runs in a savepoint inside it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from thidua.core import audit
from thidua.core.models import AuditEvent
from thidua.org import vietnam_data
from thidua.org.models import Lineage, Restructuring, Unit
from thidua.org.selectors import children, subtree, successor_map, tree_as_of
from thidua.org.vietnam_import import LEGACY_DATE, NATION_CODE, REFORM_DATE

pytestmark = pytest.mark.django_db

HANOI = "01"


def run_import(province: str | None = None) -> str:
    out = StringIO()
    if province is None:
        call_command("import_vietnam", stdout=out)
    else:
        call_command("import_vietnam", province=province, stdout=out)
    return out.getvalue()


def imported_once(django_db_blocker, province: str | None) -> Iterator[None]:
    """Import inside a transaction that outlives the class's tests and is rolled back after. (How
    long the import takes is measured by `benchmarks/seed.py`, never asserted here.)"""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        run_import(province)
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "lineage": Lineage.objects.count(),
        "restructurings": Restructuring.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def tree_signature() -> list[tuple]:
    return list(
        Unit.objects.order_by("pk").values_list(
            "pk", "code", "name", "parent_id", "path", "valid_from", "valid_to"
        )
    )


def assert_successors_are_whole(mapping, *, in_force: set[int]) -> None:
    """Every unit's successors carry exactly all of it, one is the default, all are in force."""
    for pk, targets in mapping.items():
        assert targets, f"unit {pk} has no successor"
        assert sum(t.share for t in targets) == Decimal(1), (pk, targets)
        assert [t.is_default for t in targets].count(True) == 1, (pk, targets)
        assert {t.unit_id for t in targets} <= in_force, (pk, targets)


# --- Hà Nội -----------------------------------------------------------------------------------


@pytest.fixture(scope="class")
def hanoi_import(django_db_setup, django_db_blocker):
    yield from imported_once(django_db_blocker, "hanoi")


@pytest.fixture
def package_hanoi():
    legacy = vietnam_data.legacy_units(HANOI)
    current = vietnam_data.current_units(HANOI)
    return {
        "districts": [u for u in legacy if u.level == "district"],
        "legacy_wards": [u for u in legacy if u.level == "ward"],
        "current_wards": [u for u in current if u.level == "ward"],
        "successions": vietnam_data.successions(HANOI),
    }


def legacy_hanoi() -> Unit:
    return Unit.objects.get(code=HANOI, kind__code="province", valid_from=LEGACY_DATE)


def legacy_district(name: str) -> Unit:
    return Unit.objects.get(name=name, kind__code="district", valid_from=LEGACY_DATE)


@pytest.mark.usefixtures("hanoi_import")
class TestHanoi:
    def test_legacy_tree_has_the_package_districts_and_wards(self, package_hanoi):
        city = legacy_hanoi()
        districts = list(children(city, as_of=LEGACY_DATE))
        wards = subtree(city, as_of=LEGACY_DATE).filter(kind__code="ward")
        assert {(u.code, u.name) for u in districts} == {
            (u.code, u.name) for u in package_hanoi["districts"]
        }
        assert {u.kind.code for u in districts} == {"district"}
        assert wards.count() == len(package_hanoi["legacy_wards"])
        assert set(wards.values_list("code", flat=True)) == {
            u.code for u in package_hanoi["legacy_wards"]
        }
        assert (len(districts), wards.count()) == (30, 526)

    @pytest.mark.parametrize(("name", "expected"), [("Quận Long Biên", 13), ("Quận Tây Hồ", 8)])
    def test_legacy_district_has_its_wards(self, package_hanoi, name, expected):
        package_district = next(u for u in package_hanoi["districts"] if u.name == name)
        package_wards = {
            u.code for u in package_hanoi["legacy_wards"] if u.parent_code == package_district.code
        }
        district = legacy_district(name)
        wards = children(district, as_of=LEGACY_DATE)
        assert set(wards.values_list("code", flat=True)) == package_wards
        assert wards.count() == len(package_wards) == expected

    def test_current_tree_has_wards_directly_under_the_city(self, package_hanoi):
        city = legacy_hanoi()  # Hà Nội continues as the same unit
        assert city.valid_to is None
        now = list(children(city, as_of=REFORM_DATE))
        assert {u.kind.code for u in now} == {"ward"}
        assert {(u.code, u.name) for u in now} == {
            (u.code, u.name) for u in package_hanoi["current_wards"]
        }
        assert len(now) == len(package_hanoi["current_wards"]) == 126
        assert not subtree(city, as_of=REFORM_DATE).filter(kind__code="district").exists()
        # the day before the reform the old tree is still whole
        before = subtree(city, as_of=REFORM_DATE - dt.timedelta(days=1))
        assert Counter(before.values_list("kind__code", flat=True)) == {
            "province": 1,
            "district": 30,
            "ward": 526,
        }

    def test_every_legacy_ward_has_whole_successors(self, package_hanoi):
        city = legacy_hanoi()
        legacy = subtree(city, as_of=LEGACY_DATE).exclude(pk=city.pk)
        in_force = set(subtree(city, as_of=REFORM_DATE).values_list("pk", flat=True))
        mapping = successor_map(
            LEGACY_DATE, REFORM_DATE, unit_ids=legacy.values_list("pk", flat=True)
        )
        assert len(mapping) == 30 + 526
        assert_successors_are_whole(mapping, in_force=in_force)
        # districts go to the city itself
        for district in legacy.filter(kind__code="district"):
            assert [(t.unit_id, t.share) for t in mapping[district.pk]] == [(city.pk, 1)]

    def test_ward_lineage_follows_the_package(self, package_hanoi):
        expected: dict[str, dict[str, tuple[float, bool]]] = defaultdict(dict)
        for s in package_hanoi["successions"]:
            expected[s.legacy_ward_code][s.current_ward_code] = (s.share, s.is_default)
        rows = Lineage.objects.filter(
            predecessor__kind__code="ward", predecessor__valid_from=LEGACY_DATE
        ).values_list("predecessor__code", "successor__code", "share", "is_default")
        stored: dict[str, dict[str, tuple[Decimal, bool]]] = defaultdict(dict)
        for old, new, share, is_default in rows:
            stored[old][new] = (share, is_default)
        assert stored.keys() == expected.keys()
        assert len(stored) == len(package_hanoi["legacy_wards"])
        for old, targets in expected.items():
            assert stored[old].keys() == targets.keys(), old
            assert sum(share for share, _ in stored[old].values()) == Decimal(1), old
            for new, (share, is_default) in targets.items():
                assert stored[old][new][1] is is_default, (old, new)
                assert abs(float(stored[old][new][0]) - share) < 1e-7, (old, new)

    def test_import_records_one_restructuring_and_audit_event(self):
        restructuring = Restructuring.objects.get()
        assert restructuring.effective_date == REFORM_DATE
        assert restructuring.opened_units.filter(kind__code="ward").count() == 126
        assert restructuring.closed_units.count() == 30 + 526
        verbs = Counter(AuditEvent.objects.values_list("verb", flat=True))
        assert verbs == {"org.create_unit": 1, "org.import_vietnam": 1}
        assert audit.verify_chain() == (2, None)

    def test_second_import_changes_nothing(self):
        before, signature = counts(), tree_signature()
        output = run_import("hanoi")
        assert "Already imported" in output
        assert counts() == before
        assert tree_signature() == signature

    @pytest.mark.parametrize("query", ["01", "Hà Nội", "Thành phố Hà Nội"])
    def test_other_spellings_of_hanoi_are_the_same_import(self, query):
        before = counts()
        run_import(query)
        assert counts() == before


# --- the whole country ------------------------------------------------------------------------


@pytest.fixture(scope="class")
def country_import(django_db_setup, django_db_blocker):
    yield from imported_once(django_db_blocker, None)


def nation() -> Unit:
    return Unit.objects.get(code=NATION_CODE, parent__isnull=True)


@pytest.mark.usefixtures("country_import")
class TestCountry:
    def test_legacy_tree(self):
        package = Counter(u.level for u in vietnam_data.legacy_units())
        units = subtree(nation(), as_of=LEGACY_DATE)
        stored = Counter(units.values_list("kind__code", flat=True))
        assert stored == {"nation": 1, **package}
        assert (stored["province"], stored["district"], stored["ward"]) == (63, 696, 10035)

    def test_current_tree(self):
        package = vietnam_data.current_units()
        units = subtree(nation(), as_of=REFORM_DATE)
        stored = Counter(units.values_list("kind__code", flat=True))
        assert stored == {"nation": 1, **Counter(u.level for u in package)}
        assert (stored["province"], stored["ward"]) == (34, 3321)
        assert "district" not in stored
        provinces = units.filter(kind__code="province")
        assert set(provinces.values_list("code", "name")) == {
            (u.code, u.name) for u in package if u.level == "province"
        }
        wards_by_province = defaultdict(set)
        for code, parent_code in units.filter(kind__code="ward").values_list(
            "code", "parent__code"
        ):
            wards_by_province[parent_code].add(code)
        expected = defaultdict(set)
        for unit in package:
            if unit.level == "ward":
                expected[unit.parent_code].add(unit.code)
        assert wards_by_province == expected

    def test_the_units_still_open_are_the_current_tree(self):
        assert tree_as_of(REFORM_DATE).count() == 1 + 34 + 3321
        assert set(tree_as_of(REFORM_DATE).values_list("pk", flat=True)) == set(
            Unit.objects.filter(valid_to__isnull=True).values_list("pk", flat=True)
        )

    def test_every_legacy_unit_has_whole_successors(self):
        legacy = Unit.objects.filter(valid_from=LEGACY_DATE).exclude(code=NATION_CODE)
        in_force = set(tree_as_of(REFORM_DATE).values_list("pk", flat=True))
        mapping = successor_map(
            LEGACY_DATE, REFORM_DATE, unit_ids=legacy.values_list("pk", flat=True)
        )
        assert len(mapping) == 63 + 696 + 10035
        assert_successors_are_whole(mapping, in_force=in_force)

    def test_wardless_island_districts_go_to_their_ward(self):
        expected = vietnam_data.legacy_wardless_district_successors()
        assert len(expected) == 5
        rows = Lineage.objects.filter(
            predecessor__code__in=expected, predecessor__kind__code="district"
        )
        assert {(r.predecessor.code, r.successor.code) for r in rows} == set(expected.items())
        assert {r.successor.kind.code for r in rows} == {"ward"}

    def test_lineage_rows_are_the_package_successions(self):
        wards = Lineage.objects.filter(predecessor__kind__code="ward").count()
        districts = Lineage.objects.filter(predecessor__kind__code="district").count()
        assert wards == len(vietnam_data.successions())
        assert districts == len([u for u in vietnam_data.legacy_units() if u.level == "district"])

    def test_second_import_changes_nothing(self):
        before, signature = counts(), tree_signature()
        output = run_import(None)
        assert "Already imported" in output
        assert counts() == before
        assert tree_signature() == signature
