"""A criterion's deadline closes the member's own score and evidence for it (the day itself
still open); reviewers are not bound by it. The sheet shows each deadline and how near it is; the
member's inbox item is due by the nearest deadline ahead."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from freezegun import freeze_time

from tests.clusters.conftest import criteria, evidence_file, self_assess
from tests.clusters.test_services import sheet_of
from tests.parity import API
from thidua.clusters import services
from thidua.clusters.models import Criterion, Evidence, ScoreEntry, Step
from thidua.clusters.work import SHEET_TO_ACT, sheets_to_act
from thidua.core.work import WorkFilter, inbox

pytestmark = pytest.mark.django_db


def set_deadline(criterion, day):
    # set directly: the table's versioning is not under test here
    Criterion.objects.filter(pk=criterion.pk).update(deadline=day)
    criterion.refresh_from_db()
    return criterion


def test_after_the_deadline_the_member_can_no_longer_score_the_criterion(review, crew, wards):
    sheet = sheet_of(review, wards[0])
    code = set_deadline(criteria(review.table)["1.2"], dt.date(2026, 3, 31))
    with freeze_time("2026-03-31 16:00:00"):  # the deadline day itself is still open
        services.record_score(crew["ward0"], sheet=sheet, criterion=code, value=5)
    with (
        freeze_time("2026-04-01 09:00:00"),
        translation.override("vi"),
        pytest.raises(ValidationError) as error,
    ):
        services.record_score(crew["ward0"], sheet=sheet, criterion=code, value=6)
    assert error.value.code == "deadline_passed"
    (message,) = error.value.messages
    assert "1.2 Đào tạo cán bộ" in message and "31/03/2026" in message
    assert list(ScoreEntry.objects.values_list("value", flat=True)) == [5]


def test_after_the_deadline_the_member_can_no_longer_add_evidence(review, crew, wards):
    sheet = sheet_of(review, wards[0])
    code = set_deadline(criteria(review.table)["1.1"], timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.add_evidence(crew["ward0"], sheet=sheet, criterion=code, file=evidence_file())
    assert "1.1 Kiện toàn tổ chức" in error.value.messages[0]
    assert not Evidence.objects.exists()


def test_reviewers_score_after_the_deadline(review, crew, wards):
    self_assess(review, crew, wards[:1])
    sheet = sheet_of(review, wards[0])
    code = set_deadline(criteria(review.table)["1.2"], timezone.localdate() - dt.timedelta(days=5))
    services.forward_sheet(crew["specialist"], sheet=sheet)
    assert sheet.status == Step.SPECIALIST_REVIEW
    entry = services.record_score(crew["specialist"], sheet=sheet, criterion=code, value=4)
    assert entry is not None and entry.step == Step.SPECIALIST_REVIEW


def test_the_api_refuses_a_score_after_the_deadline(review, crew, wards, client):
    sheet = sheet_of(review, wards[0])
    code = set_deadline(criteria(review.table)["1.2"], timezone.localdate() - dt.timedelta(days=1))
    client.force_login(crew["ward0"])
    response = client.post(
        f"{API}/clusters/sheets/{sheet.pk}/scores",
        {"criterion_id": code.pk, "value": "5"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert "1.2" in str(response.json()) and code.deadline.strftime("%d/%m/%Y") in str(
        response.json()
    )
    assert not ScoreEntry.objects.exists()
    detail = client.get(f"{API}/clusters/sheets/{sheet.pk}").json()
    (line,) = [c for c in detail["criteria"] if c["code"] == "1.2"]
    assert line["deadline"] == code.deadline.isoformat()


def test_the_sheet_page_shows_the_deadlines_and_refuses_a_late_score(review, crew, wards, client):
    sheet = sheet_of(review, wards[0])
    today = timezone.localdate()
    codes = criteria(review.table)
    late = set_deadline(codes["1.2"], today - dt.timedelta(days=2))
    set_deadline(codes["2.1"], today)
    set_deadline(codes["1.1"], today + dt.timedelta(days=12))
    client.cookies["django_language"] = "vi"
    client.force_login(crew["ward0"])
    html = client.get(f"/clusters/sheets/{sheet.pk}/").content.decode()
    assert late.deadline.strftime("%d/%m/%Y") in html
    assert "quá hạn" in html and "hết hạn hôm nay" in html and "còn 12 ngày" in html
    assert 'data-testid="value-1.2" disabled' in html  # closed on the page too
    response = client.post(
        f"/clusters/sheets/{sheet.pk}/scores/", {f"value_{late.pk}": "5"}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200, (response.status_code, response.redirect_chain)
    closed = late.deadline.strftime("%d/%m/%Y")
    assert f"Tiêu chí 1.2 Đào tạo cán bộ đã hết hạn ngày {closed}" in page
    assert not ScoreEntry.objects.exists()


def test_the_inbox_item_is_due_by_the_nearest_deadline_ahead(review, crew, wards):
    today = timezone.localdate()
    codes = criteria(review.table)
    set_deadline(codes["1.1"], today - dt.timedelta(days=1))  # passed: not "upcoming"
    set_deadline(codes["1.2"], today + dt.timedelta(days=20))
    set_deadline(codes["2.1"], today + dt.timedelta(days=6))
    member = crew["ward0"]
    assert sheets_to_act(member).count(WorkFilter()).total == 1
    (item,) = inbox(member, work_filter=WorkFilter(kinds=frozenset({SHEET_TO_ACT}))).page
    assert item.due == today + dt.timedelta(days=6)
    assert sheets_to_act(member).count(WorkFilter(due="week")).total == 1
    # once submitted, the sheet waits for the specialist, undated
    set_deadline(codes["1.1"], today + dt.timedelta(days=30))
    self_assess(review, crew, wards[:1])
    (item,) = inbox(
        crew["specialist"], work_filter=WorkFilter(kinds=frozenset({SHEET_TO_ACT}))
    ).page
    assert item.due is None
