"""The questionnaire editor in a real browser: an officer starts a questionnaire, adds a
conditional question, previews it on a 390 px phone (the conditional question appears only
after the answer it depends on) and launches a survey with it."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, grant, make_unit
from thidua.surveys.models import Questionnaire, Survey

pytestmark = pytest.mark.django_db(transaction=True)


def test_build_preview_and_launch_a_questionnaire(page, browser, live_server):
    city = make_unit("Hà Nội", code="01", kind_code="province")
    ward = make_unit("Phường Bồ Đề", parent=city, code="00127", kind_code="ward")
    make_unit(
        "Tổ dân phố 1", parent=ward, code="00127-01", kind_code="residential_area", households=40
    )
    grant(UserFactory(username="ward-officer"), "officer", ward)

    page.goto("/accounts/login/")
    page.fill("#id_username", "ward-officer")
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    page.goto("/surveys/")
    page.locator("main a[href='/surveys/questionnaires/']").first.click()
    page.locator("a[href='/surveys/questionnaires/new/']").click()
    page.fill("#id_title", "Hiệu quả cuộc vận động ở khu dân cư")
    page.check("input[name=start][value=blank]")
    page.locator("form.card button[type=submit]").click()
    questionnaire = Questionnaire.objects.get()

    page.locator(f"a[href='/surveys/questionnaires/{questionnaire.pk}/questions/new/']").click()
    page.select_option("#id_kind", value="single")
    page.fill("#id_text_vi", "Vì sao ông/bà chưa hài lòng?")
    page.fill("#id_options", "a: Chậm triển khai\nb: Thiếu kinh phí")
    page.select_option("#id_condition_question", value="Q1")
    page.fill("#id_condition_options", "1, 2")
    page.locator("form.card button[type=submit]").click()
    expect(page.locator("tr[data-code=Q2]")).to_contain_text("Q1")

    phone = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport={"width": 390, "height": 844},
        storage_state=page.context.storage_state(),
    )
    preview = phone.new_page()
    preview.goto(f"/surveys/questionnaires/{questionnaire.pk}/preview/")
    conditional = preview.locator("fieldset[data-code=Q2]")
    expect(conditional).to_be_hidden()
    preview.locator("fieldset[data-code=Q1] input[value='2']").check()
    expect(conditional).to_be_visible()
    preview.locator("fieldset[data-code=Q1] input[value='5']").check()
    expect(conditional).to_be_hidden()
    assert preview.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

    page.locator("a[href^='/surveys/launch/?questionnaire=']").click()
    page.fill("#id_title", "Khảo sát hiệu quả 2026")
    page.fill("#id_scope", "Phường Bồ Đề")
    page.fill("#id_opens_on", "2026-07-11")
    page.fill("#id_closes_on", "2026-07-18")
    page.locator("form.card button[type=submit]").click()
    expect(page.get_by_test_id("survey-status")).to_be_visible()
    assert Survey.objects.get().questionnaire == questionnaire
    questionnaire.refresh_from_db()
    assert questionnaire.is_frozen
    page.goto(f"/surveys/questionnaires/{questionnaire.pk}/")
    expect(page.get_by_test_id("frozen-note")).to_be_visible()
