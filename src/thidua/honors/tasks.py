"""Background tasks of commendation. Tasks take ids and are idempotent (at-least-once)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from thidua.honors import batches
from thidua.honors.models import CertificateBatch


@task()
def generate_certificates(batch_id: int) -> str:
    """Generate the certificates of a batch. Delivered twice, or retried after a worker died,
    it renders only what is missing; a finished batch is left alone."""
    try:
        return batches.run_batch(batch_id, base_url=settings.SITE_URL)
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
