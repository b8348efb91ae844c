import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.mobilization.conftest import cash
from thidua.mobilization import services
from thidua.mobilization.models import Receipt, ReceiptBatch

pytestmark = pytest.mark.django_db
SECRET = "Hoàng Thị Kín Đáo"


def grid(rows):
    data = {"unit": ""}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"r{index}-{key}"] = value
    return data


def test_bulk_grid_records_all_or_nothing(client, drive, tree, people):
    client.force_login(people["group_officer"])
    url = reverse("mobilization:bulk_entry", args=[drive.pk])
    bad = grid(
        [
            {"received_on": "20/10/2024", "donor_name": "A", "kind": "cash", "amount": "200.000"},
            {"received_on": "20/10/2024", "donor_name": "B", "kind": "cash", "amount": "-5"},
            {"received_on": "20/10/2024", "donor_name": "C", "kind": "in kind", "amount": "100000"},
        ]
    )
    bad["unit"] = tree["group"].pk
    response = client.post(url, bad)
    text = response.content.decode()
    assert "Row 2" in text or "Dòng 2" in text
    assert not Receipt.objects.exists()
    good = grid(
        [
            {
                "received_on": "20/10/2024",
                "donor_name": "Nguyễn Văn A",
                "kind": "cash",
                "amount": "200.000",
                "public": "có",
            },
            {
                "received_on": "21/10/2024",
                "donor_name": SECRET,
                "donor_kind": "anonymous",
                "kind": "cash",
                "amount": "500000",
            },
            {
                "received_on": "21/10/2024",
                "donor_name": "Tổ thanh niên",
                "kind": "labour",
                "labour_days": "12",
            },
        ]
    )
    good["unit"] = tree["group"].pk
    assert client.post(url, good).status_code == 302
    assert Receipt.objects.filter(status="recorded").count() == 3
    client.post(url, good)  # the same grid again
    assert Receipt.objects.count() == 3 and ReceiptBatch.objects.count() == 1


