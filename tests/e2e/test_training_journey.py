"""The training journey of issue 20, in a real browser: a city officer opens a 3-day course,
enrols the heads of one ward's Front Work Committees, ticks three sessions, issues certificates,
one certificate is checked on a 390 px phone, and the ward's coverage shows who is missing."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, grant, make_unit
from thidua.training.models import Officer, TargetRole

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_course_attendance_certificates_check_and_coverage(page, browser, live_server, tree):
    grant(UserFactory(username="city-trainer"), "officer", tree["city"])
    second_area = make_unit("Tổ dân phố 2", parent=tree["bo_de"], code="00127-02")
    names = ["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Thị Hoa", "Phạm Văn Dũng"]
    for n, name in enumerate(names):
        Officer.objects.create(
            full_name=name,
            position="Trưởng ban công tác Mặt trận",
            role=TargetRole.AREA_HEAD,
            unit=tree["group"] if n % 2 else second_area,
        )

    login(page, "city-trainer")
    page.get_by_test_id("nav-training").click()
    page.get_by_test_id("new-course").click()
    page.fill("#id_title", "Tập huấn nghiệp vụ công tác Mặt trận năm 2026")
    page.select_option("#id_level", "city")
    page.fill("#id_starts_on", "2026-11-10")
    page.fill("#id_ends_on", "2026-11-12")
    page.fill("#id_place", "Hội trường Ủy ban MTTQ thành phố")
    page.fill("#id_capacity", "130")
    page.locator("form[data-testid=course-form] button").click()

    topics = ["Chính sách của Đảng và Nhà nước", "Giám sát và phản biện xã hội", "Công tác dân vận"]
    for day, topic in enumerate(topics):
        form = page.get_by_test_id("session-form")
        if not form.is_visible():
            page.get_by_test_id("add-session").click()
        form.locator("#id_title").fill(topic)
        form.locator("#id_held_on").fill(f"2026-11-1{day}")
        form.locator("#id_hours").fill("8")
        form.locator("button").click()
    expect(page.get_by_test_id("sessions").locator("tbody tr")).to_have_count(3)

    enrol = page.get_by_test_id("enrol-form")
    enrol.locator("#id_unit").select_option(label="Phường Bồ Đề")
    enrol.locator("button").click()
    expect(page.get_by_test_id("enrolled")).to_contain_text("4")

    for n in range(3):
        page.get_by_test_id("attendance-link").nth(n).click()
        form = page.get_by_test_id("attendance-form")
        for name in names[:3]:
            form.get_by_label(name).check()
        form.locator("button").click()

    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("completed")).to_have_text("3")
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("certified")).to_have_text("3")

    page.get_by_test_id("certificate-link").first.click()
    check_url = page.get_by_test_id("check-link").get_attribute("href")

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True
    )
    mobile = phone.new_page()
    mobile.goto(check_url)
    expect(mobile.get_by_test_id("verification")).to_have_attribute("data-status", "valid")
    learner = mobile.get_by_test_id("learner").inner_text()
    assert learner in names[:3]
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

    page.goto("/training/coverage/")
    page.select_option("#id_unit", label="Phường Bồ Đề")
    page.fill("#id_since", "2026-01-01")
    page.fill("#id_until", "2026-12-31")
    page.get_by_test_id("coverage-form").locator("button").click()
    missing = page.get_by_test_id("missing")
    expect(missing).to_contain_text("Phạm Văn Dũng")
    expect(missing.locator("tbody tr")).to_have_count(1)
