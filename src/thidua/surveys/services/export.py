"""The answers workbook (XLSX): one row per answer in the questionnaire's fixed column order,
multiple choice exploded into 0/1 columns, no household column in any mode, and a tally sheet
per area.

A city-wide survey holds hundreds of thousands of answers, so the workbook is written with
openpyxl's write-only mode (rows streamed to disk, memory bounded whatever the size) and, past
`SYNC_LIMIT` answers, built in the background (`tasks.build_answers_export`); it is kept
privately until the answers change: `digest` fingerprints them through the survey's tally
version (moved by every recount) and the answers' count and last id. Building is idempotent:
a task finding the file already built for its digest does nothing."""

from __future__ import annotations

import hashlib
import tempfile
from typing import Any

from django.core.files import File
from django.db import router, transaction
from django.db.models import Count, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from thidua.core import audit
from thidua.core.excel import number_format_for, safe_value
from thidua.core.policy import require
from thidua.surveys import tasks  # the task module imports this one back: attribute at call
from thidua.surveys.models import AnswersExport, AreaTally, FrameArea, Question, Response, Survey

Status = AnswersExport.Status
SYNC_LIMIT = 5000  # answers: a smaller survey's workbook is built while the reader waits


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


def answer_header(columns: list[tuple[str, Question, str | None]]) -> list[str]:
    header = [_("No."), _("Residential area"), _("Channel"), _("Status"), _("Received on")]
    return header + [name for name, _question, _option in columns]


def iter_answer_rows(survey: Survey, columns: list[tuple[str, Question, str | None]]):
    """The answers as rows, streamed from the database in chunks."""
    names = {
        frame.area_id: frame.area.display_name  # area names repeat: shown with their parent
        for frame in FrameArea.objects.filter(survey=survey).select_related("area__parent")
    }
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
            elif isinstance(value, list):
                row.append(", ".join(str(v) for v in value))
            else:
                row.append("" if value is None else value)
        yield row


def tally_rows(survey: Survey):
    tallies = (
        AreaTally.objects.filter(survey=survey)
        .select_related("area", "area__parent")
        .order_by("area__path")
    )
    for t in tallies.iterator(chunk_size=2000):
        yield [
            t.area.display_name,
            t.households,
            t.valid,
            t.duplicates,
            round(t.valid / t.households, 4) if t.households else None,
            t.pass_yes,
            t.pass_valid,
        ]


def _cells(sheet: Any, row: list[Any], *, bold: bool = False, percent: set[int] = frozenset()):
    cells = []
    for index, value in enumerate(row):
        cell = WriteOnlyCell(sheet, value=safe_value(value))
        if bold:
            cell.font = Font(bold=True)
        elif isinstance(value, str):
            cell.data_type = "s"  # never a formula
        else:
            chosen = "0.0%" if index in percent else number_format_for(value)
            if chosen and value is not None:
                cell.number_format = chosen
        cells.append(cell)
    return cells


def write_workbook(survey: Survey, target: Any) -> int:
    """Write the workbook to the open binary file `target`; returns the number of answers."""
    workbook = Workbook(write_only=True)
    questions = list(survey.questionnaire.questions.all())
    columns = answer_columns(questions)
    answers = workbook.create_sheet(_("Answers")[:31])
    answers.append(_cells(answers, answer_header(columns), bold=True))
    count = 0
    for row in iter_answer_rows(survey, columns):
        answers.append(_cells(answers, row))
        count += 1
    tallies = workbook.create_sheet(_("Tally by area")[:31])
    tallies.append(
        _cells(
            tallies,
            [
                _("Residential area"),
                _("Households in frame"),
                _("Valid answers"),
                _("Duplicates"),
                _("Coverage"),
                _("Satisfied"),
                _("Answers to the pass question"),
            ],
            bold=True,
        )
    )
    for row in tally_rows(survey):
        tallies.append(_cells(tallies, row, percent={4}))
    workbook.save(target)
    return count


def _exports():
    """The exports' bookkeeping always on the primary: the .xlsx path may read from a replica,
    which has not seen the row this request just wrote."""
    return AnswersExport.objects.db_manager(router.db_for_write(AnswersExport))


def digest(survey: Survey, language: str) -> str:
    """A fingerprint of what the workbook shows: equal digests, equal workbooks."""
    fresh = Survey.objects.filter(pk=survey.pk).values_list(
        "tally_version", "questionnaire_id", "title"
    )[0]
    answers = Response.objects.filter(survey=survey).aggregate(n=Count("id"), last=Max("id"))
    parts = [language, survey.pk, fresh, answers["n"], answers["last"]]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def export_answers(actor: Any, *, survey: Survey, language: str) -> AnswersExport:
    """The stored workbook for the answers as they are now, built at once for a small survey
    and queued in the background for a large one (or when the stored one shows older
    answers). Only the survey's managers export answers; every request is audited."""
    require(actor, "surveys.manage", survey.scope)
    current = digest(survey, language)
    with transaction.atomic():
        stored, created = (
            _exports()
            .select_for_update()
            .get_or_create(survey=survey, defaults={"digest": current})
        )
        audit.record(actor, "surveys.export_answers", survey, {}, unit=survey.scope)
        if not created and stored.digest == current and stored.status != Status.FAILED:
            return stored  # ready, or being built for exactly this
        stored.digest = current
        stored.status = Status.PENDING
        stored.error = ""
        stored.finished_at = None
        stored.save(update_fields=["digest", "status", "error", "finished_at"])
        if Response.objects.filter(survey=survey).count() > SYNC_LIMIT:
            transaction.on_commit(
                lambda: tasks.build_answers_export.enqueue(stored.pk, current, language)
            )
            return stored
    build(stored.pk, current, language)
    stored.refresh_from_db()
    return stored


def build(export_id: int, wanted: str, language: str) -> str:
    """Write and store the workbook of `export_id` if it still wants digest `wanted`."""
    stored = _exports().select_related("survey").filter(pk=export_id).first()
    if stored is None or stored.digest != wanted:
        return "stale"  # a newer request queued its own build
    if stored.status == Status.DONE and stored.file:
        return Status.DONE
    this = _exports().filter(pk=stored.pk, digest=wanted)
    this.update(status=Status.RUNNING)
    survey = stored.survey
    with tempfile.TemporaryFile() as spool, translation.override(language):
        rows = write_workbook(survey, spool)
        spool.seek(0)
        old_name = stored.file.name if stored.file else ""
        storage = stored.file.storage
        name = storage.save(f"surveys/exports/khao-sat-{survey.pk}-{wanted[:12]}.xlsx", File(spool))
    updated = this.update(status=Status.DONE, file=name, rows=rows, finished_at=timezone.now())
    if not updated:  # the answers changed while writing: this file shows the old ones
        storage.delete(name)
        return "stale"
    if old_name and old_name != name:
        storage.delete(old_name)
    return Status.DONE


def fail(export_id: int, wanted: str, message: str) -> None:
    _exports().filter(pk=export_id, digest=wanted).exclude(status=Status.DONE).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )
