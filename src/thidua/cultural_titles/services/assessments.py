"""The family assessment of one residential area: the Excel template pre-filled from the register,
the upload that replaces the area's draft, and the meeting's details.

Rules enforced here:
- the upload is all-or-nothing: every bad row is named with its column (unknown household code,
  a household twice, a mandatory criterion unanswered, a result missing or unreadable);
- a "no" on a mandatory criterion cannot be "eligible" without a reason for the exception;
- a correct upload replaces the area's whole draft in one transaction; uploading the same file
  again changes nothing;
- only a draft (before posting) is replaced: after posting, a result changes only through a
  comment's resolution (which reissues the list).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from thidua.core import audit, filelimits
from thidua.core.excel import add_table, new_workbook
from thidua.core.pdf import render_pdf
from thidua.core.policy import require
from thidua.cultural_titles.models import AreaAssessment, HouseholdAssessment
from thidua.org.selectors import normalise_search
from thidua.org.services.households import households_of

YES = {"x", "c", "co", "y", "yes", "1", "d", "dat", "true", "ya"}
NO = {"k", "khong", "n", "no", "0", "false", "khong dat", "tidak"}
ELIGIBLE = {"dat", "d", "x", "y", "yes", "1", "eligible", "ya"}
NOT_ELIGIBLE = {"khong dat", "k", "khong", "n", "no", "0", "not eligible", "tidak"}
FIXED_BEFORE = 4  # No., code, head, address


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class AssessmentRejected(ValidationError):
    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__([str(p) for p in problems])


def header(assessment: AreaAssessment) -> list[str]:
    criteria = assessment.round.criteria.mandatory
    return [
        _("No."),
        _("Household code"),
        _("Head of household"),
        _("Address"),
        *[f"{item['code']}. {item['label']}" for item in criteria],
        _("Result (Đạt / Không đạt)"),
        _("Reason"),
        _("Reason for the exception"),
    ]


def template(assessment: AreaAssessment):
    """The area's workbook: one row per household of the register, criteria to answer."""
    rows = []
    existing = {h.household_id: h for h in assessment.households.all()}
    criteria = assessment.round.criteria.mandatory
    for number, household in enumerate(households_of(assessment.area), start=1):
        done = existing.get(household.pk)
        answers = [
            ("x" if done.answers.get(item["code"]) else "k") if done else "" for item in criteria
        ]
        result = ("Đạt" if done.eligible else "Không đạt") if done else ""
        rows.append(
            [
                number,
                household.code,
                household.head_name,
                household.address,
                *answers,
                result,
                done.reason if done else "",
                done.override_reason if done else "",
            ]
        )
    workbook = new_workbook()
    add_table(workbook, str(assessment.area.name), header(assessment), rows)
    return workbook


