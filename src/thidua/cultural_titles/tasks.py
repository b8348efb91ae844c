"""Background tasks of the cultural titles. Tasks take ids and are idempotent (at-least-once)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from thidua.cultural_titles import printing as prints


@task()
def print_certificates(print_id: int) -> str:
    """One area's certificates in one PDF. On an error the progress page says so."""
    try:
        return prints.run_print(print_id, base_url=settings.SITE_URL)
    except Exception:
        with translation.override(settings.LANGUAGE_CODE):
            prints.fail_print(
                print_id, _("The generation stopped on an unexpected error. Start it again.")
            )
        raise
