"""The practice journey of the issue, in a real browser: a residential group records a practice,
the ward leader nurtures and summarises it, another ward replicates it, the city sees reach 2
and the coverage table change."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, grant
from thidua.shared.models import Field

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_record_nurture_summarise_replicate_reach(page, tree):
    Field.objects.create(
        code="environment",
        name_vi="Mỹ quan đô thị – môi trường",
        name_en="Urban beauty",
        name_id="Keindahan kota",
    )
    grant(UserFactory(username="tdp-officer"), "officer", tree["group"])
    grant(UserFactory(username="bode-leader"), "leader", tree["bo_de"])
    grant(UserFactory(username="qa-officer"), "officer", tree["quang_an"])
    grant(UserFactory(username="city-leader"), "leader", tree["city"])

    # The city sees Quảng An without a practice.
    login(page, "city-leader")
    page.goto(f"/practices/coverage/?unit={tree['city'].pk}&kind=ward")
    expect(
        page.get_by_test_id("practice-coverage").get_by_role("row", name="Phường Quảng An")
    ).to_contain_text("chưa có")
    logout(page)

    # 1. A residential-group officer records a practice.
    login(page, "tdp-officer")
    page.goto("/practices/new/")
    page.fill("#id_title", "Tuyến phố xanh – sạch – đẹp")
    page.select_option("#id_field", label="Mỹ quan đô thị – môi trường")
    page.fill("#id_started_on", "2026-01-05")
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_test_id("practice-stage")).to_have_text("Phát hiện")
    practice_url = page.url
    logout(page)

    # 2. The ward leader sets a nurture plan, nurtures, writes the summary, summarises.
    login(page, "bode-leader")
    page.goto(practice_url)
    page.get_by_text("Lập kế hoạch bồi dưỡng").click()
    page.fill("#id_mentoring_unit", tree["bo_de"].code)
    page.fill("#id_checkpoints", "2026-03-01; Trồng 200 cây xanh")
    page.locator("form[action$='/plan/'] button").click()
    page.select_option("#id_to_stage", "nurtured")
    page.get_by_role("button", name="Chuyển giai đoạn").last.click()
    expect(page.get_by_test_id("practice-stage")).to_have_text("Đang bồi dưỡng")
    page.get_by_text("Viết báo cáo tổng kết").click()
    page.fill("#id_results", "Ngõ phố sạch, 200 cây xanh")
    page.fill("#id_lessons", "Người dân cùng làm")
    page.fill("#id_how_to_replicate", "Ra quân mỗi Chủ nhật")
    page.locator("form[action$='/summary/'] button").click()
    page.select_option("#id_to_stage", "summarised")
    page.get_by_role("button", name="Chuyển giai đoạn").last.click()
    expect(page.get_by_test_id("practice-stage")).to_have_text("Đã tổng kết")
    logout(page)

    # 3. Another ward replicates it.
    login(page, "qa-officer")
    page.goto(practice_url)
    page.fill("#id_adaptations", "Áp dụng cho các tuyến ven hồ")
    page.get_by_role("button", name="Nhân rộng").click()
    expect(page.get_by_test_id("practice-stage")).to_have_text("Phát hiện")
    logout(page)

    # 4. The city sees reach 2 and the coverage table updated.
    login(page, "city-leader")
    page.goto(practice_url)
    expect(page.get_by_test_id("practice-stage")).to_have_text("Đã nhân rộng")
    expect(page.get_by_test_id("reach")).to_contain_text("2 đơn vị")
    page.goto(f"/practices/coverage/?unit={tree['city'].pk}&kind=ward")
    expect(
        page.get_by_test_id("practice-coverage").get_by_role("row", name="Phường Quảng An")
    ).not_to_contain_text("chưa có")
