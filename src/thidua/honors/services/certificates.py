"""Writes for certificates: issuing their serials and revoking them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.honors.batches import Status, _certificates
from thidua.honors.certificates import certificate_sheet_pdf  # noqa: F401 (for other apps)
from thidua.honors.models import (
    Certificate,
    CertificateBatch,
    Decision,
    Honour,
)
from thidua.honors.rules import certificate_hash
from thidua.honors.tasks import generate_certificates
from thidua.org.models import Unit


def _serial(unit: Unit, day: dt.date, honour: Honour) -> str:
    code = re.sub(r"[^0-9A-Za-z]", "", unit.code).upper() or "U"
    return f"{code}-{day:%Y}-{honour.pk:07d}"


def _issue_certificate(honour: Honour, conferring: Unit) -> Certificate:
    serial = _serial(conferring, honour.conferred_on, honour)
    certificate = Certificate(honour=honour, serial=serial)
    certificate.content_hash = certificate_hash(certificate)
    certificate.save()
    return certificate


def revoke_certificate(actor: Any, *, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (and its registry row) with a reason shown on verification."""
    require(actor, "unit.approve", certificate.unit)
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking it.")})
    with transaction.atomic():
        now = timezone.now()
        certificate.revoked_at = now
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_at", "revocation_reason"])
        Honour.objects.filter(pk=certificate.honour_id).update(revoked_at=now)
        audit.record(
            actor,
            "honors.revoke_certificate",
            certificate,
            {"serial": certificate.serial, "reason": reason},
            unit=certificate.unit,
        )
    return certificate


def revoke_honour(actor: Any, *, honour: Honour, reason: str) -> Honour:
    """Revoke a registry row (its certificate too, when it has one) with a reason: a revoked
    honour leaves the registry's counts and every statistical report computed afterwards."""
    certificate = Certificate.objects.filter(honour=honour).first()
    if certificate is not None:
        revoke_certificate(actor, certificate=certificate, reason=reason)
        honour.refresh_from_db()
        return honour
    require(actor, "unit.approve", honour.unit)
    if honour.revoked_at is not None:
        raise ValidationError(_("This honour is already revoked."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking it.")})
    with transaction.atomic():
        honour.revoked_at = timezone.now()
        honour.save(update_fields=["revoked_at"])
        audit.record(actor, "honors.revoke_honour", honour, {"reason": reason}, unit=honour.unit)
    return honour


def start_certificate_batch(actor: Any, *, decision: Decision) -> CertificateBatch:
    """Queue the generation of every certificate of the decision (or return the one running)."""
    require(actor, "unit.approve", decision.unit)
    with transaction.atomic():
        running = (
            CertificateBatch.objects.select_for_update()
            .filter(decision=decision, status__in=[Status.PENDING, Status.RUNNING])
            .first()
        )
        if running is not None:
            return running
        batch = CertificateBatch.objects.create(
            decision=decision,
            total=_certificates(decision).count(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(
            actor,
            "honors.start_certificate_batch",
            batch,
            {"decision": decision.number, "total": batch.total},
            unit=decision.unit,
        )
        transaction.on_commit(lambda: generate_certificates.enqueue(batch.pk))
    return batch
