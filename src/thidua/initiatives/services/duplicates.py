"""Writes for near-duplicates: the secretariat's verdict on a pair."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.initiatives.models import Submission
from thidua.initiatives.models_duplicates import (
    DuplicateCandidate,
    DuplicateMark,
)
from thidua.initiatives.selectors import is_secretariat


def mark_duplicate(
    actor: Any,
    *,
    submission: Submission,
    candidate: DuplicateCandidate,
    verdict: str,
    note: str = "",
) -> DuplicateMark:
    """The call's secretariat says whether a pair is the same initiative. Marks are appended,
    never edited: the latest one is the pair's verdict, and the audit chain records each."""
    if not is_secretariat(actor, submission.call):
        raise PermissionDenied(_("Only the council's secretariat can do this."))
    if submission.pk not in (candidate.a_id, candidate.b_id):
        raise ValidationError(_("This pair does not concern this submission."))
    mark = DuplicateMark(candidate=candidate, verdict=verdict, by=actor, note=note.strip())
    mark.full_clean()
    with transaction.atomic():
        mark.save()
        audit.record(
            actor,
            "initiatives.mark_duplicate",
            submission,
            {
                "candidate": candidate.pk,
                "other": candidate.other(submission.pk),
                "verdict": verdict,
                "score": candidate.score,
            },
            unit=submission.unit,
        )
    return mark
