import datetime as dt

import pytest

from tests.factories import UserFactory, grant
from thidua.mobilization import services
from thidua.mobilization.models import Fund

OPENS = dt.date(2024, 10, 16)
CLOSES = dt.date(2024, 11, 18)


@pytest.fixture
def people(tree):
    def person(username, role, unit, full_name):
        user = UserFactory(username=username, full_name=full_name)
        grant(user, role, unit)
        return user

    return {
        "city_leader": person("city-leader", "leader", tree["city"], "Trần Thị Hà"),
        "ward_leader": person("bd-leader", "leader", tree["bo_de"], "Lê Văn Minh"),
        "accountant": person("bd-accountant", "officer", tree["bo_de"], "Phạm Thu Hương"),
        "group_officer": person("to1-officer", "officer", tree["group"], "Nguyễn Văn Tổ"),
        "editor": person("editor", "editor", tree["city"], "Đỗ Biên Tập"),
    }


@pytest.fixture
def ward_fund(tree, people):
    return services.create_fund(
        people["ward_leader"],
        unit=tree["bo_de"],
        kind=Fund.Kind.FOR_THE_POOR,
        name="Quỹ Vì người nghèo phường Bồ Đề",
    )


@pytest.fixture
def city_fund(tree, people):
    fund = services.create_fund(
        people["city_leader"],
        unit=tree["city"],
        kind=Fund.Kind.FOR_THE_POOR,
        name="Quỹ Vì người nghèo TP Hà Nội",
    )
    services.add_account(
        people["city_leader"],
        fund=fund,
        bank="Agribank Hà Nội",
        number="1500201088888",
        holder="Ủy ban MTTQ Việt Nam TP Hà Nội",
        statements_public=True,
        bank_bin="970405",
    )
    services.add_account(
        people["city_leader"],
        fund=fund,
        bank="Kho bạc Nhà nước Hà Nội",
        number="3761.0.1234567",
        holder="Ủy ban MTTQ Việt Nam TP Hà Nội",
        statements_public=False,
    )
    return fund


@pytest.fixture
def drive(ward_fund, people, tree):
    return services.create_drive(
        people["ward_leader"],
        fund=ward_fund,
        title="Tháng cao điểm Vì người nghèo 2024",
        opens_on=OPENS,
        closes_on=CLOSES,
        target_cash=50_000_000,
    )


def cash(actor, drive, unit, amount=500_000, donor=None, day=dt.date(2024, 10, 20), **kw):
    return services.record_receipt(
        actor,
        fund=drive.fund,
        drive=drive,
        unit=unit,
        kind="cash",
        amount=amount,
        donor=donor,
        received_on=day,
        **kw,
    )
