"""Helpers shared by the clusters' services: the acting person, the chain of an organising unit,
the people to tell."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from thidua.accounts.selectors import deciders
from thidua.clusters.models import REVIEW_STEPS, ReviewChain, Step
from thidua.core.notifications import notify_all
from thidua.core.work import unit_label

# Who acts at each state of a sheet (on the organising unit; the member unit for SELF_ASSESSING).
STEP_ACTION = {
    Step.SELF_ASSESSING: "clusters.self_assess",
    Step.SUBMITTED: "clusters.manage",
    Step.PEER_SCORING: "clusters.manage",
    Step.SPECIALIST_REVIEW: "clusters.manage",
    Step.BOARD_REVIEW: "clusters.approve",
    Step.COUNCIL_REVIEW: "clusters.council",
    Step.STANDING_REVIEW: "clusters.approve",
}


def person(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def chain_steps(owner_unit: Any) -> tuple[list[str], bool]:
    """The review steps of an organising unit and whether it runs peer scoring: its own chain,
    or Đồng Nai's (specialist → board → council → standing board) without peer scoring."""
    chain = ReviewChain.objects.filter(owner_unit=owner_unit).first()
    if chain is None or not chain.steps:
        return list(REVIEW_STEPS), bool(chain and chain.peer_scoring)
    return [s for s in chain.steps if s in REVIEW_STEPS], chain.peer_scoring


def chain_allows_peers(owner_unit_id: int) -> bool:
    """May the unit's reviews run peer scoring: yes without a chain of its own (a review then
    decides by its peer count), otherwise as its chain says."""
    chain = ReviewChain.objects.filter(owner_unit_id=owner_unit_id).first()
    return chain is None or chain.peer_scoring


def runs_peer_scoring(review: Any) -> bool:
    """A review runs peer scoring when it sets how many peers each member scores and its
    organising unit's chain, if one is set, runs peer scoring."""
    return bool(review.peer_count) and chain_allows_peers(review.cluster.owner_unit_id)


def sequence(owner_unit: Any, *, peer_scoring: bool | None = None) -> list[str]:
    """Every state a sheet goes through, in order."""
    steps, peers = chain_steps(owner_unit)
    if peer_scoring is not None:
        peers = peer_scoring
    return [
        Step.SELF_ASSESSING,
        Step.SUBMITTED,
        *([Step.PEER_SCORING] if peers else []),
        *steps,
        Step.PUBLISHED,
        Step.NOMINATED,
    ]


def tell(actor: Any, unit: Any, action: str, *, template: str, context: dict, link: str) -> None:
    """Notify the people who hold `action` at `unit` (or the nearest level above where someone
    does), never the person who acted."""
    _target, users = deciders(unit, action=action)
    notify_all(
        users,
        template=template,
        context={**context, "link": link, "site_url": settings.SITE_URL},
        link=link,
        actor=actor,
    )


def label(unit: Any) -> str:
    return unit_label(unit)


def final_state_error() -> str:
    return _("The review is published: its scores can no longer change.")
