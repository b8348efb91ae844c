import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")


def switch_language(page, code: str) -> None:
    # The switcher submits itself on change (its button is only there without script).
    with page.expect_navigation():
        page.select_option("#language", code)


def test_officer_logs_in_switches_language_and_sees_unit_home(page, tree, officer):
    login(page, "lb-officer")
    expect(page.get_by_test_id("staff-unit")).to_have_text("Quận Long Biên")
    expect(page.get_by_role("heading", name="Đơn vị trực thuộc")).to_be_visible()
    expect(page.get_by_role("link", name="Phường Bồ Đề")).to_be_visible()

    switch_language(page, "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Units below")).to_be_visible()

    switch_language(page, "id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Unit di bawahnya")).to_be_visible()
    expect(page.get_by_test_id("staff-unit")).to_have_text("Quận Long Biên")


def test_officer_cannot_open_a_sibling_district(page, tree, officer):
    login(page, "lb-officer")
    expect(page.get_by_test_id("staff-unit")).to_be_visible()
    response = page.goto(f"/units/{tree['tay_ho'].pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
