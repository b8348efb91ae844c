"""Coverage under the tree of then: a ward merged since still shows its heads of then, each
counted under their unit at the time of the course."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import make_unit
from thidua.org.models import Unit
from thidua.org.services import apply_restructuring
from thidua.training import selectors, services
from thidua.training.models import Course, Officer, TargetRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(city_officer, admin_user, tree):
    """Two heads of Phúc Lợi's areas in 2024, one trained in October 2024; Phúc Lợi and Quảng An
    merged on 1/7/2025 into Phường Mới, where the trained head now serves."""
    areas = [
        make_unit(f"Tổ dân phố {n}", parent=tree["phuc_loi"], code=f"00118-{n:02d}") for n in (1, 2)
    ]
    heads = [
        services.record_officer(city_officer, unit=area, full_name=name, role=TargetRole.AREA_HEAD)
        for area, name in zip(areas, ["Phạm Văn Đức", "Vũ Thị Hạnh"], strict=True)
    ]
    course = services.create_course(
        city_officer,
        owner_unit=tree["phuc_loi"],
        title="Tập huấn 2024",
        level=Course.Level.COMMUNE,
        starts_on=dt.date(2024, 10, 1),
        ends_on=dt.date(2024, 10, 1),
    )
    session = services.add_session(
        city_officer, course=course, title="Nghiệp vụ", held_on=dt.date(2024, 10, 1)
    )
    (enrolment,) = services.enrol(city_officer, course=course, officers=heads[:1])
    services.record_attendance(city_officer, course=course, session=session, present=[enrolment])
    services.close_course(city_officer, course=course)
    apply_restructuring(
        admin_user,
        effective_date=dt.date(2025, 7, 1),
        title="Sắp xếp 2025",
        operations=[
            {
                "op": "merge",
                "units": [tree["phuc_loi"].pk, tree["quang_an"].pk],
                "into": {"code": "X1", "name": "Phường Mới", "parent": tree["tay_ho"].pk},
            }
        ],
    )
    new_ward = Unit.objects.get(name="Phường Mới")
    Officer.objects.filter(pk=heads[0].pk).update(unit=new_ward)  # the person moved with it
    return heads


def test_a_merged_ward_shows_its_heads_of_then(merged, tree):
    trained, untrained = merged
    result = selectors.coverage(
        unit=tree["long_bien"],
        since=dt.date(2024, 1, 1),
        until=dt.date(2024, 12, 31),
        tree="then",
    )
    assert (result.targets, result.trained) == (2, 1)
    assert [o.pk for o in result.missing] == [untrained.pk]
    (row,) = result.rows
    assert (row.unit, row.targets, row.trained) == (tree["phuc_loi"], 2, 1)
    # under today's tree the trained head serves in Tây Hồ now, no longer in Long Biên
    today = selectors.coverage(
        unit=tree["long_bien"], since=dt.date(2024, 1, 1), until=dt.date(2024, 12, 31)
    )
    assert trained.pk not in {o.pk for o in today.missing} and today.trained == 0


def test_the_coverage_page_offers_the_tree_of_then(client, city_officer, merged, tree):
    client.force_login(city_officer)
    response = client.get(
        reverse("training:coverage"),
        {
            "unit": tree["phuc_loi"].pk,  # closed since the merge
            "since": "2024-01-01",
            "until": "2024-12-31",
            "tree": "then",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="tree-then"' in page
    assert "Vũ Thị Hạnh" in page and "1/2" in page


def test_an_officer_left_on_a_merged_ward_follows_it_today(city_officer, admin_user, tree):
    """Nobody updated the officer's record after the merge: today's coverage counts them in the
    ward that carries their old one, not in the old district."""
    (head,) = [
        services.record_officer(
            city_officer, unit=tree["phuc_loi"], full_name="Đỗ Văn Long", role=TargetRole.AREA_HEAD
        )
    ]
    apply_restructuring(
        admin_user,
        effective_date=dt.date(2025, 7, 1),
        title="Sắp xếp 2025",
        operations=[
            {
                "op": "merge",
                "units": [tree["phuc_loi"].pk, tree["quang_an"].pk],
                "into": {"code": "X1", "name": "Phường Mới", "parent": tree["tay_ho"].pk},
            }
        ],
    )
    since, until = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    new_ward = Unit.objects.get(name="Phường Mới")
    here = selectors.coverage(unit=tree["tay_ho"], since=since, until=until)
    assert [o.pk for o in here.missing] == [head.pk]
    (row,) = here.rows
    assert (row.unit, row.targets) == (new_ward, 1)
    assert selectors.coverage(unit=tree["long_bien"], since=since, until=until).targets == 0
