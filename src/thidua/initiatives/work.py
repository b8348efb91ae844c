"""The initiatives' work items: reviews assigned to the user and not yet submitted, and, for
the secretariat of a call (the organising unit's staff, the council's chair, vice chair and
secretary), the submissions to screen."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.policy import RULES, grants_in_force
from thidua.core.work import QuerySetSource, WorkItem, WorkItemSource
from thidua.initiatives.models import Assignment, Conflict, Review, Submission
from thidua.shared.models import CouncilMember

REVIEW = "initiatives.review"
SCREENING = "initiatives.screening"
LABELS = {
    REVIEW: gettext_lazy("Reviews to write"),
    SCREENING: gettext_lazy("Initiatives to screen"),
}


def reviews(user: Any) -> QuerySetSource:
    """Assignments of the user (never a conflicted one) whose review is not submitted, due by
    the call's review deadline."""
    rows = (
        Assignment.objects.filter(
            reviewer__user=user,
            reviewer__is_active=True,
            submission__status=Submission.Status.UNDER_REVIEW,
        )
        .exclude(review__status=Review.Status.SUBMITTED)
        .exclude(
            Exists(
                Conflict.objects.filter(
                    member=OuterRef("reviewer"), submission=OuterRef("submission")
                )
            )
        )
        .select_related(
            "submission",
            "submission__call",
            "submission__unit",
            "submission__unit__kind",
            "submission__unit__parent",
        )
    )

    def to_item(assignment: Assignment) -> WorkItem:
        submission = assignment.submission
        return WorkItem(
            kind=REVIEW,
            kind_label=str(LABELS[REVIEW]),
            title=_("No. %(number)s: %(title)s — %(call)s")
            % {"number": submission.number, "title": submission.title, "call": submission.call},
            unit=submission.unit,
            due=submission.call.review_deadline,
            url=reverse("initiatives:review", args=[submission.call_id, submission.pk]),
            action=_("Write the review"),
            order=assignment.pk,
        )

    return QuerySetSource(
        kind=REVIEW,
        label=str(LABELS[REVIEW]),
        queryset=rows,
        unit_path="submission__unit__path",
        due="submission__call__review_deadline",
        to_item=to_item,
    )


def screening(user: Any) -> QuerySetSource:
    """Submitted initiatives of the calls the user's own units organise, or whose council the
    user chairs or serves as secretary."""
    day = timezone.localdate()
    own = {g.unit.path for g in grants_in_force(user, day) if g.role in RULES["initiatives.manage"]}
    seats = CouncilMember.objects.filter(
        user=user, is_active=True, council=OuterRef("call__council")
    ).exclude(role=CouncilMember.Role.MEMBER)
    rows = (
        Submission.objects.filter(status=Submission.Status.SUBMITTED)
        .filter(Q(call__owner_unit__path__in=sorted(own)) | Q(Exists(seats)))
        .select_related("call", "unit", "unit__kind", "unit__parent")
    )

    def to_item(submission: Submission) -> WorkItem:
        return WorkItem(
            kind=SCREENING,
            kind_label=str(LABELS[SCREENING]),
            title=_("No. %(number)s: %(title)s — %(call)s")
            % {"number": submission.number, "title": submission.title, "call": submission.call},
            unit=submission.unit,
            due=None,
            url=reverse("initiatives:submission", args=[submission.call_id, submission.pk]),
            action=_("Screen it"),
            order=submission.pk,
        )

    return QuerySetSource(
        kind=SCREENING,
        label=str(LABELS[SCREENING]),
        queryset=rows,
        unit_path="unit__path",
        due=None,
        to_item=to_item,
    )


def work_items(user: Any) -> Iterable[WorkItemSource]:
    return [reviews(user), screening(user)]
