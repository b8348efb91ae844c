"""The inbox journey of issue 12, in a real browser: a ward officer submits a report → the city
leader has a notification, sees the report first in their inbox with a count, opens it and
accepts it from there. Wards sit directly under the city (the 2025 tree)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, make_unit
from thidua.movements import services
from thidua.movements.models import Movement

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_ward_report_reaches_the_city_leader_who_accepts_it_from_the_inbox(page):
    from django.utils import timezone

    from thidua.org.models import UnitKind

    today = timezone.localdate()

    city = make_unit("Thành phố Hà Nội", code="01", kind_code="province")
    ward = make_unit("Phường Bồ Đề", parent=city, code="26878", kind_code="ward")
    UserFactory(username="bode-officer", roles=[("officer", ward)])
    leader = UserFactory(username="city-leader", roles=[("leader", city)])
    created = services.create_movement(
        leader,
        title="Toàn dân đoàn kết xây dựng đời sống văn hóa",
        owner_unit=city,
        kind=Movement.Kind.STANDING,
        starts_on=today.replace(day=1),
        ends_on=today + dt.timedelta(days=365),
        schedule=Movement.Schedule.MONTHLY,
        scope_kinds=[UnitKind.objects.get(code="ward")],
        indicators=[{"name": "Gia đình văn hóa", "unit_of_measure": "hộ", "aggregation": "sum"}],
    )
    movement = services.launch_movement(leader, movement=created)

    page.on("dialog", lambda dialog: dialog.accept())  # "submit? it cannot be changed after"

    # 1. The ward officer finds the month's report in their own inbox, writes and submits it.
    login(page, "bode-officer")
    page.get_by_test_id("nav-work").click()
    page.get_by_test_id("work-items").get_by_role("link", name="Viết báo cáo").first.click()
    page.get_by_label("Gia đình văn hóa (hộ)").fill("85")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã gửi")
    page.get_by_role("button", name="Đăng xuất").click()

    # 2. The city leader sees a notification and the count in the header.
    login(page, "city-leader")
    expect(page.get_by_test_id("unread-badge")).to_contain_text("1")
    page.get_by_test_id("nav-work").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("Báo cáo chờ chấp nhận")
    expect(page.get_by_test_id("work-total")).to_contain_text("1 việc đang chờ bạn")
    expect(page.get_by_test_id("work-kinds")).to_contain_text("Báo cáo chờ chấp nhận: 1")
    first = page.get_by_test_id("work-items").locator("li").first
    expect(first).to_contain_text("Phường Bồ Đề")
    expect(first).to_contain_text(movement.title)

    # 3. It opens the report from there and accepts it; the inbox is then empty.
    first.get_by_role("link", name="Chấp nhận hoặc trả lại").click()
    page.get_by_role("button", name="Chấp nhận").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã chấp nhận")
    page.get_by_test_id("nav-work").click()
    expect(page.get_by_test_id("work-empty")).to_be_visible()

    # 4. On a 390 px phone the inbox does not scroll sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/work/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
