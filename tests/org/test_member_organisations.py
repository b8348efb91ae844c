"""The Front's member organisations: a kind of unit of their own (migration 0005), seeded under
the city by the demo. They are not wards: the ward counts, the "next level" of the city, a
movement's participants and coverage, and the roll-ups' rows stay the wards'."""

import datetime as dt

import pytest

from tests.factories import UserFactory, kind, make_unit
from thidua.demo import organisations as demo_organisations
from thidua.mobilization import selectors as mobilization_selectors
from thidua.mobilization import services as mobilization_services
from thidua.mobilization.models import Fund
from thidua.movements import selectors as movement_selectors
from thidua.movements import services as movement_services
from thidua.org.models import MEMBER_ORGANISATION, Unit, UnitKind
from thidua.practices import selectors as practice_selectors

pytestmark = pytest.mark.django_db
WARDS = 6


@pytest.fixture
def city(db):
    city = make_unit("Thành phố Hà Nội", code="01", kind_code="province")
    for n in range(WARDS):
        make_unit(f"Phường {n}", parent=city, kind_code="ward", code=f"{n:05d}")
    admin = UserFactory(username="admin", roles=[("administrator", city)])
    admin.is_superuser = True
    admin.save()
    return city


def test_the_kind_is_seeded_in_three_languages_after_every_level():
    organisation = UnitKind.objects.get(code=MEMBER_ORGANISATION)
    assert (organisation.name_vi, organisation.name_en, organisation.name_id) == (
        "Tổ chức chính trị - xã hội",
        "Member organisation",
        "Organisasi anggota",
    )
    assert organisation.order > max(
        UnitKind.objects.exclude(code=MEMBER_ORGANISATION).values_list("order", flat=True)
    )


def test_the_demo_seeds_the_five_organisations_under_the_city_once(city):
    made = demo_organisations.seed()
    assert [u.name for u in made] == [name for _code, name in demo_organisations.ORGANISATIONS]
    assert {u.parent_id for u in made} == {city.pk}
    assert {u.kind.code for u in made} == {MEMBER_ORGANISATION}
    demo_organisations.seed()
    assert Unit.objects.filter(kind__code=MEMBER_ORGANISATION).count() == 5


def test_organisations_change_no_ward_count_coverage_or_roll_up(city):
    leader = UserFactory(username="lanhdao-tp", roles=[("leader", city), ("administrator", city)])
    movement = movement_services.create_movement(
        leader,
        title="Toàn dân đoàn kết xây dựng đô thị văn minh",
        owner_unit=city,
        kind="standing",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        schedule="quarterly",
        scope_kinds=[kind("ward")],
        indicators=[{"name": "Gia đình văn hóa", "aggregation": "sum"}],
    )
    fund = mobilization_services.create_fund(
        leader, unit=city, kind=Fund.Kind.FOR_THE_POOR, name="Quỹ Vì người nghèo thành phố"
    )
    drive = mobilization_services.create_drive(
        leader,
        fund=fund,
        title="Tháng cao điểm Vì người nghèo",
        opens_on=dt.date(2026, 10, 17),
        closes_on=dt.date(2026, 11, 18),
    )

    def figures():
        day = dt.date(2026, 12, 1)
        cover = movement_selectors.coverage(movement, root=city)
        return {
            "wards": Unit.objects.filter(parent=city, kind__code="ward").count(),
            "next level": practice_selectors.next_level(city).code,
            "participants": movement_selectors.participants(movement, on=day).count(),
            "expected": cover.total.expected,
            "coverage rows": [row.unit.name for row in cover.rows],
            "drive rows": [
                unit.name for unit, _amount in mobilization_selectors.drive_rollup(drive).rows
            ],
        }

    before = figures()
    demo_organisations.seed()
    assert Unit.objects.filter(parent=city).count() == WARDS + 5
    movement.refresh_from_db()
    from django.core.cache import cache

    cache.clear()
    assert figures() == before
    assert before["wards"] == before["expected"] == WARDS and before["next level"] == "ward"