def test_template_upload_round_trip_and_wrong_shape(client, drive, tree, people):
    client.force_login(people["group_officer"])
    template = client.get(
        reverse("mobilization:bulk_template", args=[drive.pk]), {"unit": tree["group"].pk}
    )
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    sheet.append(["22/10/2024", "Trần Văn B", "individual", "yes", "cash", 300000])
    sheet.append(
        [
            "22/10/2024",
            "Cửa hàng C",
            "enterprise",
            "yes",
            "in_kind",
            2000000,
            "Gạo",
            20,
            "bao",
            "Cán bộ tổ",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "so-thu.xlsx"
    url = reverse("mobilization:bulk_entry", args=[drive.pk])
    response = client.post(url, {"unit": tree["group"].pk, "file": upload})
    assert response.status_code == 302
    assert Receipt.objects.count() == 2
    wrong = io.BytesIO("ngày,tiền\n20/10/2024,1000\n".encode())
    wrong.name = "x.csv"
    response = client.post(url, {"unit": tree["group"].pk, "file": wrong})
    assert "receipts template" in response.content.decode() or "mẫu" in response.content.decode()
    assert Receipt.objects.count() == 2


def test_forbidden_user_is_refused_on_the_page_and_the_api(client, drive, tree, people):
    client.force_login(people["editor"])
    assert client.get(reverse("mobilization:bulk_entry", args=[drive.pk])).status_code == 403
    response = client.post(
        "/api/v1/mobilization/receipts",
        {
            "fund_id": drive.fund.pk,
            "drive_id": drive.pk,
            "unit_id": tree["group"].pk,
            "kind": "cash",
            "amount": 1000,
            "received_on": "2024-10-20",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Receipt.objects.exists()


def test_an_outsider_gets_404_for_a_receipt(client, drive, tree, people):
    receipt = cash(people["group_officer"], drive, tree["group"])
    from tests.factories import UserFactory, grant

    outsider = UserFactory(username="tay-ho")
    grant(outsider, "officer", tree["tay_ho"])
    client.force_login(outsider)
    assert client.get(reverse("mobilization:receipt", args=[receipt.pk])).status_code == 404
    assert client.post(f"/api/v1/mobilization/receipts/{receipt.pk}/confirm").status_code == 404


def test_confirm_page_and_api(client, drive, tree, people):
    receipt = cash(people["group_officer"], drive, tree["group"])
    client.force_login(people["group_officer"])
    assert client.post(f"/api/v1/mobilization/receipts/{receipt.pk}/confirm").status_code == 403
    client.force_login(people["accountant"])
    page = client.get(reverse("mobilization:confirm_list", args=[drive.fund.pk]))
    assert receipt.number in page.content.decode()
    client.post(
        reverse("mobilization:confirm_list", args=[drive.fund.pk]), {"receipt": [receipt.pk]}
    )
    receipt.refresh_from_db()
    assert receipt.status == "confirmed"
    # reversing a confirmed receipt asks first
    page = client.get(reverse("mobilization:receipt", args=[receipt.pk])).content.decode()
    assert 'data-testid="reverse-form"' in page and "data-confirm=" in page


def test_an_anonymous_donors_real_name_is_in_no_public_output(client, drive, tree, people):
    donor = services.add_donor(
        people["group_officer"],
        unit=tree["group"],
        kind="individual",
        name=SECRET,
        wants_public=False,
    )
    receipt = cash(people["group_officer"], drive, tree["group"], donor=donor)
    services.confirm_receipt(people["accountant"], receipt=receipt)
    disclosure = services.publish_disclosure(
        people["ward_leader"],
        fund=drive.fund,
        period_from=drive.opens_on,
        period_to=drive.closes_on,
        channel="website",
        signer_name="Lê Văn Minh",
        signer_title="Trưởng ban vận động",
    )
    fund = drive.fund.pk
    pages = [
        reverse("public_mobilization:fund", args=[fund]),
        reverse("public_mobilization:ledger", args=[fund]),
        reverse("public_mobilization:ledger", args=[fund]) + "?q=K%C3%ADn",
        reverse("public_mobilization:ledger_csv", args=[fund]),
        reverse("public_mobilization:ledger_json", args=[fund]),
        reverse("public_mobilization:disclosure", args=[disclosure.pk]),
        reverse("public_mobilization:disclosure_file", args=[disclosure.pk, "csv"]),
        reverse("public_mobilization:receipt_check", args=[fund, receipt.number]),
        f"/api/v1/mobilization/public/funds/{fund}/ledger",
        "/",
    ]
    client.logout()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8")
        assert SECRET not in text and "Kín Đáo" not in text, url
    data = json.loads(b"".join(client.get(pages[4]).streaming_content))
    assert data["entries"][0]["donor"] in ("Ẩn danh", "Anonymous")


def test_non_public_accounts_show_only_daily_totals(client, city_fund, tree, people):
    private = city_fund.accounts.get(statements_public=False)
    clerk = people["city_leader"]
    receipt = services.record_receipt(
        clerk,
        fund=city_fund,
        drive=None,
        unit=tree["city"],
        kind="transfer",
        amount=7_000_000,
        account=private,
        bank_ref="FT999",
        received_on=dt.date(2024, 10, 20),
    )
    services.confirm_receipt(_second(tree), receipt=receipt)
    page = client.get(reverse("public_mobilization:ledger", args=[city_fund.pk])).content.decode()
    assert receipt.number not in page
    assert "7.000.000" in page


def _second(tree):
    from tests.factories import UserFactory, grant

    user = UserFactory(username="city-acc")
    grant(user, "officer", tree["city"])
    return user


def test_disclosure_is_frozen_and_verifies_from_its_qr(client, drive, tree, people):
    receipt = cash(people["group_officer"], drive, tree["group"])
    services.confirm_receipt(people["accountant"], receipt=receipt)
    disclosure = services.publish_disclosure(
        people["ward_leader"],
        fund=drive.fund,
        drive=drive,
        period_from=drive.opens_on,
        period_to=drive.closes_on,
        channel="posting",
        signer_name="Lê Văn Minh",
        signer_title="Trưởng ban",
    )
    later = cash(people["group_officer"], drive, tree["group"], amount=900_000)
    services.confirm_receipt(people["accountant"], receipt=later)
    disclosure.refresh_from_db()
    assert later.number not in disclosure.csv_content
    assert services.verify_disclosure(disclosure)
    url = reverse("public_mobilization:disclosure", args=[disclosure.pk])
    ok = client.get(url, {"h": disclosure.csv_sha256}).content.decode()
    assert 'data-testid="disclosure-verified"' in ok
    bad = client.get(url, {"h": "0" * 64}).content.decode()
    assert 'data-testid="disclosure-not-verified"' in bad


def test_launching_a_drive_that_ends_before_it_starts_is_refused_on_the_page(
    client, ward_fund, people
):
    client.force_login(people["ward_leader"])
    url = reverse("mobilization:drive_new", args=[ward_fund.pk])
    response = client.post(
        url, {"title": "Sai", "opens_on": "2024-11-01", "closes_on": "2024-10-01"}
    )
    assert response.status_code == 200 and not ward_fund.drives.exists()
    client.force_login(people["group_officer"])
    assert client.get(url).status_code == 403
