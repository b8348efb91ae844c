"""The check-in at the door of issue 20, on 390 px phones: an organiser types a learner's code
into the door page; a learner with an account scans the door QR (its address) and taps once."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory, grant
from thidua.training import checkin, services
from thidua.training.models import Attendance, Course

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "vi-VN", "is_mobile": True}


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    # on a phone the log-out button sits in the folded menu: wait to leave the login page
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_check_in_at_the_door_on_phones(browser, live_server, tree):
    organiser = UserFactory(username="door-officer")
    grant(organiser, "officer", tree["city"])
    learner = UserFactory(username="door-learner")
    today = timezone.localdate()
    course = services.create_course(
        organiser,
        owner_unit=tree["city"],
        title="Lớp tập huấn hôm nay",
        level=Course.Level.CITY,
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
    )
    session = services.add_session(organiser, course=course, title="Khai mạc", held_on=today)
    lan, hung = services.enrol(
        organiser,
        course=course,
        officers=[
            services.record_officer(organiser, unit=tree["group"], full_name="Nguyễn Thị Lan"),
            services.record_officer(
                organiser, unit=tree["group"], full_name="Trần Văn Hùng", user=learner
            ),
        ],
    )

    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    login(page, "door-officer")
    page.goto(f"/training/{course.pk}/")
    page.get_by_test_id("door-link").first.click()
    form = page.get_by_test_id("door-form")
    form.locator("#id_code").fill(checkin.learner_code(lan))
    form.locator("button").click()
    expect(page.get_by_test_id("arrivals")).to_contain_text("Nguyễn Thị Lan")
    expect(page.get_by_test_id("door-count")).to_contain_text("1")
    door_url = page.get_by_test_id("door-url").get_attribute("href")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()

    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    login(page, "door-learner")
    page.goto(door_url)
    page.get_by_test_id("check-in-button").click()
    expect(page.get_by_test_id("check-in")).to_have_attribute("data-status", "present")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert set(
        Attendance.objects.filter(session=session, present=True).values_list("enrolment", flat=True)
    ) == {lan.pk, hung.pk}
