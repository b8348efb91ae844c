"""Every certificate of a decision as PDF, generated in the background with its progress.

Rules enforced here:
- only a leader of the conferring unit starts a batch; while one runs for a decision, starting
  again returns it rather than a second one;
- generation is idempotent (tasks are delivered at least once): a certificate whose PDF is
  stored is not rendered again, so a retried or repeated batch only does what is missing, and
  a finished batch is left as it is;
- revoked certificates are not printed; the batch ends with one ZIP of all the PDFs;
- the work is split into chunks (CERTIFICATE_CHUNK_SIZE certificates, one background task
  each) that several workers share; whichever finishes the last chunk assembles the ZIP.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

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


def run_batch(
    batch_id: int,
    *,
    base_url: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> str:
    """The whole batch in this process: render each missing PDF, then the ZIP."""
    batch = CertificateBatch.objects.select_related("decision").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    if batch.status in (Status.DONE, Status.FAILED):
        return batch.status
    certificates = list(_certificates(batch.decision))
    _mark_running(batch, certificates)
    render_missing(batch, certificates, base_url=base_url, on_progress=on_progress)
    return finish_if_complete(batch_id)


def dispatch_batch(batch_id: int, *, enqueue_chunk: Callable[[int, list[int]], Any]) -> str:
    """Split what is missing into chunks of CERTIFICATE_CHUNK_SIZE, one background task each,
    so several workers share the batch; the last chunk to finish assembles the ZIP. Delivered
    twice, it queues only what is still missing (a chunk rendered twice stores one PDF)."""
    batch = CertificateBatch.objects.select_related("decision").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    if batch.status in (Status.DONE, Status.FAILED):
        return batch.status
    certificates = list(_certificates(batch.decision))
    _mark_running(batch, certificates)
    missing = [c.pk for c in certificates if not c.pdf]
    if not missing:
        return finish_if_complete(batch_id)
    size = max(1, settings.CERTIFICATE_CHUNK_SIZE)
    for start in range(0, len(missing), size):
        enqueue_chunk(batch_id, missing[start : start + size])
    return CertificateBatch.objects.filter(pk=batch_id).values_list("status", flat=True).get()


def run_chunk(batch_id: int, certificate_ids: list[int], *, base_url: str | None = None) -> str:
    """Render the missing PDFs among these certificates of the batch, then finish the batch if
    nothing is missing any more."""
    batch = CertificateBatch.objects.select_related("decision").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    if batch.status in (Status.DONE, Status.FAILED):
        return batch.status
    certificates = list(_certificates(batch.decision).filter(pk__in=certificate_ids))
    render_missing(batch, certificates, base_url=base_url)
    return finish_if_complete(batch_id)


def _mark_running(batch: CertificateBatch, certificates: list[Certificate]) -> None:
    CertificateBatch.objects.filter(
        pk=batch.pk, status__in=[Status.PENDING, Status.RUNNING]
    ).update(
        status=Status.RUNNING,
        total=len(certificates),
        processed=sum(1 for c in certificates if c.pdf),
    )


def _record_progress(batch: CertificateBatch) -> int:
    """The batch's progress is what is stored, whichever worker stored it."""
    done = _certificates(batch.decision).exclude(pdf="").count()
    CertificateBatch.objects.filter(pk=batch.pk, status=Status.RUNNING).update(processed=done)
    return done


def render_missing(
    batch: CertificateBatch,
    certificates: list[Certificate],
    *,
    base_url: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    rendered = 0
    for certificate in certificates:
        if certificate.pdf:
            continue
        content = certificate_pdf(certificate, base_url=base_url)
        certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(content), save=False)
        # Only a certificate still without a PDF takes this one (a duplicate delivery racing
        # this one leaves the first file in place, and its own file is removed).
        taken = Certificate.objects.filter(pk=certificate.pk, pdf="").update(
            pdf=certificate.pdf.name
        )
        if not taken:
            certificate.pdf.storage.delete(certificate.pdf.name)
        rendered += 1
        if rendered % PROGRESS_EVERY == 0:
            done = _record_progress(batch)
            if on_progress is not None:
                on_progress(done, batch.total or len(certificates))
    if rendered:
        done = _record_progress(batch)
        if on_progress is not None:
            on_progress(done, done)


def finish_if_complete(batch_id: int) -> str:
    """One ZIP once every certificate has its PDF. Two workers finishing together may both build
    it: the first to record it wins and the other removes its copy, so the batch has one ZIP."""
    batch = CertificateBatch.objects.select_related("decision").get(pk=batch_id)
    if batch.status in (Status.DONE, Status.FAILED):
        return batch.status
    certificates = list(_certificates(batch.decision))
    if any(not c.pdf for c in certificates):
        return batch.status
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as bundle:
        for certificate in certificates:
            with certificate.pdf.open("rb") as file:
                bundle.writestr(f"{certificate.serial}.pdf", file.read())
    number = "".join(ch if ch.isalnum() else "-" for ch in batch.decision.number)
    batch.archive.save(f"decision-{number}.zip", ContentFile(archive.getvalue()), save=False)
    recorded = CertificateBatch.objects.filter(
        pk=batch.pk, status__in=[Status.PENDING, Status.RUNNING]
    ).update(
        status=Status.DONE,
        total=len(certificates),
        processed=len(certificates),
        archive=batch.archive.name,
        finished_at=timezone.now(),
    )
    if not recorded:
        batch.archive.storage.delete(batch.archive.name)
        return CertificateBatch.objects.filter(pk=batch_id).values_list("status", flat=True).get()
    return Status.DONE


def fail_batch(batch_id: int, message: str) -> None:
    CertificateBatch.objects.filter(
        pk=batch_id, status__in=[Status.PENDING, Status.RUNNING]
    ).update(status=Status.FAILED, error=message, finished_at=timezone.now())
