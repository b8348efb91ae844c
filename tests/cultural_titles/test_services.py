import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.cultural_titles.conftest import MEETING, YEAR, filled, register_rows
from thidua.core.models import Posting
from thidua.cultural_titles import selectors, services
from thidua.cultural_titles.models import AreaAssessment, HouseholdAssessment
from thidua.honors import selectors as honor_selectors
from thidua.org.models import Household
from thidua.org.services.households import import_households, move_household

POSTED = dt.date(YEAR, 11, 4)


def codes_in(assessment) -> list[str]:
    sheet = services.template(assessment).worksheets[0]
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def meeting(committee, assessment):
    return services.record_meeting(
        committee,
        assessment=assessment,
        meeting_on=MEETING,
        chair="Lê Văn Tổ",
        co_chair="Nguyễn Thị Mặt Trận",
        attendees=40,
    )


def posted(committee, assessment, **fill):
    services.upload_assessment(committee, assessment=assessment, content=filled(assessment, **fill))
    meeting(committee, assessment)
    services.post_list(committee, assessment=assessment, today=POSTED)
    assessment.refresh_from_db()
    return assessment


def test_the_round_has_one_row_per_area_and_a_timeline_from_25_november(round_, ward):
    assert round_.deadline == dt.date(YEAR, 11, 25)
    assert {a.area for a in round_.areas.all()} == {ward["a"], ward["b"]}
    assert round_.decision_due == dt.date(YEAR, 12, 5)
    assert len(services.timeline(round_)) == 5


def test_upload_replaces_the_draft_and_the_same_file_changes_nothing(committee, area_a):
    content = filled(area_a, no_for={"HA002"})
    assert services.upload_assessment(committee, assessment=area_a, content=content) == 5
    area_a.refresh_from_db()
    assert (area_a.assessed, area_a.eligible) == (5, 4)
    ids = list(HouseholdAssessment.objects.values_list("pk", flat=True))
    services.upload_assessment(committee, assessment=area_a, content=content)
    assert list(HouseholdAssessment.objects.values_list("pk", flat=True)) == ids
    services.upload_assessment(committee, assessment=area_a, content=filled(area_a))
    area_a.refresh_from_db()
    assert (area_a.assessed, area_a.eligible) == (5, 5)


def test_twelve_bad_rows_write_nothing_and_are_all_named(ward, chairman, committee, area_a):
    import_households(chairman, commune=ward["ward"], rows=register_rows(ward, 12, "a"))
    area_a.refresh_from_db()
    good = filled(area_a)
    services.upload_assessment(committee, assessment=area_a, content=good)
    before = list(HouseholdAssessment.objects.values_list("pk", "eligible"))
    # 4 unknown codes, 4 missing mandatory answers, 4 households twice
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.cultural_titles.conftest import xlsx_bytes

    book = load_workbook(BytesIO(filled(area_a, no_for={"HA001"})))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    for row in rows[0:4]:
        row[1].value = f"KHONG-CO-{row[1].value}"
    for row in rows[4:8]:
        row[5].value = None
    width = sheet.max_column
    for row in rows[8:12]:
        sheet.append([c.value for c in row][:width])
    bad = xlsx_bytes(book)
    with pytest.raises(services.AssessmentRejected) as failure:
        services.upload_assessment(committee, assessment=area_a, content=bad)
    named = {p.row for p in failure.value.problems}
    assert named == {2, 3, 4, 5, 6, 7, 8, 9, 14, 15, 16, 17}
    assert list(HouseholdAssessment.objects.values_list("pk", "eligible")) == before


def test_a_no_on_a_mandatory_criterion_cannot_be_eligible_without_a_reason(committee, area_a):
    content = filled(area_a, no_for={"HA003"}, eligible_override={"HA003"})
    with pytest.raises(services.AssessmentRejected) as failure:
        services.upload_assessment(committee, assessment=area_a, content=content)
    assert [p.row for p in failure.value.problems] == [4]
    assert not HouseholdAssessment.objects.exists()


def test_a_dossier_cannot_be_filed_before_the_10_day_posting_ends(committee, area_a):
    area_a = posted(committee, area_a)
    assert area_a.posting_ends_on == dt.date(YEAR, 11, 13)
    for day in (POSTED, dt.date(YEAR, 11, 13)):
        with pytest.raises(ValidationError):
            services.file_dossier(committee, assessment=area_a, today=day)
    area_a.refresh_from_db()
    assert area_a.status == AreaAssessment.Status.POSTED
    services.file_dossier(committee, assessment=area_a, today=dt.date(YEAR, 11, 14))
    assert area_a.status == AreaAssessment.Status.FILED


def test_filing_after_25_november_asks_for_a_reason(committee, area_a):
    area_a = posted(committee, area_a)
    late = dt.date(YEAR, 11, 27)
    with pytest.raises(ValidationError):
        services.file_dossier(committee, assessment=area_a, today=late)
    services.file_dossier(committee, assessment=area_a, today=late, late_reason="Họp lại")
    states = selectors.dashboard(area_a.round, today=late)
    assert [s.late for s in states if s.assessment.pk == area_a.pk] == [True]


