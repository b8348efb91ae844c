"""Answers: paper forms keyed in batches by the residential committee, and web answers.

Rules enforced here:
- answers are checked against the frozen questionnaire: no unknown question, no answer to a
  question its condition hides, only the question's options, required questions answered;
- a batch is all-or-nothing: any bad form refuses the whole batch, each form named;
- every form carries a client-generated id: a re-sent batch (or form) adds nothing again;
- in household mode a household code from the slip keys the answer; a code of another area is
  refused; a second answer with the same code is kept but marked duplicate, and audited;
- in anonymous mode nothing but the area is stored (a code sent anyway is dropped);
- paper entries are taken while fielding and, late, while closed; web answers only while
  fielding; nothing after tallying (an audited reopening comes first).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.org.models import Unit
from thidua.surveys.models import Batch, FrameArea, HouseholdSlip, Question, Response, Survey
from thidua.surveys.services.codes import slip_key
from thidua.surveys.services.tallies import recount_areas

MAX_TEXT = 1000
MAX_FORMS = 20_000
OTHER = "other"


def visible(question: Question, cleaned: dict[str, Any]) -> bool:
    condition = question.condition
    if not condition:
        return True
    given = cleaned.get(condition["question"])
    wanted = set(condition.get("in") or [])
    if isinstance(given, list):
        return bool(wanted & set(given))
    return given in wanted


def clean_answers(questions: list[Question], answers: Any) -> dict[str, Any]:
    """The answers of one form, checked against the questions; raises a list of messages."""
    if not isinstance(answers, dict):
        raise ValidationError(_("The answers are not readable."))
    errors: list[str] = []
    by_code = {q.code: q for q in questions}
    known = set(by_code) | {f"{code}.other" for code in by_code}
    for key in answers:
        if key not in known:
            errors.append(_("There is no question %(code)s.") % {"code": key})
    cleaned: dict[str, Any] = {}
    for question in questions:
        code = question.code
        raw = answers.get(code)
        empty = raw in (None, "", [])
        if not visible(question, cleaned):
            if not empty:
                errors.append(
                    _("Question %(code)s is not asked after the answer to %(other)s.")
                    % {"code": code, "other": question.condition["question"]}
                )
            continue
        if empty:
            if question.required:
                errors.append(_("Question %(code)s must be answered.") % {"code": code})
            continue
        allowed = set(question.option_codes()) | ({OTHER} if question.allow_other else set())
        if question.kind in (Question.Kind.SINGLE, Question.Kind.LIKERT):
            value = str(raw)
            if value not in allowed:
                errors.append(
                    _("Question %(code)s has no option “%(value)s”.")
                    % {"code": code, "value": value[:40]}
                )
                continue
            cleaned[code] = value
        elif question.kind == Question.Kind.MULTIPLE:
            values = raw if isinstance(raw, list) else [raw]
            values = list(dict.fromkeys(str(v) for v in values))
            wrong = [v for v in values if v not in allowed]
            if wrong:
                errors.append(
                    _("Question %(code)s has no option “%(value)s”.")
                    % {"code": code, "value": wrong[0][:40]}
                )
                continue
            cleaned[code] = values
        elif question.kind == Question.Kind.NUMBER:
            try:
                number = Decimal(str(raw).replace(",", "."))
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite() or number < 0 or number > 10**9:
                errors.append(_("Question %(code)s needs a number.") % {"code": code})
                continue
            cleaned[code] = str(number.normalize())
        else:
            text = str(raw).strip()
            if len(text) > MAX_TEXT:
                errors.append(
                    _("The answer to %(code)s is longer than %(n)s characters.")
                    % {"code": code, "n": MAX_TEXT}
                )
                continue
            cleaned[code] = text
        if OTHER in (
            cleaned.get(code) if isinstance(cleaned.get(code), list) else [cleaned.get(code)]
        ):
            cleaned[f"{code}.other"] = str(answers.get(f"{code}.other", "")).strip()[:MAX_TEXT]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _uuid(raw: Any, label: str) -> uuid.UUID:
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except (TypeError, ValueError, AttributeError) as error:
        raise ValidationError(_("%(what)s has no valid identifier.") % {"what": label}) from error


def _frame_area(survey: Survey, area: Unit) -> FrameArea:
    frame = FrameArea.objects.filter(survey=survey, area=area).first()
    if frame is None or not frame.selected:
        raise ValidationError(
            _("%(area)s is not among this survey's residential areas.") % {"area": area}
        )
    return frame


def _check_open(survey: Survey, *, web: bool) -> None:
    allowed = (Survey.Status.FIELDING,) if web else (Survey.Status.FIELDING, Survey.Status.CLOSED)
    if survey.status not in allowed:
        raise ValidationError(
            _("The survey is %(status)s: it takes no more answers.")
            % {"status": survey.get_status_display()}
        )


def key_batch(
    actor: Any,
    *,
    survey: Survey,
    area: Unit,
    client_id: Any,
    forms: list[dict[str, Any]],
    channel: str = Batch.Channel.PAPER,
    meeting_on: dt.date | None = None,
    attendance: int | None = None,
) -> Batch:
    """Key a batch of paper (or meeting) forms for one area, all or nothing, idempotently."""
    require(actor, "surveys.enter_answers", area)
    batch_id = _uuid(client_id, _("The batch"))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        existing = Batch.objects.filter(survey=survey, client_id=batch_id).first()
        if existing is not None:
            if existing.area_id != area.pk:
                raise ValidationError(_("This batch was sent for another residential area."))
            return existing  # a replay: nothing again
        _check_open(survey, web=False)
        _frame_area(survey, area)
        if not forms:
            raise ValidationError(_("The batch holds no form."))
        if len(forms) > MAX_FORMS:
            raise ValidationError(_("A batch holds at most %(n)s forms.") % {"n": MAX_FORMS})
        if channel not in Batch.Channel.values or channel == Batch.Channel.WEB:
            raise ValidationError({"channel": _("Choose paper forms or an area meeting.")})
        if attendance is not None and attendance < 0:
            raise ValidationError({"attendance": _("Attendance cannot be negative.")})
        questions = list(survey.questionnaire.questions.all())
        household = survey.mode == Survey.Mode.HOUSEHOLD
        errors: list[str] = []
        rows: list[Response] = []
        ids: list[uuid.UUID] = []
        for number, form in enumerate(forms, start=1):
            try:
                form_id = _uuid(form.get("client_id"), _("Form %(n)s") % {"n": number})
                cleaned = clean_answers(questions, form.get("answers"))
                key = None
                if household:
                    key = _household_key(survey, area, form.get("household_code", ""))
                ids.append(form_id)
                rows.append(
                    Response(
                        survey=survey,
                        area=area,
                        client_id=form_id,
                        household_key=key,
                        channel=channel,
                        answers=cleaned,
                        status=Response.Status.SPOILED
                        if form.get("spoiled")
                        else Response.Status.VALID,
                        received_on=timezone.localdate(),
                    )
                )
            except ValidationError as error:
                errors.extend(
                    _("Form %(n)s: %(message)s") % {"n": number, "message": message}
                    for message in error.messages
                )
        if errors:
            raise ValidationError(errors)
        if len(set(ids)) != len(ids):
            raise ValidationError(_("Two forms of the batch carry the same identifier."))
        batch = Batch.objects.create(
            survey=survey,
            area=area,
            client_id=batch_id,
            channel=channel,
            meeting_on=meeting_on,
            attendance=attendance,
            keyed_by=actor if getattr(actor, "pk", None) else None,
        )
        sent = set(
            Response.objects.filter(survey=survey, client_id__in=ids).values_list(
                "client_id", flat=True
            )
        )
        rows = [row for row in rows if row.client_id not in sent]
        duplicates = _mark_duplicates(survey, rows)
        for row in rows:
            row.batch = batch
        Response.objects.bulk_create(rows, batch_size=2000)
        batch.forms = len(rows)
        batch.save(update_fields=["forms"])
        recount_areas(survey, [area.pk])
        audit.record(
            actor,
            "surveys.key_batch",
            batch,
            {"forms": len(rows), "resent": len(forms) - len(rows), "duplicates": len(duplicates)},
            unit=area,
        )
        for row in duplicates:
            audit.record(
                actor, "surveys.mark_duplicate", survey, {"form": str(row.client_id)}, unit=area
            )
    return batch


def _household_key(survey: Survey, area: Unit, code: Any) -> str:
    code = str(code or "").strip()
    if not code:
        raise ValidationError(_("The household code is missing."))
    key = slip_key(survey, code)
    slip_area = (
        HouseholdSlip.objects.filter(survey=survey, key=key)
        .values_list("area_id", flat=True)
        .first()
    )
    if slip_area is None:
        raise ValidationError(_("The household code %(code)s is not known.") % {"code": code[:20]})
    if slip_area != area.pk:
        raise ValidationError(
            _("The household code %(code)s belongs to another residential area.")
            % {"code": code[:20]}
        )
    return key


def _mark_duplicates(survey: Survey, rows: list[Response]) -> list[Response]:
    """The first valid answer of a household stays; later ones are marked duplicate."""
    keys = {row.household_key for row in rows if row.household_key}
    if not keys:
        return []
    taken = set(
        Response.objects.filter(
            survey=survey, household_key__in=keys, status=Response.Status.VALID
        ).values_list("household_key", flat=True)
    )
    duplicates = []
    for row in rows:
        if row.household_key and row.status == Response.Status.VALID:
            if row.household_key in taken:
                row.status = Response.Status.DUPLICATE
                duplicates.append(row)
            else:
                taken.add(row.household_key)
    return duplicates


def submit_web_answer(
    *,
    survey: Survey,
    client_id: Any,
    answers: Any,
    household_code: str = "",
    form_code: str = "",
) -> Response:
    """A citizen's answer on the web: with the household code from the slip (household mode) or
    the area's form code (anonymous mode). Re-sending the same id returns the stored answer."""
    answer_id = _uuid(client_id, _("The answer"))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        stored = Response.objects.filter(survey=survey, client_id=answer_id).first()
        if stored is not None:
            return stored
        _check_open(survey, web=True)
        key = None
        area_id = None
        if form_code:
            frame = FrameArea.objects.filter(
                survey=survey, form_code=form_code.strip().upper(), selected=True
            ).first()
            if frame is None:
                raise ValidationError({"form_code": _("This form code is not known.")})
            area_id = frame.area_id
        if survey.mode == Survey.Mode.HOUSEHOLD:
            code = str(household_code or "").strip()
            if not code:
                raise ValidationError({"household_code": _("The household code is missing.")})
            key = slip_key(survey, code)
            slip_area = (
                HouseholdSlip.objects.filter(survey=survey, key=key)
                .values_list("area_id", flat=True)
                .first()
            )
            if slip_area is None:
                raise ValidationError({"household_code": _("This household code is not known.")})
            if area_id is not None and slip_area != area_id:
                raise ValidationError(
                    {
                        "household_code": _(
                            "This household code belongs to another residential area."
                        )
                    }
                )
            area_id = slip_area
        if area_id is None:
            raise ValidationError({"form_code": _("The form code is missing.")})
        cleaned = clean_answers(list(survey.questionnaire.questions.all()), answers)
        response = Response(
            survey=survey,
            area_id=area_id,
            client_id=answer_id,
            household_key=key,
            channel=Batch.Channel.WEB,
            answers=cleaned,
            received_on=timezone.localdate(),
        )
        duplicates = _mark_duplicates(survey, [response])
        response.save()
        recount_areas(survey, [area_id])
        area = Unit.objects.get(pk=area_id)
        audit.record(
            "public:web",
            "surveys.mark_duplicate" if duplicates else "surveys.web_answer",
            survey,
            {"form": str(answer_id)},
            unit=area,
        )
    return response
