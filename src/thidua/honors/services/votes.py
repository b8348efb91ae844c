"""Writes for the council's vote on nominations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit, votes
from thidua.honors.models import (
    Ballot,
    Nomination,
    Vote,
)
from thidua.honors.rules import (
    Action,
    S,
    _check_transition,
    council_seat,
    is_secretariat,
    rule_in_force,
)
from thidua.honors.services.nominations import _event
from thidua.shared.models import CouncilMember


def _open_vote(nomination: Nomination) -> Vote:
    rule = rule_in_force(nomination.award_type, nomination.nominated_on)
    vote, _created = Vote.objects.get_or_create(
        nomination=nomination,
        defaults={
            "council": nomination.round.council,
            "secret": bool(rule and rule.secret_ballot),
        },
    )
    return vote


def cast_vote(
    actor: Any,
    *,
    nomination: Nomination,
    choice: str,
    member: CouncilMember | None = None,
    written: bool = False,
) -> Ballot:
    """A member votes for themself; the secretariat records an absent member's written opinion.
    Each member counts once. In a secret ballot only the tally learns the choice."""
    _check_transition(nomination, "vote")
    council = nomination.round.council
    if council is None:
        raise ValidationError(_("This round has no council."))
    if choice not in Ballot.Choice.values:
        raise ValidationError({"choice": _("Unknown choice.")})
    if written:
        if not is_secretariat(actor, nomination.round):
            raise PermissionDenied(_("Only the council's secretariat can do this."))
        if member is None or member.council_id != council.pk or not member.is_active:
            raise ValidationError(_("Choose a member of this council."))
    else:
        member = council_seat(actor, council)
        if member is None:
            raise PermissionDenied(_("Only a member of the council can vote."))
    try:
        with transaction.atomic():
            vote = _open_vote(nomination)
            if vote.closed_at is not None:
                raise ValidationError(_("The vote is closed."))
            ballot = Ballot.objects.create(
                vote=vote, member=member, written=written, choice="" if vote.secret else choice
            )
            Vote.objects.filter(pk=vote.pk).update(**{choice: F(choice) + 1})
            audit.record(
                actor,
                "honors.vote",
                nomination,
                {
                    "written": written,
                    "member": member.user.get_username(),
                    **({} if vote.secret else {"choice": choice}),
                },
                unit=nomination.unit,
            )
    except IntegrityError as error:
        raise ValidationError(_("This member has already voted on this nomination.")) from error
    return ballot


def close_vote(actor: Any, *, nomination: Nomination) -> Vote:
    """Count the yes votes against the rule's share of ALL active members."""
    if not is_secretariat(actor, nomination.round):
        raise PermissionDenied(_("Only the council's secretariat can do this."))
    _check_transition(nomination, "vote")
    rule = rule_in_force(nomination.award_type, nomination.nominated_on)
    if rule is None:
        raise ValidationError(_("No rule is in force for this nomination."))
    with transaction.atomic():
        vote = _open_vote(nomination)
        vote = Vote.objects.select_for_update().get(pk=vote.pk)
        vote.members = CouncilMember.objects.filter(council=vote.council, is_active=True).count()
        vote.needed = votes.required_yes(rule.vote_share, rule.strictly_more, vote.members)
        vote.passed = vote.yes >= vote.needed
        vote.closed_at = timezone.now()
        vote.save()
        nomination.status = S.APPROVED if vote.passed else S.NOT_APPROVED
        nomination.level_due_on = None
        nomination.save(update_fields=["status", "level_due_on"])
        tally = {"yes": vote.yes, "no": vote.no, "abstain": vote.abstain}
        _event(
            nomination,
            Action.VOTED,
            actor,
            nomination.current_unit,
            _("%(yes)s yes of %(members)s members; %(needed)s needed.")
            % {"yes": vote.yes, "members": vote.members, "needed": vote.needed},
        )
        audit.record(
            actor,
            "honors.close_vote",
            nomination,
            {**tally, "members": vote.members, "needed": vote.needed, "passed": vote.passed},
            unit=nomination.unit,
        )
    return vote
