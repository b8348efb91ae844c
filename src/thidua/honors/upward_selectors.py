"""Reads for proposals upward, scoped to the user's part of the tree and bounded in queries.

A proposal belongs to its proposing unit: staff of that unit and of the units above it see it
(`honors.propose_upward`); anyone else gets 404, as for a missing one. The public may check that
an outside decision honoured someone, given the decision's number and the person's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from thidua.core.policy import scope_paths
from thidua.core.text import normalise_search
from thidua.core.uploads import Served
from thidua.honors.models import (
    Honour,
    Nomination,
    OutsideAwardRule,
    OutsideBody,
    OutsideDecision,
    UpwardDocument,
    UpwardEntry,
    UpwardProposal,
)
from thidua.org.models import Unit

ACTION = "honors.propose_upward"


def visible_upward_proposals(user: Any) -> QuerySet[UpwardProposal]:
    proposals = UpwardProposal.objects.select_related(
        "unit", "unit__parent", "body", "award_type", "rule"
    )
    paths = scope_paths(user, ACTION)
    if paths is None:
        return proposals
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return proposals.filter(condition)


def get_upward_proposal_for_user(user: Any, pk: int) -> UpwardProposal:
    proposal = visible_upward_proposals(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def entries(proposal: UpwardProposal) -> list[UpwardEntry]:
    """The nominees with their nomination, unit, vote and documents added upward. Two
    queries."""
    return list(
        proposal.entries.select_related(
            "nomination", "nomination__unit__parent", "nomination__vote", "nomination__honour"
        ).prefetch_related("documents", "nomination__documents")
    )


def proposing_units(user: Any) -> list[Unit]:
    """Units where the user may prepare a proposal upward: their own units whose kind may
    propose some outside award. Two queries."""
    paths = scope_paths(user, ACTION)
    kinds = OutsideAwardRule.objects.values_list("proposing_kinds", flat=True)
    units = Unit.objects.filter(kind_id__in=kinds, valid_to__isnull=True).select_related("parent")
    if paths is not None:
        units = units.filter(path__in=paths)
    return list(units.order_by("path")[:50])


def bodies_on(day: dt.date) -> list[OutsideBody]:
    return list(
        OutsideBody.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("order", "code")
    )


def proposable_nominations(unit: Unit) -> QuerySet[Nomination]:
    """Nominations the unit's council approved for an award of a body outside the Front and that
    are in no live proposal (a proposal not approved by the body frees them)."""
    outside = OutsideAwardRule.objects.filter(award_type_id=OuterRef("award_type_id"))
    taken = UpwardEntry.objects.filter(nomination_id=OuterRef("pk")).exclude(
        proposal__status=UpwardProposal.Status.NOT_APPROVED
    )
    return (
        Nomination.objects.filter(round__owner_unit=unit, status=Nomination.Status.APPROVED)
        .filter(Exists(outside))
        .exclude(Exists(taken))
        .select_related("award_type", "unit__parent", "round")
        .order_by("award_type__order", "nominee_name", "id")
    )


def overdue_proposals(proposals: QuerySet[UpwardProposal], today: dt.date | None = None) -> int:
    day = today or timezone.localdate()
    return proposals.filter(status__in=UpwardProposal.WAITING, follow_up_due__lt=day).count()


# --- private files (served by core:file) ----------------------------------------------------


def upward_document_file_for_user(user: Any, pk: int) -> Served:
    document = UpwardDocument.objects.filter(pk=pk).first()
    if document is None:
        raise Http404
    get_upward_proposal_for_user(user, document.proposal_id)
    return Served(document.file, document.name)


def outside_decision_file_for_user(user: Any, pk: int) -> Served:
    decision = OutsideDecision.objects.filter(pk=pk).first()
    if decision is None:
        raise Http404
    get_upward_proposal_for_user(user, decision.proposal_id)
    return Served(decision.file, decision.file_name)


# --- public verification of an honour conferred by an outside decision ----------------------


@dataclass(frozen=True)
class OutsideVerification:
    """`found`: the decision honoured this person (the honour is shown, or "revoked");
    `not_found`: no honour recorded under that decision number and name."""

    status: str
    honour: Honour | None = None


def verify_outside_honour(number: str, name: str) -> OutsideVerification:
    """Both the decision's number and the honoured person's name are needed, so that the page
    never lists a decision's recipients to someone who knows only its number. One query."""
    wanted = normalise_search(number)
    needle = normalise_search(name)
    if not wanted or not needle:
        return OutsideVerification("not_found")
    # The name narrows to a few rows (indexed); the number is compared the way it was typed
    # (any case, with or without diacritics: "QĐ" or "qd").
    candidates = (
        Honour.objects.filter(search_name=needle, outside_decision__isnull=False)
        .select_related("award_type", "unit", "outside_decision", "outside_decision__body")
        .order_by("id")[:50]
    )
    honour = next(
        (h for h in candidates if normalise_search(h.outside_decision.number) == wanted), None
    )
    if honour is None:
        return OutsideVerification("not_found")
    return OutsideVerification("revoked" if honour.revoked_at else "found", honour)
