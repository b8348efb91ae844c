"""Reads for calls, submissions, reviews and deliberation. Bounded queries whatever the size."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.policy import can, scope_paths
from thidua.core.uploads import Served
from thidua.initiatives.models import (
    Assignment,
    Attachment,
    Call,
    Conflict,
    Meeting,
    Review,
    Submission,
    Vote,
)
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search
from thidua.shared.models import CouncilMember

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


def open_calls(*, on: dt.date | None = None) -> QuerySet[Call]:
    """Calls taking submissions today, the soonest to close first."""
    day = on or timezone.localdate()
    return (
        public_calls()
        .filter(status=Call.Status.OPEN, opens_on__lte=day, closes_on__gte=day)
        .order_by("closes_on", "id")
    )


def submissions_of_applicant(user: Any) -> QuerySet[Submission]:
    """A signed-in person's own initiatives: those sent from the public form with the e-mail
    address of their account and confirmed from it (the link proves the address), newest first."""
    email = (getattr(user, "email", "") or "").strip()
    if not email or not user.is_authenticated:
        return Submission.objects.none()
    return (
        Submission.objects.filter(applicant_email__iexact=email, email_confirmed_at__isnull=False)
        .select_related("call")
        .order_by("-id")
    )


def submissions_for_secretariat(user: Any, call: Call) -> QuerySet[Submission]:
    if not is_secretariat(user, call):
        raise Http404
    return Submission.objects.filter(call=call).select_related("unit__parent", "field")


def get_submission_for_user(user: Any, call: Call, pk: int) -> tuple[Submission, bool]:
    """(submission, may see the applicant). The secretariat sees everything; a reviewer only
    what is assigned to them (never a conflicted one), without the applicant in blind mode."""
    submission = (
        Submission.objects.select_related("unit__parent", "field", "call")
        .filter(call=call, pk=pk)
        .first()
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
    reviews_expected: int = 0
    votes: dict[str, int] = field(default_factory=dict)

    @property
    def review_count(self) -> int:
        return self.submission.review_count

    @property
    def recommend_yes(self) -> int:
        return self.submission.recommend_yes

    @property
    def mean(self) -> Decimal | None:
        mean = self.submission.review_mean
        return None if mean is None else mean.quantize(Decimal("0.01"))

    @property
    def spread(self) -> Decimal | None:
        s = self.submission
        if s.review_count < 2 or s.review_max is None or s.review_min is None:
            return None
        return (s.review_max - s.review_min).normalize()

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.review_count < self.reviews_expected:
            flags.append(_("missing reviews"))
        if self.spread is not None and self.spread >= 25:
            flags.append(_("reviewers disagree"))
        return flags


def ranked_submissions(call: Call) -> QuerySet[Submission]:
    """The council's table in order: mean weighted score (0–100, from the review roll-up kept
    by services.save_review), then number. An index range scan whatever the call's size."""
    return (
        Submission.objects.filter(call=call, status__in=ON_THE_TABLE)
        .select_related("unit__parent", "field", "award_level")
        .order_by(F("review_mean").desc(nulls_last=True), "number")
    )


def ranked_rows(
    call: Call, submissions: list[Submission], *, meeting: Meeting | None = None
) -> list[RankedRow]:
    """Rows for a page of `ranked_submissions`, with the votes of `meeting`. One query."""
    rows = [
        RankedRow(submission=s, reviews_expected=call.reviews_per_submission) for s in submissions
    ]
    if meeting is not None and rows:
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for submission_id, choice, n in (
            Vote.objects.filter(meeting=meeting, submission__in=[r.submission.pk for r in rows])
            .values_list("submission_id", "choice")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts[submission_id][choice] = n
        for row in rows:
            row.votes = counts.get(row.submission.pk, {})
    return rows


def ranked_table(
    call: Call, *, meeting: Meeting | None = None, limit: int | None = None, offset: int = 0
) -> list[RankedRow]:
    """Submissions on the council's table, best first, with spread, number of reviews, flags
    and the votes of `meeting`. Two queries, whatever the size of the call."""
    submissions = ranked_submissions(call)
    if limit is not None:
        submissions = submissions[offset : offset + limit]
    elif offset:
        submissions = submissions[offset:]
    return ranked_rows(call, list(submissions), meeting=meeting)


def recognised_submission(pk: int) -> Submission | None:
    """A recognised initiative (public once recognised), or None."""
    return (
        Submission.objects.filter(pk=pk, status=S.RECOGNISED).select_related("unit", "call").first()
    )


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
        unit = Unit.objects.filter(pk=unit_id).first()
        submissions = (
            submissions.filter(unit__path__startswith=unit.path) if unit else submissions.none()
        )
    if year:
        submissions = submissions.filter(call__decision__decided_on__year=year)
    return submissions.order_by("-call__decision__decided_on", "number")


# --- private files (served by core:file) ----------------------------------------------------


def attachment_file_for_user(user: Any, pk: int) -> Served:
    """A submission's attachment, for the secretariat and the reviewers assigned to it (the
    submission page's own check)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    attachment = Attachment.objects.select_related("submission").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    call = get_call_for_user(user, attachment.submission.call_id)
    get_submission_for_user(user, call, attachment.submission_id)
    return Served(attachment.file, attachment.name)


# --- fetch-and-check shared by the pages and the API ------------------------------------


def get_staff_call_for_user(user: Any, call_id: int, *, members_too: bool = False) -> Call:
    """A call whose secretariat the user belongs to (or, with `members_too`, whose council);
    404 otherwise."""
    call = get_call_for_user(user, call_id)
    if is_secretariat(user, call):
        return call
    if members_too and seat(user, call) is not None:
        return call
    raise Http404


def get_call_of_submission_for_user(user: Any, pk: int) -> Call:
    """The call of a submission, when the user may see the call; 404 otherwise."""
    call_id = Submission.objects.filter(pk=pk).values_list("call_id", flat=True).first()
    if call_id is None:
        raise Http404
    return get_call_for_user(user, call_id)


def get_submission_by_pk_for_user(user: Any, pk: int) -> Submission:
    """A submission the user may see: the secretariat's, or assigned to them without conflict."""
    call = get_call_of_submission_for_user(user, pk)
    submission, _may_see_applicant = get_submission_for_user(user, call, pk)
    return submission


def open_assignments(user: Any) -> QuerySet[Assignment]:
    """The user's own assignments, less those on which they have declared a conflict (the
    service keeps an assignment that already has a review; the reviewer still loses it)."""
    conflicted = Conflict.objects.filter(
        member_id=OuterRef("reviewer_id"), submission_id=OuterRef("submission_id")
    )
    return (
        my_assignments(user)
        .exclude(Exists(conflicted))
        .select_related("submission__unit", "submission__call")
    )


def get_assignment_for_user(user: Any, pk: int) -> Assignment:
    assignment = open_assignments(user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    # The one rule of who sees a submission also holds here (it raises 404 otherwise).
    get_submission_for_user(user, assignment.submission.call, assignment.submission_id)
    return assignment
