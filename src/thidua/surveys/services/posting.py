"""Public posting of results: a window of N days, a frozen PDF and its SHA-256. A correction is
a new posting (with a reason) that supersedes the previous one; the previous stays visible."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.pdf import render_pdf
from thidua.core.policy import require
from thidua.surveys import selectors
from thidua.surveys.models import Posting, Survey


def summary_html(survey: Survey, *, posted_from: dt.date, posted_to: dt.date, places: str) -> str:
    return render_to_string(
        "surveys/summary_pdf.html",
        {
            "survey": survey,
            "results": selectors.results(survey),
            "areas": selectors.area_rows(survey, survey.scope),
            "tallies": selectors.question_tallies(survey, public=True),
            "posted_from": posted_from,
            "posted_to": posted_to,
            "places": places,
        },
    )


def summary_pdf(survey: Survey, **window: Any) -> bytes:

    return render_pdf(summary_html(survey, **window))


def post_results(
    actor: Any,
    *,
    survey: Survey,
    posted_from: dt.date | None = None,
    days: int | None = None,
    places: str = "",
    reason: str = "",
) -> Posting:
    """Post the tallied results; posting again is a correction and needs a reason."""
    require(actor, "surveys.manage", survey.scope)
    posted_from = posted_from or timezone.localdate()
    days = days or survey.posting_days
    if days < 1 or days > 90:
        raise ValidationError({"days": _("A posting lasts from 1 to 90 days.")})
    posted_to = posted_from + dt.timedelta(days=days - 1)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status not in (Survey.Status.TALLIED, Survey.Status.POSTED):
            raise ValidationError(_("Only tallied results can be posted."))
        previous = survey.postings.order_by("-number").first()
        if previous is not None and not reason.strip():
            raise ValidationError({"reason": _("A correction needs its reason.")})
        content = summary_pdf(survey, posted_from=posted_from, posted_to=posted_to, places=places)
        posting = Posting(
            survey=survey,
            number=(previous.number + 1) if previous else 1,
            posted_from=posted_from,
            posted_to=posted_to,
            places=places.strip(),
            sha256=hashlib.sha256(content).hexdigest(),
            supersedes=previous,
            reason=reason.strip(),
        )
        posting.pdf.save(
            f"ket-qua-khao-sat-{survey.pk}-{posting.number}.pdf", ContentFile(content), save=False
        )
        posting.save()
        survey.status = Survey.Status.POSTED
        survey.save(update_fields=["status"])
        audit.record(
            actor,
            "surveys.post_results",
            survey,
            {"posting": posting.number, "sha256": posting.sha256, "reason": posting.reason},
            unit=survey.unit,
        )
    return posting
