"""Each area's certificates as one print-ready PDF (A4, or A5 two-up to cut), for the ward to
print and stamp: made in the background, kept privately with its fingerprint.

Rules enforced here: a leader of the commune starts it (`cultural_titles.decide`, like the
decision); while one runs for the same area and layout, starting again returns it; the run is
idempotent (a finished print is left as it is); revoked certificates are not printed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.cultural_titles.models import AreaAssessment, CertificatePrint, TitleDecision
from thidua.cultural_titles.tasks import print_certificates

Status = CertificatePrint.Status


def start_print(
    actor: Any, *, title_decision: TitleDecision, assessment: AreaAssessment, layout: str
) -> CertificatePrint:
    """Queue the area's print (or return the one running for it)."""
    require(actor, "cultural_titles.decide", title_decision.round.commune)
    if assessment.round_id != title_decision.round_id or (
        assessment.status != AreaAssessment.Status.DECIDED
    ):
        raise ValidationError(_("This area is not in the decision."))
    if layout not in CertificatePrint.Layout.values:
        raise ValidationError({"layout": _("Choose A4 or A5.")})
    with transaction.atomic():
        running = (
            CertificatePrint.objects.select_for_update()
            .filter(
                title_decision=title_decision,
                assessment=assessment,
                layout=layout,
                status__in=[Status.PENDING, Status.RUNNING],
            )
            .first()
        )
        if running is not None:
            return running
        job = CertificatePrint.objects.create(
            title_decision=title_decision,
            assessment=assessment,
            layout=layout,
            total=assessment.eligible,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor,
            "cultural_titles.start_print",
            job,
            {"area": assessment.area_id, "layout": layout, "total": job.total},
            unit=assessment.area,
        )
        transaction.on_commit(lambda: print_certificates.enqueue(job.pk))
    return job


def start_all_prints(
    actor: Any, *, title_decision: TitleDecision, layout: str
) -> list[CertificatePrint]:
    """Every decided area's print, one background task each (the workers share them)."""
    require(actor, "cultural_titles.decide", title_decision.round.commune)
    areas = title_decision.round.areas.filter(status=AreaAssessment.Status.DECIDED).select_related(
        "area"
    )
    return [
        start_print(actor, title_decision=title_decision, assessment=a, layout=layout)
        for a in areas.order_by("area__code")
    ]
