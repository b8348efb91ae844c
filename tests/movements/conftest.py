import datetime as dt

import pytest

from tests.factories import UserFactory, grant
from thidua.movements import services
from thidua.movements.models import Movement


@pytest.fixture
def ward_officer(tree):
    user = UserFactory(username="bode-officer")
    grant(user, "officer", tree["bo_de"])
    return user


@pytest.fixture
def district_leader(tree):
    user = UserFactory(username="lb-leader")
    grant(user, "leader", tree["long_bien"])
    return user


@pytest.fixture
def movement(tree, admin_user) -> Movement:
    """A launched quarterly movement of the city for wards, with a sum and a ratio indicator."""
    from thidua.org.models import UnitKind

    created = services.create_movement(
        admin_user,
        title="Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư",
        owner_unit=tree["city"],
        kind=Movement.Kind.STANDING,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        schedule=Movement.Schedule.QUARTERLY,
        scope_kinds=[UnitKind.objects.get(code="ward")],
        indicators=[
            {
                "name": "Gia đình văn hóa",
                "unit_of_measure": "hộ",
                "aggregation": "sum",
                "targets": {"ward": 100},
            },
            {"name": "Tỷ lệ hộ văn hóa", "aggregation": "ratio"},
        ],
    )
    return services.launch_movement(admin_user, movement=created)


def indicator_ids(movement):
    return [i.pk for i in movement.indicators.all()]
