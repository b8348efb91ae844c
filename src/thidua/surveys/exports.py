"""Exports: answers as XLSX (one row per answer, fixed column order, multiple choice exploded
into 0/1 columns, no household column in any mode), a per-area tally sheet, the summary PDF
and the CSV of public tallies (suppressed cells left empty)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import segno
from django.http import HttpResponse
from django.utils.translation import gettext as _

from thidua.core.excel import add_table, new_workbook, workbook_response
from thidua.surveys import selectors
from thidua.surveys.models import AreaTally, FrameArea, Question, Response, Survey
from thidua.surveys.services.posting import summary_pdf


def qr_svg(url: str) -> str:
    return segno.make(url).svg_inline(scale=3)


def answer_columns(questions: list[Question]) -> list[tuple[str, Question, str | None]]:
    """(header, question, option): one column per question, or per option of a multiple
    choice question (0/1), in the questionnaire's order, whatever the answers hold."""
    columns: list[tuple[str, Question, str | None]] = []
    for question in questions:
        if question.kind == Question.Kind.MULTIPLE:
            codes = question.option_codes() + (["other"] if question.allow_other else [])
            columns += [(f"{question.code}_{code}", question, code) for code in codes]
        else:
            columns.append((question.code, question, None))
        if question.allow_other:
            columns.append((f"{question.code}_other_text", question, ".other"))
    return columns


def answer_rows(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    questions = list(survey.questionnaire.questions.all())
    columns = answer_columns(questions)
    header = [_("No."), _("Residential area"), _("Channel"), _("Status"), _("Received on")]
    header += [name for name, _question, _option in columns]
    names = dict(FrameArea.objects.filter(survey=survey).values_list("area_id", "area__name"))
    rows: list[list[Any]] = []
    statuses = dict(Response.Status.choices)
    channels = dict(Response._meta.get_field("channel").choices)
    answers_of = Response.objects.filter(survey=survey).order_by("area__path", "id")
    for number, (area_id, channel, status, received, answers) in enumerate(
        answers_of.values_list("area_id", "channel", "status", "received_on", "answers").iterator(
            chunk_size=5000
        ),
        start=1,
    ):
        row: list[Any] = [
            number,
            names.get(area_id, ""),
            str(channels.get(channel, channel)),
            str(statuses.get(status, status)),
            received,
        ]
        for _name, question, option in columns:
            value = answers.get(question.code)
            if option == ".other":
                row.append(answers.get(f"{question.code}.other", ""))
            elif option is not None:
                row.append(1 if value and option in value else 0)
            else:
                row.append("" if value is None else value)
        rows.append(row)
    return header, rows


def answers_workbook(survey: Survey) -> HttpResponse:
    workbook = new_workbook()
    header, rows = answer_rows(survey)
    add_table(workbook, _("Answers"), header, rows)
    tallies = (
        AreaTally.objects.filter(survey=survey)
        .select_related("area", "area__parent")
        .order_by("area__path")
    )
    add_table(
        workbook,
        _("Tally by area"),
        [
            _("Residential area"),
            _("Households in frame"),
            _("Valid answers"),
            _("Duplicates"),
            _("Coverage"),
            _("Satisfied"),
            _("Answers to the pass question"),
        ],
        [
            [
                t.area.display_name,
                t.households,
                t.valid,
                t.duplicates,
                round(t.valid / t.households, 4) if t.households else None,
                t.pass_yes,
                t.pass_valid,
            ]
            for t in tallies
        ],
    )
    return workbook_response(workbook, f"khao-sat-{survey.pk}.xlsx")


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
