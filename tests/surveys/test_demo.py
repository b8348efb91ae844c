"""The demo seeder: the Mỹ Đức July 2024 survey as it ran, and the effectiveness survey linked
to the ward's drive under the movement; idempotent."""

import datetime as dt

import pytest

from tests.factories import kind, make_unit
from tests.surveys.helpers import staff
from thidua.demo import surveys as demo
from thidua.movements import selectors as movement_selectors
from thidua.movements import services as movement_services
from thidua.surveys import selectors
from thidua.surveys.models import Survey

pytestmark = pytest.mark.django_db


def test_the_demo_surveys():
    city = make_unit("Thành phố Hà Nội", code="01", kind_code="province")
    district = make_unit(
        "Huyện Mỹ Đức", parent=city, code="282", kind_code="district", valid_to=dt.date(2025, 6, 30)
    )
    for i in range(9):
        make_unit(
            f"Xã {chr(65 + i)}",
            parent=district,
            code=f"282{i}",
            kind_code="ward",
            valid_to=dt.date(2025, 6, 30),
        )
    ward = make_unit("Phường Bồ Đề", parent=city, code="00127", kind_code="ward")
    for i in range(4):
        make_unit(
            f"Tổ dân phố {i + 1}",
            parent=ward,
            code=f"00127-{i}",
            kind_code="residential_area",
            households=100 + 10 * i,
        )
    leader = staff(city, "leader", username="city-leader")
    movement = movement_services.create_movement(
        leader,
        title=demo.MOVEMENT_TITLE,
        owner_unit=city,
        kind="standing",
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2030, 12, 31),
        schedule="yearly",
        scope_kinds=[kind("ward")],
        indicators=[{"name": "Hộ gia đình văn hóa"}],
    )
    movement_services.launch_movement(leader, movement=movement)

    made = demo.seed()
    assert made["my_duc"] == 8028
    my_duc = Survey.objects.get(title=demo.MY_DUC_TITLE)
    total = selectors.results(my_duc).total
    assert (total.households, total.answered) == (10_690, 8_028)
    assert my_duc.frame.count() == 19
    assert len({f.area.parent_id for f in my_duc.frame.select_related("area")}) == 7
    posting = my_duc.postings.get()
    assert (posting.posted_from, posting.posted_to) == (dt.date(2024, 7, 26), dt.date(2024, 8, 5))
    assert my_duc.status == "reported"
    assert total.verdict == "passed"

    effectiveness = Survey.objects.get(title=demo.EFFECTIVENESS_TITLE)
    drive = effectiveness.movement
    results = movement_selectors.results(drive, root=ward)
    assert all(r.value is not None for r in results)

    assert demo.seed() == {"my_duc": 0, "effectiveness": 0}
