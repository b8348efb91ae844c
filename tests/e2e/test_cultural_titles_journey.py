# ruff: noqa: F811  (the fixtures imported from tests.cultural_titles.conftest are parameters)
"""The cultural-family journey of one residential area, in a real browser: the committee downloads
the template, uploads the assessed list and posts it; a resident comments; the committee resolves
the comment and the list is reissued; after the 10 days (the clock moved by the test) the dossier
is filed; the chairman decides; the certificates are generated and one verifies by its QR link."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.cultural_titles.conftest import (  # noqa: F401, F811 (fixtures)
    area_a,
    chairman,
    committee,
    households,
    round_,
    ward,
    xlsx_bytes,
)
from thidua.honors import selectors as honor_selectors

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = 2026


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


@pytest.fixture
def clock(monkeypatch):
    """The day the application lives on (the live server runs in this process)."""
    from django.utils import timezone

    def at(day: dt.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    return at


def fill_in(path: str) -> bytes:
    """The committee's work at the meeting: everyone meets every criterion."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    width = sheet.max_column
    for row in sheet.iter_rows(min_row=2):
        for cell in row[4 : width - 3]:
            cell.value = "x"
        row[width - 3].value = "Đạt"
    return xlsx_bytes(book)


def test_one_area_from_template_to_verified_certificate(
    page,
    committee,
    chairman,
    area_a,
    clock,
    tmp_path,  # noqa: F811
):
    area_url = f"/cultural/areas/{area_a.pk}/"
    clock(dt.date(YEAR, 11, 3))

    # The committee downloads the template, fills it in and uploads it, records the meeting, posts.
    login(page, "to1-truongban")
    page.goto(area_url)
    with page.expect_download() as download:
        page.get_by_test_id("template").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(fill_in(str(template)))
    page.set_input_files("form[action$='/upload/'] input[type=file]", str(filled))
    page.click("form[action$='/upload/'] button")
    expect(page.get_by_test_id("area-status")).to_contain_text("5")
    page.fill("#id_meeting_on", "03/11/2026")
    page.fill("#id_chair", "Lê Văn Tổ")
    page.fill("#id_co_chair", "Nguyễn Thị Hòa")
    page.click("form[action$='/meeting/'] button")
    page.click("form[action$='/post/'] button")
    expect(page.get_by_test_id("area-status")).to_contain_text("12/11/2026")
    logout(page)

    # A resident reads the list on the web and comments.
    clock(dt.date(YEAR, 11, 5))
    page.goto(f"/p/cultural-titles/areas/{area_a.pk}/")
    expect(page.get_by_test_id("posted-list").locator("li")).to_have_count(5)
    page.fill("#id_name", "Trần Văn Dân")
    page.fill("#id_text", "Hộ HA004 đang xây dựng lấn chiếm lối đi chung.")
    page.click("form button.primary")
    expect(page.get_by_role("alert").or_(page.locator(".messages"))).to_have_count(1)

    # The committee resolves it: the household is not eligible, the list is reissued.
    login(page, "to1-truongban")
    page.goto(area_url)
    comment = page.get_by_test_id("comment")
    comment.locator("textarea").fill("Đã xác minh tại chỗ: hộ vi phạm, không đạt.")
    comment.locator("input[name=household_code]").fill("HA004")
    comment.locator("select[name=eligible]").select_option("no")
    comment.locator("button").click()
    expect(page.get_by_test_id("area-status")).to_contain_text("4")
    expect(page.locator("a[href$='list-2.pdf']")).to_have_count(1)
    expect(page.locator("a[href$='list-1.pdf']")).to_have_count(1)

    # Before the 10 days are over the dossier cannot be filed; after them it can.
    expect(page.locator("form[action$='/file/']")).to_have_count(0)
    clock(dt.date(YEAR, 11, 15))
    page.goto(area_url)
    page.click("form[action$='/file/'] button")
    expect(page.get_by_test_id("area-status")).to_contain_text("15/11/2026")
    logout(page)

    # The chairman decides and generates the certificates.
    clock(dt.date(YEAR, 11, 20))
    login(page, "chutich")
    page.goto(f"/cultural/{area_a.round_id}/")
    page.fill("#id_number", "215/QĐ-UBND")
    page.fill("#id_signed_on", "20/11/2026")
    page.fill("#id_signer", "Phạm Minh Đức")
    page.click("form[action$='/decide/'] button")
    expect(page.get_by_test_id("decision")).to_contain_text("215/QĐ-UBND")
    page.click("form[action$='/certificates/'] button")
    expect(page.get_by_test_id("batch")).to_contain_text("4 / 4")
    logout(page)

    # Anyone scanning a certificate's QR code sees it is valid.
    area_a.round.refresh_from_db()
    decision = area_a.round.decisions.get().decision
    honour = honor_selectors.annex(decision).order_by("recipient_name").first()
    certificate = honour.certificate
    page.goto(f"/p/verify/{certificate.serial}/?h={certificate.content_hash}")
    expect(page.locator("main")).to_contain_text(honour.recipient_name)
    assert "HA004" not in io.StringIO(page.content()).getvalue()
