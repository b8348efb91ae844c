"""Writes for screening submitted initiatives in or out."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.initiatives.models import (
    Submission,
)
from thidua.initiatives.services._common import S
from thidua.initiatives.services.councils import require_secretariat
from thidua.initiatives.services.submission import _event, _notify_applicant


def screen(actor: Any, *, submission: Submission, accept: bool, reason: str = "") -> Submission:
    require_secretariat(actor, submission.call)
    if submission.status != S.SUBMITTED:
        raise ValidationError(_("Only a submitted initiative can be screened."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why it is screened out.")})
    with transaction.atomic():
        submission.status = S.SCREENED_IN if accept else S.SCREENED_OUT
        submission.screening_reason = reason.strip()
        submission.save(update_fields=["status", "screening_reason"])
        _event(submission, actor, reason.strip())
        audit.record(
            actor,
            "initiatives.screen",
            submission,
            {"accept": accept, "reason": reason.strip()},
            unit=submission.unit,
        )
        _notify_applicant(submission, "status", reason=reason.strip())
    return submission
