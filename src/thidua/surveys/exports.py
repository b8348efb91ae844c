"""Exports: the summary PDF and the CSV of public tallies (suppressed cells left empty). The
answers workbook is written by `services.export` (write-only, in the background when large)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import segno
from django.http import HttpResponse
from django.utils.translation import gettext as _

from thidua.surveys import selectors
from thidua.surveys.models import Survey
from thidua.surveys.services.posting import summary_pdf


def qr_svg(url: str) -> str:
    return segno.make(url).svg_inline(scale=3)


def summary_response(survey: Survey, posted_from: dt.date, posted_to: dt.date) -> HttpResponse:
    content = summary_pdf(survey, posted_from=posted_from, posted_to=posted_to, places="")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-khao-sat-{survey.pk}.pdf"'
    return response


def public_csv(survey: Survey) -> HttpResponse:
    """The public tallies as open data: unit, question, option, count, share; cells under 5
    are left empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Unit"), _("Question"), _("Option"), _("Count"), _("Share")])
    units = [survey.scope] + [row.unit for row in selectors.results(survey).rows]
    for unit in units:
        for tally in selectors.question_tallies(survey, root=unit, public=True):
            for label, value, share in tally.cells:
                writer.writerow(
                    [
                        unit.name,
                        f"{tally.question.code}. {tally.question.text}",
                        label,
                        "" if value is None else value,
                        "" if share is None else f"{share:.4f}",
                    ]
                )
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="ket-qua-khao-sat-{survey.pk}.csv"'
    return response
