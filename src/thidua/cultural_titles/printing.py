"""Rendering one area's certificates into one PDF (run by the background task)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.cultural_titles.models import CertificatePrint
from thidua.honors import selectors as honors_selectors
from thidua.honors import services as honors

Status = CertificatePrint.Status


def run_print(print_id: int, *, base_url: str | None = None) -> str:
    """Render the area's certificates into one PDF and store it with its SHA-256."""
    job = CertificatePrint.objects.select_related("title_decision", "assessment").get(pk=print_id)
    if job.status in (Status.DONE, Status.FAILED):
        return job.status
    certificates = honors_selectors.printable_certificates(
        job.title_decision.decision_id, unit_id=job.assessment.area_id
    )
    CertificatePrint.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, total=len(certificates), processed=0
    )
    if not certificates:
        fail_print(print_id, _("No certificate to print for this area."))
        return Status.FAILED

    def progress(done: int, total: int) -> None:
        CertificatePrint.objects.filter(pk=job.pk).update(processed=done, total=total)

    content = honors.certificate_sheet_pdf(
        certificates, layout=job.layout, base_url=base_url, on_progress=progress
    )
    pages = len(certificates) if job.layout == "a4" else (len(certificates) + 1) // 2
    name = f"{job.assessment.area.code}-{job.layout}.pdf"
    job.pdf.save(name, ContentFile(content), save=False)
    done = CertificatePrint.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.DONE,
        pdf=job.pdf.name,
        sha256=hashlib.sha256(content).hexdigest(),
        pages=pages,
        processed=len(certificates),
        finished_at=timezone.now(),
    )
    if not done:  # a duplicate delivery finished first: keep its file
        job.pdf.storage.delete(job.pdf.name)
    return Status.DONE


def fail_print(print_id: int, message: str) -> None:
    CertificatePrint.objects.filter(
        pk=print_id, status__in=[Status.PENDING, Status.RUNNING]
    ).update(status=Status.FAILED, error=message, finished_at=timezone.now())
