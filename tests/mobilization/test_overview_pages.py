"""The fund page says when the fund paid out more than it received; the drive page summarises
its units first and ranks them a page at a time (a city has hundreds of wards)."""

import pytest
from django.urls import reverse

from tests.factories import make_unit
from tests.mobilization.conftest import cash
from thidua.mobilization import services

pytestmark = pytest.mark.django_db


def _paid_case(fund, tree, people, amount):
    case = services.survey_case(
        people["group_officer"],
        fund=fund,
        unit=tree["group"],
        kind="house_repair",
        household_class="poor",
        head_name="Nguyễn Văn Nghèo",
        id_number="001085012345",
        requested_amount=amount,
    )
    services.approve_case(people["ward_leader"], case=case, amount=amount, decision_number="1/QĐ")
    services.change_case_status(people["accountant"], case=case, to="in_progress")
    services.disburse(people["accountant"], case=case, amount=amount)
    return case


def test_the_fund_page_warns_when_payments_exceed_receipts(client, drive, tree, people):
    receipt = cash(people["group_officer"], drive, tree["group"], amount=10_000_000)
    services.confirm_receipt(people["ward_leader"], receipt=receipt)
    client.force_login(people["ward_leader"])
    url = reverse("mobilization:fund", args=[drive.fund.pk])
    assert 'data-testid="overdrawn"' not in client.get(url).content.decode()
    _paid_case(drive.fund, tree, people, 40_000_000)  # recorded although beyond the balance
    html = client.get(url).content.decode()
    assert 'data-testid="overdrawn"' in html
    assert "30.000.000 đ" in html


def test_the_drive_page_ranks_its_units_a_page_at_a_time(client, drive, tree, people):
    groups = [
        make_unit(f"Tổ dân phố số {n:02d}", parent=tree["bo_de"], code=f"TDP{n:02d}")
        for n in range(1, 26)
    ]
    for n, group in enumerate(groups[:3]):
        receipt = cash(people["accountant"], drive, group, amount=(n + 1) * 1_000_000)
        services.confirm_receipt(people["ward_leader"], receipt=receipt)
    client.force_login(people["ward_leader"])
    url = reverse("mobilization:drive", args=[drive.pk])
    first = client.get(url).content.decode()
    assert 'data-testid="drive-units-summary"' in first
    table = first.split('data-testid="drive-units"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 20 + 1  # the head, a page of units, the total
    # the largest first, ranked
    assert table.index("Tổ dân phố số 03") < table.index("Tổ dân phố số 02")
    assert "Tổ dân phố số 25" not in table
    assert "page=2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Tổ dân phố số 25" in second.split('data-testid="drive-units"')[1]
    assert "Tổ dân phố số 03" not in second.split('data-testid="drive-units"')[1]
