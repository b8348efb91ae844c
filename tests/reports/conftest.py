"""Fixtures of the statistics tests: a city Front with wards, people with roles, the regimes,
and small registries (seven movements; honours around the period's edges)."""

import datetime as dt

import pytest

from tests.factories import UserFactory
from thidua.honors import services as honors
from thidua.movements import services as movements
from thidua.reports.regimes import ensure_regimes

YEAR = 2025
START = dt.date(2024, 12, 1)
END = dt.date(2025, 11, 30)


@pytest.fixture
def regimes(db):
    ensure_regimes()


@pytest.fixture
def staff(db, tree):
    return {
        "officer": UserFactory(username="stat-officer", roles=[("officer", tree["city"])]),
        "leader": UserFactory(username="stat-leader", roles=[("leader", tree["city"])]),
        "ward_officer": UserFactory(username="stat-ward", roles=[("officer", tree["quang_an"])]),
        "editor": UserFactory(username="stat-editor", roles=[("editor", tree["city"])]),
        "citizen": UserFactory(username="stat-citizen"),
    }


def _movement(actor, unit, title, starts_on, ends_on, kind, **extra):
    movement = movements.create_movement(
        actor,
        title=title,
        owner_unit=unit,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        schedule="quarterly",
        indicators=[{"name": "Số hoạt động", "targets": {"ward": 1}}],
        **extra,
    )
    return movements.launch_movement(actor, movement=movement, on=starts_on)


@pytest.fixture
def seven_movements(tree, staff):
    """2 city movements in the period (thematic 6 months; regular yearly), 1 cluster movement
    of 2 years, 4 ward movements under a year (thematic), and one outside the period."""
    actor = staff["officer"]
    city, wards = tree["city"], [tree["bo_de"], tree["phuc_loi"], tree["quang_an"]]
    made = [
        _movement(
            actor, city, "Cao điểm 6 tháng", dt.date(2025, 3, 1), dt.date(2025, 8, 31), "thematic"
        ),
        _movement(
            actor, city, "Thi đua năm 2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "periodic"
        ),
        _movement(
            actor,
            city,
            "Giao ước cụm thi đua số 4",
            dt.date(2025, 1, 1),
            dt.date(2026, 12, 31),
            "thematic",
            scope="cluster",
        ),
    ]
    for index, ward in enumerate([*wards, wards[0]]):
        made.append(
            _movement(
                actor,
                ward,
                f"Ra quân làm sạch môi trường {index + 1}",
                dt.date(2025, 4, 1 + index),
                dt.date(2025, 6, 30),
                "thematic",
            )
        )
    # launched before the period: never counted in 2025
    _movement(actor, city, "Phong trào cũ", dt.date(2024, 6, 1), dt.date(2024, 11, 30), "thematic")
    return made


def record(actor, awards, unit, conferred_on, award="bang-khen", **extra):
    return honors.record_honour(
        actor,
        award_type=awards[award],
        recipient_name=extra.pop("name", "Nguyễn Văn An"),
        unit=unit,
        conferred_on=conferred_on,
        **extra,
    )


@pytest.fixture
def ten_certificates(tree, staff, awards):
    """10 individual certificates of merit (Bằng khen) in 2025, 4 to direct workers."""
    made = []
    for index in range(10):
        made.append(
            record(
                staff["leader"],
                awards,
                tree["bo_de"] if index % 2 else tree["quang_an"],
                dt.date(2025, 5, 1 + index),
                name=f"Người được khen {index + 1}",
                is_direct_worker=index < 4,
                gender="female" if index % 3 == 0 else "male",
            )
        )
    return made


@pytest.fixture
def city_reports(regimes, tree, staff):
    """The four reports of TT 02/2023 for the city, 2025, as drafts (by form code)."""
    from thidua.reports.models import StatRegime  # noqa: PLC0415
    from thidua.reports.services import create_reports  # noqa: PLC0415

    reports = create_reports(
        staff["officer"],
        unit=tree["city"],
        year=YEAR,
        regime=StatRegime.objects.get(code="tt-02-2023"),
        receiving_unit="Sở Nội vụ thành phố Hà Nội",
    )
    return {r.form.code: r for r in reports}
