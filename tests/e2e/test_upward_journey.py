"""Higher awards ("khen cao") in a real browser: the city council approves two nominees for the
city People's Committee's certificate of merit → the leader prepares the proposal upward,
completes its dossier, downloads the package and marks it sent → the committee's decision comes
back and is recorded → both honours are in the registry (and verifiable publicly), and the
eligibility check refuses the same award to them within its window."""

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_honors_journey import PDF, login, logout
from tests.factories import UserFactory, ensure_kinds, grant, make_unit
from thidua.honors import rules, services
from thidua.honors.catalogue import ensure_catalogue
from thidua.honors.models import AwardType, Honour, Nomination, OutsideBody
from thidua.initiatives.services import create_council

pytestmark = pytest.mark.django_db(transaction=True)

UBND = "bang-khen-chu-tich-ubnd-tp"
NAMES = ["Nguyễn Thị Hoa", "Phạm Văn Bình"]


@pytest.fixture
def setting(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "public"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    ensure_kinds()
    ensure_catalogue()
    city = make_unit("Thành phố Hà Nội", code="01", kind_code="province")
    ward = make_unit("Phường Bồ Đề", parent=city, code="00127", kind_code="ward")
    city_officer = UserFactory(username="city-officer", roles=[("officer", city)])
    grant(UserFactory(username="city-leader", full_name="Lãnh Đạo"), "leader", city)
    ward_officer = UserFactory(username="ward-officer", roles=[("officer", ward)])
    ward_leader = UserFactory(username="ward-leader", roles=[("leader", ward)])
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
    award = AwardType.objects.get(code=UBND)
    round_ = services.create_round(
        city_officer,
        title="Đề nghị khen cao năm 2026",
        kind="regular",
        owner_unit=city,
        opens_on=dt.date(2026, 1, 1),
        closes_on=timezone.localdate() + dt.timedelta(days=60),
        award_types=[award],
        council=council,
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    nominations = []
    for index, name in enumerate(NAMES):
        nomination = services.nominate(
            ward_officer,
            round=round_,
            award_type=award,
            nominee_kind="person",
            nominee_name=name,
            unit=ward,
            achievements="Vận động 120 hộ phân loại rác tại nguồn.",
            birth_year=1980 + index,
            documents=[
                (kind, SimpleUploadedFile(f"{kind}.pdf", PDF["buffer"], "application/pdf"))
                for kind in ("proposal_letter", "achievement_report", "vote_minutes")
            ],
        )
        services.submit_nomination(ward_officer, nomination=nomination)
        services.endorse_nomination(ward_leader, nomination=nomination)  # before the council
        nominations.append(nomination)
    return {"city": city, "round": round_, "award": award, "nominations": nominations}


def test_propose_send_decide_register(page, setting):
    page.on("dialog", lambda dialog: dialog.accept())
    nominations = setting["nominations"]
    today = timezone.localdate()

    # 1. The city council approves both nominees (3 of 3 members, the written opinion of the
    #    absent member recorded by the secretary).
    for nomination in nominations:
        url = f"/honors/nominations/{nomination.pk}/"
        login(page, "chair")
        page.goto(url)
        page.get_by_test_id("vote-form").locator("input[value=yes]").check()
        page.get_by_test_id("cast-vote").click()
        expect(page.get_by_test_id("tally")).to_contain_text("1")
        logout(page)
        login(page, "secretary")
        page.goto(url)
        page.get_by_test_id("vote-form").locator("input[value=yes]").check()
        page.get_by_test_id("cast-vote").click()
        written = page.get_by_test_id("written-form")
        written.locator("select[name=member]").select_option(label="Member")
        written.locator("select[name=choice]").select_option("yes")
        page.get_by_test_id("record-written").click()
        page.get_by_test_id("close-vote").click()
        expect(page.get_by_test_id("tally")).to_contain_text("3")
        logout(page)
    assert set(Nomination.objects.values_list("status", flat=True)) == {"approved"}

    # 2. The leader prepares the proposal to the city People's Committee from the staff menu.
    login(page, "city-leader")
    page.goto("/honors/")
    page.locator("a.button[href='/honors/upward/']").first.click()
    page.get_by_test_id("new-upward").click()
    committee = OutsideBody.objects.get(code="ubnd-tp-ha-noi")
    page.select_option("#id_body", str(committee.pk))
    page.select_option("#id_award_type", str(setting["award"].pk))
    page.fill("#id_number", "45/TTr-MTTQ-BTT")
    page.fill("#id_dated", today.isoformat())
    page.fill("#id_signer", "Nguyễn Văn An")
    for nomination in nominations:
        page.check(f"input[name=nominations][value='{nomination.pk}']")
    page.get_by_test_id("create-upward").click()
    expect(page.get_by_test_id("upward-number")).to_have_text("45/TTr-MTTQ-BTT")
    expect(page.get_by_test_id("checklist").locator("[data-done=no]")).to_have_count(1)

    # 3. The checklist asks for the council's minutes: added, the checklist is complete.
    form = page.get_by_test_id("document-form")
    form.locator("select[name=kind]").select_option("vote_minutes")
    form.locator("input[name=file]").set_input_files({"name": "bien-ban.pdf", **PDF})
    page.get_by_test_id("add-document").click()
    expect(page.get_by_test_id("checklist").locator("[data-done=no]")).to_have_count(0)

    # 4. The package downloads: the manifest lists every file with its checksum.
    with page.expect_download() as download_info:
        page.get_by_test_id("download-package").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    manifest = json.loads(archive.read("manifest.json"))
    paths = {f["path"] for f in manifest["files"]}
    assert paths == set(archive.namelist()) - {"manifest.json", "SHA256SUMS"}
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    assert any(p.startswith("03_nguoi-duoc-de-nghi/02_pham-van-binh/") for p in paths)

    # 5. Marked sent through the document exchange system.
    send = page.get_by_test_id("send-form")
    send.locator("input[name=sent_on]").fill(today.isoformat())
    send.locator("select[name=channel]").select_option("document_system")
    send.locator("input[name=reference]").fill("VB-2026-0045")
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("decision-form")).to_be_visible()

    # 6. The committee's decision comes back: both honoured; recorded with its file.
    decision = page.get_by_test_id("decision-form")
    decision.locator("input[name=number]").fill("5678/QĐ-UBND")
    decision.locator("input[name=signed_on]").fill(today.isoformat())
    decision.locator("input[name=signer]").fill("Trần Sỹ Thanh")
    decision.locator("input[name=file]").set_input_files({"name": "quyet-dinh.pdf", **PDF})
    page.get_by_test_id("record-decision").click()
    expect(page.get_by_test_id("outside-decision")).to_contain_text("5678/QĐ-UBND")
    expect(page.get_by_test_id("upward-history")).to_contain_text("VB-2026-0045")

    # 7. Both honours are in the registry, with the committee as the conferring authority.
    page.goto("/honors/registry/")
    registry = page.get_by_test_id("registry")
    for name in NAMES:
        expect(registry).to_contain_text(name)
    expect(registry).to_contain_text("5678/QĐ-UBND")
    honours = Honour.objects.filter(outside_decision__number="5678/QĐ-UBND")
    assert honours.count() == 2 and not honours.filter(certificate__isnull=False).exists()
    logout(page)

    # 8. Anyone can check one publicly; the eligibility check refuses the same award to both
    #    within its window.
    page.goto("/p/verify/decision/?number=5678/QĐ-UBND&name=Phạm Văn Bình")
    expect(page.get_by_test_id("verification")).to_have_attribute("data-status", "found")
    for nomination in nominations:
        check = rules.check_eligibility(
            award_type=setting["award"],
            round=setting["round"],
            nominee_kind="person",
            nominee_name=nomination.nominee_name,
            birth_year=nomination.birth_year,
            unit=nomination.unit,
            under_discipline=False,
            on=today + dt.timedelta(days=90),
            document_kinds={"proposal_letter", "achievement_report", "vote_minutes"},
        )
        assert not check.eligible
        assert any("5678" not in r and setting["award"].name in r for r in check.reasons)
