"""The commendation journey of the issue, in a real browser: a ward officer nominates → the ward
leader endorses → the city council votes → the decision is issued → the certificate PDF
downloads and its QR URL verifies; an altered hash fails."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory, ensure_kinds, grant, make_unit
from thidua.honors import services
from thidua.honors.catalogue import ensure_catalogue
from thidua.honors.models import AwardType, Nomination
from thidua.initiatives.services import create_council

pytestmark = pytest.mark.django_db(transaction=True)

PDF = {"mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% dossier\n%%EOF\n"}


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


@pytest.fixture
def setting(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_kinds()  # a transactional test before this one flushed them; awards need them
    ensure_catalogue()
    city = make_unit("Thành phố Hà Nội", code="01", kind_code="province")
    ward = make_unit("Phường Bồ Đề", parent=city, code="00127", kind_code="ward")
    city_officer = UserFactory(username="city-officer", roles=[("officer", city)])
    grant(UserFactory(username="city-leader"), "leader", city)
    grant(UserFactory(username="ward-officer"), "officer", ward)
    grant(UserFactory(username="ward-leader"), "leader", ward)
    chair, secretary, member = (
        UserFactory(username=n, full_name=n.title()) for n in ("chair", "secretary", "member")
    )
    council = create_council(
        city_officer,
        owner_unit=city,
        name="Hội đồng Thi đua - Khen thưởng",
        members=[
            {"user": chair, "role": "chair"},
            {"user": secretary, "role": "secretary"},
            {"user": member, "role": "member"},
        ],
    )
    round_ = services.create_round(
        city_officer,
        title="Khen thưởng năm 2026",
        kind="regular",
        owner_unit=city,
        opens_on=dt.date(2026, 1, 1),
        closes_on=timezone.localdate() + dt.timedelta(days=60),
        award_types=[AwardType.objects.get(code="bang-khen")],
        council=council,
    )
    return {"city": city, "ward": ward, "round": round_}


def test_nominate_endorse_vote_decide_certificate_verify(page, setting):
    from pypdf import PdfReader

    page.on("dialog", lambda dialog: dialog.accept())
    round_ = setting["round"]

    # 1. The ward officer nominates, with the dossier the checklist asks for, and submits.
    login(page, "ward-officer")
    page.goto(f"/honors/rounds/{round_.pk}/")
    page.get_by_test_id("nominate").click()
    expect(page.get_by_test_id("checklist")).to_contain_text("Bằng khen")
    page.select_option("#id_award_type", label="Bằng khen")
    page.select_option("#id_nominee_kind", "person")
    page.fill("#id_nominee_name", "Nguyễn Thị Hoa")
    page.select_option("#id_unit", label="Phường Bồ Đề")
    page.select_option("#id_gender", "female")
    page.check("#id_is_direct_worker")
    page.fill("#id_achievements", "Vận động 120 hộ phân loại rác tại nguồn.")
    for kind in ("proposal_letter", "achievement_report", "vote_minutes"):
        page.set_input_files(f"#id_doc_{kind}", {"name": f"{kind}.pdf", **PDF})
    page.get_by_test_id("save-nomination").click()
    expect(page.get_by_test_id("eligible")).to_be_visible()
    nomination_url = page.url
    page.get_by_test_id("submit-nomination").click()
    expect(page.get_by_test_id("endorse")).to_have_count(0)
    assert Nomination.objects.get().status == "submitted"
    logout(page)

    # 2. The ward leader endorses: the dossier goes up to the city, before its council.
    login(page, "ward-leader")
    page.goto(nomination_url)
    page.get_by_test_id("endorse").click()
    expect(page.get_by_test_id("history")).to_contain_text("Phường Bồ Đề")
    assert Nomination.objects.get().status == "at_council"
    logout(page)

    # 3. The council votes: the chair in person, the secretary in person and with the absent
    #    member's written opinion; then the vote is closed (3 of 3, 70% of ALL members).
    login(page, "chair")
    page.goto(nomination_url)
    expect(page.get_by_test_id("eligibility")).to_be_visible()
    page.get_by_test_id("vote-form").locator("input[value=yes]").check()
    page.get_by_test_id("cast-vote").click()
    expect(page.get_by_test_id("tally")).to_contain_text("1")
    logout(page)
    login(page, "secretary")
    page.goto(nomination_url)
    page.get_by_test_id("vote-form").locator("input[value=yes]").check()
    page.get_by_test_id("cast-vote").click()
    written = page.get_by_test_id("written-form")
    written.locator("select[name=member]").select_option(label="Member")
    written.locator("select[name=choice]").select_option("yes")
    page.get_by_test_id("record-written").click()
    page.get_by_test_id("close-vote").click()
    expect(page.get_by_test_id("tally")).to_contain_text("3")
    assert Nomination.objects.get().status == "approved"
    logout(page)

    # 4. The city leader issues the decision; the annex shows the total cash.
    login(page, "city-leader")
    page.goto(f"/honors/rounds/{round_.pk}/")
    page.get_by_test_id("issue-decision").click()
    page.fill("#id_number", "125/QĐ-MTTQ")
    page.fill("#id_signed_on", timezone.localdate().isoformat())
    page.fill("#id_signer", "Nguyễn Văn A")
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("decision-number")).to_have_text("125/QĐ-MTTQ")
    expect(page.get_by_test_id("annex")).to_contain_text("Nguyễn Thị Hoa")
    expect(page.get_by_test_id("total-cash")).to_contain_text("2.340.000 đ")

    # 5. The certificate PDF downloads; its QR/link URL verifies; an altered hash does not.
    with page.expect_download() as download_info:
        page.get_by_test_id("certificate-pdf").click()
    reader = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = reader.pages[0].extract_text()
    assert "Nguyễn Thị Hoa" in text
    uris = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
    verify_url = next(u for u in uris if "/p/verify/" in u)
    serial = verify_url.split("/p/verify/")[1].split("/")[0]
    assert serial in text
    logout(page)
    page.goto(verify_url)
    expect(page.get_by_test_id("verification")).to_have_attribute("data-status", "valid")
    expect(page.get_by_test_id("recipient")).to_have_text("Nguyễn Thị Hoa")
    altered = verify_url[:-1] + ("0" if verify_url[-1] != "0" else "1")
    page.goto(altered)
    expect(page.get_by_test_id("verification")).to_have_attribute("data-status", "wrong_code")
    other = serial[:-1] + ("8" if serial.endswith("9") else "9")  # a serial that differs
    page.goto(verify_url.replace(serial, other))
    expect(page.get_by_test_id("verification")).to_have_attribute("data-status", "not_found")