def _read(content: bytes) -> list[tuple[Any, ...]]:
    try:
        data = filelimits.read_bytes(content)
        filelimits.check_xlsx_rows(filelimits.open_xlsx(data))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except filelimits.FileRefused as refusal:
        raise AssessmentRejected([RowProblem(0, "-", refusal.message)]) from None
    except Exception:
        raise AssessmentRejected([RowProblem(0, "-", str(filelimits.damaged()))]) from None
    try:
        return list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def parse(assessment: AreaAssessment, content: bytes) -> list[dict[str, Any]]:
    """Every row checked against the register and the criteria; raises with all problems."""
    labels = header(assessment)
    criteria = assessment.round.criteria.mandatory
    result_at = FIXED_BEFORE + len(criteria)
    lines = _read(content)
    if not lines or len([c for c in lines[0] if c is not None]) != len(labels):
        # a file of another template: its columns would be misread
        raise AssessmentRejected(
            [RowProblem(1, "-", _("This is not the template of this area: download it again."))]
        )
    register = {h.code: h for h in households_of(assessment.area)}
    problems: list[RowProblem] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}

    def column(index: int) -> str:
        return f"{get_column_letter(index + 1)} ({labels[index]})"

    for number, raw in enumerate(lines[1:], start=2):
        cells = [_text(c) for c in raw] + [""] * (len(labels) - len(raw))
        if not any(cells[1:]):
            continue
        code = cells[1]
        household = register.get(code)
        if household is None:
            problems.append(
                RowProblem(
                    number,
                    column(1),
                    _("No household with code “%(code)s” in this area.") % {"code": code},
                )
            )
        elif code in seen:
            problems.append(
                RowProblem(
                    number,
                    column(1),
                    _("Household %(code)s is already on row %(row)s.")
                    % {"code": code, "row": seen[code]},
                )
            )
        else:
            seen[code] = number
        answers: dict[str, bool] = {}
        for offset, item in enumerate(criteria):
            value = normalise_search(cells[FIXED_BEFORE + offset])
            if value in YES:
                answers[item["code"]] = True
            elif value in NO:
                answers[item["code"]] = False
            else:
                problems.append(
                    RowProblem(
                        number,
                        column(FIXED_BEFORE + offset),
                        _("Answer this mandatory criterion with x (yes) or k (no).")
                        if not value
                        else _("“%(value)s” is neither x (yes) nor k (no).")
                        % {"value": cells[FIXED_BEFORE + offset]},
                    )
                )
        result = normalise_search(cells[result_at])
        eligible = None
        if result in ELIGIBLE:
            eligible = True
        elif result in NOT_ELIGIBLE:
            eligible = False
        else:
            problems.append(RowProblem(number, column(result_at), _("Write Đạt or Không đạt.")))
        reason, override = cells[result_at + 1][:300], cells[result_at + 2][:300]
        failed = [code_ for code_, yes in answers.items() if not yes]
        if eligible and failed and not override:
            problems.append(
                RowProblem(
                    number,
                    column(result_at + 2),
                    _(
                        "Criterion %(criteria)s is answered no: the household is eligible only "
                        "with a reason for the exception."
                    )
                    % {"criteria": ", ".join(failed)},
                )
            )
        if household is not None and code in seen and seen[code] == number:
            rows.append(
                {
                    "household": household,
                    "answers": answers,
                    "eligible": bool(eligible),
                    "reason": reason,
                    "override": override if eligible and failed else "",
                }
            )
    if problems:
        raise AssessmentRejected(problems)
    if not rows:
        raise AssessmentRejected([RowProblem(0, "-", _("The file assesses no household."))])
    return rows


def upload_assessment(actor: Any, *, assessment: AreaAssessment, content: bytes) -> int:
    """Replace the area's draft with the uploaded file (all rows or none). Returns the number of
    households assessed; the same file again writes nothing."""
    require(actor, "cultural_titles.manage", assessment.area)
    if assessment.status != AreaAssessment.Status.DRAFT:
        raise ValidationError(
            _("The list is already posted: a result now changes through a comment's resolution.")
        )
    digest = hashlib.sha256(content).hexdigest()
    if digest == assessment.upload_hash:
        return assessment.assessed
    rows = parse(assessment, content)
    _replace_draft(actor, assessment, rows, digest=digest, verb="cultural_titles.upload_assessment")
    assessment.refresh_from_db()
    return assessment.assessed


def _replace_draft(
    actor: Any, assessment: AreaAssessment, rows: list[dict[str, Any]], *, digest: str, verb: str
) -> None:
    """The area's draft becomes exactly these rows, in one transaction."""
    with transaction.atomic():
        locked = AreaAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status != AreaAssessment.Status.DRAFT:
            raise ValidationError(_("The list was posted meanwhile."))
        locked.households.all().delete()
        HouseholdAssessment.objects.bulk_create(
            [
                HouseholdAssessment(
                    assessment=locked,
                    household=row["household"],
                    code=row["household"].code,
                    head_name=row["household"].head_name,
                    address=row["household"].address,
                    answers=row["answers"],
                    eligible=row["eligible"],
                    reason=row["reason"],
                    override_reason=row["override"],
                )
                for row in rows
            ],
            batch_size=1000,
        )
        locked.assessed = len(rows)
        locked.eligible = sum(1 for row in rows if row["eligible"])
        locked.upload_hash = digest
        locked.save(update_fields=["assessed", "eligible", "upload_hash", "updated_at"])
        audit.record(
            actor,
            verb,
            locked,
            {"assessed": locked.assessed, "eligible": locked.eligible, "file": digest},
        )


@dataclass(frozen=True)
class GridRow:
    """One household's line of the keyboard grid: its answers (criterion code → yes/no), its
    result (None: not assessed yet, left out of the list), the reasons."""

    household_id: int
    answers: dict[str, bool]
    eligible: bool | None
    reason: str = ""
    override: str = ""


