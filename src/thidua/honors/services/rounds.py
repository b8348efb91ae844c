"""Writes for commendation rounds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.actors import person_or_none
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.honors.models import (
    AwardType,
    Round,
)
from thidua.honors.rules import may_confer
from thidua.honors.upward_rules import may_propose_upward
from thidua.org.models import Unit, UnitKind
from thidua.shared.models import Council


def _clean_level_deadlines(level_deadlines: dict[str, Any] | None) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    known = set(UnitKind.objects.values_list("code", flat=True))
    for code, days in (level_deadlines or {}).items():
        if days in (None, ""):
            continue
        if code not in known:
            raise ValidationError(
                {"level_deadlines": _("Unknown level: %(code)s.") % {"code": code}}
            )
        try:
            days = int(days)
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= 365:
            raise ValidationError(
                {"level_deadlines": _("A time limit is between 1 and 365 working days.")}
            )
        cleaned[code] = days
    return cleaned


def _reserved_error(award_type: AwardType, unit: Unit) -> ValidationError:
    return ValidationError(
        _("%(award)s cannot be conferred by %(unit)s: it is reserved to another level.")
        % {"award": award_type.name, "unit": unit.name}
    )


def create_round(
    actor: Any,
    *,
    title: str,
    kind: str,
    owner_unit: Unit,
    opens_on: dt.date,
    closes_on: dt.date,
    award_types: list[AwardType],
    council: Council | None = None,
    movement: Any = None,
    deadline_days: int = 20,
    level_deadlines: dict[str, int] | None = None,
) -> Round:
    """Open a round at the organising unit, which confers its awards. Time limits are in working
    days: `deadline_days` at each level, or `level_deadlines[kind code]` where a level has its
    own."""
    require(actor, "honors.manage", owner_unit)
    level_deadlines = _clean_level_deadlines(level_deadlines)
    round_ = Round(
        title=clean_name(title),
        kind=kind,
        owner_unit=owner_unit,
        opens_on=opens_on,
        closes_on=closes_on,
        council=council,
        movement=movement,
        deadline_days=deadline_days,
        level_deadlines=level_deadlines,
        created_by=person_or_none(actor),
    )
    round_.full_clean()
    if not award_types:
        raise ValidationError({"award_types": _("Choose at least one award.")})
    for award_type in award_types:
        # An award of a body outside the Front may be offered where the unit may propose it
        # upward (the council votes; the body decides): honors.services.upward.
        if not (
            may_confer(award_type, owner_unit)
            or may_propose_upward(award_type, owner_unit, opens_on, until=closes_on)
        ):
            raise _reserved_error(award_type, owner_unit)
    if council is not None and council.owner_unit_id != owner_unit.pk:
        raise ValidationError({"council": _("The council must belong to the organising unit.")})
    with transaction.atomic():
        round_.save()
        round_.award_types.set(award_types)
        audit.record(
            actor,
            "honors.create_round",
            round_,
            {"title": round_.title, "kind": kind, "awards": [a.code for a in award_types]},
            unit=owner_unit,
        )
    return round_
