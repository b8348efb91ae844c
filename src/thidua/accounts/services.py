"""Writes for accounts: role grants and the two-factor policy."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def two_factor_device(user: User, *, key: str) -> TOTPDevice:
    """The unconfirmed authenticator being set up with `key` (the secret the setup page showed),
    created when the user first sends a code — never by opening the page. A device of an
    earlier, abandoned setup with another key is replaced."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False, key=key).first()
        if device is None:
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            device = TOTPDevice.objects.create(user=user, name="default", key=key, confirmed=False)
    return device


def confirm_two_factor(user: User, *, device: TOTPDevice) -> TOTPDevice:
    """Turn on two-factor authentication with a device whose code was just verified."""
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        audit.record(user, "accounts.enable_two_factor", user)
    return device


def set_notification_emails(actor: User, *, user: User, choice: str) -> User:
    """How a person gets notification e-mails: one each, or one daily digest. Only the person
    themself chooses; an unknown choice is refused and nothing is written."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only change your own preferences."))
    if choice not in User.NotificationEmails.values:
        raise ValidationError({"notification_emails": _("Choose one of the offered options.")})
    with transaction.atomic():
        user.notification_emails = choice
        user.save(update_fields=["notification_emails"])
        audit.record(actor, "accounts.set_notification_emails", user, {"choice": choice})
    return user
