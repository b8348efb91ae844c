"""The clusters journey of issue 19, in a real browser: members self-assess with evidence, the
specialist scores, the board returns one sheet with a reason, it is fixed and approved, the
council adjusts a criterion from 8 to 6 (audited), the standing board publishes, the ranking is
public and the top member becomes an emulation flag nomination in commendation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.clusters.conftest import PDF, evidence_file
from tests.factories import UserFactory, make_unit
from thidua.clusters import services
from thidua.clusters.models import Criterion, ScoreSheet, Step
from thidua.core.models import AuditEvent
from thidua.honors import services as honors
from thidua.honors.models import Nomination

pytestmark = pytest.mark.django_db(transaction=True)

WARDS = [
    "Phường Ba Đình",
    "Phường Ngọc Hà",
    "Phường Giảng Võ",
    "Phường Hoàn Kiếm",
    "Phường Cửa Nam",
]


def sign_in(browser, live_server, username: str):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-42")
    page.click("button.primary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    return page


def test_cluster_review_from_self_assessment_to_flag_nomination(
    browser, live_server, tree, awards, honours_council, tmp_path
):
    city = tree["city"]
    specialist = UserFactory(username="cl-specialist", roles=[("officer", city)])
    UserFactory(username="cl-leader", roles=[("leader", city)])
    UserFactory(username="cl-council", roles=[("council_member", city)])
    wards = [make_unit(n, parent=city, kind_code="ward", code=f"w{i}") for i, n in enumerate(WARDS)]
    members = [
        UserFactory(username=f"cl-ward{i}", roles=[("officer", w)]) for i, w in enumerate(wards)
    ]

    table = services.create_table(specialist, owner_unit=city, year=2025, title="Bảng điểm 2025")
    g1 = services.add_group(specialist, table=table, code="I", title="Tổ chức, cán bộ")
    g2 = services.add_group(specialist, table=table, code="II", title="Phong trào")
    c11 = services.add_criterion(specialist, group=g1, code="1.1", title="Kiện toàn tổ chức",
                                 max_points=Decimal(10), evidence_required=True)  # fmt: skip
    c21 = services.add_criterion(specialist, group=g2, code="2.1", title="Ngày hội Đại đoàn kết",
                                 max_points=Decimal(10))  # fmt: skip
    cluster = services.create_cluster(specialist, owner_unit=city, name="Cụm thi đua số 1",
                                      note="Nhóm mẫu")  # fmt: skip
    services.add_members(specialist, cluster=cluster, units=wards, joined_on=dt.date(2025, 1, 1))
    services.open_term(specialist, cluster=cluster, year=2025, head=wards[0], rotation_order=wards)
    review = services.open_review(specialist, cluster=cluster, year=2025, table=table)
    flag_round = honors.create_round(
        specialist,
        title="Khen thưởng tổng kết năm 2025",
        kind="regular",
        owner_unit=city,
        opens_on=dt.date(2025, 1, 1),
        closes_on=timezone.localdate() + dt.timedelta(days=60),
        award_types=[awards["co-thi-dua"]],
        council=honours_council,
    )
    # the other members assess themselves (lower than Ba Đình)
    for n, (ward, user) in enumerate(zip(wards[1:], members[1:], strict=True)):
        sheet = ScoreSheet.objects.get(review=review, unit=ward)
        services.add_evidence(user, sheet=sheet, criterion=c11, file=evidence_file())
        services.record_score(user, sheet=sheet, criterion=c11, value=7)
        services.record_score(user, sheet=sheet, criterion=c21, value=5 + n % 3)
        services.submit_sheet(user, sheet=sheet)
    top = ScoreSheet.objects.get(review=review, unit=wards[0])

    # 1. Ba Đình assesses itself on a phone, with evidence
    page = sign_in(browser, live_server, "cl-ward0")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/clusters/sheets/{top.pk}/")
    page.get_by_test_id("value-1.1").fill("9")
    page.get_by_test_id("value-2.1").fill("8")
    page.get_by_test_id("save-scores").click()
    page.get_by_test_id("submit-sheet").click()
    expect(page.locator(".notice")).to_contain_text("1.1")  # evidence missing: refused
    evidence = tmp_path / "bien-ban-kien-toan.pdf"
    evidence.write_bytes(PDF)
    page.get_by_test_id("evidence-form").locator("select").select_option(str(c11.pk))
    page.get_by_test_id("evidence-form").locator("input[type=file]").set_input_files(str(evidence))
    page.get_by_test_id("evidence-form").locator("button").click()
    page.get_by_test_id("submit-sheet").click()
    expect(page.get_by_test_id("sheet-status")).to_contain_text("Đã gửi")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.get_by_test_id("submit-sheet")).to_have_count(0)  # locked for the member
    page.context.close()

    # 2. the specialist finds it in the inbox, receives it and scores at its step
    page = sign_in(browser, live_server, "cl-specialist")
    page.goto("/work/")
    expect(page.locator("main")).to_contain_text("Phường Ba Đình")
    page.goto(f"/clusters/sheets/{top.pk}/")
    page.get_by_test_id("forward-sheet").click()
    expect(page.get_by_test_id("sheet-status")).to_contain_text("Chuyên viên")
    page.get_by_test_id("value-1.1").fill("9,5")
    page.get_by_test_id("save-scores").click()
    expect(page.get_by_test_id("final-1.1")).to_contain_text("9,5")
    page.get_by_test_id("forward-sheet").click()
    page.context.close()
    for sheet in ScoreSheet.objects.filter(review=review).exclude(pk=top.pk):
        services.forward_sheet(specialist, sheet=sheet)
        services.forward_sheet(specialist, sheet=sheet)

    # 3. the board returns Ba Đình's sheet: a reason is required
    page = sign_in(browser, live_server, "cl-leader")
    page.goto(f"/clusters/sheets/{top.pk}/")
    page.get_by_test_id("return-sheet").click()
    expect(page.locator("main")).to_contain_text("lý do")
    page.get_by_test_id("return-reason-input").fill("Tiêu chí 1.1 chấm cao hơn minh chứng")
    page.get_by_test_id("return-sheet").click()
    expect(page.get_by_test_id("return-reason")).to_contain_text("Tiêu chí 1.1 chấm cao")
    page.context.close()

    # 4. the specialist fixes it and sends it again; the board approves
    page = sign_in(browser, live_server, "cl-specialist")
    page.goto(f"/clusters/sheets/{top.pk}/")
    expect(page.get_by_test_id("return-reason")).to_contain_text("Tiêu chí 1.1 chấm cao")
    page.get_by_test_id("value-1.1").fill("9")
    page.get_by_test_id("save-scores").click()
    page.get_by_test_id("forward-sheet").click()
    page.context.close()
    leader = members[0].__class__.objects.get(username="cl-leader")
    council = members[0].__class__.objects.get(username="cl-council")
    page = sign_in(browser, live_server, "cl-leader")
    page.goto(f"/clusters/sheets/{top.pk}/")
    page.get_by_test_id("forward-sheet").click()
    page.context.close()
    for sheet in ScoreSheet.objects.filter(review=review).exclude(pk=top.pk):
        services.forward_sheet(leader, sheet=sheet)

    # 5. the council adjusts 2.1 from 8 to 6, with its reason
    page = sign_in(browser, live_server, "cl-council")
    page.goto(f"/clusters/sheets/{top.pk}/")
    expect(page.get_by_test_id("final-2.1")).to_contain_text("8")
    page.get_by_test_id("value-2.1").fill("6")
    page.get_by_test_id("comment-2.1").fill("Ngày hội chưa tổ chức ở 2 khu dân cư")
    page.get_by_test_id("save-scores").click()
    expect(page.get_by_test_id("final-2.1")).to_contain_text("6")
    expect(page.get_by_test_id("final-total")).to_contain_text("15")
    page.get_by_test_id("forward-sheet").click()
    page.context.close()
    event = AuditEvent.objects.filter(verb="clusters.score", data__step="council_review").get()
    assert (event.data["old"], event.data["new"], event.actor) == ("8.00", "6.00", council)
    for sheet in ScoreSheet.objects.filter(review=review).exclude(pk=top.pk):
        services.forward_sheet(council, sheet=sheet)

    # 6. the standing board publishes, then nominates the top for the emulation flag
    page = sign_in(browser, live_server, "cl-leader")
    page.goto(f"/clusters/reviews/{review.pk}/")
    page.get_by_test_id("publish-form").locator("button").click()
    expect(page.get_by_test_id("ranking")).to_contain_text("Phường Ba Đình")
    page.get_by_test_id("nominate-form").locator("select").select_option(str(flag_round.pk))
    page.get_by_test_id("nominate-form").locator("button").click()
    page.get_by_test_id("flag-nomination").click()
    expect(page.locator("main")).to_contain_text("Cờ thi đua")
    page.context.close()
    nomination = Nomination.objects.get(round=flag_round)
    assert nomination.unit == wards[0] and nomination.award_type.code == "co-thi-dua"
    top.refresh_from_db()
    assert top.status == Step.NOMINATED

    # 7. the ranking is public
    page = browser.new_page(base_url=live_server.url, locale="vi-VN")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/p/clusters/")
    page.get_by_role("link", name="Cụm thi đua số 1 · 2025").click()
    expect(page.get_by_test_id("public-ranking").locator("tbody tr").first).to_contain_text(
        "Phường Ba Đình"
    )
    expect(page.get_by_test_id("flags")).to_contain_text("Phường Ba Đình")
    expect(page.get_by_test_id("head")).to_contain_text("Phường Ba Đình")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()
    assert Criterion.objects.get(pk=c21.pk).max_points == 10
