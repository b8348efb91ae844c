"""The rules of the issue's "Done when", through the services and selectors users reach."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.surveys.helpers import commune, forms, key, launch, staff
from thidua.core.models import AuditEvent
from thidua.surveys import selectors, services
from thidua.surveys.models import AreaTally, FrameArea, Response, Survey
from thidua.surveys.services.codes import household_code

pytestmark = pytest.mark.django_db


def test_coverage_under_the_rule_is_not_eligible_even_when_satisfied_then_passes():
    city, _district, ward, areas = commune(areas=[100] * 10)
    officer = staff(ward)
    survey = launch(officer, ward)
    # 580 answers, 95 % satisfied: 58 per area (551 / 580 = 95 %)
    key(officer, survey, areas[0], forms(56, 2))
    for area in areas[1:]:
        key(officer, survey, area, forms(55, 3))
    result = selectors.results(survey).total
    assert result.households == 1000
    assert result.answered == 580
    assert float(result.coverage) == pytest.approx(0.58)
    assert float(result.unweighted) == pytest.approx(0.95)
    assert result.verdict == "not_eligible"
    assert result.verdict_label != "passed"
    # 30 more, 24 satisfied: 575 / 610 = 94 % ≥ 80 %, coverage 61 % ≥ 60 %
    key(officer, survey, areas[0], forms(24, 6))
    result = selectors.results(survey).total
    assert result.answered == 610
    assert result.eligible
    assert result.verdict == "passed"


def test_a_unit_failing_coverage_never_passes_at_any_level():
    city, district, ward, areas = commune(areas=[100, 100])
    officer = staff(district)
    survey = launch(officer, district)
    key(officer, survey, areas[0], forms(10))
    results = selectors.results(survey)
    assert [row.verdict for row in results.rows] == ["not_eligible"]
    ward_results = selectors.results(survey, root=ward)
    assert all(row.verdict != "passed" for row in ward_results.rows)
    assert [row.low_response for row in ward_results.rows] == [True, True]


def test_anonymous_mode_stores_no_household_and_no_person():
    city, _district, ward, areas = commune(areas=[50])
    officer = staff(ward)
    survey = launch(officer, ward)
    rows = forms(6)
    rows[0]["household_code"] = "ABCD-EFGH"  # sent anyway: dropped
    key(officer, survey, areas[0], rows)
    stored = Response.objects.filter(survey=survey)
    assert stored.count() == 6
    assert not stored.exclude(household_key=None).exists()
    field_names = {f.name for f in Response._meta.get_fields()}
    assert not field_names & {"user", "person", "entered_by", "created_by", "household"}
    tally = AreaTally.objects.get(survey=survey, area=areas[0])
    assert tally.valid == 6
    assert tally.counts["Q2"] == {"_n": 6, "road": 6, "light": 6}


def test_same_household_code_twice_keeps_the_first_and_marks_the_second():
    city, _district, ward, areas = commune(areas=[20])
    officer = staff(ward)
    survey = launch(officer, ward, mode=Survey.Mode.HOUSEHOLD)
    code = household_code(survey, areas[0].pk, 3)
    first = forms(1, codes=[code])
    key(officer, survey, areas[0], first)
    answer = services.submit_web_answer(
        survey=survey, client_id=uuid.uuid4(), answers={"Q1": "4"}, household_code=code.lower()
    )
    assert answer.status == Response.Status.DUPLICATE
    kept = Response.objects.get(client_id=first[0]["client_id"])
    assert kept.status == Response.Status.VALID
    assert AreaTally.objects.get(survey=survey).valid == 1
    assert AuditEvent.objects.filter(verb="surveys.mark_duplicate").count() == 1


def test_replaying_a_batch_three_times_gives_the_same_counts():
    city, _district, ward, areas = commune(areas=[100])
    officer = staff(ward)
    survey = launch(officer, ward)
    rows = forms(20, 5)
    batch_id = uuid.uuid4()
    for _ in range(3):
        key(officer, survey, areas[0], rows, batch=batch_id)
    # the same forms in a new batch (a phone re-sending after a lost answer) add nothing either
    key(officer, survey, areas[0], rows)
    assert Response.objects.filter(survey=survey).count() == 25
    tally = AreaTally.objects.get(survey=survey)
    assert (tally.valid, tally.pass_yes, tally.pass_valid) == (25, 20, 25)


def test_weighted_and_unweighted_shares_are_both_shown_and_labelled():
    city, _district, ward, areas = commune(areas=[100, 900])
    officer = staff(ward)
    survey = launch(officer, ward)
    key(officer, survey, areas[0], forms(25, 25))
    key(officer, survey, areas[1], forms(45, 5))
    results = selectors.results(survey)
    assert float(results.total.unweighted) == pytest.approx(0.70)
    assert float(results.total.weighted) == pytest.approx(0.86)
    assert results.unweighted_label and results.weighted_label
    assert results.unweighted_label != results.weighted_label


def test_a_sample_of_areas_is_seeded_stored_and_gives_an_interval():
    city, _district, ward, areas = commune(areas=[100, 200, 300, 400, 500, 600])
    officer = staff(ward)
    survey = launch(officer, ward, sample_size=4, sample_seed=2024)
    chosen = set(
        FrameArea.objects.filter(survey=survey, selected=True).values_list("area", flat=True)
    )
    assert len(chosen) == 4
    for area in areas:
        if area.pk in chosen:
            key(officer, survey, area, forms(30 + area.households // 50, 10))
    results = selectors.results(survey)
    low, high = results.total.interval
    assert low <= results.total.weighted <= high
    # the same seed draws the same areas
    again = launch(officer, ward, sample_size=4, sample_seed=2024)
    assert (
        set(FrameArea.objects.filter(survey=again, selected=True).values_list("area", flat=True))
        == chosen
    )


def test_households_added_after_launch_change_no_denominator():
    city, _district, ward, areas = commune(areas=[100, 100])
    officer = staff(ward)
    survey = launch(officer, ward)
    areas[0].households = 500
    areas[0].save()
    from tests.factories import make_unit

    make_unit("Thôn mới", parent=ward, kind_code="residential_area", households=300)
    assert selectors.results(survey).total.households == 200
    assert FrameArea.objects.filter(survey=survey).count() == 2


def test_a_questionnaire_is_frozen_once_fielded_and_changes_by_version():
    city, _district, ward, areas = commune(areas=[10])
    officer = staff(ward)
    survey = launch(officer, ward)
    questionnaire = survey.questionnaire
    questionnaire.refresh_from_db()
    assert questionnaire.is_frozen
    newer = services.new_version(officer, questionnaire=questionnaire)
    assert newer.version == 2 and newer.questions.count() == 4
    with pytest.raises(ValidationError):
        services.new_version(officer, questionnaire=questionnaire)


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"Q1": "5", "Q3": "a"}, "not asked"),  # a hidden question answered
        ({"Q1": "9"}, "no option"),  # not an option of the question
        ({"Q1": "5", "Q2": ["road", "boat"]}, "no option"),
        ({"Q2": ["road"]}, "must be answered"),
        ({"Q1": "5", "Q9": "x"}, "no question"),
    ],
)
def test_bad_answers_refuse_the_whole_batch(answers, message):
    city, _district, ward, areas = commune(areas=[100])
    officer = staff(ward)
    survey = launch(officer, ward)
    rows = forms(3) + [{"client_id": str(uuid.uuid4()), "answers": answers}]
    with pytest.raises(ValidationError) as error:
        key(officer, survey, areas[0], rows)
    assert message in " ".join(error.value.messages)
    assert "Form 4" in " ".join(error.value.messages)
    assert not Response.objects.exists()
    assert AreaTally.objects.get(survey=survey).valid == 0


def test_a_household_code_of_another_area_is_refused():
    city, _district, ward, areas = commune(areas=[10, 10])
    officer = staff(ward)
    survey = launch(officer, ward, mode=Survey.Mode.HOUSEHOLD)
    code = household_code(survey, areas[1].pk, 1)
    with pytest.raises(ValidationError) as error:
        key(officer, survey, areas[0], forms(1, codes=[code]))
    assert "another residential area" in " ".join(error.value.messages)
    assert not Response.objects.exists()


def test_no_batch_once_tallied_and_no_web_answer_once_closed():
    city, _district, ward, areas = commune(areas=[10])
    officer = staff(ward)
    survey = launch(officer, ward)
    services.close_survey(officer, survey=survey)
    with pytest.raises(ValidationError):
        services.submit_web_answer(
            survey=survey,
            client_id=uuid.uuid4(),
            answers={"Q1": "5"},
            form_code=FrameArea.objects.get(survey=survey).form_code,
        )
    key(officer, survey, areas[0], forms(2))  # late paper forms are taken until tallied
    services.tally_survey(officer, survey=survey)
    with pytest.raises(ValidationError) as error:
        key(officer, survey, areas[0], forms(2))
    assert "takes no more answers" in " ".join(error.value.messages)
    assert Response.objects.count() == 2
    with pytest.raises(ValidationError):
        services.reopen_survey(officer, survey=survey, reason=" ")
    services.reopen_survey(officer, survey=survey, reason="Phiếu thôn 1 nộp muộn")
    key(officer, survey, areas[0], forms(2))
    assert Response.objects.count() == 4


def test_a_committee_of_another_area_may_not_key_forms():
    city, _district, ward, areas = commune(areas=[10, 10])
    officer = staff(ward)
    survey = launch(officer, ward)
    committee = staff(areas[1], username="committee-2")
    with pytest.raises(PermissionDenied):
        key(committee, survey, areas[0], forms(1))
    key(committee, survey, areas[1], forms(1))
    with pytest.raises(PermissionDenied):
        launch(committee, ward)


def test_posting_freezes_a_pdf_with_its_hash_and_a_correction_keeps_the_old():
    city, _district, ward, areas = commune(areas=[30])
    officer = staff(ward)
    survey = launch(officer, ward)
    key(officer, survey, areas[0], forms(20, 5))
    services.close_survey(officer, survey=survey)
    services.tally_survey(officer, survey=survey)
    first = services.post_results(officer, survey=survey, places="Nhà văn hóa thôn")
    assert len(first.sha256) == 64 and first.pdf.read()[:4] == b"%PDF"
    assert (first.posted_to - first.posted_from).days == 9
    with pytest.raises(ValidationError):
        services.post_results(officer, survey=survey)
    second = services.post_results(officer, survey=survey, reason="Sửa tên thôn")
    assert second.supersedes == first and second.number == 2
    assert list(selectors.postings(survey)) == [second, first]
