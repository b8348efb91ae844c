"""A restructuring after a survey moves none of its answers: the results stay on the tree of
then, and are carried to today's units through the lineage, with the same totals."""

import datetime as dt

import pytest

from tests.factories import make_unit
from tests.surveys.helpers import commune, forms, key, launch, staff
from thidua.org.models import Household
from thidua.org.services import apply_restructuring
from thidua.surveys import selectors
from thidua.surveys.models import FrameArea, Response

pytestmark = pytest.mark.django_db


def test_the_2025_merge_does_not_move_2024_answers():
    city = make_unit("Hà Nội", code="01", kind_code="province")
    district = make_unit("Huyện Mỹ Đức", parent=city, code="282")
    wards = [make_unit(f"Xã {n}", parent=district, code=f"X{n}", kind_code="ward") for n in "AB"]
    areas = [
        make_unit(
            "Thôn 1",
            parent=ward,
            code=f"{ward.code}-1",
            kind_code="residential_area",
            households=100,
        )
        for ward in wards
    ]
    admin = staff(city, "administrator", username="city-admin")
    survey = launch(admin, district)
    key(admin, survey, areas[0], forms(60, 10))
    key(admin, survey, areas[1], forms(40, 30))
    before = selectors.results(survey)
    apply_restructuring(
        admin,
        effective_date=dt.date(2025, 7, 1),
        title="Sắp xếp đơn vị hành chính",
        operations=[
            {"op": "merge", "units": ["XA", "XB"], "into": {"code": "XC", "name": "Xã Mỹ Đức mới"}}
        ],
    )
    assert set(Response.objects.values_list("area_id", flat=True)) == {a.pk for a in areas}
    assert set(FrameArea.objects.values_list("area_id", flat=True)) == {a.pk for a in areas}
    then = selectors.results(survey)
    assert [(r.unit.name, r.answered) for r in then.rows] == [
        (r.unit.name, r.answered) for r in before.rows
    ]
    now = selectors.results(survey, tree=dt.date(2025, 7, 2))
    assert now.total.answered == before.total.answered == 140
    assert now.total.households == 200


def test_the_frame_counts_the_household_register_where_an_area_has_one():
    _city, _district, ward, areas = commune(areas=[40, 60], code="10777")
    for n in range(7):
        Household.objects.create(
            unit=areas[0], code=f"HH-{n}", head_name="Hộ", in_area_since=dt.date(2020, 1, 1)
        )
    Household.objects.create(
        unit=areas[0],
        code="HH-gone",
        head_name="Hộ",
        in_area_since=dt.date(2020, 1, 1),
        status=Household.Status.MOVED,
    )
    survey = launch(staff(ward, username="register-officer"), ward)
    frame = {f.area_id: (f.households, f.from_register) for f in survey.frame.all()}
    assert frame == {areas[0].pk: (7, True), areas[1].pk: (60, False)}
    assert selectors.frame_summary(survey)["from_register"] == 1
    Household.objects.create(
        unit=areas[0], code="HH-new", head_name="Hộ", in_area_since=dt.date(2024, 8, 1)
    )
    assert survey.tallies.get(area=areas[0]).households == 7  # frozen
