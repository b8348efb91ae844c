"""Writes of a cluster's year-end review: the sheets, their scores and evidence, peer scoring and
the approval chain.

Rules:
- a review opens with one sheet per member (at least the cluster's minimum of members);
- the member scores itself and attaches evidence while self-assessing, for each criterion up to
  its deadline (the day itself included; reviewers are not bound by it); it cannot submit while a
  required criterion is unscored or a criterion that requires evidence has none; once
  submitted the sheet is locked for the member;
- peer scoring runs when the review sets how many peers each member scores and the organising
  unit's chain (if set) runs it; each member scores k others and is scored by k others, never itself
  (a circulant assignment: exact whatever the number of members above k);
- each review step scores at its own step; the board, the council and the standing board
  change a score only with a reason; every score is a new row (who, when, old and new value),
  never an update; a step forwards to the next and returns one step back with a reason;
- the last step's approval is the publication of the whole review (every sheet must have
  reached it): published sheets refuse every write, here and in the database (PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.clusters.models import (
    LOCKED,
    Cluster,
    Criterion,
    Evidence,
    PeerAssignment,
    Review,
    ScoreEntry,
    ScoreSheet,
    ScoreTable,
    SheetEvent,
    Step,
)
from thidua.clusters.selectors import current_members, effective_scores, leaves
from thidua.clusters.services.common import (
    STEP_ACTION,
    chain_allows_peers,
    final_state_error,
    label,
    person,
    runs_peer_scoring,
    sequence,
    tell,
)
from thidua.core import audit
from thidua.core.formatting import format_date
from thidua.core.policy import can, refuse, require
from thidua.core.uploads import accept, files_removed_on_failure

CENTS = Decimal("0.01")
REASONED_STEPS = frozenset({Step.BOARD_REVIEW, Step.COUNCIL_REVIEW, Step.STANDING_REVIEW})


def open_review(
    actor: Any,
    *,
    cluster: Cluster,
    year: int,
    table: ScoreTable,
    peer_count: int = 0,
    flag_quota: int = 1,
    meeting_on: dt.date | None = None,
) -> Review:
    """Open the year's review: one sheet per current member, on the table's latest version."""
    require(actor, "clusters.manage", cluster.owner_unit)
    if table.owner_unit_id != cluster.owner_unit_id:
        raise ValidationError({"table": _("Use a score table of the organising unit.")})
    members = current_members(cluster, on=dt.date(year, 12, 31))
    if len(members) < cluster.min_members:
        raise ValidationError(
            _("A cluster needs at least %(n)s members to hold its review.")
            % {"n": cluster.min_members}
        )
    if peer_count and peer_count >= len(members):
        raise ValidationError({"peer_count": _("Each member scores fewer peers than there are.")})
    if peer_count and not chain_allows_peers(cluster.owner_unit_id):
        raise ValidationError(
            {"peer_count": _("The organising unit's review chain runs no peer scoring.")}
        )
    review = Review(
        cluster=cluster,
        year=year,
        table=table,
        peer_count=peer_count,
        flag_quota=flag_quota,
        meeting_on=meeting_on,
    )
    review.full_clean()
    with transaction.atomic():
        review.save()
        ScoreSheet.objects.bulk_create(
            [ScoreSheet(review=review, unit=unit, table=table) for unit in members]
        )
        audit.record(actor, "clusters.open_review", cluster, {"year": year})
    return review


def assign_peers(actor: Any, *, review: Review) -> list[PeerAssignment]:
    """Each member scores the `peer_count` members after it in a fixed order (a circulant):
    never itself, and each gives and receives exactly k."""
    require(actor, "clusters.manage", review.cluster.owner_unit)
    sheets = list(review.sheets.order_by("unit__name", "pk"))
    k, n = review.peer_count, len(sheets)
    if not k or k >= n:
        raise ValidationError(_("Set how many peers each member scores (fewer than the members)."))
    rows = [
        PeerAssignment(review=review, scorer=sheets[(i + j) % n], sheet=sheets[i])
        for i in range(n)
        for j in range(1, k + 1)
    ]
    with transaction.atomic():
        review.peer_assignments.all().delete()
        made = PeerAssignment.objects.bulk_create(rows)
        audit.record(actor, "clusters.assign_peers", review.cluster, {"k": k, "members": n})
    return made


def _locked_check(sheet: ScoreSheet) -> None:
    if sheet.status in LOCKED or sheet.review.is_published:
        raise ValidationError(final_state_error(), code="final_state")


def deadline_passed(criterion: Criterion, *, on: dt.date | None = None) -> bool:
    """Is the criterion's deadline behind us (the deadline day itself still counts)?"""
    day = on or timezone.localdate()
    return criterion.deadline is not None and day > criterion.deadline


def _before_deadline(criterion: Criterion) -> None:
    """A member's own score and evidence for a criterion close with its deadline."""
    if deadline_passed(criterion):
        raise ValidationError(
            _(
                "The deadline of criterion %(criterion)s was %(date)s: its self-assessment "
                "and evidence can no longer change."
            )
            % {
                "criterion": f"{criterion.code} {criterion.title}",
                "date": format_date(criterion.deadline),
            },
            code="deadline_passed",
        )


