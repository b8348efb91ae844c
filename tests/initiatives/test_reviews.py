"""Calls for initiatives: the reviewers' scored reviews and what the council and the secretariat
read (selectors).

(Split by topic from the former `test_services.py`; the services and selectors are those the
views and the API call.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.factories import UserFactory
from tests.factories.initiatives import (
    SEATS,
    enter,
    full_scores,
    open_call,
    submit_review,
    to_review,
)
from thidua.core.models import AuditEvent
from thidua.initiatives import selectors, services
from thidua.initiatives.models import (
    Assignment,
    Call,
    CouncilMember,
    Review,
    Score,
    Submission,
)

pytestmark = pytest.mark.django_db

S = Submission.Status


def verbs(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


# --- reviews --------------------------------------------------------------------------------


@pytest.fixture
def under_review(call, data, admin_user, seats):
    """An initiative from Bồ Đề reviewed by m2 (Phúc Lợi) and m3 (Quảng An)."""
    return to_review(admin_user, call, data(), [seats["m2"], seats["m3"]])


def assignment_of(submission: Submission, member: CouncilMember) -> Assignment:
    return submission.assignments.get(reviewer=member)


@pytest.mark.parametrize("who", ["m4", "chair", "secretary", "admin_user"])
def test_only_the_assigned_reviewer_writes_the_review(who, under_review, seats, admin_user, call):
    actor = admin_user if who == "admin_user" else seats[who].user
    with pytest.raises(PermissionDenied):
        services.save_review(
            actor,
            assignment=assignment_of(under_review, seats["m2"]),
            scores=full_scores(call, 7),
            recommendation="recognise",
            submit=True,
        )
    assert not Review.objects.exists() and not Score.objects.exists()


def test_the_reviewer_cannot_write_in_another_reviewers_assignment(under_review, seats, call):
    with pytest.raises(PermissionDenied):
        services.save_review(
            seats["m3"].user,
            assignment=assignment_of(under_review, seats["m2"]),
            scores=full_scores(call, 7),
        )
    assert not Review.objects.exists()


@pytest.mark.parametrize("bad", ["-1", "10.01", "11", "abc", "NaN", "Infinity", "1e3"])
def test_scores_outside_zero_to_max_are_refused(bad, under_review, seats, call):
    criteria = list(call.criteria.all())
    scores = full_scores(call, 5)
    scores[criteria[1].pk] = bad
    with pytest.raises(ValidationError) as error:
        services.save_review(
            seats["m2"].user, assignment=assignment_of(under_review, seats["m2"]), scores=scores
        )
    assert f"score_{criteria[1].pk}" in error.value.message_dict
    assert not Review.objects.exists() and not Score.objects.exists()


@pytest.mark.parametrize("edge", ["0", "10", "7,5", " 9.25 "])
def test_scores_on_the_edges_and_with_a_comma_are_accepted(edge, under_review, seats, call):
    scores = full_scores(call, edge)
    review = services.save_review(
        seats["m2"].user, assignment=assignment_of(under_review, seats["m2"]), scores=scores
    )
    expected = Decimal(edge.strip().replace(",", "."))
    assert {s.score for s in review.scores.all()} == {expected}


def test_an_unknown_criterion_is_refused(under_review, seats, call, admin_user, tree, fields):
    other = open_call(admin_user, owner_unit=tree["city"], council=call.council, fields=fields)
    scores = full_scores(call, 5)
    scores[other.criteria.first().pk] = 5
    with pytest.raises(ValidationError):
        services.save_review(
            seats["m2"].user, assignment=assignment_of(under_review, seats["m2"]), scores=scores
        )
    assert not Review.objects.exists()


def test_a_draft_may_be_partial_but_submitting_needs_every_criterion_and_a_recommendation(
    under_review, seats, call
):
    assignment = assignment_of(under_review, seats["m2"])
    criteria = list(call.criteria.all())
    partial = {criteria[0].pk: "8", criteria[1].pk: ""}
    draft = services.save_review(seats["m2"].user, assignment=assignment, scores=partial)
    assert draft.status == Review.Status.DRAFT and draft.weighted_score is None
    assert draft.submitted_at is None

    with pytest.raises(ValidationError) as error:
        services.save_review(
            seats["m2"].user,
            assignment=assignment,
            scores=partial,
            recommendation="recognise",
            submit=True,
        )
    missing = {f"score_{c.pk}" for c in criteria[1:]}
    assert missing <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.save_review(
            seats["m2"].user, assignment=assignment, scores=full_scores(call, 8), submit=True
        )
    assert "recommendation" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.save_review(
            seats["m2"].user,
            assignment=assignment,
            scores=full_scores(call, 8),
            recommendation="maybe",
            submit=True,
        )
    draft.refresh_from_db()
    assert draft.status == Review.Status.DRAFT
    assert list(draft.scores.values_list("score", flat=True)) == [Decimal("8")]

    review = submit_review(seats["m2"], under_review, 8, 6, 7, 5)
    assert review.pk == draft.pk
    assert review.status == Review.Status.SUBMITTED and review.submitted_at is not None
    # (8/10·3 + 6/10·2 + 7/10·3 + 5/10·2) / 10 · 100
    assert review.weighted_score == Decimal("67.000")
    assert verbs("initiatives.submit_review") == 1


def test_a_submitted_review_is_locked_without_a_reason(under_review, seats, call):
    review = submit_review(seats["m2"], under_review, 8, 6, 7, 5)
    before = (review.updated_at, review.recommendation, review.weighted_score)
    before_scores = sorted(review.scores.values_list("criterion_id", "score"))
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as error:
            services.save_review(
                seats["m2"].user,
                assignment=assignment_of(under_review, seats["m2"]),
                scores=full_scores(call, 9),
                recommendation="reject",
                submit=True,
                amend_reason=reason,
            )
        assert "amend_reason" in error.value.message_dict
    review.refresh_from_db()
    assert (review.updated_at, review.recommendation, review.weighted_score) == before
    assert sorted(review.scores.values_list("criterion_id", "score")) == before_scores
    assert verbs("initiatives.amend_review") == 0


def test_a_submitted_review_is_amended_with_a_reason_and_audited(under_review, seats, call):
    review = submit_review(seats["m2"], under_review, 8, 6, 7, 5)
    submitted_at = review.submitted_at
    criteria = list(call.criteria.all())
    amended = services.save_review(
        seats["m2"].user,
        assignment=assignment_of(under_review, seats["m2"]),
        scores=full_scores(call, 9),
        recommendation="reject",
        amend_reason="  Nhập nhầm điểm  ",
    )
    amended.refresh_from_db()
    assert amended.pk == review.pk
    assert amended.status == Review.Status.SUBMITTED
    assert amended.submitted_at == submitted_at
    assert amended.recommendation == "reject"
    assert amended.weighted_score == Decimal("90.000")
    assert set(amended.scores.values_list("score", flat=True)) == {Decimal("9")}
    event = AuditEvent.objects.get(verb="initiatives.amend_review")
    assert event.actor == seats["m2"].user
    assert event.data["reason"] == "Nhập nhầm điểm"
    assert {int(k): Decimal(v) for k, v in event.data["before"].items()} == {
        c.pk: Decimal(v) for c, v in zip(criteria, [8, 6, 7, 5], strict=True)
    }
    assert {int(k): Decimal(v) for k, v in event.data["after"].items()} == {
        c.pk: Decimal(9) for c in criteria
    }


def test_an_amended_review_must_still_be_complete(under_review, seats, call):
    submit_review(seats["m2"], under_review, 8, 6, 7, 5)
    first = call.criteria.first()
    with pytest.raises(ValidationError):
        services.save_review(
            seats["m2"].user,
            assignment=assignment_of(under_review, seats["m2"]),
            scores={first.pk: "2"},
            recommendation="",
            amend_reason="Sửa",
        )
    review = Review.objects.get()
    assert review.scores.count() == 4 and review.weighted_score == Decimal("67.000")


def test_reviews_are_written_only_while_under_review(under_review, seats, call):
    Submission.objects.filter(pk=under_review.pk).update(status=S.RECOGNISED)
    under_review.refresh_from_db()
    with pytest.raises(ValidationError):
        services.save_review(
            seats["m2"].user,
            assignment=assignment_of(under_review, seats["m2"]),
            scores=full_scores(call, 5),
        )
    assert not Review.objects.exists()


def test_weighted_score_is_each_score_as_a_share_of_its_maximum_weighted(call, admin_user):
    criteria = list(call.criteria.all())
    assert [c.weight for c in criteria] == [3, 2, 3, 2]
    assert services.weighted_score({c.pk: Decimal(10) for c in criteria}, criteria) == Decimal(
        "100.000"
    )
    assert services.weighted_score({c.pk: Decimal(0) for c in criteria}, criteria) == Decimal(
        "0.000"
    )
    values = dict(zip([c.pk for c in criteria], map(Decimal, ["8", "6", "7", "5"]), strict=True))
    assert services.weighted_score(values, criteria) == Decimal("67.000")
    values.pop(criteria[0].pk)
    assert services.weighted_score(values, criteria) is None
    custom = services.create_call(
        admin_user,
        owner_unit=call.owner_unit,
        title="Thang điểm khác",
        opens_on=call.opens_on,
        closes_on=call.closes_on,
        criteria=[
            ("A", "", Decimal("1"), 5),
            ("B", "", Decimal("2"), 20),
            ("C", "", Decimal("0.5"), 3),
        ],
    )
    a, b, c = custom.criteria.all()
    # (4/5·1 + 10/20·2 + 1/3·0.5) / 3.5 · 100 = 56.190…
    assert services.weighted_score(
        {a.pk: Decimal(4), b.pk: Decimal(10), c.pk: Decimal(1)}, [a, b, c]
    ) == Decimal("56.190")
    assert services.weighted_score({}, []) is None


# --- selectors ------------------------------------------------------------------------------


def test_a_reviewer_opens_only_assigned_initiatives_and_blind(
    under_review, seats, call, data, admin_user, tree
):
    other = to_review(admin_user, call, data(unit=tree["quang_an"]), [seats["m1"], seats["m2"]])
    submission, may_see = selectors.get_submission_for_user(seats["m2"].user, call, under_review.pk)
    assert submission == under_review and may_see is False
    with pytest.raises(Http404):
        selectors.get_submission_for_user(seats["m1"].user, call, under_review.pk)
    with pytest.raises(Http404):
        selectors.get_submission_for_user(seats["m3"].user, call, other.pk)
    outsider = UserFactory(username="outsider")
    for user in (outsider, seats["m6"].user):
        with pytest.raises(Http404):
            selectors.get_submission_for_user(user, call, under_review.pk)
    with pytest.raises(Http404):
        selectors.get_submission_for_user(seats["m2"].user, call, 999_999)


def test_a_reviewer_cannot_open_an_initiative_they_are_conflicted_with(under_review, seats, call):
    # a draft review keeps the assignment, so only the declared conflict stands in the way
    services.save_review(
        seats["m2"].user,
        assignment=assignment_of(under_review, seats["m2"]),
        scores=full_scores(call, 5),
    )
    services.declare_conflict(seats["m2"].user, submission=under_review, reason="Người quen")
    assert under_review.assignments.filter(reviewer=seats["m2"]).exists()
    with pytest.raises(Http404):
        selectors.get_submission_for_user(seats["m2"].user, call, under_review.pk)
    assert selectors.get_submission_for_user(seats["m3"].user, call, under_review.pk)[0]
    # nor list it among their assignments, nor go on writing the review
    assert list(selectors.my_assignments(seats["m2"].user, call)) == []
    with pytest.raises(PermissionDenied):
        services.save_review(
            seats["m2"].user,
            assignment=assignment_of(under_review, seats["m2"]),
            scores=full_scores(call, 9),
            recommendation="recognise",
            submit=True,
        )
    review = Review.objects.get()
    assert review.status == Review.Status.DRAFT
    assert set(review.scores.values_list("score", flat=True)) == {Decimal(5)}


def test_an_open_review_shows_the_applicant(under_review, seats, call):
    Call.objects.filter(pk=call.pk).update(blind=False)
    call.refresh_from_db()
    assert selectors.get_submission_for_user(seats["m2"].user, call, under_review.pk)[1] is True


def test_the_secretariat_sees_every_initiative_with_the_applicant(
    under_review, seats, call, admin_user, submitted
):
    secretariat = [seats[n].user for n in ("chair", "vice_chair", "secretary")] + [admin_user]
    for user in secretariat:
        for pk in (under_review.pk, submitted.pk):
            submission, may_see = selectors.get_submission_for_user(user, call, pk)
            assert submission.pk == pk and may_see is True
    assert set(selectors.submissions_for_secretariat(seats["secretary"].user, call)) == {
        under_review,
        submitted,
    }
    with pytest.raises(Http404):
        selectors.submissions_for_secretariat(seats["m2"].user, call)


def test_an_initiative_of_another_call_is_not_found_through_this_call(
    under_review, seats, admin_user, tree, council, fields
):
    other = open_call(admin_user, owner_unit=tree["city"], council=council, fields=fields)
    with pytest.raises(Http404):
        selectors.get_submission_for_user(seats["secretary"].user, other, under_review.pk)


def test_reviewer_progress_and_my_assignments(call, data, admin_user, seats, tree):
    first = to_review(admin_user, call, data(unit=tree["quang_an"]), [seats["m1"], seats["m2"]])
    second = to_review(admin_user, call, data(unit=tree["bo_de"]), [seats["m2"], seats["m4"]])
    to_review(admin_user, call, data(unit=tree["phuc_loi"]), [seats["m1"], seats["m4"]])
    submit_review(seats["m2"], first, 7)
    services.save_review(seats["m2"].user, assignment=assignment_of(second, seats["m2"]), scores={})
    submit_review(seats["m1"], first, 6)
    progress = {p.member.pk: p for p in selectors.reviewer_progress(call)}
    assert len(progress) == len(SEATS)
    counts = {
        name: (progress[s.pk].assigned, progress[s.pk].submitted, progress[s.pk].drafts)
        for name, s in seats.items()
    }
    assert counts["m2"] == (2, 1, 1)
    assert counts["m1"] == (2, 1, 0)
    assert counts["m4"] == (2, 0, 0)
    assert counts["chair"] == (0, 0, 0)
    assert progress[seats["m4"].pk].missing == 2 and progress[seats["m2"].pk].missing == 1
    mine = list(selectors.my_assignments(seats["m2"].user, call))
    assert [a.submission.number for a in mine] == [first.number, second.number]
    assert list(selectors.my_assignments(seats["m6"].user, call)) == []


def test_ranked_table_orders_by_mean_with_spread_and_flags(call, data, admin_user, seats, tree):
    pair = [seats["m2"], seats["m4"]]  # eligible for every initiative below but Phúc Lợi's
    low = to_review(admin_user, call, data(unit=tree["quang_an"], title="Thấp"), pair)
    split = to_review(admin_user, call, data(unit=tree["quang_an"], title="Chia"), pair)
    high = to_review(admin_user, call, data(unit=tree["bo_de"], title="Cao"), pair)
    none = to_review(admin_user, call, data(unit=tree["tay_ho"], title="Chưa"), pair)
    tie = to_review(admin_user, call, data(unit=tree["quang_an"], title="Hoà"), pair)
    enter(admin_user, call, data(title="Chưa sàng lọc"))  # not on the table
    submit_review(seats["m2"], low, 6)  # 60, one review missing
    submit_review(seats["m2"], split, 10)  # 100 and 50 → mean 75, spread 50
    submit_review(seats["m4"], split, 5, recommendation="reject")
    submit_review(seats["m2"], high, 9)  # 90 and 80 → 85, spread 10
    submit_review(seats["m4"], high, 8)
    submit_review(seats["m2"], tie, 7, 7, 7, 10)  # 76 and 72 → 74, just under 75
    submit_review(seats["m4"], tie, 8, 8, 6, 7)
    services.save_review(
        seats["m4"].user, assignment=assignment_of(low, seats["m4"]), scores={}
    )  # a draft does not count
    with translation.override("en"):
        rows = selectors.ranked_table(call)
        flags = {row.submission.pk: row.flags for row in rows}
    means = {row.submission.pk: row.mean for row in rows}
    assert means[high.pk] == Decimal("85.00")
    assert means[split.pk] == Decimal("75.00")
    assert means[low.pk] == Decimal("60.00")
    assert means[none.pk] is None
    assert means[tie.pk] == Decimal("74.00")
    assert [row.submission.pk for row in rows] == [high.pk, split.pk, tie.pk, low.pk, none.pk]
    spreads = {row.submission.pk: row.spread for row in rows}
    assert spreads[high.pk] == Decimal("10") and spreads[split.pk] == Decimal("50")
    assert spreads[low.pk] is None
    assert flags[split.pk] == ["reviewers disagree"]
    assert flags[high.pk] == []
    assert flags[low.pk] == ["missing reviews"]
    assert flags[none.pk] == ["missing reviews"]
    recommend = {row.submission.pk: row.recommend_yes for row in rows}
    assert recommend[split.pk] == 1 and recommend[high.pk] == 2
    assert [row.submission.pk for row in selectors.ranked_table(call, limit=2)] == [
        high.pk,
        split.pk,
    ]


def test_ranked_table_breaks_ties_by_number(call, data, admin_user, seats, tree):
    pair = [seats["m2"], seats["m4"]]
    first = to_review(admin_user, call, data(unit=tree["quang_an"]), pair)
    second = to_review(admin_user, call, data(unit=tree["quang_an"]), pair)
    for submission in (second, first):
        submit_review(seats["m2"], submission, 8)
        submit_review(seats["m4"], submission, 8)
    assert [r.submission.pk for r in selectors.ranked_table(call)] == [first.pk, second.pk]


def test_ranked_table_query_count_does_not_grow(call, data, admin_user, seats, tree):
    pair = [seats["m2"], seats["m4"]]
    everyone = list(seats.values())

    def add() -> Submission:
        submission = to_review(admin_user, call, data(unit=tree["quang_an"]), pair)
        submit_review(seats["m2"], submission, 8)
        submit_review(seats["m4"], submission, 6)
        return submission

    first = add()
    meeting = services.record_meeting(
        admin_user, call=call, held_on=timezone.localdate(), present=everyone
    )
    services.cast_vote(seats["m1"].user, meeting=meeting, submission=first, choice="yes")
    call = Call.objects.get(pk=call.pk)
    with CaptureQueriesContext(connection) as one:
        rows = selectors.ranked_table(call, meeting=meeting)
        _ = [(r.submission.unit.name, r.submission.field.name, r.flags) for r in rows]
    assert len(rows) == 1 and rows[0].votes == {"yes": 1}
    for _n in range(4):
        later = add()
        services.cast_vote(seats["m1"].user, meeting=meeting, submission=later, choice="no")
    call = Call.objects.get(pk=call.pk)
    with CaptureQueriesContext(connection) as five:
        rows = selectors.ranked_table(call, meeting=meeting)
        _ = [(r.submission.unit.name, r.submission.field.name, r.flags) for r in rows]
    assert len(rows) == 5
    assert len(one) == len(five), [q["sql"] for q in five.captured_queries]
