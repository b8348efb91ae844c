"""Background tasks of initiatives. Tasks take ids and are idempotent (at-least-once)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from thidua.initiatives import minutes


@task()
def build_minutes(minutes_id: int, digest: str) -> str:
    """Generate a meeting's minutes PDF for `digest`; a delivery finding it built (or wanted
    for another digest since) does nothing."""
    try:
        return minutes.build(minutes_id, digest)
    except Exception:
        minutes.fail(
            minutes_id,
            digest,
            _("The minutes could not be generated. Open the page again to retry."),
        )
        raise
