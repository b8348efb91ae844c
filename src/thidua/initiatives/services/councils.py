"""Writes for evaluation councils, and the secretariat check every staff write uses."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import can, require
from thidua.core.text import clean_name
from thidua.initiatives.models import (
    Call,
    Council,
    CouncilMember,
)
from thidua.org.models import Unit


def create_council(
    actor: Any, *, owner_unit: Unit, name: str, members: list[dict[str, Any]]
) -> Council:
    """members: [{"user": User, "role": "chair"|..., "unit": Unit|None, "expertise": [Field]}]"""
    require(actor, "initiatives.manage", owner_unit)
    roles = [m.get("role", "member") for m in members]
    if roles.count(CouncilMember.Role.CHAIR) != 1:
        raise ValidationError(_("A council has exactly one chair."))
    if len({m["user"].pk for m in members}) != len(members):
        raise ValidationError(_("A person sits only once in a council."))
    with transaction.atomic():
        council = Council.objects.create(owner_unit=owner_unit, name=clean_name(name))
        for spec in members:
            member = CouncilMember.objects.create(
                council=council,
                user=spec["user"],
                role=spec.get("role", "member"),
                unit=spec.get("unit"),
            )
            if spec.get("expertise"):
                member.expertise.set(spec["expertise"])
        audit.record(
            actor,
            "initiatives.create_council",
            council,
            {"members": [m["user"].get_username() for m in members]},
            unit=owner_unit,
        )
    return council


def _seat(actor: Any, council: Council | None) -> CouncilMember | None:
    if council is None or not getattr(actor, "pk", None):
        return None
    return CouncilMember.objects.filter(council=council, user=actor, is_active=True).first()


def require_secretariat(actor: Any, call: Call) -> None:
    """Organising staff, or the council's chair, vice chair or secretary."""
    if can(actor, "initiatives.manage", call.owner_unit):
        return
    seat = _seat(actor, call.council)
    if seat is None or seat.role == CouncilMember.Role.MEMBER:
        raise PermissionDenied(_("Only the council's secretariat can do this."))
