"""The public front door on a phone (390 × 844): an anonymous visitor goes from `/` to the open
call's form in at most two taps, submits, and the confirmation e-mail's link opens on the
address the site is served on; a certificate is checked by typing its number and check code,
with no horizontal scroll and "valid" shown plainly."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.factories.honors import approve, nominate
from thidua.honors import services as honors
from thidua.honors.models import Certificate
from thidua.initiatives import services as initiatives
from thidua.initiatives.models import Call, Submission
from thidua.shared.models import Field

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_visitor_on_a_phone_submits_an_initiative_from_the_front_door(
    phone, tree, live_server, settings
):
    # E-mail links are built from SITE_URL: point it at the served address, as bin/demo does.
    settings.SITE_URL = live_server.url
    today = timezone.localdate()
    Field.objects.create(code="env", name_vi="Môi trường", name_en="Environment")
    officer = UserFactory(username="city-officer")
    from tests.factories import grant

    grant(officer, "officer", tree["city"])
    council_ = initiatives.create_council(
        officer,
        owner_unit=tree["city"],
        name="Hội đồng sáng kiến",
        members=[
            {"user": UserFactory(username="chair"), "role": "chair"},
            {"user": UserFactory(username="secretary"), "role": "secretary"},
        ],
    )
    call = initiatives.create_call(
        officer,
        owner_unit=tree["city"],
        council=council_,
        title="Sáng kiến vì cộng đồng 2026",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=30),
    )
    initiatives.set_call_status(officer, call=call, status=Call.Status.OPEN)

    page = phone
    page.goto("/")
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] <= 120  # the menu folds behind its button
    assert no_horizontal_scroll(page)
    calls = page.get_by_test_id("front-calls")
    expect(calls).to_contain_text("Sáng kiến vì cộng đồng 2026")
    calls.get_by_test_id("front-submit").click()  # one tap from the front door
    expect(page).to_have_url(re.compile(rf"/p/calls/{call.slug}/submit/$"))
    assert no_horizontal_scroll(page)

    page.select_option("#id_applicant_kind", "person")
    page.fill("#id_applicant_name", "Nguyễn Văn An")
    page.fill("#id_applicant_email", "an@example.org")
    page.select_option("#id_unit", label="Phường Bồ Đề")
    page.select_option("#id_field", label="Môi trường")
    page.fill("#id_title", "Lọc nước mưa cho tổ dân phố")
    page.fill("#id_summary", "Nước sạch cho 200 hộ")
    page.fill("#id_description", "Bể lọc ba tầng")
    page.fill("#id_expected_benefit", "Nước sạch")
    page.locator("form.card button.primary").click()
    expect(page.get_by_test_id("check-email")).to_contain_text("an@example.org")

    to_applicant = [m for m in mail.outbox if m.to == ["an@example.org"]]
    assert to_applicant, "no confirmation e-mail"
    link = re.search(r"https?://\S+/p/submissions/[\w-]+/", to_applicant[-1].body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_role("button", name="Xác nhận hồ sơ của tôi").click()
    expect(page.get_by_test_id("submission-status")).to_be_visible()
    assert Submission.objects.get(title="Lọc nước mưa cho tổ dân phố").status == "submitted"


def test_every_public_menu_page_opens_from_the_phone_menu(phone, db):
    page = phone
    page.goto("/")
    targets = page.locator("[data-testid=public-nav] a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(targets) == 14  # home, news, and the twelve public sections
    for href in targets:
        page.goto("/")
        page.locator("label.menu-button").click()  # tap 1: open the menu
        link = page.locator(f"[data-testid=public-nav] a[href='{href}']")
        if not link.is_visible():  # inside a group: one more tap on the group
            group = page.locator("[data-testid=public-nav] details.menu-group")
            group.filter(has=page.locator(f"a[href='{href}']")).locator("summary").click()
        link.click()  # the page itself
        expect(page).to_have_url(re.compile(re.escape(href) + "$"))
        assert no_horizontal_scroll(page), href


@pytest.fixture
def certificate(tree, people, city_round, awards) -> Certificate:
    nomination = nominate(city_round, people["bode_officer"], tree["bo_de"], awards["bang-khen"])
    approve(nomination, people, city_round.council)
    decision = honors.issue_decision(
        people["city_leader"],
        round=city_round,
        number="7/QĐ-MTTQ",
        signed_on=dt.date(2026, 3, 1),
        signer="Nguyễn Văn A",
        nominations=[nomination],
    )
    return Certificate.objects.get(honour__decision=decision)


def test_a_certificate_is_checked_on_a_phone_by_number_and_check_code(phone, certificate):
    page = phone
    page.goto("/")
    box = page.get_by_test_id("front-check")
    # Typed as a person reads it off the paper: spaces instead of dashes, lower case.
    box.get_by_label("Số giấy chứng nhận").fill(certificate.serial.replace("-", " ").lower())
    box.get_by_label("Mã kiểm tra").fill(certificate.check_code.lower())
    box.get_by_role("button", name="Tra cứu").click()

    verdict = page.get_by_test_id("verification")
    expect(verdict).to_have_attribute("data-status", "valid")
    expect(verdict).to_contain_text("Giấy chứng nhận này hợp lệ.")
    expect(verdict.locator(".verdict-icon")).to_be_visible()
    expect(page.get_by_test_id("recipient")).to_have_text("Nguyễn Thị Hoa")
    expect(page.get_by_test_id("hash")).to_be_hidden()  # folded away until asked for
    page.locator(".hash-details summary").click()
    expect(page.get_by_test_id("hash")).to_have_text(certificate.content_hash)
    assert no_horizontal_scroll(page)

    # The number alone asks for the check code, in plain words.
    page.get_by_label("Số giấy chứng nhận").fill(certificate.serial)
    page.get_by_label("Mã kiểm tra").fill("")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_test_id("verification")).to_have_attribute("data-status", "code_needed")
    expect(page.get_by_test_id("verification")).to_contain_text("nhập thêm mã kiểm tra")
    assert no_horizontal_scroll(page)
