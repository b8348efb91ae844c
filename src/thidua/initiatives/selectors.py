"""Reads for calls, submissions, reviews and deliberation. Bounded queries whatever the size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from thidua.core.policy import can, scope_paths
from thidua.initiatives.models import (
    Assignment,
    Call,
    Conflict,
    CouncilMember,
    Meeting,
    Review,
    Submission,
    Vote,
)
from thidua.org.selectors import normalise_search

S = Submission.Status
ON_THE_TABLE = [S.UNDER_REVIEW, S.DELIBERATED, S.RECOGNISED, S.NOT_RECOGNISED]


def seat(user: Any, call: Call) -> CouncilMember | None:
    if not getattr(user, "pk", None) or call.council_id is None:
        return None
    return CouncilMember.objects.filter(
        council_id=call.council_id, user=user, is_active=True
    ).first()


def is_secretariat(user: Any, call: Call) -> bool:
    if can(user, "initiatives.manage", call.owner_unit):
        return True
    member = seat(user, call)
    return member is not None and member.role != CouncilMember.Role.MEMBER


def visible_calls(user: Any) -> QuerySet[Call]:
    """Calls organised in the user's part of the tree or above it, and calls of their councils."""
    calls = Call.objects.select_related("owner_unit", "council")
    paths = scope_paths(user, "initiatives.manage")
    if paths is None:
        return calls
    condition = Q(council__members__user=user, council__members__is_active=True)
    for path in paths:
        ancestors = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
        condition |= Q(owner_unit__path__startswith=path) | Q(owner_unit__path__in=ancestors)
    return calls.filter(condition).distinct()


def get_call_for_user(user: Any, pk: int) -> Call:
    call = visible_calls(user).filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def public_calls() -> QuerySet[Call]:
    return Call.objects.exclude(status=Call.Status.DRAFT).select_related("owner_unit")


def submissions_for_secretariat(user: Any, call: Call) -> QuerySet[Submission]:
    if not is_secretariat(user, call):
        raise Http404
    return Submission.objects.filter(call=call).select_related("unit", "field")


def get_submission_for_user(user: Any, call: Call, pk: int) -> tuple[Submission, bool]:
    """(submission, may see the applicant). The secretariat sees everything; a reviewer only
    what is assigned to them (never a conflicted one), without the applicant in blind mode."""
    submission = (
        Submission.objects.select_related("unit", "field", "call").filter(call=call, pk=pk).first()
    )
    if submission is None:
        raise Http404
    if is_secretariat(user, call):
        return submission, True
    member = seat(user, call)
    if (
        member is None
        or not Assignment.objects.filter(submission=submission, reviewer=member).exists()
        or Conflict.objects.filter(submission=submission, member=member).exists()
    ):
        raise Http404
    return submission, not call.blind


def my_assignments(user: Any, call: Call | None = None) -> QuerySet[Assignment]:
    assignments = Assignment.objects.filter(reviewer__user=user, reviewer__is_active=True).exclude(
        Exists(
            Conflict.objects.filter(member=OuterRef("reviewer"), submission=OuterRef("submission"))
        )
    )
    if call is not None:
        assignments = assignments.filter(submission__call=call)
    return assignments.select_related(
        "submission", "submission__call", "submission__field", "review"
    ).order_by("submission__call", "submission__number")


@dataclass
class ReviewerProgress:
    member: CouncilMember
    assigned: int
    submitted: int
    drafts: int

    @property
    def missing(self) -> int:
        return self.assigned - self.submitted


def reviewer_progress(call: Call) -> list[ReviewerProgress]:
    rows = (
        Assignment.objects.filter(submission__call=call)
        .values("reviewer_id")
        .annotate(
            assigned=Count("pk"),
            submitted=Count("pk", filter=Q(review__status=Review.Status.SUBMITTED)),
            drafts=Count("pk", filter=Q(review__status=Review.Status.DRAFT)),
        )
        .order_by()
    )
    by_member = {row["reviewer_id"]: row for row in rows}
    members = CouncilMember.objects.filter(
        council_id=call.council_id, is_active=True
    ).select_related("user")
    return [
        ReviewerProgress(
            member=m,
            assigned=by_member.get(m.pk, {}).get("assigned", 0),
            submitted=by_member.get(m.pk, {}).get("submitted", 0),
            drafts=by_member.get(m.pk, {}).get("drafts", 0),
        )
        for m in members
    ]


@dataclass
class RankedRow:
    submission: Submission
    scores: list[Decimal] = field(default_factory=list)
    reviews_expected: int = 0
    recommend_yes: int = 0
    votes: dict[str, int] = field(default_factory=dict)

    @property
    def mean(self) -> Decimal | None:
        if not self.scores:
            return None
        return (sum(self.scores) / len(self.scores)).quantize(Decimal("0.01"))

    @property
    def spread(self) -> Decimal | None:
        return (max(self.scores) - min(self.scores)) if len(self.scores) > 1 else None

    @property
    def flags(self) -> list[str]:
        from django.utils.translation import gettext as _

        flags = []
        if len(self.scores) < self.reviews_expected:
            flags.append(_("missing reviews"))
        if self.spread is not None and self.spread >= 25:
            flags.append(_("reviewers disagree"))
        return flags


def ranked_table(
    call: Call, *, meeting: Meeting | None = None, limit: int | None = None
) -> list[RankedRow]:
    """Submissions on the council's table, by mean weighted score (0–100), with the spread
    between reviewers, the number of reviews, flags and the votes of `meeting`. Three queries."""
    submissions = list(
        Submission.objects.filter(call=call, status__in=ON_THE_TABLE)
        .select_related("unit", "field", "award_level")
        .only(
            "id",
            "number",
            "title",
            "status",
            "unit__name",
            "field__name_vi",
            "field__name_en",
            "field__name_id",
            "award_level__name",
            "call_id",
        )
    )
    rows = {
        s.pk: RankedRow(submission=s, reviews_expected=call.reviews_per_submission)
        for s in submissions
    }
    for submission_id, score, recommendation in Review.objects.filter(
        assignment__submission__call=call, status=Review.Status.SUBMITTED
    ).values_list("assignment__submission_id", "weighted_score", "recommendation"):
        row = rows.get(submission_id)
        if row is None:
            continue
        if score is not None:
            row.scores.append(score)
        row.recommend_yes += recommendation == Review.Recommendation.RECOGNISE
    if meeting is not None:
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for submission_id, choice, n in (
            Vote.objects.filter(meeting=meeting)
            .values_list("submission_id", "choice")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts[submission_id][choice] = n
        for pk, row in rows.items():
            row.votes = counts.get(pk, {})
    ordered = sorted(
        rows.values(),
        key=lambda r: (r.mean is None, -(r.mean or 0), r.submission.number),
    )
    return ordered[:limit] if limit else ordered


def public_recognised(
    *,
    query: str = "",
    field_id: int | None = None,
    unit_id: int | None = None,
    year: int | None = None,
) -> QuerySet[Submission]:
    submissions = Submission.objects.filter(status=S.RECOGNISED).select_related(
        "unit", "field", "call", "award_level", "call__decision"
    )
    if query:
        submissions = submissions.filter(search_text__contains=normalise_search(query))
    if field_id:
        submissions = submissions.filter(field_id=field_id)
    if unit_id:
        from thidua.org.models import Unit

        unit = Unit.objects.filter(pk=unit_id).first()
        submissions = (
            submissions.filter(unit__path__startswith=unit.path) if unit else submissions.none()
        )
    if year:
        submissions = submissions.filter(call__decision__decided_on__year=year)
    return submissions.order_by("-call__decision__decided_on", "number")
