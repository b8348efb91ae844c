"""Proposing residential areas for "Thôn, tổ dân phố văn hóa" (Decree 86/2023 Art. 7(2)).

Rules enforced here: a leader of the commune proposes (the commune convenes its council); each
area has one proposal a year, with its achievement report (Form 05) and the evidence for each
criterion of Appendix II; the proposal (Form 04) and the report are generated as PDFs and filed
as the documents of a collective nomination in the commune's commendation round, which must
offer the award "khu-dan-cu-van-hoa". From there the existing procedure applies unchanged: the
council votes with the yes votes counted over ALL its members, the list is on public notice for
the rule's 10 days, and the decision pays 1.5 × the base salary in force on its date.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.pdf import render_pdf
from thidua.core.policy import require
from thidua.cultural_titles.models import AreaTitle, TitleRound
from thidua.cultural_titles.services.decisions import AREA_AWARD
from thidua.honors import selectors as honor_selectors
from thidua.honors import services as honors
from thidua.org.models import Unit

PROPOSAL_LETTER = "proposal_letter"
ACHIEVEMENT_REPORT = "achievement_report"


def _pdf(template: str, context: dict[str, Any]) -> bytes:

    return render_pdf(render_to_string(template, context))


def propose_area(
    actor: Any,
    *,
    round: TitleRound,
    area: Unit,
    honors_round_id: int,
    report: str,
    evidence: str = "",
) -> AreaTitle:
    """Propose an area with its report into the commune's commendation round, submitted and
    endorsed by the commune so that it reaches the council's vote."""
    require(actor, "cultural_titles.decide", round.commune)
    report = (report or "").strip()
    if not report:
        raise ValidationError({"report": _("Write the area's achievement report.")})
    if area.parent_id != round.commune_id:
        raise ValidationError({"area": _("The area must belong to the commune.")})
    if AreaTitle.objects.filter(round=round, area=area).exists():
        raise ValidationError(_("This area is already proposed this year."))
    honors_round = honor_selectors.get_round_for_user(actor, honors_round_id)
    award = next((a for a in honors_round.award_types.all() if a.code == AREA_AWARD), None)
    if award is None or honors_round.owner_unit_id != round.commune_id:
        raise ValidationError(
            {"honors_round": _("Choose a commendation round of the commune for cultural areas.")}
        )
    context = {
        "round": round,
        "area": area,
        "report": report,
        "evidence": evidence,
        "criteria": round.criteria.items,
    }
    documents = [
        (
            PROPOSAL_LETTER,
            ContentFile(_pdf("cultural_titles/form04.html", context), "to-trinh.pdf"),
        ),
        (
            ACHIEVEMENT_REPORT,
            ContentFile(_pdf("cultural_titles/form05.html", context), "bao-cao.pdf"),
        ),
    ]
    with transaction.atomic():
        nomination = honors.nominate(
            actor,
            round=honors_round,
            award_type=award,
            nominee_kind="collective",
            nominee_name=area.display_name,
            unit=area,
            proposing_unit=round.commune,
            achievements=report,
            documents=documents,
        )
        honors.submit_nomination(actor, nomination=nomination)
        honors.endorse_nomination(actor, nomination=nomination)
        proposed = AreaTitle.objects.create(
            round=round, area=area, report=report, evidence=evidence, nomination=nomination
        )
        audit.record(actor, "cultural_titles.propose_area", proposed, {"area": area.pk})
    return proposed


def council_minutes_pdf(round: TitleRound) -> bytes:
    """The minutes of the commune council's assessment of the proposed areas (Form 06): each
    area with its vote, the yes votes counted over all the council's members."""
    voted = [
        proposed
        for proposed in round.area_titles.select_related(
            "area", "nomination", "nomination__vote"
        ).order_by("area__code")
        if getattr(proposed.nomination, "vote", None) is not None
        and proposed.nomination.vote.closed_at is not None
    ]
    if not voted:
        raise ValidationError(_("The council has not voted on any proposed area yet."))
    return _pdf(
        "cultural_titles/form06.html",
        {
            "round": round,
            "rows": [(p, p.nomination.vote) for p in voted],
            "passed": sum(1 for p in voted if p.nomination.vote.passed),
        },
    )
