"""The commune chairman's decision for the families of a round (Form 10), and its certificates.

Rules enforced here: a leader of the commune decides (`cultural_titles.decide`, and honors' own
rule on decisions); the decision covers every area whose dossier is filed and names each eligible
household, the title belonging to the area of that year; the honours and certificates are
written in bulk through `honors.services`; areas decided more than `decision_days` after their
dossier are counted as late (a statistic, not a refusal); certificates are generated in the
background by honors' batch.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.cultural_titles.models import (
    AreaAssessment,
    HouseholdAssessment,
    TitleDecision,
    TitleKind,
    TitleRound,
)
from thidua.honors import services as honors

FAMILY_AWARD = "gia-dinh-van-hoa"
AREA_AWARD = "khu-dan-cu-van-hoa"


def decide_families(
    actor: Any, *, round: TitleRound, number: str, signed_on: dt.date, signer: str
) -> TitleDecision:
    """Confer "Cultural family" on every eligible household of the filed areas."""
    require(actor, "cultural_titles.decide", round.commune)
    areas = list(round.areas.filter(status=AreaAssessment.Status.FILED).select_related("area"))
    if not areas:
        raise ValidationError(_("No area has filed its dossier yet."))
    early = [a for a in areas if a.filed_on and signed_on < a.filed_on]
    if early:
        raise ValidationError(_("The decision cannot be dated before a dossier it decides on."))
    by_id = {a.pk: a for a in areas}
    rows = (
        HouseholdAssessment.objects.filter(assessment__in=areas, eligible=True)
        .order_by("assessment__area__code", "code")
        .values_list("assessment_id", "head_name")
    )
    recipients = [honors.BulkRecipient(name=name, unit=by_id[a].area) for a, name in rows]
    late = sum(1 for a in areas if (signed_on - a.filed_on).days > round.decision_days)
    with transaction.atomic():
        decision = honors.issue_bulk_decision(
            actor,
            unit=round.commune,
            award_code=FAMILY_AWARD,
            number=number,
            signed_on=signed_on,
            signer=signer,
            recipients=recipients,
        )
        title_decision = TitleDecision.objects.create(
            round=round,
            kind=TitleKind.FAMILY,
            decision=decision,
            areas=len(areas),
            households=len(recipients),
            late_areas=late,
        )
        AreaAssessment.objects.filter(pk__in=by_id).update(status=AreaAssessment.Status.DECIDED)
        audit.record(
            actor,
            "cultural_titles.decide_families",
            title_decision,
            {"number": number, "areas": len(areas), "households": len(recipients), "late": late},
            unit=round.commune,
        )
    return title_decision


def start_certificates(actor: Any, *, title_decision: TitleDecision):
    """Generate every household's certificate of the decision in the background (honors'
    batch, with its progress)."""
    require(actor, "cultural_titles.decide", title_decision.round.commune)
    return honors.start_certificate_batch(actor, decision=title_decision.decision)
