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


@pytest.fixture
def viewer(db, tree):
    """May see the city's training (an editor) but not organise it."""
    user = UserFactory(username="city-editor")
    grant(user, "editor", tree["city"])
    return user


@pytest.fixture
def today_course(city_officer, tree):
    """A course running yesterday, today and tomorrow, one session a day of 4 hours."""
    from django.utils import timezone

    today = timezone.localdate()
    course = services.create_course(
        city_officer,
        owner_unit=tree["city"],
        title="Lớp tập huấn đang diễn ra",
        level=Course.Level.CITY,
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=1),
    )
    for offset in (-1, 0, 1):
        services.add_session(
            city_officer,
            course=course,
            title=f"Ngày {offset + 2}",
            held_on=today + dt.timedelta(days=offset),
            hours=4,
        )
    return course


@pytest.fixture
def learner_user(db):
    return UserFactory(username="hoc-vien")


@pytest.fixture
def learners_of(city_officer, tree, learner_user):
    """Enrol three learners of Bồ Đề in a course; the first has an account."""

    def enrol(course):
        officers = [
            services.record_officer(
                city_officer,
                unit=tree["group"],
                full_name=name,
                position="Trưởng ban công tác Mặt trận",
                user=learner_user if n == 0 else None,
            )
            for n, name in enumerate(["Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Mai"])
        ]
        return services.enrol(city_officer, course=course, officers=officers)

    return enrol
