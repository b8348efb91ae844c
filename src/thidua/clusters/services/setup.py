"""Writes that set a cluster up: the cluster, its members, its chain, its yearly term (head and
deputy by rotation or election) and its pledge.

Rules:
- a cluster is run by the emulation council of its organising unit (`clusters.manage` there);
- a member unit sits below the organising unit, once at a time; it leaves on a date, never
  deleted, so the history stays;
- the head rotates yearly in the stored order: the next year's proposal is the unit after this
  year's head; a recorded election may choose any member instead, with its record;
- the chain's steps are the review steps in order (Đồng Nai's four by default); it changes only
  while no sheet of the unit's unpublished reviews is past its submission.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thidua.clusters.models import (
    REVIEW_STEPS,
    Cluster,
    Membership,
    Pledge,
    PledgeTarget,
    ReviewChain,
    Term,
)
from thidua.clusters.selectors import sheets_in_review
from thidua.clusters.services.common import chain_steps
from thidua.core import audit
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.org.models import Unit


def create_cluster(
    actor: Any,
    *,
    owner_unit: Unit,
    name: str,
    kind: str = Cluster.Kind.CLUSTER,
    min_members: int = 5,
    note: str = "",
) -> Cluster:
    """Create a cluster or block organised by `owner_unit`."""
    require(actor, "clusters.manage", owner_unit)
    cluster = Cluster(
        owner_unit=owner_unit,
        name=clean_name(name),
        kind=kind,
        min_members=min_members,
        note=note.strip(),
    )
    cluster.full_clean()
    with transaction.atomic():
        cluster.save()
        audit.record(actor, "clusters.create_cluster", cluster, {"name": cluster.name})
    return cluster


def add_members(
    actor: Any, *, cluster: Cluster, units: list[Unit], joined_on: dt.date
) -> list[Membership]:
    """Add units below the organising unit as members from a date."""
    require(actor, "clusters.manage", cluster.owner_unit)
    current = set(
        cluster.memberships.filter(left_on__isnull=True).values_list("unit_id", flat=True)
    )
    added = []
    with transaction.atomic():
        for unit in units:
            if not unit.is_within(cluster.owner_unit) or unit == cluster.owner_unit:
                raise ValidationError(
                    _("%(unit)s is not below the organising unit.") % {"unit": unit.name}
                )
            if unit.pk in current:
                continue
            added.append(Membership.objects.create(cluster=cluster, unit=unit, joined_on=joined_on))
            current.add(unit.pk)
        if added:
            audit.record(
                actor,
                "clusters.add_members",
                cluster,
                {"units": [u.unit.name for u in added], "from": joined_on.isoformat()},
            )
    return added


def end_membership(actor: Any, *, membership: Membership, left_on: dt.date) -> Membership:
    require(actor, "clusters.manage", membership.cluster.owner_unit)
    if left_on < membership.joined_on:
        raise ValidationError(_("A member cannot leave before it joined."))
    with transaction.atomic():
        membership.left_on = left_on
        membership.save(update_fields=["left_on"])
        audit.record(
            actor,
            "clusters.end_membership",
            membership.cluster,
            {"unit": membership.unit.name, "until": left_on.isoformat()},
        )
    return membership


def configure_chain(
    actor: Any, *, owner_unit: Unit, steps: list[str], peer_scoring: bool = False
) -> ReviewChain:
    """Set the review steps an organising unit runs and whether its reviews run peer scoring.

    The steps run in the order of REVIEW_STEPS whatever order they are given in (each step's
    score overrides the step before). A change is refused while a sheet of the unit's unpublished
    reviews is past its submission: that sheet would find its step gone or the next step moved.
    The sheets still self-assessing follow the new chain once submitted."""
    require(actor, "clusters.manage", owner_unit)
    if not steps:
        raise ValidationError({"steps": _("Choose at least one review step.")}, code="empty")
    unknown = [str(s) for s in steps if s not in REVIEW_STEPS]
    if unknown:
        raise ValidationError(
            {"steps": _("Unknown review step: %(steps)s.") % {"steps": ", ".join(unknown)}},
            code="unknown_step",
        )
    if len(set(steps)) != len(steps):
        raise ValidationError({"steps": _("Choose each review step once.")}, code="repeated")
    order = [str(s) for s in REVIEW_STEPS if s in steps]
    current, current_peers = chain_steps(owner_unit)
    changed = current != order or current_peers != peer_scoring
    if changed:
        waiting = sheets_in_review(owner_unit).count()
        if waiting:
            raise ValidationError(
                ngettext(
                    "%(n)s score sheet of this unit's reviews is in review (submitted, not yet "
                    "published): the chain can change once it is published or returned to its "
                    "member.",
                    "%(n)s score sheets of this unit's reviews are in review (submitted, not yet "
                    "published): the chain can change once they are published or returned to "
                    "their members.",
                    waiting,
                )
                % {"n": waiting},
                code="sheets_in_review",
            )
    with transaction.atomic():
        chain, _created = ReviewChain.objects.update_or_create(
            owner_unit=owner_unit, defaults={"steps": order, "peer_scoring": peer_scoring}
        )
        audit.record(
            actor,
            "clusters.configure_chain",
            chain,
            {"steps": order, "peer_scoring": peer_scoring, "before": current},
            unit=owner_unit,
        )
    return chain


def _member_ids(cluster: Cluster) -> set[int]:
    return set(cluster.memberships.filter(left_on__isnull=True).values_list("unit_id", flat=True))


def open_term(
    actor: Any,
    *,
    cluster: Cluster,
    year: int,
    head: Unit | None = None,
    deputy: Unit | None = None,
    rotation_order: list[Unit] | None = None,
) -> Term:
    """Open the cluster's year. Without a head, the rotation proposes one: the unit after last
    year's head in last year's order."""
    require(actor, "clusters.manage", cluster.owner_unit)
    members = _member_ids(cluster)
    previous = cluster.terms.filter(year=year - 1).first()
    order = [u.pk for u in rotation_order] if rotation_order else []
    if not order and previous is not None:
        order = list(previous.rotation_order)
    if head is None:
        proposed = proposed_head(previous, order)
        if proposed is None:
            raise ValidationError({"head": _("Choose the head unit.")})
        head = Unit.objects.get(pk=proposed)
    for unit in (head, deputy):
        if unit is not None and unit.pk not in members:
            raise ValidationError(_("%(unit)s is not a member.") % {"unit": unit.name})
    if deputy is not None and deputy == head:
        raise ValidationError({"deputy": _("The deputy must differ from the head.")})
    term = Term(cluster=cluster, year=year, head=head, deputy=deputy, rotation_order=order)
    term.full_clean()
    with transaction.atomic():
        term.save()
        audit.record(
            actor, "clusters.open_term", cluster, {"year": year, "head": head.name}, unit=None
        )
    return term


def proposed_head(previous: Term | None, order: list[int]) -> int | None:
    """The unit after the previous head in the rotation order (the first when there was none)."""
    if not order:
        return None
    if previous is None or previous.head_id not in order:
        return order[0]
    return order[(order.index(previous.head_id) + 1) % len(order)]


def record_election(
    actor: Any,
    *,
    term: Term,
    head: Unit,
    elected_on: dt.date,
    note: str,
    deputy: Unit | None = None,
    votes_for: int | None = None,
    voters: int | None = None,
) -> Term:
    """The members' election overrides the rotation's proposal; its record is kept."""
    require(actor, "clusters.manage", term.cluster.owner_unit)
    if not note.strip():
        raise ValidationError({"note": _("Write the election record.")})
    members = _member_ids(term.cluster)
    if head.pk not in members or (deputy is not None and deputy.pk not in members):
        raise ValidationError(_("Only a member can be elected."))
    if votes_for is not None and voters is not None and votes_for > voters:
        raise ValidationError({"votes_for": _("More votes for than voters.")})
    old = term.head.name
    with transaction.atomic():
        term.head = head
        if deputy is not None:
            term.deputy = deputy
        term.source = Term.Source.ELECTION
        term.elected_on = elected_on
        term.election_note = note.strip()
        term.votes_for = votes_for
        term.voters = voters
        term.save()
        audit.record(
            actor,
            "clusters.record_election",
            term.cluster,
            {"year": term.year, "proposed": old, "elected": head.name},
        )
    return term


def record_pledge(
    actor: Any,
    *,
    cluster: Cluster,
    year: int,
    title: str,
    content: str = "",
    signed_on: dt.date | None = None,
) -> Pledge:
    """Record (or update, while its year's review is not published) the year's pledge."""
    require(actor, "clusters.manage", cluster.owner_unit)
    pledge = Pledge.objects.filter(cluster=cluster, year=year).first() or Pledge(
        cluster=cluster, year=year
    )
    pledge.title = clean_name(title)
    pledge.content = content.strip()
    pledge.signed_on = signed_on
    pledge.full_clean()
    with transaction.atomic():
        pledge.save()
        audit.record(actor, "clusters.record_pledge", cluster, {"year": year})
    return pledge


def add_pledge_target(
    actor: Any,
    *,
    pledge: Pledge,
    unit: Unit,
    description: str,
    value: Decimal | None = None,
    measure: str = "",
) -> PledgeTarget:
    """A member's pledged target, in the pledge's annex."""
    require(actor, "clusters.manage", pledge.cluster.owner_unit)
    if unit.pk not in _member_ids(pledge.cluster):
        raise ValidationError(_("%(unit)s is not a member.") % {"unit": unit.name})
    target = PledgeTarget(
        pledge=pledge, unit=unit, description=description.strip(), value=value, measure=measure
    )
    target.full_clean()
    with transaction.atomic():
        target.save()
        audit.record(
            actor,
            "clusters.add_pledge_target",
            pledge.cluster,
            {"year": pledge.year, "unit": unit.name},
        )
    return target
