"""Writes for decisions conferring honours, and honours recorded from outside a round."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.actors import person_or_none
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.honors.models import (
    AwardKind,
    AwardType,
    Decision,
    Honour,
    Nomination,
    RecipientKind,
    Round,
)
from thidua.honors.notices import decision_obstacles
from thidua.honors.ranking import rank_for_quota
from thidua.honors.rules import Action, S, base_salary_on, may_confer, recipient_key
from thidua.honors.services.certificates import _issue_certificate
from thidua.honors.services.nominations import _event
from thidua.honors.services.rounds import _reserved_error
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search


def issue_decision(
    actor: Any,
    *,
    round: Round,
    number: str,
    signed_on: dt.date,
    signer: str,
    nominations: list[Nomination],
) -> Decision:
    """Confer the awards the council approved: one registry row and one certificate each."""
    conferring = round.owner_unit
    require(actor, "unit.approve", conferring)
    number = (number or "").strip()
    decision = Decision(
        unit=conferring,
        round=round,
        number=number,
        signed_on=signed_on,
        signer=(signer or "").strip(),
        created_by=person_or_none(actor),
    )
    decision.full_clean(validate_constraints=False)
    if Decision.objects.filter(unit=conferring, number=number).exists():
        raise ValidationError(
            {"number": _("Decision number %(number)s is already used.") % {"number": number}}
        )
    if not nominations:
        raise ValidationError(_("Choose at least one approved nomination."))
    for nomination in nominations:
        if nomination.round_id != round.pk or nomination.status != S.APPROVED:
            raise ValidationError(
                _("%(nominee)s has not been approved by the council in this round.")
                % {"nominee": nomination.nominee_name}
            )
        if not may_confer(nomination.award_type, conferring):
            raise _reserved_error(nomination.award_type, conferring)

    obstacles = decision_obstacles(nominations, signed_on=signed_on)
    for award_type in {n.award_type_id: n.award_type for n in nominations}.values():
        chosen = {n.pk for n in nominations if n.award_type_id == award_type.pk}
        obstacles += rank_for_quota(round, award_type).refusals(chosen)
    if obstacles:
        raise ValidationError(obstacles)
    base = base_salary_on(signed_on)
    if base is None:
        raise ValidationError(_("No base salary is in force on this date."))
    try:
        with transaction.atomic():
            decision.base_salary = base
            decision.save()
            total = Decimal(0)
            for nomination in nominations:
                cash = (nomination.award_type.cash_coefficient * base).quantize(Decimal(1))
                total += cash
                honour = Honour.objects.create(
                    recipient_kind=nomination.nominee_kind,
                    recipient_name=nomination.nominee_name,
                    search_name=nomination.search_name,
                    recipient_key=recipient_key(
                        nomination.nominee_name, nomination.birth_year, nomination.unit_id
                    ),
                    birth_year=nomination.birth_year,
                    unit=nomination.unit,
                    unit_path=nomination.unit.path,
                    award_type=nomination.award_type,
                    kind=_honour_kind(nomination.award_type, round),
                    decision=decision,
                    nomination=nomination,
                    conferred_on=signed_on,
                    gender=nomination.gender,
                    is_direct_worker=nomination.is_direct_worker,
                    is_ethnic_minority=nomination.is_ethnic_minority,
                    age_band=nomination.age_band,
                    cash=cash,
                )
                _issue_certificate(honour, conferring)
                nomination.status = S.CONFERRED
                nomination.save(update_fields=["status"])
                _event(nomination, Action.CONFERRED, actor, conferring, number)
            decision.total_cash = total
            decision.save(update_fields=["total_cash"])
            audit.record(
                actor,
                "honors.issue_decision",
                decision,
                {
                    "number": number,
                    "recipients": [n.pk for n in nominations],
                    "base_salary": base,
                    "total_cash": total,
                },
                unit=conferring,
            )
    except IntegrityError as error:  # a concurrent decision took the number
        raise ValidationError(
            {"number": _("Decision number %(number)s is already used.") % {"number": number}}
        ) from error
    return decision


def _honour_kind(award_type: AwardType, round: Round | None) -> str:
    if award_type.kind != AwardKind.MERIT or round is None:
        return award_type.kind
    return round.honour_kind


def record_honour(
    actor: Any,
    *,
    award_type: AwardType,
    recipient_name: str,
    unit: Unit,
    conferred_on: dt.date,
    recipient_kind: str = RecipientKind.PERSON,
    kind: str | None = None,
    birth_year: int | None = None,
    gender: str = "",
    is_direct_worker: bool = False,
    is_ethnic_minority: bool = False,
    age_band: str = "",
    position_band: str = "",
    is_enterprise: bool = False,
) -> Honour:
    """Enter a past honour (conferred before the platform, or elsewhere) into the registry."""
    require(actor, "unit.approve", unit)
    if position_band == "direct_worker":
        is_direct_worker = True
    honour = Honour(
        recipient_kind=recipient_kind,
        recipient_name=clean_name(recipient_name),
        search_name=normalise_search(clean_name(recipient_name)),
        recipient_key=recipient_key(clean_name(recipient_name), birth_year, unit.pk),
        birth_year=birth_year,
        unit=unit,
        unit_path=unit.path,
        award_type=award_type,
        kind=kind or award_type.kind,
        conferred_on=conferred_on,
        gender=gender,
        is_direct_worker=is_direct_worker,
        is_ethnic_minority=is_ethnic_minority,
        age_band=age_band,
        position_band=position_band,
        is_enterprise=is_enterprise,
    )
    honour.full_clean(exclude=["search_name", "recipient_key", "unit_path"])
    with transaction.atomic():
        honour.save()
        audit.record(actor, "honors.record_honour", honour, {"award": award_type.code}, unit=unit)
    return honour


def set_statistics_fields(
    actor: Any,
    *,
    honour: Honour,
    position_band: str | None = None,
    is_enterprise: bool | None = None,
) -> Honour:
    """Correct what the statistical forms read of an honour: the individual's position band (a
    direct worker's band is "direct_worker", and that band makes a direct worker) or whether a
    collective is an enterprise. Audited with the old and new values."""
    require(actor, "unit.approve", honour.unit)
    old = {"position_band": honour.position_band, "is_enterprise": honour.is_enterprise}
    if position_band is not None:
        honour.position_band = position_band
        honour.is_direct_worker = position_band == "direct_worker"
    if is_enterprise is not None:
        honour.is_enterprise = is_enterprise
    honour.full_clean(exclude=["search_name", "recipient_key", "unit_path"])
    new = {"position_band": honour.position_band, "is_enterprise": honour.is_enterprise}
    with transaction.atomic():
        honour.save(update_fields=["position_band", "is_direct_worker", "is_enterprise"])
        audit.record(
            actor, "honors.set_statistics", honour, {"old": old, "new": new}, unit=honour.unit
        )
    return honour
