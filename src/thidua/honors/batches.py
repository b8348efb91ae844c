"""Every certificate of a decision as PDF, generated in the background with its progress.

Rules enforced here:
- only a leader of the conferring unit starts a batch; while one runs for a decision, starting
  again returns it rather than a second one;
- generation is idempotent (tasks are delivered at least once): a certificate whose PDF is
  stored is not rendered again, so a retried or repeated batch only does what is missing, and
  a finished batch is left as it is;
- revoked certificates are not printed; the batch ends with one ZIP of all the PDFs.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from thidua.core import audit
from thidua.core.policy import require
from thidua.honors.certificates import certificate_pdf
from thidua.honors.models import Certificate, CertificateBatch, Decision

Status = CertificateBatch.Status
PROGRESS_EVERY = 10


def _certificates(decision: Decision):
    return (
        Certificate.objects.filter(honour__decision=decision, revoked_at__isnull=True)
        .select_related("honour__award_type", "honour__unit", "honour__decision__unit")
        .order_by("id")
    )


def start_certificate_batch(actor: Any, *, decision: Decision) -> CertificateBatch:
    """Queue the generation of every certificate of the decision (or return the one running)."""
    from thidua.honors.tasks import generate_certificates

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


def run_batch(
    batch_id: int,
    *,
    base_url: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> str:
    """Render and store each missing PDF, then the ZIP; record progress as it goes."""
    batch = CertificateBatch.objects.select_related("decision").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    if batch.status in (Status.DONE, Status.FAILED):
        return batch.status
    this_batch = CertificateBatch.objects.filter(pk=batch.pk)
    certificates = list(_certificates(batch.decision))
    total = len(certificates)
    done = sum(1 for c in certificates if c.pdf)
    this_batch.update(status=Status.RUNNING, total=total, processed=done)
    for certificate in certificates:
        if certificate.pdf:
            continue
        content = certificate_pdf(certificate, base_url=base_url)
        certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(content), save=False)
        # Only a certificate still without a PDF takes this one (a duplicate delivery racing
        # this one leaves the first file in place).
        Certificate.objects.filter(pk=certificate.pk, pdf="").update(pdf=certificate.pdf.name)
        done += 1
        if done % PROGRESS_EVERY == 0 or done == total:
            this_batch.update(processed=done)
            if on_progress is not None:
                on_progress(done, total)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as bundle:
        for certificate in Certificate.objects.filter(pk__in=[c.pk for c in certificates]).order_by(
            "id"
        ):
            with certificate.pdf.open("rb") as file:
                bundle.writestr(f"{certificate.serial}.pdf", file.read())
    number = "".join(ch if ch.isalnum() else "-" for ch in batch.decision.number)
    batch.archive.save(f"decision-{number}.zip", ContentFile(archive.getvalue()), save=False)
    this_batch.update(
        status=Status.DONE,
        processed=total,
        archive=batch.archive.name,
        finished_at=timezone.now(),
    )
    return Status.DONE


def fail_batch(batch_id: int, message: str) -> None:
    CertificateBatch.objects.filter(
        pk=batch_id, status__in=[Status.PENDING, Status.RUNNING]
    ).update(status=Status.FAILED, error=message, finished_at=timezone.now())
