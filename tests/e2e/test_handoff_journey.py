"""The hand-off journey of issue 12, in a real browser: a ward leader opens a verified exemplar,
proposes it for commendation → the nomination form is pre-filled with the person, the unit and
the deeds → the leader completes and submits it → the nomination exists, the exemplar links to it,
and it waits in the due list of the user who must act on it next."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import UserFactory, ensure_kinds, make_unit
from thidua.honors import selectors as honor_selectors
from thidua.honors import services
from thidua.honors.catalogue import ensure_catalogue
from thidua.honors.models import AwardType, Nomination
from thidua.initiatives.services import create_council
from thidua.practices import services as practice_services

pytestmark = pytest.mark.django_db(transaction=True)

PDF = {"mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% dossier\n%%EOF\n"}
DEEDS = "Dũng cảm phá cửa cứu ba người mắc kẹt trong đám cháy nhà dân ở tổ dân phố 6."


def login(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


@pytest.fixture
def setting(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_kinds()  # a transactional test before this one flushed them; awards need them
    ensure_catalogue()
    city = make_unit("Thành phố Hà Nội", code="01", kind_code="province")
    ward = make_unit("Phường Bồ Đề", parent=city, code="00127", kind_code="ward")
    group = make_unit("Tổ dân phố 6", parent=ward, code="00127-06")
    city_officer = UserFactory(username="city-officer", roles=[("officer", city)])
    ward_officer = UserFactory(username="ward-officer", roles=[("officer", ward)])
    ward_leader = UserFactory(username="ward-leader", roles=[("leader", ward)])
    council = create_council(
        city_officer,
        owner_unit=city,
        name="Hội đồng Thi đua - Khen thưởng",
        members=[
            {"user": UserFactory(username="chair"), "role": "chair"},
            {"user": UserFactory(username="secretary"), "role": "secretary"},
        ],
    )
    services.create_round(
        city_officer,
        title="Khen thưởng năm 2026",
        kind="regular",
        owner_unit=city,
        opens_on=dt.date(2026, 1, 1),
        closes_on=timezone.localdate() + dt.timedelta(days=60),
        award_types=[AwardType.objects.get(code="bang-khen")],
        council=council,
    )
    exemplar = practice_services.propose_exemplar(
        ward_officer, owner_unit=group, kind="person", name="Nguyễn Văn Mạnh", deeds=DEEDS
    )
    practice_services.verify_exemplar(ward_leader, exemplar=exemplar, accept=True)
    return {"exemplar": exemplar, "group": group, "ward_leader": ward_leader}


def test_ward_leader_proposes_an_exemplar_for_commendation(page, setting):
    exemplar = setting["exemplar"]

    # 1. The ward leader opens the exemplar and proposes it for commendation.
    login(page, "ward-leader")
    page.goto(f"/practices/exemplars/{exemplar.pk}/")
    page.get_by_test_id("propose-commendation").click()

    # 2. The only open round's form opens, pre-filled with the person, the unit and the deeds.
    expect(page.get_by_test_id("nomination-source")).to_contain_text("Nguyễn Văn Mạnh")
    expect(page.locator("#id_nominee_name")).to_have_value("Nguyễn Văn Mạnh")
    expect(page.locator("#id_nominee_kind")).to_have_value("person")
    expect(page.locator("#id_unit")).to_have_value(str(setting["group"].pk))
    expect(page.locator("#id_achievements")).to_have_value(DEEDS)

    # 3. The leader adds what the exemplar does not say (award, dossier) and saves, then submits.
    page.select_option("#id_award_type", label="Bằng khen")
    page.select_option("#id_gender", "male")
    for kind in ("proposal_letter", "achievement_report", "vote_minutes"):
        page.set_input_files(f"#id_doc_{kind}", {"name": f"{kind}.pdf", **PDF})
    page.get_by_test_id("save-nomination").click()
    expect(page.get_by_test_id("eligible")).to_be_visible()
    nomination_url = page.url
    page.get_by_test_id("submit-nomination").click()
    expect(page.get_by_test_id("submit-nomination")).to_have_count(0)

    nomination = Nomination.objects.get()
    assert nomination.status == "submitted"
    assert nomination.exemplar_id == exemplar.pk

    # 4. The exemplar now links to its nomination.
    page.goto(f"/practices/exemplars/{exemplar.pk}/")
    page.get_by_test_id("handoff-nominations").get_by_role("link").click()
    assert page.url == nomination_url

    # 5. It waits for the next actor: the leader of the ward that proposed it, who endorses it.
    assert nomination in honor_selectors.due_from(setting["ward_leader"])
    page.get_by_test_id("nav-work").click()
    waiting = page.get_by_test_id("work-items")
    expect(waiting).to_contain_text("Nguyễn Văn Mạnh")
    waiting.get_by_role("link").first.click()
    assert page.url == nomination_url
