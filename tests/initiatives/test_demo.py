"""`seed_initiatives`: Hà Nội's 2024 call (512 submissions, a council of nine, 119 recognised) and
an open call, on the real Hà Nội tree.

The whole Hà Nội demo (`seed_demo`) is built once per test run and shared with the other demo
modules (`tests/hanoi_demo.py`); each test runs in a savepoint inside it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from thidua.accounts.models import User
from thidua.core import audit
from thidua.core.models import AuditEvent
from thidua.demo.initiatives import (
    ABSENT,
    AWARDS,
    CALL_2024,
    CALL_OPEN,
    COUNCIL_NAME,
    DECISION_NUMBER,
    FIELDS,
    PASSWORD,
)
from thidua.demo.movements import FIELDS as MOVEMENT_FIELDS
from thidua.initiatives import duplicates, selectors, services
from thidua.initiatives.models import (
    Assignment,
    Call,
    Conflict,
    Review,
    Submission,
    SubmissionEvent,
    Vote,
)
from thidua.initiatives.models_duplicates import DuplicateCandidate, SimilaritySignature
from thidua.shared.models import CouncilMember

pytestmark = pytest.mark.django_db


COUNTED_APPS = ("initiatives", "movements", "core", "org", "accounts")
S = Submission.Status


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in COUNTED_APPS
        for model in apps.get_app_config(label).get_models()
    }


def call_2024() -> Call:
    return Call.objects.select_related("council", "owner_unit").get(title=CALL_2024)


def members() -> list[CouncilMember]:
    return list(call_2024().council.members.select_related("user", "unit"))


@pytest.mark.usefixtures("hanoi_demo")
class TestSeedInitiatives:
    def test_512_submissions_from_the_2024_wards_of_hanoi(self):
        call = call_2024()
        submissions = Submission.objects.filter(call=call).select_related("unit", "field")
        assert submissions.count() == 512
        assert call.owner_unit.code == "01" and call.owner_unit.name == "Thành phố Hà Nội"
        assert (call.opens_on, call.closes_on) == (dt.date(2024, 3, 1), dt.date(2024, 6, 30))
        for submission in submissions:
            unit = submission.unit
            assert unit.path.startswith(call.owner_unit.path)
            assert unit.kind.code == "ward" and unit.valid_to == dt.date(2025, 6, 30)
            assert call.opens_on <= timezone.localtime(submission.submitted_at).date()
            assert timezone.localtime(submission.submitted_at).date() <= call.closes_on
        assert len({s.title for s in submissions}) == 512
        assert len({s.unit_id for s in submissions}) > 250
        kinds = Counter(s.applicant_kind for s in submissions)
        assert kinds["person"] > 200 and kinds["collective"] > 100
        fields = Counter(s.field.code for s in submissions)
        assert set(fields) == {code for code, *_names in MOVEMENT_FIELDS}
        assert min(fields.values()) >= 80
        assert [f[:2] for f in FIELDS] == [f[:2] for f in MOVEMENT_FIELDS]
        assert list(submissions.order_by("number").values_list("number", flat=True)) == list(
            range(1, 513)
        )

    def test_the_history_written_directly_is_said_once_in_the_audit_chain(self):
        events = AuditEvent.objects.filter(verb="initiatives.seed_history")
        assert events.count() == 1
        assert events.get().data["submissions"] == 512
        # only the open call's submissions went through `submit_initiative`
        submitted = AuditEvent.objects.filter(verb="initiatives.submit")
        open_call = set(
            Submission.objects.filter(call__title=CALL_OPEN).values_list("pk", flat=True)
        )
        assert {int(e.target_id) for e in submitted} == open_call
        assert audit.verify_chain()[1] is None

    def test_a_council_of_nine_with_hoidong(self):
        seats = members()
        call = call_2024()
        assert call.council.name == COUNCIL_NAME and len(seats) == 9
        roles = Counter(m.role for m in seats)
        assert roles == {"chair": 1, "vice_chair": 1, "secretary": 1, "member": 6}
        usernames = {m.user.username for m in seats}
        assert "hoidong" in usernames
        assert all(m.user.full_name and m.user.check_password(PASSWORD) for m in seats)
        homes = [m.unit for m in seats]
        assert all(u is not None for u in homes)
        assert any(u.valid_to is None for u in homes) and any(u.valid_to for u in homes)

    def test_twenty_screened_out_with_their_reasons(self):
        out = Submission.objects.filter(call=call_2024(), status=S.SCREENED_OUT)
        assert out.count() == 20
        assert all(s.screening_reason for s in out)
        assert not Assignment.objects.filter(submission__in=out).exists()

    def test_two_submitted_reviews_each_scored_as_the_service_computes(self):
        call = call_2024()
        criteria = list(call.criteria.all())
        on_table = Submission.objects.filter(call=call).exclude(status=S.SCREENED_OUT)
        assert on_table.count() == 492
        per_submission = Counter(
            Assignment.objects.filter(submission__call=call).values_list("submission_id", flat=True)
        )
        assert set(per_submission.values()) == {2} and len(per_submission) == 492
        reviews = Review.objects.filter(assignment__submission__call=call).prefetch_related(
            "scores"
        )
        assert reviews.count() == 984
        for review in reviews:
            assert review.status == Review.Status.SUBMITTED and review.recommendation
            scores = {s.criterion_id: s.score for s in review.scores.all()}
            assert review.weighted_score == services.weighted_score(scores, criteria)
        assert AuditEvent.objects.filter(verb="initiatives.amend_review").count() == 2
        disagree = [r for r in selectors.ranked_table(call) if (r.spread or 0) >= 25]
        assert disagree  # the deliberation page has something to discuss

    def test_nobody_reviews_their_own_ward_or_a_declared_conflict(self):
        call = call_2024()
        conflicts = Conflict.objects.filter(submission__call=call)
        assert conflicts.count() == 3
        for conflict in conflicts:
            assert not Assignment.objects.filter(
                submission=conflict.submission, reviewer=conflict.member
            ).exists()
        for assignment in Assignment.objects.filter(submission__call=call).select_related(
            "submission__unit", "reviewer__unit"
        ):
            assert services.conflict_reason(assignment.reviewer, assignment.submission) is None

    def test_one_meeting_eight_present_and_the_absent_member_in_writing(self):
        call = call_2024()
        meeting = call.meetings.get()
        assert meeting.held_on == dt.date(2024, 9, 10)
        present, total, has_quorum = services.quorum(meeting)
        assert (present, total, has_quorum) == (8, 9, True)
        absent = call.council.members.get(user__username=ABSENT)
        assert not meeting.present.filter(pk=absent.pk).exists()
        written = Vote.objects.filter(meeting=meeting, written=True)
        assert written.exists() and set(written.values_list("member", flat=True)) == {absent.pk}
        # everyone voted on every initiative put to the vote
        per_submission = Counter(
            Vote.objects.filter(meeting=meeting).values_list("submission_id", flat=True)
        )
        assert set(per_submission.values()) == {9} and len(per_submission) >= 119

    def test_exactly_119_recognised_and_that_is_what_the_rule_says(self):
        call = call_2024()
        meeting = call.meetings.get()
        submissions = list(Submission.objects.filter(call=call))
        by_rule = [s for s in submissions if services.tally(meeting, s)["recognised"]]
        recognised = [s for s in submissions if s.status == S.RECOGNISED]
        assert len(recognised) == 119
        assert {s.pk for s in by_rule} == {s.pk for s in recognised}
        assert Counter(s.status for s in submissions) == {
            S.RECOGNISED: 119,
            S.NOT_RECOGNISED: 373,
            S.SCREENED_OUT: 20,
        }
        levels = Counter(
            Submission.objects.filter(call=call, status=S.RECOGNISED).values_list(
                "award_level__name", flat=True
            )
        )
        assert levels == {name: n for name, _prize, n in AWARDS}
        assert not Submission.objects.filter(
            call=call, status=S.NOT_RECOGNISED, award_level__isnull=False
        ).exists()

    def test_the_decision_is_signed_by_the_chair(self):
        call = call_2024()
        decision = call.decision
        assert call.status == Call.Status.DECIDED
        assert decision.number == DECISION_NUMBER == "245/QĐ-MTTQ-BTT"
        assert decision.decided_on == dt.date(2024, 9, 15)
        chair = call.council.members.get(role=CouncilMember.Role.CHAIR)
        assert decision.signer == chair.user

    def test_the_rows_carry_their_2024_dates(self):
        call = call_2024()
        events = SubmissionEvent.objects.filter(submission__call=call)
        assert events.count() == 512 + 512 + 492 + 492
        assert {timezone.localtime(e.at).year for e in events} == {2024}
        reviews = Review.objects.filter(assignment__submission__call=call)
        assert all(
            dt.date(2024, 7, 1) <= timezone.localtime(r.submitted_at).date() <= call.review_deadline
            for r in reviews
        )
        votes = Vote.objects.filter(meeting__call=call)
        assert {timezone.localtime(v.cast_at).date() for v in votes} == {dt.date(2024, 9, 10)}

    def test_the_119_are_on_the_public_portal(self, client):
        assert selectors.public_recognised(year=2024).count() == 119
        response = client.get(reverse("public_initiatives:recognised"), {"year": 2024})
        assert response.status_code == 200
        first = selectors.public_recognised(year=2024).first()
        assert escape(first.title) in response.content.decode()
        assert response.context["page"].paginator.count == 119

    def test_the_chair_sees_the_ranked_table(self, client):
        call = call_2024()
        chair = call.council.members.get(role=CouncilMember.Role.CHAIR)
        client.force_login(chair.user)
        response = client.get(reverse("initiatives:deliberation", args=[call.pk]))
        assert response.status_code == 200
        # 492 on the table, 100 a page, best first.
        assert response.context["page"].paginator.count == 492
        assert len(response.context["rows"]) == 100
        means = [row.mean for row in response.context["rows"]]
        assert means == sorted(means, reverse=True)

    def test_an_open_call_with_live_work_for_hoidong(self, client):
        call = Call.objects.get(title=CALL_OPEN)
        today = timezone.localdate()
        assert call.status == Call.Status.OPEN and call.opens_on <= today < call.closes_on
        assert call.council == call_2024().council
        statuses = Counter(Submission.objects.filter(call=call).values_list("status", flat=True))
        assert sum(statuses.values()) == 10
        for status in (S.DRAFT, S.SUBMITTED, S.SCREENED_IN, S.SCREENED_OUT, S.UNDER_REVIEW):
            assert statuses[status] >= 1, statuses
        hoidong = User.objects.get(username="hoidong")
        mine = Assignment.objects.filter(submission__call=call, reviewer__user=hoidong)
        assert mine.count() == 2
        assert Review.objects.filter(assignment__in=mine, status=Review.Status.DRAFT).count() == 1
        assert selectors.my_assignments(hoidong, call).count() == 2
        client.force_login(hoidong)
        response = client.get(reverse("initiatives:call_detail", args=[call.pk]))
        assert response.status_code == 200
        assert len(response.context["assignments"]) == 2

    def test_the_resubmitted_2024_initiative_is_flagged_to_the_secretariat(self, client):
        # One open-call submission is last year's initiative sent again, lightly edited: its
        # best match is that one. (The demo also has the same idea sent from several wards.)
        fresh = Submission.objects.get(call__title=CALL_OPEN, summary__endswith="năm 2025.")
        earlier = Submission.objects.get(call__title=CALL_2024, title=fresh.title)
        panel = duplicates.duplicate_panel(fresh)
        assert panel.rows[0].other == earlier and panel.rows[0].candidate.score > 0.8
        # every submitted initiative of both calls has been screened, and stock sentences the
        # demo texts share do not make different initiatives look alike: few pairs each
        assert SimilaritySignature.objects.count() == (
            Submission.objects.exclude(status=S.DRAFT).count()
        )
        assert DuplicateCandidate.objects.count() < 6 * SimilaritySignature.objects.count()
        secretary = call_2024().council.members.get(role="secretary").user
        client.force_login(secretary)
        page = client.get(
            reverse("initiatives:submission", args=[fresh.call_id, fresh.pk])
        ).content.decode()
        assert f"#{earlier.number}" in page and 'data-testid="duplicate-row"' in page

    def test_a_second_run_changes_nothing(self):
        before = row_counts()
        out = io.StringIO()
        call_command("seed_initiatives", stdout=out)
        assert row_counts() == before
        assert "Calls created: 0, already there: 2" in out.getvalue()


def test_without_the_hanoi_tree_the_command_says_what_to_run(db):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_initiatives", stdout=io.StringIO())
    assert not Call.objects.exists()
