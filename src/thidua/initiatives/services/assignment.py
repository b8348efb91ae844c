"""Writes for conflicts of interest and reviewer assignment (the balanced assigner and the seam
the optimal ones plug into, see `thidua.initiatives.assignment`)."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.notifications import notify_all
from thidua.initiatives.assignment.context import OPTIMAL_ASSIGNERS
from thidua.initiatives.models import (
    Assignment,
    Call,
    Conflict,
    CouncilMember,
    Submission,
)
from thidua.initiatives.services._common import S
from thidua.initiatives.services.councils import _seat, require_secretariat
from thidua.initiatives.services.submission import _event, _notify_applicant


def declare_conflict(actor: Any, *, submission: Submission, reason: str) -> Conflict:
    seat = _seat(actor, submission.call.council)
    if seat is None:
        raise PermissionDenied(_("Only a council member can declare a conflict."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the conflict is.")})
    with transaction.atomic():
        conflict, _created = Conflict.objects.get_or_create(
            member=seat, submission=submission, defaults={"reason": reason.strip()}
        )
        # A conflicted reviewer loses the assignment unless they already reviewed it.
        Assignment.objects.filter(
            reviewer=seat, submission=submission, review__isnull=True
        ).delete()
        audit.record(
            actor,
            "initiatives.declare_conflict",
            submission,
            {"reason": reason},
            unit=submission.unit,
        )
    return conflict


def conflict_reason(
    member: CouncilMember, submission: Submission, declared: set[tuple[int, int]] | None = None
) -> str | None:
    """Why a member may not review a submission (declared conflict, same unit), or None."""
    if declared is not None:
        if (member.pk, submission.pk) in declared:
            return _("declared conflict")
    elif Conflict.objects.filter(member=member, submission=submission).exists():
        return _("declared conflict")
    if member.unit_id and (
        member.unit_id == submission.unit_id or submission.unit.path.startswith(member.unit.path)
    ):
        return _("same unit as the applicant")
    return None


def assign(
    actor: Any,
    *,
    submission: Submission,
    member: CouncilMember,
    method: str = "manual",
    explanation: str = "",
    notify_reviewer: bool = True,
) -> Assignment:
    """Assign a screened-in initiative to a council member without a conflict; the reviewer
    is told (`auto_assign` tells each reviewer once for the whole batch)."""
    call = submission.call
    require_secretariat(actor, call)
    if member.council_id != call.council_id or not member.is_active:
        raise ValidationError(_("The reviewer is not a member of this call's council."))
    if submission.status not in (S.SCREENED_IN, S.UNDER_REVIEW):
        raise ValidationError(_("Only a screened-in initiative can be assigned."))
    reason = conflict_reason(member, submission)
    if reason:
        raise ValidationError(
            _("%(member)s cannot review this: %(reason)s.")
            % {"member": member.user, "reason": reason}
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    submission=submission,
                    reviewer=member,
                    method=method,
                    explanation=explanation[:300],
                )
        except IntegrityError as error:
            raise ValidationError(_("This reviewer is already assigned.")) from error
        if submission.status == S.SCREENED_IN:
            submission.status = S.UNDER_REVIEW
            submission.save(update_fields=["status"])
            _event(submission, actor)
            _notify_applicant(submission, "status")
        audit.record(
            actor,
            "initiatives.assign",
            submission,
            {"reviewer": member.user.get_username(), "method": method},
            unit=submission.unit,
        )
        if notify_reviewer:
            _notify_reviewer(actor, member, call, 1)
    return assignment


def _notify_reviewer(actor: Any, member: CouncilMember, call: Call, count: int) -> None:
    link = f"/initiatives/{call.pk}/"
    notify_all(
        [member.user],
        template="initiatives/email/review_assigned",
        context={
            "call": call.title,
            "count": count,
            "due": call.review_deadline.strftime("%d/%m/%Y") if call.review_deadline else "",
            "link": link,
            "site_url": settings.SITE_URL,
        },
        link=link,
        actor=actor,
    )


def balanced_assignment(call: Call) -> list[tuple[Submission, CouncilMember, str]]:
    """The simple automatic assigner: each screened-in submission gets the call's number of
    reviews (or as many eligible members as it has) from eligible members (no conflict, not from
    the applicant's unit or above), with the members' loads as even as any valid plan allows.
    The optimal and fair assigners (`assignment.py`) also weigh expertise."""
    members = list(
        CouncilMember.objects.filter(council=call.council, is_active=True).select_related(
            "user", "unit"
        )
    )
    submissions = list(
        Submission.objects.filter(call=call, status__in=[S.SCREENED_IN, S.UNDER_REVIEW])
        .select_related("unit")
        .order_by("number")
    )
    declared = set(
        Conflict.objects.filter(submission__call=call).values_list("member_id", "submission_id")
    )
    existing: dict[int, set[int]] = {}
    load = {m.pk: 0 for m in members}
    for submission_id, member_id in Assignment.objects.filter(submission__call=call).values_list(
        "submission_id", "reviewer_id"
    ):
        existing.setdefault(submission_id, set()).add(member_id)
        load[member_id] = load.get(member_id, 0) + 1
    eligible_for = {
        s.pk: [
            m
            for m in members
            if m.pk not in existing.get(s.pk, set()) and conflict_reason(m, s, declared) is None
        ]
        for s in submissions
    }
    need = {
        s.pk: max(0, min(call.reviews_per_submission - len(existing.get(s.pk, ())), len(eligible)))
        for s in submissions
        for eligible in [eligible_for[s.pk]]
    }
    chosen = _balanced_flow(submissions, members, eligible_for, need, load)
    plan = []
    for submission in submissions:
        for member in chosen.get(submission.pk, []):
            load[member.pk] += 1
            plan.append(
                (submission, member, _("balanced load: %(n)s assigned") % {"n": load[member.pk]})
            )
    return plan


def _balanced_flow(
    submissions: list[Submission],
    members: list[CouncilMember],
    eligible_for: dict[int, list[CouncilMember]],
    need: dict[int, int],
    load: dict[int, int],
) -> dict[int, list[CouncilMember]]:
    """The plan whose final loads lie in the narrowest band [low, low + width]: each band is a
    feasibility question for a flow with lower bounds (submission → eligible member → sink, the
    member's arc to the sink carrying between low − load and low + width − load), tried from
    the narrowest band around the mean outwards. A band of width 1 is found whenever one exists;
    a wide enough band always exists (no bound at all), so a plan is always returned."""
    from ortools.graph.python import min_cost_flow

    total = sum(need.values())
    # Members no pending initiative can have keep their load; the band is over the others,
    # and of two bands as narrow, the one that also holds the others' loads comes first.
    usable = {m.pk for s in submissions if need[s.pk] for m in eligible_for[s.pk]}
    fixed = [load.get(member.pk, 0) for member in members if member.pk not in usable]
    members = [member for member in members if member.pk in usable]
    if not total or not members:
        return {}
    index = {m.pk: i for i, m in enumerate(members)}
    n, m = len(submissions), len(members)
    current = [load.get(member.pk, 0) for member in members]
    mean = (sum(current) + total) / m
    for width in range(1, total + max(current) + 2):
        lows = range(max(0, math.ceil(mean) - width), math.floor(mean) + 1)
        for low in sorted(lows, key=lambda lo: (not all(lo <= f <= lo + width for f in fixed), lo)):
            lower = [max(0, low - c) for c in current]
            upper = [low + width - c for c in current]
            if any(u < lo for u, lo in zip(upper, lower, strict=True)) or sum(lower) > total:
                continue
            graph = min_cost_flow.SimpleMinCostFlow()
            arcs = []
            for i, submission in enumerate(submissions):
                for member in eligible_for[submission.pk] if need[submission.pk] else ():
                    # cost by member order: the same instance always gives the same plan
                    arc = graph.add_arc_with_capacity_and_unit_cost(
                        i, n + index[member.pk], 1, index[member.pk]
                    )
                    arcs.append((arc, submission.pk, member))
            sink = n + m
            for j in range(m):
                graph.add_arc_with_capacity_and_unit_cost(n + j, sink, upper[j] - lower[j], 0)
            for i, submission in enumerate(submissions):
                graph.set_node_supply(i, need[submission.pk])
            for j in range(m):
                graph.set_node_supply(n + j, -lower[j])
            graph.set_node_supply(sink, sum(lower) - total)
            if graph.solve() != graph.OPTIMAL:
                continue
            chosen: dict[int, list[CouncilMember]] = {}
            for arc, submission_id, member in arcs:
                if graph.flow(arc):
                    chosen.setdefault(submission_id, []).append(member)
            return chosen
    return {}  # not reached: the widest band bounds nothing


ASSIGNERS = {"balanced": balanced_assignment, **OPTIMAL_ASSIGNERS}


def auto_assign(actor: Any, *, call: Call, method: str = "balanced") -> list[Assignment]:
    require_secretariat(actor, call)
    if method not in ASSIGNERS:
        raise ValidationError(_("Unknown assignment method."))
    plan = ASSIGNERS[method](call)
    with transaction.atomic():
        assignments = [
            assign(
                actor, submission=s, member=m, method=method, explanation=why, notify_reviewer=False
            )
            for s, m, why in plan
        ]
        per_reviewer: dict[int, list[Assignment]] = {}
        for assignment in assignments:
            per_reviewer.setdefault(assignment.reviewer_id, []).append(assignment)
        for batch in per_reviewer.values():
            _notify_reviewer(actor, batch[0].reviewer, call, len(batch))
        return assignments
