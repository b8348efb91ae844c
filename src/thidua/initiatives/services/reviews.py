"""Writes for reviews: scores, amendments and the figures each submission keeps."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count, DecimalField, IntegerField, OuterRef, Q, Subquery
from django.db.models import Max as MaxAgg
from django.db.models import Min as MinAgg
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.initiatives.models import (
    Assignment,
    Conflict,
    Criterion,
    Review,
    Score,
    Submission,
)
from thidua.initiatives.services._common import S


def refresh_review_figures(submissions: Any) -> int:
    """Recompute the review roll-up (count, mean, min, max, recommendations) of submissions from
    their submitted reviews: one UPDATE whatever their number."""
    reviews = Review.objects.filter(
        assignment__submission=OuterRef("pk"), status=Review.Status.SUBMITTED
    ).values("assignment__submission")

    def figure(aggregate, output):
        return Subquery(reviews.annotate(v=aggregate).values("v")[:1], output_field=output)

    decimal = DecimalField(max_digits=7, decimal_places=3)
    return submissions.update(
        review_count=Coalesce(figure(Count("weighted_score"), IntegerField()), 0),
        review_mean=figure(Avg("weighted_score"), decimal),
        review_min=figure(MinAgg("weighted_score"), decimal),
        review_max=figure(MaxAgg("weighted_score"), decimal),
        recommend_yes=Coalesce(
            figure(
                Count("pk", filter=Q(recommendation=Review.Recommendation.RECOGNISE)),
                IntegerField(),
            ),
            0,
        ),
    )


def _number(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(_("Enter a number.")) from error
    if not value.is_finite():
        raise ValidationError(_("Enter a number."))
    return value


def weighted_score(scores: dict[int, Decimal], criteria: list[Criterion]) -> Decimal | None:
    """0–100: each score as a share of its maximum, weighted."""
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    if not total_weight or any(c.pk not in scores for c in criteria):
        return None
    value = sum(scores[c.pk] / c.max_score * c.weight for c in criteria) / total_weight * 100
    return value.quantize(Decimal("0.001"))


def save_review(
    actor: Any,
    *,
    assignment: Assignment,
    scores: dict[int, Any],
    comments: dict[int, str] | None = None,
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
    amend_reason: str = "",
) -> Review:
    """Only the assigned reviewer writes; a submitted review is locked unless amended with a
    reason (audited)."""
    if assignment.reviewer.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the assigned reviewer can write this review."))
    submission = assignment.submission
    if Conflict.objects.filter(member=assignment.reviewer, submission=submission).exists():
        raise PermissionDenied(_("You declared a conflict of interest with this initiative."))
    if submission.status != S.UNDER_REVIEW:
        raise ValidationError(_("This initiative is not under review."))
    criteria = list(submission.call.criteria.all())
    by_id = {c.pk: c for c in criteria}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, Decimal] = {}
    for raw_id, raw in scores.items():
        try:
            criterion = by_id.get(int(raw_id))
        except (TypeError, ValueError):
            criterion = None
        if criterion is None:
            errors.setdefault("scores", []).append(_("Unknown criterion."))
            continue
        if raw in (None, ""):
            continue
        try:
            value = _number(raw)
        except ValidationError as error:
            errors.setdefault(f"score_{criterion.pk}", []).extend(error.messages)
            continue
        if not 0 <= value <= criterion.max_score:
            errors.setdefault(f"score_{criterion.pk}", []).append(
                _("Give a score from 0 to %(max)s.") % {"max": criterion.max_score}
            )
            continue
        cleaned[criterion.pk] = value
    if recommendation and recommendation not in Review.Recommendation.values:
        errors.setdefault("recommendation", []).append(_("Unknown recommendation."))
    locked = Review.objects.filter(assignment=assignment, status=Review.Status.SUBMITTED).exists()
    if submit or locked:  # an amendment keeps the review submitted, so it must stay complete
        missing = [c for c in criteria if c.pk not in cleaned]
        for criterion in missing:
            errors.setdefault(f"score_{criterion.pk}", []).append(
                _("Score every criterion before submitting.")
            )
        if not recommendation:
            errors.setdefault("recommendation", []).append(_("Give a recommendation."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(assignment=assignment).first()
        amending = review is not None and review.status == Review.Status.SUBMITTED
        if amending and not amend_reason.strip():
            raise ValidationError(
                {"amend_reason": _("This review is locked; give a reason to amend it.")}
            )
        before = {str(s.criterion_id): str(s.score) for s in review.scores.all()} if review else {}
        if review is None:
            review = Review(assignment=assignment)
        review.recommendation = recommendation
        review.comment = comment
        if submit or amending:
            review.status = Review.Status.SUBMITTED
            review.submitted_at = review.submitted_at or timezone.now()
        review.weighted_score = weighted_score(cleaned, criteria)
        review.save()
        review.scores.all().delete()
        Score.objects.bulk_create(
            Score(review=review, criterion_id=pk, score=value, comment=(comments or {}).get(pk, ""))
            for pk, value in cleaned.items()
        )
        refresh_review_figures(Submission.objects.filter(pk=submission.pk))
        verb = (
            "initiatives.amend_review"
            if amending
            else "initiatives.submit_review"
            if submit
            else "initiatives.save_review"
        )
        audit.record(
            actor,
            verb,
            submission,
            {
                "review": review.pk,
                "reason": amend_reason.strip(),
                "before": before,
                "after": {str(k): str(v) for k, v in cleaned.items()},
                "recommendation": recommendation,
            },
            unit=submission.unit,
        )
    return review
