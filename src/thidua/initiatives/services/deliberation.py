"""Writes for the council's deliberation: meetings, votes, tallies and the final decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thidua.core import audit, votes
from thidua.initiatives.models import (
    AwardLevel,
    Call,
    CouncilMember,
    Decision,
    Meeting,
    Submission,
    Vote,
)
from thidua.initiatives.services._common import S
from thidua.initiatives.services.councils import _seat, require_secretariat
from thidua.initiatives.services.submission import _event, _notify_applicant


def record_meeting(
    actor: Any, *, call: Call, held_on: dt.date, present: list[CouncilMember], notes: str = ""
) -> Meeting:
    require_secretariat(actor, call)
    members = set(
        CouncilMember.objects.filter(council=call.council, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if any(m.pk not in members for m in present):
        raise ValidationError(_("Only members of the council can be present."))
    with transaction.atomic():
        meeting = Meeting.objects.create(call=call, held_on=held_on, notes=notes)
        meeting.present.set(present)
        audit.record(
            actor,
            "initiatives.record_meeting",
            meeting,
            {"present": len(present), "members": len(members)},
            unit=call.owner_unit,
        )
    return meeting


def quorum(meeting: Meeting) -> tuple[int, int, bool]:
    """(present, all members, quorum met)"""
    total = CouncilMember.objects.filter(council=meeting.call.council, is_active=True).count()
    present = meeting.present.count()
    needed = votes.quorum_needed(meeting.call.quorum_share, total)
    return present, total, present >= needed


def required_yes(call: Call, total_members: int) -> int:
    return votes.required_yes(call.recognition_share, call.strictly_more, total_members)


def cast_vote(
    actor: Any,
    *,
    meeting: Meeting,
    submission: Submission,
    choice: str,
    member: CouncilMember | None = None,
    written: bool = False,
) -> Vote:
    """A present member votes for themself; the secretariat records an absent member's written
    opinion. Each member counts once per submission and meeting."""
    call = meeting.call
    if submission.call_id != call.pk or submission.status not in (S.UNDER_REVIEW, S.DELIBERATED):
        raise ValidationError(_("This initiative is not on the council's agenda."))
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": _("Unknown choice.")})
    if written:
        require_secretariat(actor, call)
        if member is not None and (member.council_id != call.council_id or not member.is_active):
            raise ValidationError(_("This person is not a member of this council."))
        if member is None or meeting.present.filter(pk=member.pk).exists():
            raise ValidationError(_("A written opinion is for a member who is absent."))
    else:
        member = _seat(actor, call.council)
        if member is None or not meeting.present.filter(pk=member.pk).exists():
            raise PermissionDenied(_("Only a member present at the meeting can vote."))
    if not quorum(meeting)[2]:
        raise ValidationError(_("The meeting has no quorum; votes cannot be taken."))
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                meeting=meeting,
                submission=submission,
                member=member,
                choice=choice,
                written=written,
            )
            audit.record(
                actor,
                "initiatives.vote",
                submission,
                {
                    "meeting": meeting.pk,
                    "written": written,
                    **(
                        {}
                        if call.secret_ballot
                        else {"member": member.user.get_username(), "choice": choice}
                    ),
                },
                unit=submission.unit,
            )
    except IntegrityError as error:
        raise ValidationError(_("This member has already voted on this initiative.")) from error
    return vote


def tally(meeting: Meeting, submission: Submission) -> dict[str, Any]:
    """The rule evaluated in the open: yes votes against the share of ALL members."""
    counts = {c: 0 for c in Vote.Choice.values}
    for choice in Vote.objects.filter(meeting=meeting, submission=submission).values_list(
        "choice", flat=True
    ):
        counts[choice] += 1
    present, total, has_quorum = quorum(meeting)
    needed = required_yes(meeting.call, total)
    return {
        **counts,
        "members": total,
        "present": present,
        "quorum": has_quorum,
        "needed": needed,
        "recognised": has_quorum and counts["yes"] >= needed,
    }


def finalise_decision(
    actor: Any,
    *,
    call: Call,
    number: str,
    decided_on: dt.date,
    meeting: Meeting,
    awards: dict[int, AwardLevel | None] | None = None,
) -> Decision:
    """The chair signs the numbered decision: the submissions the vote recognised are
    recognised (with their award level); the others under review are not."""
    seat = _seat(actor, call.council)
    if seat is None or seat.role != CouncilMember.Role.CHAIR:
        raise PermissionDenied(_("Only the council's chair finalises the decision."))
    if not number.strip():
        raise ValidationError({"number": _("Give the decision number.")})
    if meeting.call_id != call.pk:
        raise ValidationError(_("This meeting belongs to another call."))
    if Decision.objects.filter(call=call).exists():
        raise ValidationError(_("This call already has its decision."))
    awards = awards or {}
    levels = {level.pk for level in call.award_levels.all()}
    if any(level is not None and level.pk not in levels for level in awards.values()):
        raise ValidationError(_("Unknown award level."))
    with transaction.atomic():
        decision = Decision.objects.create(
            call=call, number=number.strip(), decided_on=decided_on, signer=actor
        )
        recognised = []
        for submission in Submission.objects.select_for_update().filter(
            call=call, status__in=[S.UNDER_REVIEW, S.DELIBERATED]
        ):
            result = tally(meeting, submission)
            submission.status = S.RECOGNISED if result["recognised"] else S.NOT_RECOGNISED
            submission.award_level = awards.get(submission.pk) if result["recognised"] else None
            submission.save(update_fields=["status", "award_level"])
            _event(submission, actor, decision.number)
            _notify_applicant(submission, "status", decision=decision.number)
            if result["recognised"]:
                recognised.append(submission.number)
        call.status = Call.Status.DECIDED
        call.save(update_fields=["status"])
        audit.record(
            actor,
            "initiatives.finalise_decision",
            call,
            {"number": decision.number, "recognised": recognised, "decided_on": decided_on},
            unit=call.owner_unit,
        )
    return decision
