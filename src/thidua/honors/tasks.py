"""Background tasks of commendation. Tasks take ids and are idempotent (at-least-once)."""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from thidua.honors import batches
from thidua.honors.models import CertificateBatch


@task()
def generate_certificates(batch_id: int) -> str:
    """Queue the certificates of a batch in chunks that several workers share. Delivered twice,
    or run again after a worker died, it queues only what is missing; a finished batch is left
    alone."""
    with _failing_the_batch(batch_id):
        return batches.dispatch_batch(
            batch_id,
            enqueue_chunk=lambda batch, ids: generate_certificate_chunk.enqueue(batch, ids),
        )


@task()
def generate_certificate_chunk(batch_id: int, certificate_ids: list[int]) -> str:
    """Render the missing PDFs of these certificates; the last chunk assembles the ZIP."""
    with _failing_the_batch(batch_id):
        return batches.run_chunk(batch_id, certificate_ids, base_url=settings.SITE_URL)


@contextlib.contextmanager
def _failing_the_batch(batch_id: int):
    try:
        yield
    except Exception:
        # Say so on the progress page rather than leave it waiting; the PDFs already stored
        # are kept, so starting again continues where this stopped.
        creator = (
            CertificateBatch.objects.filter(pk=batch_id)
            .values_list("created_by__language", flat=True)
            .first()
        )
        with translation.override(creator or settings.LANGUAGE_CODE):
            batches.fail_batch(
                batch_id,
                _(
                    "The generation stopped on an unexpected error. Start it again: the "
                    "certificates already generated are kept."
                ),
            )
        raise
