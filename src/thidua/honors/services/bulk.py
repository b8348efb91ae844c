"""Titles conferred in bulk by one decision (Decree 86/2023: thousands of cultural families of a
commune, its cultural residential areas): one registry row and one certificate each, written with
bulk inserts in one transaction.

Rules enforced here: a leader of the conferring unit decides (`unit.approve`); the award may be
conferred by that unit's kind; the decision number is unused; a base salary is in force on the
decision date, and each recipient's cash reward is the award's coefficient × that salary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.honors.models import AwardType, Certificate, Decision, Honour, RecipientKind
from thidua.honors.rules import base_salary_on, certificate_hash, may_confer, recipient_key
from thidua.honors.services.rounds import _reserved_error
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search


@dataclass(frozen=True)
class BulkRecipient:
    name: str
    unit: Unit  # the residential area the title belongs to (in the tree of that year)


def issue_bulk_decision(
    actor: Any,
    *,
    unit: Unit,
    award_code: str,
    number: str,
    signed_on: dt.date,
    signer: str,
    recipients: list[BulkRecipient],
    recipient_kind: str = RecipientKind.HOUSEHOLD,
) -> Decision:
    """One decision of `unit` conferring the award on every recipient, with certificates."""
    require(actor, "unit.approve", unit)
    award_type = AwardType.objects.filter(code=award_code).first()
    if award_type is None:
        raise ValidationError(_("This award is not in the catalogue."))
    if not may_confer(award_type, unit):
        raise _reserved_error(award_type, unit)
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": _("Give the decision number.")})
    if Decision.objects.filter(unit=unit, number=number).exists():
        raise ValidationError(
            {"number": _("Decision number %(number)s is already used.") % {"number": number}}
        )
    if not recipients:
        raise ValidationError(_("The decision names nobody."))
    base = base_salary_on(signed_on)
    if base is None:
        raise ValidationError(_("No base salary is in force on this date."))
    cash = (award_type.cash_coefficient * base).quantize(Decimal(1))
    with transaction.atomic():
        decision = Decision.objects.create(
            unit=unit,
            number=number,
            signed_on=signed_on,
            signer=(signer or "").strip()[:200],
            base_salary=base,
            total_cash=cash * len(recipients),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        honours = []
        for recipient in recipients:
            name = clean_name(recipient.name)
            honours.append(
                Honour(
                    recipient_kind=recipient_kind,
                    recipient_name=name,
                    search_name=normalise_search(name),
                    recipient_key=recipient_key(name, None, recipient.unit.pk),
                    unit=recipient.unit,
                    unit_path=recipient.unit.path,
                    award_type=award_type,
                    kind=award_type.kind,
                    decision=decision,
                    conferred_on=signed_on,
                    cash=cash,
                )
            )
        Honour.objects.bulk_create(honours, batch_size=1000)
        code = "".join(ch for ch in unit.code if ch.isalnum()).upper() or "U"
        certificates = []
        for honour in honours:
            certificate = Certificate(
                honour=honour, serial=f"{code}-{signed_on:%Y}-{honour.pk:07d}"
            )
            certificate.content_hash = certificate_hash(certificate)
            certificates.append(certificate)
        Certificate.objects.bulk_create(certificates, batch_size=1000)
        audit.record(
            actor,
            "honors.issue_bulk_decision",
            decision,
            {
                "number": number,
                "award": award_code,
                "recipients": len(recipients),
                "base_salary": base,
                "total_cash": decision.total_cash,
            },
            unit=unit,
        )
    return decision
