"""The movement journey of the issue, in a real browser: launch → register → report → accept →
the city dashboard shows the numbers and the change in coverage."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_launch_register_report_accept_dashboard(page, tree):
    UserFactory(username="city-officer", roles=[("officer", tree["city"])])
    grant(UserFactory(username="bode-officer"), "officer", tree["bo_de"])
    grant(UserFactory(username="lb-leader"), "leader", tree["long_bien"])
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. A city officer launches a movement with two indicators.
    login(page, "city-officer")
    page.goto("/movements/new/")
    page.fill("#id_title", "Toàn dân đoàn kết xây dựng đời sống văn hóa")
    page.select_option("#id_kind", "standing")
    page.fill("#id_starts_on", "2026-01-01")
    page.fill("#id_ends_on", "2026-12-31")
    page.select_option("#id_schedule", "quarterly")
    page.get_by_label("Phường / Xã").check()
    page.fill("#id_ind-0-name", "Gia đình văn hóa")
    page.fill("#id_ind-0-unit_of_measure", "hộ")
    page.fill("#id_ind-1-name", "Mô hình tự quản")
    page.select_option("#id_ind-1-aggregation", "count")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.get_by_role("button", name="Phát động").click()
    expect(page.get_by_test_id("movement-status")).to_have_text("Đã phát động")
    movement_url = page.url
    page.get_by_role("link", name="Độ bao phủ và kết quả").click()
    expect(page.get_by_test_id("expected-total")).to_have_text("3")
    expect(page.get_by_test_id("registered-total")).to_have_text(re.compile(r"^0 \(0\s%\)$"))
    logout(page)

    # 2. The ward officer registers with a congress work and submits a report.
    login(page, "bode-officer")
    page.goto(movement_url)
    page.get_by_role("link", name="Đăng ký").click()
    page.get_by_label("Chỉ tiêu đăng ký: Gia đình văn hóa (hộ)").fill("120")
    page.get_by_role("button", name="Gửi đăng ký").click()
    expect(page.get_by_test_id("registration-status")).to_have_text("Đã gửi")
    page.fill("#id_title", "Tuyến phố văn minh chào mừng Đại hội")
    page.get_by_label("Công trình chào mừng Đại hội").check()
    page.get_by_role("button", name="Thêm công trình").click()
    expect(page.locator("table.table").first).to_contain_text("Tuyến phố văn minh")
    page.goto(movement_url)
    page.get_by_role("link", name="Báo cáo của Phường Bồ Đề").first.click()
    page.get_by_label("Gia đình văn hóa (hộ)").fill("85")
    page.get_by_label("Mô hình tự quản").fill("3")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã gửi")
    logout(page)

    # 3. The leader of the ward's parent (Long Biên) accepts it from the staff home.
    login(page, "lb-leader")
    page.get_by_test_id("work-items").get_by_role(
        "link", name="Chấp nhận hoặc trả lại"
    ).first.click()
    page.get_by_role("button", name="Chấp nhận").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã chấp nhận")
    logout(page)

    # 4. The city dashboard shows the numbers and the coverage change.
    login(page, "city-officer")
    page.goto(movement_url)
    page.get_by_role("link", name="Độ bao phủ và kết quả").click()
    page.select_option("#id_period", label="2026-Q1")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("registered-total")).to_have_text(re.compile(r"^1 \(33,3\s%\)$"))
    expect(page.get_by_test_id("reported-total")).to_have_text(re.compile(r"^1 \(33,3\s%\)$"))
    expect(page.get_by_test_id("result-1")).to_contain_text("85")
    expect(page.get_by_test_id("result-2")).to_contain_text("1")
    expect(page.get_by_test_id("coverage-table")).to_contain_text("Quận Long Biên")
