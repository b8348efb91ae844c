"""Writes for accounts: role grants and the two-factor policy."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import RoleGrant, TwoFactorPolicy, User
from thidua.core import audit
from thidua.core.notifications import notify
from thidua.core.policy import require
from thidua.core.roles import Role
from thidua.org.models import Unit


def grant_role(
    actor: User,
    *,
    user: User,
    role: str,
    unit: Unit,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> RoleGrant:
    """Give `user` a role over `unit`'s subtree. Only an administrator over that unit may do it,
    and only on a unit that is in force; the user is told by email in their own language."""
    require(actor, "accounts.grant_role", unit)
    grant = RoleGrant(
        user=user,
        role=role,
        unit=unit,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
        granted_by=actor,
    )
    grant.full_clean()
    if unit.valid_to is not None and grant.valid_from > unit.valid_to:
        raise ValidationError(
            {"unit": _("%(unit)s was closed on %(date)s.") % {"unit": unit, "date": unit.valid_to}}
        )
    with transaction.atomic():
        grant.save()
        audit.record(
            actor,
            "accounts.grant_role",
            grant,
            {
                "user": user.get_username(),
                "role": role,
                "valid_from": grant.valid_from,
                "valid_to": grant.valid_to,
            },
            unit=unit,
        )
        notify(
            user,
            template="accounts/email/role_granted",
            context={
                "role": role,
                "unit_name": unit.display_name,
                "valid_from": str(grant.valid_from),
            },
        )
    return grant


def end_grant(actor: User, *, grant: RoleGrant, last_day: dt.date | None = None) -> RoleGrant:
    """End a grant on `last_day` (default: yesterday, so it no longer applies today)."""
    require(actor, "accounts.grant_role", grant.unit)
    day = last_day or (timezone.localdate() - dt.timedelta(days=1))
    if day < grant.valid_from:
        raise ValidationError(
            {
                "valid_to": _("A grant cannot end before it starts (%(date)s).")
                % {"date": grant.valid_from}
            }
        )
    with transaction.atomic():
        grant.valid_to = day
        grant.save(update_fields=["valid_to"])
        audit.record(actor, "accounts.end_grant", grant, {"valid_to": day}, unit=grant.unit)
    return grant


def set_two_factor_policy(actor: User, *, role: str, required: bool) -> TwoFactorPolicy:
    """Require (or stop requiring) two-factor authentication for everyone holding `role`."""
    require(actor, "accounts.manage_two_factor_policy")
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    with transaction.atomic():
        policy, _created = TwoFactorPolicy.objects.update_or_create(
            role=role, defaults={"required": required}
        )
        audit.record(actor, "accounts.set_two_factor_policy", policy, {"required": required})
    return policy
