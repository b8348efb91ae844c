"""The survey journey of the issue, in a real browser: the city launches a survey for a ward, a
residential committee keys 30 paper forms, a citizen answers on a phone with the household code
from the slip, the ward's dashboard shows coverage and pass/fail, the results are posted and
visible publicly without individual answers."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, grant, make_unit
from thidua.surveys.models import FrameArea, Survey
from thidua.surveys.services.codes import household_code

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_launch_key_answer_dashboard_post(page, browser, live_server):
    city = make_unit("Hà Nội", code="01", kind_code="province")
    ward = make_unit("Phường Bồ Đề", parent=city, code="00127", kind_code="ward")
    group_1 = make_unit(
        "Tổ dân phố 1", parent=ward, code="00127-01", kind_code="residential_area", households=40
    )
    make_unit(
        "Tổ dân phố 2", parent=ward, code="00127-02", kind_code="residential_area", households=10
    )
    grant(UserFactory(username="city-officer"), "officer", city)
    grant(UserFactory(username="tdp1-committee"), "officer", group_1)
    grant(UserFactory(username="bode-leader"), "leader", ward)

    # 1. The city launches a household survey for the ward.
    login(page, "city-officer")
    page.goto("/surveys/launch/")
    page.fill("#id_title", "Lấy ý kiến sự hài lòng của người dân 2026")
    page.select_option("#id_unit", label="Hà Nội")
    page.fill("#id_scope", "Phường Bồ Đề")
    page.select_option("#id_questionnaire", value="standard")
    page.fill("#id_opens_on", "2026-07-11")
    page.fill("#id_closes_on", "2026-07-18")
    page.select_option("#id_mode", value="household")
    page.select_option("#id_method", value="mixed")
    page.locator("form.card button[type=submit]").click()
    expect(page.get_by_test_id("survey-status")).to_be_visible()
    survey = Survey.objects.get()
    assert survey.status == "fielding"
    logout(page)

    # 2. The committee of Tổ dân phố 1 keys 30 paper forms (27 satisfied, 3 not).
    login(page, "tdp1-committee")
    page.goto(f"/surveys/{survey.pk}/areas/{group_1.pk}/?rows=30")
    for i in range(30):
        page.fill(f"input[name=f{i}_hh]", household_code(survey, group_1.pk, i + 1))
        page.fill(f"input[name=f{i}_Q9]", "5" if i < 27 else "2")
    page.locator("form button.primary[type=submit]").click()
    expect(page.get_by_test_id("area-progress")).to_contain_text("30")
    logout(page)

    # 3. A citizen answers on a phone with the code from the slip.
    phone = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}
    )
    citizen = phone.new_page()
    form_code = FrameArea.objects.get(survey=survey, area=group_1).form_code
    citizen.goto(f"/p/surveys/{survey.pk}/answer/?form={form_code}")
    citizen.fill("#household_code", household_code(survey, group_1.pk, 31))
    citizen.locator("fieldset[data-code=Q9] input[value='5']").check()
    citizen.locator("form.survey-form button[type=submit]").click()
    expect(citizen.get_by_test_id("answer-thanks")).to_be_visible()
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    phone.close()

    # 4. The ward's dashboard: 31 of 50 households (62 %), 90,3 % satisfied: passed.
    login(page, "bode-leader")
    page.goto(f"/surveys/{survey.pk}/")
    expect(page.get_by_test_id("answered-total")).to_contain_text("31")
    expect(page.get_by_test_id("answered-total")).to_contain_text("62")
    verdicts = page.get_by_test_id("results-table").get_by_test_id("verdict")
    expect(verdicts).to_have_count(2)
    total_verdict = page.get_by_test_id("verdict-total").inner_text()
    from thidua.surveys.selectors import results

    assert results(survey).total.verdict == "passed"

    # 5. The ward closes, tallies and posts the results.
    asked = []  # closing asks first
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator(f"form[action='/surveys/{survey.pk}/close/'] button").click()
    expect(page.locator(f"form[action='/surveys/{survey.pk}/tally/'] button")).to_be_visible()
    assert asked
    page.locator(f"form[action='/surveys/{survey.pk}/tally/'] button").click()
    page.goto(f"/surveys/{survey.pk}/post/")
    page.fill("#id_places", "Nhà văn hóa tổ dân phố")
    page.locator("form.card button[type=submit]").click()
    expect(page.get_by_test_id("survey-status")).to_be_visible()
    survey.refresh_from_db()
    assert survey.status == "posted"
    logout(page)

    # 6. Anyone sees the posted results, without individual answers.
    page.goto("/")
    page.get_by_test_id("front-surveys").get_by_role("link", name=survey.title).click()
    units = page.get_by_test_id("public-units")
    expect(units).to_contain_text("Phường Bồ Đề")
    expect(units).to_contain_text(total_verdict)
    body = page.content()
    assert household_code(survey, group_1.pk, 31) not in body
    assert "SHA-256" in body