def _number(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".")) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    return number


def _scoring_step(actor: Any, sheet: ScoreSheet, scorer_unit: Any) -> str:
    """The step at which `actor` scores the sheet now, or refuse."""
    owner = sheet.review.cluster.owner_unit
    status = sheet.status
    if status == Step.SELF_ASSESSING:
        require(actor, "clusters.self_assess", sheet.unit)
        return Step.SELF_ASSESSING
    if status == Step.PEER_SCORING:
        if scorer_unit is None or not sheet.peers.filter(scorer__unit=scorer_unit).exists():
            refuse()
        require(actor, "clusters.self_assess", scorer_unit)
        return Step.PEER_SCORING
    if status in STEP_ACTION and status != Step.SUBMITTED:
        require(actor, STEP_ACTION[status], owner)
        return status
    raise ValidationError(_("Nobody scores this sheet at this stage."))


def record_score(
    actor: Any,
    *,
    sheet: ScoreSheet,
    criterion: Criterion,
    value: Any,
    bonus: Any = 0,
    penalty: Any = 0,
    comment: str = "",
    scorer_unit: Any = None,
) -> ScoreEntry | None:
    """Give a score at the sheet's current step (a new row; the latest at a step wins).
    Returns None when nothing changes."""
    sheet = ScoreSheet.objects.select_related("review__cluster__owner_unit", "unit").get(
        pk=sheet.pk
    )
    _locked_check(sheet)
    step = _scoring_step(actor, sheet, scorer_unit)
    if criterion.table_id != sheet.table_id or criterion.children.exists():
        raise ValidationError(_("Score the sub-criteria of this sheet's table."))
    if step == Step.SELF_ASSESSING:
        _before_deadline(criterion)
    value, bonus, penalty = (
        _number(value, "value"),
        _number(bonus, "bonus"),
        _number(penalty, "penalty"),
    )
    if not (0 <= value <= criterion.max_points):
        raise ValidationError(
            {"value": _("A score is between 0 and %(max)s.") % {"max": criterion.max_points}}
        )
    if not (0 <= bonus <= criterion.bonus_max) or not (0 <= penalty <= criterion.penalty_max):
        raise ValidationError(_("Bonus and penalty points stay within their maxima."))
    if step == Step.PEER_SCORING:
        old_entry = (
            sheet.entries.filter(criterion=criterion, step=step, scorer_unit=scorer_unit)
            .order_by("-at", "-pk")
            .first()
        )
        old = old_entry.points if old_entry else None
    else:
        old = effective_scores(sheet).get(criterion.pk)
    new = (value + bonus - penalty).quantize(CENTS)
    if old is not None and old == new and step != Step.SELF_ASSESSING:
        return None
    if step in REASONED_STEPS and not comment.strip():
        raise ValidationError({"comment": _("Give the reason for changing this score.")})
    with transaction.atomic():
        entry = ScoreEntry.objects.create(
            sheet=sheet,
            criterion=criterion,
            step=step,
            scorer_unit=scorer_unit if step == Step.PEER_SCORING else None,
            value=value,
            bonus=bonus,
            penalty=penalty,
            previous_value=old,
            comment=comment.strip(),
            author=person(actor),
        )
        audit.record(
            actor,
            "clusters.score",
            sheet.review.cluster,
            {
                "criterion": criterion.code,
                "member": sheet.unit.name,
                "step": step,
                "old": str(old) if old is not None else None,
                "new": str(new),
                "reason": comment.strip(),
            },
        )
    return entry


def add_evidence(actor: Any, *, sheet: ScoreSheet, criterion: Criterion, file: Any) -> Evidence:
    """Attach evidence to a criterion of the member's own sheet while it self-assesses."""
    _locked_check(sheet)
    require(actor, "clusters.self_assess", sheet.unit)
    if sheet.status != Step.SELF_ASSESSING:
        raise ValidationError(_("Evidence is attached before the sheet is submitted."))
    if criterion.table_id != sheet.table_id:
        raise ValidationError(_("Score the sub-criteria of this sheet's table."))
    _before_deadline(criterion)
    upload = accept(file, field="file")
    with files_removed_on_failure(), transaction.atomic():
        evidence = Evidence.objects.create(
            sheet=sheet,
            criterion=criterion,
            file=upload.file,
            name=upload.name,
            content_type=upload.mime,
            size=upload.size,
            uploaded_by=person(actor),
        )
        audit.record(
            actor,
            "clusters.add_evidence",
            sheet.review.cluster,
            {"criterion": criterion.code, "member": sheet.unit.name},
        )
    return evidence