def grid(assessment: AreaAssessment) -> list[dict[str, Any]]:
    """The grid's lines: every active household of the area's register, with its draft answers."""
    existing = {h.household_id: h for h in assessment.households.all()}
    lines = []
    for household in households_of(assessment.area):
        done = existing.get(household.pk)
        lines.append(
            {
                "household": household,
                "answers": done.answers if done else {},
                "eligible": done.eligible if done else None,
                "reason": done.reason if done else "",
                "override": done.override_reason if done else "",
            }
        )
    return lines


def assess_grid(actor: Any, *, assessment: AreaAssessment, rows: list[GridRow]) -> int:
    """Save the keyboard grid: the same rules as the upload (all lines or none, a "no" on a
    mandatory criterion eligible only with a reason for the exception), the area's draft
    replaced by the lines that have a result. Returns the number of households assessed."""
    require(actor, "cultural_titles.manage", assessment.area)
    if assessment.status != AreaAssessment.Status.DRAFT:
        raise ValidationError(
            _("The list is already posted: a result now changes through a comment's resolution.")
        )
    register = {h.pk: h for h in households_of(assessment.area)}
    criteria = [item["code"] for item in assessment.round.criteria.mandatory]
    problems: list[RowProblem] = []
    parsed: list[dict[str, Any]] = []
    seen: set[int] = set()
    for number, row in enumerate(rows, start=1):
        household = register.get(row.household_id)
        if household is not None and household.pk in seen:
            problems.append(RowProblem(number, household.code, _("This household is twice.")))
            continue
        seen.add(row.household_id)
        if household is None:
            problems.append(
                RowProblem(number, "-", _("This household is not in the area's register."))
            )
            continue
        if row.eligible is None:
            continue
        answers = {code: bool(row.answers.get(code)) for code in criteria}
        failed = [code for code, yes in answers.items() if not yes]
        override = (row.override or "").strip()[:300]
        if row.eligible and failed and not override:
            problems.append(
                RowProblem(
                    number,
                    household.code,
                    _(
                        "Criterion %(criteria)s is answered no: the household is eligible only "
                        "with a reason for the exception."
                    )
                    % {"criteria": ", ".join(failed)},
                )
            )
        parsed.append(
            {
                "household": household,
                "answers": answers,
                "eligible": row.eligible,
                "reason": (row.reason or "").strip()[:300],
                "override": override if row.eligible and failed else "",
            }
        )
    if problems:
        raise AssessmentRejected(problems)
    if not parsed:
        raise AssessmentRejected([RowProblem(0, "-", _("The grid assesses no household."))])
    _replace_draft(actor, assessment, parsed, digest="", verb="cultural_titles.assess_grid")
    assessment.refresh_from_db()
    return assessment.assessed


def record_meeting(
    actor: Any,
    *,
    assessment: AreaAssessment,
    meeting_on: dt.date,
    chair: str,
    co_chair: str,
    attendees: int | None = None,
) -> AreaAssessment:
    """The assessment meeting (Form 03): chaired by the area's head with the head of the Front
    Work Committee."""
    require(actor, "cultural_titles.manage", assessment.area)
    errors = {}
    if not (chair or "").strip():
        errors["chair"] = _("Name the head of the area who chaired the meeting.")
    if not (co_chair or "").strip():
        errors["co_chair"] = _("Name the head of the Front Work Committee.")
    if meeting_on.year != assessment.round.year:
        errors["meeting_on"] = _("The meeting must be held in the round's year.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessment.meeting_on = meeting_on
        assessment.chair = chair.strip()[:200]
        assessment.co_chair = co_chair.strip()[:200]
        assessment.attendees = attendees
        assessment.save(
            update_fields=["meeting_on", "chair", "co_chair", "attendees", "updated_at"]
        )
        audit.record(actor, "cultural_titles.record_meeting", assessment, {"on": meeting_on})
    return assessment


def minutes_pdf(assessment: AreaAssessment) -> bytes:
    """The meeting's minutes (Form 03 of Decree 86/2023) with every household's result."""

    if assessment.meeting_on is None or not assessment.assessed:
        raise ValidationError(_("Record the meeting and upload the assessed list first."))
    html = render_to_string(
        "cultural_titles/form03.html",
        {
            "assessment": assessment,
            "rows": assessment.households.order_by("code"),
            "share": assessment.share,
            "not_eligible": assessment.assessed - assessment.eligible,
        },
    )
    return render_pdf(html)
