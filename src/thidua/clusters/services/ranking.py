"""Publication of a review, its ranking, and the emulation flag's nominations.

Rules:
- the last review step (the standing board by default) publishes the whole review once every
  sheet has reached it; the published scores and ranking never change again;
- the ranking orders the members by their final total; members equal on the total are ordered
  by the first group's score, and members still equal are left to the council's vote — the
  commendation tie-break (direct workers, then women or collectives of at least 70 % women)
  separates people, not member units —, the trail written on each row;
- the top `flag_quota` members become nominations for the emulation flag (Cờ thi đua) in a
  commendation round, through the commendation services, with the proposal letter, an
  achievement report and the review's minutes as the dossier; the council then votes on them
  under its own rule (all members counted, at least 80 %, secret ballot).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.clusters import exports
from thidua.clusters.models import RankingRow, Review, Step
from thidua.clusters.selectors import group_totals, leaves, review_sheets, sheet_scores
from thidua.clusters.services.common import STEP_ACTION, chain_steps, person, tell
from thidua.core import audit
from thidua.core.formatting import format_number
from thidua.core.policy import require
from thidua.honors import selectors as honors_selectors
from thidua.honors.services import nominations as honors_nominations

FLAG_AWARD = "co-thi-dua"


def _rank(review: Review, sheets: list) -> list[RankingRow]:
    scores = sheet_scores(sheets)
    rows = []
    for sheet in sheets:
        s = scores[sheet.pk]
        totals = group_totals(leaves(sheet.table), s.final)
        rows.append(
            RankingRow(
                review=review,
                sheet=sheet,
                unit=sheet.unit,
                position=0,
                total=s.final_total,
                self_total=s.self_total,
                peer_total=s.peer_total,
                group_totals={k: str(v) for k, v in totals.items()},
            )
        )
    first_group = review.table.groups.order_by("order", "pk").first()
    code = first_group.code if first_group else ""

    def first(row: RankingRow) -> Decimal:
        return Decimal(row.group_totals.get(code, "0"))

    rows.sort(key=lambda r: (-r.total, -first(r), r.unit.name))
    for n, row in enumerate(rows, start=1):
        row.position = n
        tied = [o for o in rows if o is not row and o.total == row.total]
        if not tied:
            continue
        if all(first(o) != first(row) for o in tied):
            row.tie_break = _(
                "Equal total with %(others)s: ordered by group %(group)s (%(score)s points)."
            ) % {
                "others": ", ".join(o.unit.name for o in tied),
                "group": code,
                "score": format_number(first(row)),
            }
        else:
            row.tie_break = _(
                "Equal total and group %(group)s score with %(others)s: the commendation "
                "tie-break (direct workers, then women) does not separate units; the council's "
                "vote decides."
            ) % {"group": code, "others": ", ".join(o.unit.name for o in tied)}
    for row in rows[: review.flag_quota]:
        row.flag_proposed = True
    return rows


def publish_review(actor: Any, *, review: Review) -> Review:
    """The last step publishes: every sheet must have reached it; the ranking is stored."""
    owner = review.cluster.owner_unit
    steps, _peers = chain_steps(owner)
    last = steps[-1]
    require(actor, STEP_ACTION[last], owner)
    if review.is_published:
        raise ValidationError(_("This review is already published."), code="final_state")
    sheets = review_sheets(review)
    behind = [s.unit.name for s in sheets if s.status != last]
    if behind:
        raise ValidationError(
            _("Every sheet must reach %(step)s first: %(units)s.")
            % {"step": Step(last).label, "units": ", ".join(behind)},
            code="invalid_transition",
        )
    with transaction.atomic():
        rows = _rank(review, sheets)
        RankingRow.objects.bulk_create(rows)
        for sheet in sheets:
            sheet.events.create(
                from_status=sheet.status, to_status=Step.PUBLISHED, actor=person(actor)
            )
        review.sheets.update(status=Step.PUBLISHED)
        review.published_at = timezone.now()
        review.save(update_fields=["published_at"])
        audit.record(
            actor,
            "clusters.publish_review",
            review.cluster,
            {"year": review.year, "first": rows[0].unit.name if rows else None},
        )
    return review


def nominate_flags(actor: Any, *, review: Review, round: Any) -> list[RankingRow]:
    """The top of the published ranking becomes nominations for the emulation flag in `round`
    (a commendation round of the organising unit or above that offers the flag)."""
    owner = review.cluster.owner_unit
    require(actor, "clusters.approve", owner)
    if not review.is_published:
        raise ValidationError(_("Publish the review first."), code="invalid_transition")
    award = next((a for a in honors_selectors.catalogue() if a.code == FLAG_AWARD), None)
    if award is None:
        raise ValidationError(_("The emulation flag is not in the award catalogue."))
    rows = list(
        review.ranking.filter(flag_proposed=True, nomination__isnull=True).select_related(
            "unit", "sheet"
        )
    )
    if not rows:
        raise ValidationError(_("No member is waiting for its flag nomination."))
    letter = exports.flag_letter_pdf(review)
    minutes = exports.minutes_pdf(review)
    with transaction.atomic():
        for row in rows:
            report = exports.achievement_pdf(review, row)
            nomination = honors_nominations.nominate(
                actor,
                round=round,
                award_type=award,
                nominee_kind="collective",
                nominee_name=row.unit.name,
                unit=row.unit,
                proposing_unit=owner,
                achievements=_(
                    "Ranked %(position)s of %(count)s in %(cluster)s's %(year)s review with "
                    "%(total)s points."
                )
                % {
                    "position": row.position,
                    "count": review.sheets.count(),
                    "cluster": review.cluster.name,
                    "year": review.year,
                    "total": format_number(row.total),
                },
                documents=[
                    ("proposal_letter", ContentFile(letter, name="to-trinh-co-thi-dua.pdf")),
                    ("achievement_report", ContentFile(report, name="bao-cao-thanh-tich.pdf")),
                    ("vote_minutes", ContentFile(minutes, name="bien-ban-hop-cum.pdf")),
                ],
            )
            row.nomination = nomination
            row.save(update_fields=["nomination"])
            row.sheet.events.create(
                from_status=row.sheet.status, to_status=Step.NOMINATED, actor=person(actor)
            )
            row.sheet.status = Step.NOMINATED
            row.sheet.save(update_fields=["status"])
        review.flag_round = round
        review.nominated_at = timezone.now()
        review.save(update_fields=["flag_round", "nominated_at"])
        audit.record(
            actor,
            "clusters.nominate_flags",
            review.cluster,
            {"year": review.year, "units": [r.unit.name for r in rows]},
        )
    tell(
        actor,
        owner,
        "clusters.approve",
        template="clusters/email/flag_nominated",
        context={"cluster": review.cluster.name, "year": review.year},
        link=f"/clusters/reviews/{review.pk}/",
    )
    return rows