def missing_for_submission(sheet: ScoreSheet) -> list[str]:
    """What stops the member from submitting: unscored required criteria, missing evidence."""
    scored = set(
        sheet.entries.filter(step=Step.SELF_ASSESSING).values_list("criterion_id", flat=True)
    )
    evidenced = set(sheet.evidence.values_list("criterion_id", flat=True))
    problems = []
    for criterion in leaves(sheet.table):
        if criterion.required and criterion.pk not in scored:
            problems.append(_("%(code)s is not scored.") % {"code": criterion.code})
        if criterion.evidence_required and criterion.pk not in evidenced:
            problems.append(_("%(code)s needs evidence.") % {"code": criterion.code})
    return problems


def _move(actor: Any, sheet: ScoreSheet, to: str, reason: str = "") -> None:
    SheetEvent.objects.create(
        sheet=sheet, from_status=sheet.status, to_status=to, reason=reason, actor=person(actor)
    )
    sheet.status = to
    sheet.return_reason = reason
    sheet.save(update_fields=["status", "return_reason", "submitted_at"])


def _tell_next(actor: Any, sheet: ScoreSheet, verb: str) -> None:
    owner = sheet.review.cluster.owner_unit
    action = STEP_ACTION.get(sheet.status)
    if action is None:
        return
    where = sheet.unit if sheet.status == Step.SELF_ASSESSING else owner
    tell(
        actor,
        where,
        action,
        template="clusters/email/sheet_waiting",
        context={
            "member": label(sheet.unit),
            "cluster": sheet.review.cluster.name,
            "year": sheet.review.year,
            "step": str(Step(sheet.status).label),
            "verb": verb,
            "reason": sheet.return_reason,
        },
        link=f"/clusters/sheets/{sheet.pk}/",
    )


def submit_sheet(actor: Any, *, sheet: ScoreSheet) -> ScoreSheet:
    """The member submits its self-assessment: complete, with evidence; then locked for it."""
    _locked_check(sheet)
    require(actor, "clusters.self_assess", sheet.unit)
    if sheet.status != Step.SELF_ASSESSING:
        raise ValidationError(_("This sheet is already submitted."), code="invalid_transition")
    problems = missing_for_submission(sheet)
    if problems:
        raise ValidationError(problems, code="incomplete_scoring")
    with transaction.atomic():
        sheet.submitted_at = timezone.now()
        _move(actor, sheet, Step.SUBMITTED)
        table = ScoreTable.objects.select_for_update().get(pk=sheet.table_id)
        if table.frozen_at is None:
            table.frozen_at = timezone.now()
            table.save(update_fields=["frozen_at"])
        audit.record(
            actor, "clusters.submit_sheet", sheet.review.cluster, {"member": sheet.unit.name}
        )
        _tell_next(actor, sheet, "submitted")
    return sheet


def _states(sheet: ScoreSheet) -> list[str]:
    return sequence(sheet.review.cluster.owner_unit, peer_scoring=runs_peer_scoring(sheet.review))


def forward_sheet(actor: Any, *, sheet: ScoreSheet) -> ScoreSheet:
    """The step in charge sends the sheet on to the next step (not past the last review step:
    that one publishes the whole review)."""
    _locked_check(sheet)
    states = _states(sheet)
    if sheet.status == Step.SELF_ASSESSING:
        return submit_sheet(actor, sheet=sheet)
    require(actor, STEP_ACTION[sheet.status], sheet.review.cluster.owner_unit)
    following = states[states.index(sheet.status) + 1]
    if following == Step.PUBLISHED:
        raise ValidationError(
            _("The last step publishes the whole review."), code="invalid_transition"
        )
    with transaction.atomic():
        _move(actor, sheet, following)
        audit.record(
            actor,
            "clusters.forward_sheet",
            sheet.review.cluster,
            {"member": sheet.unit.name, "to": following},
        )
        _tell_next(actor, sheet, "forwarded")
    return sheet


def return_sheet(actor: Any, *, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    """Send the sheet one step back, with the reason the step before will read."""
    _locked_check(sheet)
    if sheet.status == Step.SELF_ASSESSING:
        raise ValidationError(_("This sheet is not submitted yet."), code="invalid_transition")
    require(actor, STEP_ACTION[sheet.status], sheet.review.cluster.owner_unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning.")}, code="reason")
    states = _states(sheet)
    previous = states[states.index(sheet.status) - 1]
    if previous == Step.SUBMITTED:
        # a return to "submitted" would land with the specialist again: it reaches the member
        previous = Step.SELF_ASSESSING
    with transaction.atomic():
        _move(actor, sheet, previous, reason.strip())
        audit.record(
            actor,
            "clusters.return_sheet",
            sheet.review.cluster,
            {"member": sheet.unit.name, "to": previous, "reason": reason.strip()},
        )
        _tell_next(actor, sheet, "returned")
    return sheet


def can_act(user: Any, sheet: ScoreSheet) -> bool:
    action = STEP_ACTION.get(sheet.status)
    if action is None:
        return False
    where = sheet.unit if sheet.status == Step.SELF_ASSESSING else sheet.review.cluster.owner_unit
    return can(user, action, where)
