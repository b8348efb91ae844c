"""Background tasks of surveys. Tasks take ids and are idempotent (at-least-once)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_tasks import task

from thidua.surveys.services import export


@task()
def build_answers_export(export_id: int, digest: str, language: str) -> str:
    """Write a survey's answers workbook for `digest`; a delivery finding it built (or wanted
    for another digest since) does nothing."""
    try:
        return export.build(export_id, digest, language)
    except Exception:
        export.fail(
            export_id,
            digest,
            _("The workbook could not be written. Open the page again to retry."),
        )
        raise
