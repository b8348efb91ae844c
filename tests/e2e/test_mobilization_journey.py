"""The mobilisation journey of the issue, in a real browser: a residential committee officer
records door-to-door receipts in bulk, the ward accountant confirms them, one is reversed, the
public ledger shows the original and the reversal and the balance returns, then a disclosure
snapshot is published and verified from its QR link."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory, grant
from thidua.mobilization import services
from thidua.mobilization.models import Disclosure, Receipt

pytestmark = pytest.mark.django_db(transaction=True)
HIDDEN = "Phạm Văn Giấu Tên"


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_bulk_receipts_confirm_reverse_public_ledger_disclosure(page, tree):
    leader = UserFactory(username="bode-leader", full_name="Lê Văn Minh")
    grant(leader, "leader", tree["bo_de"])
    grant(UserFactory(username="bode-accountant"), "officer", tree["bo_de"])
    grant(UserFactory(username="tdp-officer"), "officer", tree["group"])
    fund = services.create_fund(
        leader, unit=tree["bo_de"], kind="for_the_poor", name="Quỹ Vì người nghèo phường Bồ Đề"
    )
    today = timezone.localdate()
    drive = services.create_drive(
        leader,
        fund=fund,
        title="Vận động ủng hộ Quỹ Vì người nghèo",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20),
        target_cash=10_000_000,
    )
    day = today.strftime("%d/%m/%Y")

    # 1. The residential committee officer records three door-to-door gifts in the grid.
    login(page, "tdp-officer")
    page.goto(f"/mobilization/drives/{drive.pk}/entry/?unit={tree['group'].pk}")
    rows = [
        ("Nguyễn Văn An", "individual", "yes", "cash", "200.000", ""),
        (HIDDEN, "anonymous", "no", "cash", "500.000", ""),
        ("Đoàn thanh niên tổ 1", "organisation", "yes", "labour", "", "12"),
    ]
    for index, (name, donor_kind, public, kind, amount, days) in enumerate(rows):
        page.fill(f"input[name='r{index}-received_on']", day)
        page.fill(f"input[name='r{index}-donor_name']", name)
        page.fill(f"input[name='r{index}-donor_kind']", donor_kind)
        page.fill(f"input[name='r{index}-public']", public)
        page.fill(f"input[name='r{index}-kind']", kind)
        page.fill(f"input[name='r{index}-amount']", amount)
        page.fill(f"input[name='r{index}-labour_days']", days)
    page.get_by_test_id("grid-submit").click()
    expect(page.get_by_test_id("recent").locator("tbody tr")).to_have_count(3)
    logout(page)

    # 2. The ward accountant confirms them.
    login(page, "bode-accountant")
    page.goto(f"/mobilization/funds/{fund.pk}/")
    page.get_by_test_id("confirm-link").click()
    expect(page.get_by_test_id("to-confirm").locator("tbody tr")).to_have_count(3)
    page.get_by_test_id("confirm-submit").click()
    expect(page.get_by_test_id("to-confirm")).to_have_count(0)
    assert Receipt.objects.filter(status="confirmed").count() == 3

    # 3. One is reversed (the 200.000 đ was entered twice on paper).
    wrong = Receipt.objects.get(amount=200_000)
    page.goto(f"/mobilization/receipts/{wrong.pk}/")
    page.get_by_test_id("reverse-form").locator("textarea, input[name='reason']").fill(
        "Ghi trùng với phiếu giấy"
    )
    asked = []  # reversing asks first
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_test_id("reverse-form").locator("button").click()
    expect(page.get_by_test_id("receipt-status")).to_contain_text(
        re.compile("Reversed|Đã hủy|Đã đảo")
    )
    assert asked
    logout(page)

    # 4. The public ledger shows the original and the reversal; the balance is back.
    reversal = Receipt.objects.get(reverses=wrong)
    page.goto(f"/p/funds/{fund.pk}/ledger/")
    ledger = page.get_by_test_id("public-ledger")
    expect(ledger).to_contain_text(wrong.number)
    expect(ledger).to_contain_text(reversal.number)
    expect(ledger).to_contain_text("Ẩn danh")
    expect(ledger).not_to_contain_text(HIDDEN)
    page.goto(f"/p/funds/{fund.pk}/")
    expect(page.get_by_test_id("balance")).to_have_text("500.000 đ")

    # 5. The ward leader publishes a disclosure; its QR link verifies it.
    login(page, "bode-leader")
    page.goto(f"/mobilization/funds/{fund.pk}/disclose/")
    form = page.get_by_test_id("disclosure-form")
    form.locator("#id_period_from").fill((today - dt.timedelta(days=10)).isoformat())
    form.locator("#id_period_to").fill(today.isoformat())
    form.locator("#id_channel").select_option("website")
    form.locator("#id_signer_name").fill("Lê Văn Minh")
    form.locator("#id_signer_title").fill("Trưởng ban vận động")
    form.locator("button").click()
    expect(page.get_by_test_id("csv-hash")).to_be_visible()
    disclosure = Disclosure.objects.get()
    expect(page.get_by_test_id("disclosure-qr")).to_be_visible()
    logout(page)
    page.goto(f"/p/disclosures/check/?h={disclosure.csv_sha256}")
    expect(page.get_by_test_id("disclosure-verified")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(HIDDEN)
