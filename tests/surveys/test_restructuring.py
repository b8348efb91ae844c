"""A restructuring after a survey moves none of its answers: the results stay on the tree of
then, and are carried to today's units through the lineage, with the same totals."""

import datetime as dt

import pytest

from tests.factories import make_unit
from tests.surveys.helpers import forms, key, launch, staff
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
