"""The optional assessment (completion needs a pass when the course has one) and the best
learners proposed for commendation, handed to honours' nomination form pre-filled."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories.honors import pdf
from thidua.honors.models import Nomination
from thidua.training import selectors, services
from thidua.training.models import Certificate, Course, Enrolment

pytestmark = pytest.mark.django_db
Status = Enrolment.Status


@pytest.fixture
def assessed(city_officer, tree):
    course = services.create_course(
        city_officer,
        owner_unit=tree["city"],
        title="Lớp có kiểm tra cuối khóa",
        level=Course.Level.CITY,
        starts_on=dt.date(2026, 9, 7),
        ends_on=dt.date(2026, 9, 8),
        has_assessment=True,
        max_score=10,
        pass_mark=5,
    )
    for day in (7, 8):
        services.add_session(
            city_officer, course=course, title=f"Ngày {day}", held_on=dt.date(2026, 9, day)
        )
    return course


@pytest.fixture
def three(assessed, learners_of, city_officer):
    enrolments = learners_of(assessed)
    for session in assessed.sessions.all():
        services.record_attendance(
            city_officer, course=assessed, session=session, present=enrolments
        )
    return enrolments


def test_completion_needs_a_pass_when_the_course_has_an_assessment(
    client, city_officer, assessed, three
):
    lan, hung, mai = three
    client.force_login(city_officer)
    response = client.post(
        reverse("training:scores", args=[assessed.pk]),
        {f"score-{lan.pk}": "8,5", f"score-{hung.pk}": "4.5", f"score-{mai.pk}": ""},
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=lan.pk).score == Decimal("8.5")
    # eligibility shows before completion is decided
    rows = {r.enrolment.pk: r for r in selectors.learners(assessed)}
    assert rows[lan.pk].eligible and not rows[hung.pk].eligible and not rows[mai.pk].eligible
    assert rows[hung.pk].enough_hours and rows[hung.pk].passed is False
    assert services.close_course(city_officer, course=assessed) == {
        "completed": 1,
        "not_completed": 2,
    }
    services.issue_certificates(city_officer, course=assessed)
    assert list(Certificate.objects.values_list("enrolment", flat=True)) == [lan.pk]
    page = client.get(reverse("training:detail", args=[assessed.pk])).content.decode()
    assert "8,5" in page and 'data-testid="scores-link"' in page
    # a certified learner's score no longer changes
    with pytest.raises(ValidationError):
        services.record_scores(city_officer, course=assessed, scores={lan: "9"})


def test_bad_scores_are_refused_and_write_nothing(city_officer, assessed, three, course):
    lan, hung, _mai = three
    for value in ("11", "-1", "tám"):
        with pytest.raises(ValidationError):
            services.record_scores(city_officer, course=assessed, scores={hung: "7", lan: value})
    assert not Enrolment.objects.filter(score__isnull=False).exists()
    with pytest.raises(ValidationError):  # a course without an assessment
        services.record_scores(city_officer, course=course, scores={})
    with pytest.raises(ValidationError):  # a pass mark above the highest score
        services.create_course(
            city_officer,
            owner_unit=assessed.owner_unit,
            title="Sai",
            level=Course.Level.CITY,
            starts_on=dt.date(2026, 9, 7),
            ends_on=dt.date(2026, 9, 7),
            has_assessment=True,
            max_score=10,
            pass_mark=12,
        )


def test_scores_are_refused_to_who_may_not_organise(client, viewer, outsider, assessed, three):
    lan = three[0]
    url = reverse("training:scores", args=[assessed.pk])
    api = f"/api/v1/training/{assessed.pk}/scores"
    for user, status in ((viewer, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(url, {f"score-{lan.pk}": "9"}).status_code == status
        answer = client.post(
            api, [{"enrolment_id": lan.pk, "score": "9"}], content_type="application/json"
        )
        assert answer.status_code == status
    assert not Enrolment.objects.filter(score__isnull=False).exists()


def test_the_api_records_scores(client, city_officer, assessed, three):
    client.force_login(city_officer)
    answer = client.post(
        f"/api/v1/training/{assessed.pk}/scores",
        [{"enrolment_id": e.pk, "score": s} for e, s in zip(three, ("9", "6", None), strict=True)],
        content_type="application/json",
    )
    assert answer.status_code == 200
    meets = {row["full_name"]: row["meets_rule"] for row in answer.json()}
    assert meets == {"Nguyễn Thị Lan": True, "Trần Văn Hùng": True, "Lê Thị Mai": False}


def _finish(city_officer, assessed, three, scores=("7", "9,5", "8")):
    services.record_scores(
        city_officer, course=assessed, scores=dict(zip(three, scores, strict=True))
    )
    services.close_course(city_officer, course=assessed)


def test_the_best_learners_are_proposed_by_score(city_officer, assessed, three):
    _finish(city_officer, assessed, three)
    chosen = services.propose_top_learners(city_officer, course=assessed, count=2)
    assert [e.officer.full_name for e in chosen] == ["Trần Văn Hùng", "Lê Thị Mai"]
    assert set(Enrolment.objects.filter(commended=True).values_list("pk", flat=True)) == {
        three[1].pk,
        three[2].pk,
    }
    # proposing again re-chooses: one learner only
    services.propose_top_learners(city_officer, course=assessed, count=1)
    assert Enrolment.objects.filter(commended=True).count() == 1
    for count in (0, 4):
        with pytest.raises(ValidationError):
            services.propose_top_learners(city_officer, course=assessed, count=count)


def test_no_proposal_before_the_course_ends(city_officer, today_course, learners_of):
    learners_of(today_course)
    with pytest.raises(ValidationError):
        services.propose_top_learners(city_officer, course=today_course, count=1)


def _value(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else ""


def _textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def test_a_proposed_learner_opens_the_nomination_form_pre_filled(
    client, city_officer, assessed, three, city_round, awards, tree
):
    _finish(city_officer, assessed, three)
    client.force_login(city_officer)
    response = client.post(reverse("training:commend", args=[assessed.pk]), {"count": 2})
    assert response.status_code == 302
    detail = client.get(reverse("training:detail", args=[assessed.pk])).content.decode()
    hung = three[1]
    propose = reverse("honors:nomination_propose", args=["learner", hung.pk])
    assert propose in detail
    # a learner not among the proposed has no hand-off
    assert reverse("honors:nomination_propose", args=["learner", three[0].pk]) not in detail
    assert (
        client.get(reverse("honors:nomination_propose", args=["learner", three[0].pk])).status_code
        == 404
    )

    response = client.get(propose)
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.startswith(reverse("honors:nomination_create", args=[city_round.pk]))
    page = client.get(form_url).content.decode()
    assert _value(page, "nominee_name") == "Trần Văn Hùng"
    achievements = _textarea(page, "achievements")
    assert assessed.title in achievements and "9,5" in achievements
    # the nomination is saved in honours' own flow
    response = client.post(
        form_url,
        {
            "award_type": awards["bang-khen"].pk,
            "nominee_kind": "person",
            "nominee_name": "Trần Văn Hùng",
            "unit": tree["group"].pk,
            "gender": "male",
            "achievements": achievements,
            "doc_proposal_letter": pdf(),
            "doc_achievement_report": pdf(),
            "doc_vote_minutes": pdf(),
        },
    )
    assert response.status_code == 302
    assert Nomination.objects.get().nominee_name == "Trần Văn Hùng"


def test_proposals_are_refused_to_who_may_not_organise(
    client, viewer, outsider, city_officer, assessed, three
):
    _finish(city_officer, assessed, three)
    url = reverse("training:commend", args=[assessed.pk])
    for user, status in ((viewer, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(url, {"count": 2}).status_code == status
    with pytest.raises(PermissionDenied):
        services.propose_top_learners(viewer, course=assessed, count=1)
    assert not Enrolment.objects.filter(commended=True).exists()
    # an outsider cannot reach a proposed learner through honours either (page and API)
    services.propose_top_learners(city_officer, course=assessed, count=1)
    best = Enrolment.objects.get(commended=True)
    propose = reverse("honors:nomination_propose", args=["learner", best.pk])
    draft = f"/api/v1/honors/nomination-drafts/learner/{best.pk}"
    client.force_login(outsider)
    assert client.get(propose).status_code == 404
    assert client.get(draft).status_code == 404
    client.force_login(city_officer)
    assert client.get(draft).json()["nominee_name"] == best.officer.full_name
