"""The chair's choice of ranking for the council's meeting (raw or calibrated scores)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.actors import person_or_none
from thidua.initiatives.calibration import RANKINGS, calibration_report
from thidua.initiatives.models import Call
from thidua.initiatives.selectors import seat
from thidua.shared.models import CouncilMember


def choose_ranking(
    actor: Any, *, call: Call, ranking: str, method: str = "bayes", places: int | None = None
) -> dict[str, Any]:
    """The chair chooses which ranking the meeting uses; the choice, with the order it gives,
    is kept on the call and appended to the audit chain. Only the council's chair."""
    member = seat(actor, call)
    if member is None or member.role != CouncilMember.Role.CHAIR:
        raise PermissionDenied(_("Only the council's chair chooses the ranking."))
    if ranking not in RANKINGS:
        raise ValidationError({"ranking": _("Unknown ranking.")})
    if call.status == Call.Status.DECIDED:
        raise ValidationError(_("This call is already decided."))
    report = calibration_report(call, method=method, places=places)
    order = report.raw_order if ranking == "raw" else report.calibrated_order
    data = {
        "ranking": ranking,
        "method": "raw" if ranking == "raw" else report.method,
        "places": report.places,
        "order": [row.submission.number for row in order],
    }
    with transaction.atomic():
        call.ranking_choice = data
        call.ranking_chosen_by = person_or_none(actor)
        call.ranking_chosen_at = timezone.now()
        call.save(update_fields=["ranking_choice", "ranking_chosen_by", "ranking_chosen_at"])
        audit.record(actor, "initiatives.choose_ranking", call, data, unit=call.owner_unit)
    return data