def test_a_comment_that_changes_a_result_reissues_the_list_and_keeps_the_old(committee, area_a):
    area_a = posted(committee, area_a)
    first = area_a.posting
    assert len(first.entries) == 5 and first.pdf_hash
    comment = services.comment(
        None,
        assessment=area_a,
        name="Cư dân",
        text="Hộ HA004 xây dựng trái phép",
        today=dt.date(YEAR, 11, 6),
    )
    reissued = services.resolve(
        committee,
        assessment=area_a,
        comment=comment,
        resolution="Đã xác minh: hộ vi phạm, không đạt",
        household_code="HA004",
        eligible=False,
        today=dt.date(YEAR, 11, 8),
    )
    assert reissued.version == 2 and len(reissued.entries) == 4
    first.refresh_from_db()
    assert first.superseded_at is not None and len(first.entries) == 5
    assert Posting.objects.filter(key=area_a.posting_key).count() == 2
    area_a.refresh_from_db()
    assert area_a.eligible == 4 and area_a.posting_ends_on == dt.date(YEAR, 11, 17)
    with pytest.raises(ValidationError):
        services.file_dossier(committee, assessment=area_a, today=dt.date(YEAR, 11, 17))


def test_an_unresolved_comment_blocks_the_dossier(committee, area_a):
    area_a = posted(committee, area_a)
    services.comment(None, assessment=area_a, name="A", text="B", today=POSTED)
    with pytest.raises(ValidationError):
        services.file_dossier(committee, assessment=area_a, today=dt.date(YEAR, 11, 20))


def test_the_decision_confers_the_title_with_certificates_verifiable(
    committee, chairman, area_a, django_capture_on_commit_callbacks
):
    area_a = posted(committee, area_a, no_for={"HA005"})
    services.file_dossier(committee, assessment=area_a, today=dt.date(YEAR, 11, 14))
    decided = services.decide_families(
        chairman,
        round=area_a.round,
        number="123/QĐ-UBND",
        signed_on=dt.date(YEAR, 11, 30),
        signer="Phạm Minh Đức",
    )
    assert decided.households == 4 and decided.late_areas == 1  # 16 days after its dossier
    annex = selectors.annex(decided)
    assert [(g["area"], len(g["households"]), g["eligible"]) for g in annex] == [
        (area_a.area, 4, 4)
    ]
    honours = honor_selectors.annex(decided.decision)
    assert honours.count() == 4 and {h.unit for h in honours} == {area_a.area}
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.start_certificates(chairman, title_decision=decided)
    batch.refresh_from_db()
    assert batch.status == "done" and batch.total == 4
    certificate = honours.first().certificate
    assert (
        honor_selectors.verify_certificate(certificate.serial, certificate.check_code).status
        == "valid"
    )


def test_a_committee_member_may_not_decide(committee, area_a):
    area_a = posted(committee, area_a)
    services.file_dossier(committee, assessment=area_a, today=dt.date(YEAR, 11, 14))
    with pytest.raises(PermissionDenied):
        services.decide_families(
            committee, round=area_a.round, number="1", signed_on=dt.date(YEAR, 11, 20), signer="X"
        )


def test_a_moved_household_is_in_its_new_area_next_year_and_its_title_stays(
    committee, chairman, ward, area_a
):
    area_a = posted(committee, area_a)
    services.file_dossier(committee, assessment=area_a, today=dt.date(YEAR, 11, 14))
    decided = services.decide_families(
        chairman, round=area_a.round, number="9/QĐ", signed_on=dt.date(YEAR, 11, 20), signer="Đức"
    )
    household = Household.objects.get(code="HA001")
    move_household(
        chairman, household=household, to_unit=ward["b"], moved_on=dt.date(YEAR + 1, 2, 1)
    )
    next_round = services.open_round(chairman, commune=ward["ward"], year=YEAR + 1)
    next_b = next_round.areas.get(area=ward["b"])
    codes = [
        row[1]
        for row in services.template(next_b).worksheets[0].iter_rows(min_row=2, values_only=True)
    ]
    assert "HA001" in codes
    next_a = next_round.areas.get(area=ward["a"])
    codes_a = [
        row[1]
        for row in services.template(next_a).worksheets[0].iter_rows(min_row=2, values_only=True)
    ]
    assert "HA001" not in codes_a
    honour = honor_selectors.annex(decided.decision).get(recipient_name=household.head_name)
    assert honour.unit == ward["a"]
    assert HouseholdAssessment.objects.get(assessment=area_a, code="HA001").eligible


def test_the_dashboard_query_count_does_not_grow_with_households(committee, chairman, ward, round_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    area_a = round_.areas.get(area=ward["a"])
    posted(committee, area_a)
    with CaptureQueriesContext(connection) as small:
        selectors.dashboard(round_)
    import_households(chairman, commune=ward["ward"], rows=register_rows(ward, 40, "b"))
    area_b = round_.areas.get(area=ward["b"])
    services.upload_assessment(chairman, assessment=area_b, content=filled(area_b))
    with CaptureQueriesContext(connection) as large:
        states = selectors.dashboard(round_)
    assert len(large) == len(small) == 2
    assert selectors.totals(states).assessed == 45
