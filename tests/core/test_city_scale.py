"""At Hà Nội's scale (126 wards, 2,054 residential groups) every default list and dashboard
shows at most ~100 table rows before paging, and offers the next page."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory, kind, make_unit
from thidua.movements import services as movement_services
from thidua.org.models import Unit
from thidua.org.services import place_units

pytestmark = pytest.mark.django_db

WARDS, GROUPS = 126, 2054
MAX_ROWS = 100


@pytest.fixture
def hanoi(db):
    city = make_unit("Thành phố Hà Nội", code="01", kind_code="province")
    ward_kind, group_kind = kind("ward"), kind("residential_area")
    wards = place_units(
        [
            Unit(
                code=f"W{n:03}",
                name=f"Phường {n}",
                kind=ward_kind,
                parent=city,
                valid_from=dt.date(2020, 1, 1),
            )
            for n in range(WARDS)
        ]
    )
    place_units(
        [
            Unit(
                code=f"G{n:04}",
                name=f"Tổ dân phố {n % 30 + 1}",
                kind=group_kind,
                parent=wards[n % WARDS],
                valid_from=dt.date(2020, 1, 1),
            )
            for n in range(GROUPS)
        ]
    )
    leader = UserFactory(username="lanhdao-city", roles=[("leader", city), ("administrator", city)])
    movement = movement_services.create_movement(
        leader,
        title="Toàn dân đoàn kết",
        owner_unit=city,
        kind="standing",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        schedule="quarterly",
        scope_kinds=[ward_kind, group_kind],
        indicators=[{"name": "Gia đình văn hóa", "aggregation": "sum"}],
    )
    movement = movement_services.launch_movement(leader, movement=movement)
    return {"city": city, "wards": wards, "leader": leader, "movement": movement}


def _rows(html: str) -> int:
    return len(re.findall(r"<tr[\s>]", html))


def _pages(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_every_default_list_and_dashboard_pages_at_city_scale(client, hanoi):
    assert Unit.objects.count() == 1 + WARDS + GROUPS
    client.force_login(hanoi["leader"])
    movement, period = hanoi["movement"], hanoi["movement"].periods.first()
    dashboard = reverse("movements:dashboard", args=[movement.pk])
    pages = {
        "dashboard": (dashboard, {}),
        "dashboard of a period": (dashboard, {"period": period.pk}),
        "practices coverage": (reverse("practices:coverage"), {}),
        "practices coverage by residential group": (
            reverse("practices:coverage"),
            {"kind": "residential_area"},
        ),
        "movements": (reverse("movements:list"), {}),
        "practices": (reverse("practices:list"), {}),
        "exemplars": (reverse("practices:exemplar_list"), {}),
        "initiative calls": (reverse("initiatives:call_list"), {}),
    }
    for name, (url, params) in pages.items():
        html = _pages(client, url, params)
        assert _rows(html) <= MAX_ROWS, (name, _rows(html))
    # The pages that have more rows than that say so and link to the next page.
    for name in ("dashboard", "practices coverage", "practices coverage by residential group"):
        url, params = pages[name]
        html = _pages(client, url, params)
        assert 'class="pagination"' in html and "page=2" in html, name
        assert _rows(_pages(client, url, {**params, "page": 2})) <= MAX_ROWS


def test_coverage_opens_on_the_next_level_with_the_gaps_first(client, hanoi):
    client.force_login(hanoi["leader"])
    response = client.get(reverse("practices:coverage"))
    assert response.context["kind"].code == "ward"
    assert len(response.context["cover"].rows) == WARDS
    assert response.context["page"].paginator.count == WARDS
    html = response.content.decode()
    assert 'data-testid="coverage-per-field"' in html or not response.context["cover"].fields


def test_dashboard_ranks_searches_and_filters_the_units_below(client, hanoi):
    client.force_login(hanoi["leader"])
    url = reverse("movements:dashboard", args=[hanoi["movement"].pk])
    response = client.get(url)
    assert response.context["rows_page"].paginator.count == WARDS
    assert "126" in response.content.decode()  # the summary counts every ward
    found = client.get(url, {"q": "phuong 12"}).context["rows_page"].object_list
    assert {row.unit.name for row in found} == {"Phường 12"} | {
        f"Phường {n}" for n in range(120, 126)
    }
    by_name = client.get(url, {"sort": "name"}).context["rows_page"].object_list
    names = [row.unit.name for row in by_name]
    assert names == sorted(names, key=str.casefold)
    # a ward leader's dashboard opens on their ward: its residential groups
    ward = hanoi["wards"][0]
    ward_leader = UserFactory(username="lanhdao-phuong", roles=[("leader", ward)])
    client.force_login(ward_leader)
    own = client.get(url)
    assert own.context["root"] == ward
    assert _rows(own.content.decode()) <= MAX_ROWS
