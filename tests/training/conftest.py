import datetime as dt

import pytest

from tests.factories import UserFactory, grant
from thidua.training import services
from thidua.training.models import Course


@pytest.fixture
def city_officer(db, tree):
    user = UserFactory(username="city-trainer")
    grant(user, "officer", tree["city"])
    return user


@pytest.fixture
def outsider(db, tree):
    user = UserFactory(username="tay-ho-officer")
    grant(user, "officer", tree["tay_ho"])
    return user


@pytest.fixture
def course(city_officer, tree):
    course = services.create_course(
        city_officer,
        owner_unit=tree["city"],
        title="Tập huấn nghiệp vụ công tác Mặt trận năm 2026",
        level=Course.Level.CITY,
        starts_on=dt.date(2026, 11, 10),
        ends_on=dt.date(2026, 11, 12),
        place="Hội trường Ủy ban MTTQ thành phố",
        capacity=130,
    )
    for day in range(3):
        services.add_session(
            city_officer,
            course=course,
            title=f"Chuyên đề {day + 1}",
            held_on=dt.date(2026, 11, 10 + day),
            hours=8,
            presenter="TS. Nguyễn Văn Hùng",
        )
    return course
