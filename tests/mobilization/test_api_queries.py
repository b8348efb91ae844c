import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory, warm
from tests.mobilization.conftest import cash
from thidua.mobilization import services

pytestmark = pytest.mark.django_db


def confirmed(drive, tree, people, n):
    for index in range(n):
        receipt = cash(people["group_officer"], drive, tree["group"], amount=100_000 + index)
        services.confirm_receipt(people["accountant"], receipt=receipt)


def queries_for(client, url):
    warm(client)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["ledger", "support", "fund"])
def test_public_pages_cost_the_same_queries_for_1_and_3_entries(client, drive, tree, people, page):
    citizen = UserFactory(username="citizen")  # signed in: the public cache does not answer
    client.force_login(citizen)
    url = reverse(f"public_mobilization:{page}", args=[drive.fund.pk])
    confirmed(drive, tree, people, 1)
    one = queries_for(client, url)
    confirmed(drive, tree, people, 2)
    assert queries_for(client, url) == one


def test_public_ledger_api_needs_no_account_and_staff_api_refuses_a_citizen(
    client, drive, tree, people
):
    confirmed(drive, tree, people, 2)
    response = client.get(f"/api/v1/mobilization/public/funds/{drive.fund.pk}/ledger")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert client.get("/api/v1/mobilization/funds").status_code == 401
    client.force_login(UserFactory(username="citizen"))
    assert client.get("/api/v1/mobilization/funds").status_code == 403
    client.force_login(people["accountant"])
    funds = client.get("/api/v1/mobilization/funds").json()
    assert [f["name"] for f in funds["items"]] == [drive.fund.name]


def test_api_records_confirms_and_reverses(client, drive, tree, people):
    client.force_login(people["group_officer"])
    response = client.post(
        "/api/v1/mobilization/receipts",
        {
            "fund_id": drive.fund.pk,
            "drive_id": drive.pk,
            "unit_id": tree["group"].pk,
            "kind": "cash",
            "amount": "-1",
            "received_on": "2024-10-20",
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and "amount" in response.json()["detail"]
    response = client.post(
        "/api/v1/mobilization/receipts",
        {
            "fund_id": drive.fund.pk,
            "drive_id": drive.pk,
            "unit_id": tree["group"].pk,
            "kind": "cash",
            "amount": 300000,
            "received_on": dt.date(2024, 10, 20).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    receipt_id = response.json()["id"]
    client.force_login(people["accountant"])
    assert (
        client.post(f"/api/v1/mobilization/receipts/{receipt_id}/confirm").json()["status"]
        == "confirmed"
    )
    reversal = client.post(
        f"/api/v1/mobilization/receipts/{receipt_id}/reverse",
        {"reason": "Nhầm"},
        content_type="application/json",
    ).json()
    assert reversal["amount"] == -300000
