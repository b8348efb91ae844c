"""The results of a course beyond attendance: the optional assessment's scores, and the best
learners the organiser proposes for commendation (their nominations are made in honours).

Rules:
- scores are recorded only in a course with an assessment, between 0 and its highest score, for
  its own learners, and no longer once a learner holds a certificate;
- the learners proposed for commendation are the first N of those who completed, ranked by
  score (when assessed), then hours attended; only once the course has ended.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.training import selectors
from thidua.training.models import Certificate, Course, Enrolment


def _score(value: Any, course: Course) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.1"))
    except InvalidOperation as error:
        raise ValidationError(_("A score is a number, for example 7,5.")) from error
    if not (0 <= score <= course.max_score):
        raise ValidationError(
            _("A score lies between 0 and %(max)s.") % {"max": f"{course.max_score:g}"}
        )
    return score


def record_scores(actor: Any, *, course: Course, scores: dict[Enrolment, Any]) -> int:
    """Record the assessment's scores of some learners (None clears one); the number changed."""
    require(actor, "training.manage", course.owner_unit)
    if not course.has_assessment:
        raise ValidationError(_("This course has no assessment."))
    changed = []
    certified = set(
        Certificate.objects.filter(enrolment__course=course).values_list("enrolment_id", flat=True)
    )
    for enrolment, value in scores.items():
        if enrolment.course_id != course.pk:
            raise ValidationError(
                _("%(name)s is not enrolled in this course.")
                % {"name": enrolment.officer.full_name}
            )
        score = _score(value, course)
        if score == enrolment.score:
            continue
        if enrolment.pk in certified:
            raise ValidationError(
                _("%(name)s already holds a certificate: the score cannot change.")
                % {"name": enrolment.officer.full_name}
            )
        enrolment.score = score
        changed.append(enrolment)
    with transaction.atomic():
        Enrolment.objects.bulk_update(changed, ["score"])
        if changed:
            audit.record(actor, "training.record_scores", course, {"learners": len(changed)})
    return len(changed)


def propose_top_learners(actor: Any, *, course: Course, count: int) -> list[Enrolment]:
    """Mark the best `count` learners who completed the course as proposed for commendation
    (the others are unmarked); returns them, best first."""
    require(actor, "training.manage", course.owner_unit)
    if course.ends_on >= timezone.localdate():
        raise ValidationError(_("The best learners are proposed once the course has ended."))
    ranked = selectors.ranked_completers(course)
    if not ranked:
        raise ValidationError(_("Nobody has completed the course yet."))
    if not (1 <= count <= len(ranked)):
        raise ValidationError(_("Choose between 1 and %(most)s learners.") % {"most": len(ranked)})
    chosen = [row.enrolment for row in ranked[:count]]
    with transaction.atomic():
        course.enrolments.exclude(pk__in=[e.pk for e in chosen]).update(commended=False)
        course.enrolments.filter(pk__in=[e.pk for e in chosen]).update(commended=True)
        audit.record(actor, "training.propose_commendation", course, {"learners": count})
    for enrolment in chosen:
        enrolment.commended = True
    return chosen
