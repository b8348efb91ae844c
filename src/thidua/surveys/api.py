"""The surveys API: surveys and their results (staff), answer batches (staff, idempotent by the
batch's and each form's client id), web answers and posted results (public).

Objects are fetched through the selectors that check the caller's part of the tree (404
outside it); every write calls one service. Errors become JSON through `thidua.api.router`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import UnitRef
from thidua.core.policy import require
from thidua.org.models import Unit
from thidua.org.selectors import get_unit_for_user
from thidua.surveys import selectors, services
from thidua.surveys.models import Questionnaire, Survey
from thidua.surveys.public import public_data

router = Router(tags=["surveys"])


class SurveyOut(Schema):
    id: int
    title: str
    unit: UnitRef
    scope: UnitRef
    opens_on: dt.date
    closes_on: dt.date
    mode: str
    method: str
    status: str
    sample_size: int | None


class SurveyIn(Schema):
    title: str
    unit_id: int
    scope_id: int | None = None
    questionnaire_id: int | None = None  # none: a new standard satisfaction questionnaire
    opens_on: dt.date
    closes_on: dt.date
    mode: str = Survey.Mode.ANONYMOUS
    method: str = Survey.Method.DOOR_TO_DOOR
    sample_size: int | None = None
    posting_days: int = 10


class SurveyUnitResultOut(Schema):
    unit: UnitRef
    households: int
    answered: int
    coverage: float | None
    min_share: float
    unweighted: float | None
    weighted: float | None
    interval: list[float] | None
    verdict: str
    low_response: bool


class SurveyResultsOut(Schema):
    unweighted_label: str
    weighted_label: str
    total: SurveyUnitResultOut
    rows: list[SurveyUnitResultOut]


class SurveyFormIn(Schema):
    client_id: uuid.UUID
    answers: dict[str, Any]
    household_code: str = ""
    spoiled: bool = False


class SurveyBatchIn(Schema):
    area_id: int
    client_id: uuid.UUID
    channel: str = "paper"
    meeting_on: dt.date | None = None
    attendance: int | None = None
    forms: list[SurveyFormIn]


class SurveyBatchOut(Schema):
    id: int
    client_id: uuid.UUID
    area_id: int
    forms: int
    answered_in_area: int


class SurveyWebAnswerIn(Schema):
    client_id: uuid.UUID
    answers: dict[str, Any]
    household_code: str = ""
    form_code: str = ""


class SurveyWebAnswerOut(Schema):
    client_id: uuid.UUID
    status: str


def _float(value: Any) -> float | None:
    return None if value is None else float(round(value, 4))


def _result(row: selectors.UnitResult) -> dict[str, Any]:
    return {
        "unit": row.unit,
        "households": row.households,
        "answered": row.answered,
        "coverage": _float(row.coverage),
        "min_share": float(row.min_share),
        "unweighted": _float(row.unweighted),
        "weighted": _float(row.weighted),
        "interval": [float(v) for v in row.interval] if row.interval else None,
        "verdict": row.verdict,
        "low_response": row.low_response,
    }


@router.get("", response=list[SurveyOut])
@paginate(Pagination)
def list_surveys(request: HttpRequest) -> Any:
    """Surveys launched in, or covering, the caller's part of the tree."""
    require(request.auth, "surveys.view")
    return selectors.visible_surveys(request.auth).order_by("-opens_on", "-id")


@router.post("", response={201: SurveyOut})
def launch_survey(request: HttpRequest, payload: SurveyIn) -> tuple[int, Survey]:
    """Launch a survey: the questionnaire, the frame and the coverage rule are frozen."""
    unit = get_unit_for_user(request.auth, payload.unit_id)
    scope = get_unit_for_user(request.auth, payload.scope_id) if payload.scope_id else unit
    if payload.questionnaire_id is None:
        questionnaire = services.standard_questionnaire(request.auth, owner_unit=unit)
    else:
        questionnaire = Questionnaire.objects.filter(
            pk=payload.questionnaire_id, owner_unit__path__startswith=unit.path
        ).first()
        if questionnaire is None:
            raise Http404
    survey = services.launch_survey(
        request.auth,
        questionnaire=questionnaire,
        unit=unit,
        scope=scope,
        title=payload.title,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        mode=payload.mode,
        method=payload.method,
        sample_size=payload.sample_size,
        posting_days=payload.posting_days,
    )
    return 201, survey


@router.get("/{int:survey_id}", response=SurveyOut)
def get_survey(request: HttpRequest, survey_id: int) -> Survey:
    return selectors.get_survey_for_user(request.auth, survey_id)


@router.get("/{int:survey_id}/results", response=SurveyResultsOut)
def get_results(
    request: HttpRequest, survey_id: int, unit_id: int | None = None, tree: str = "then"
) -> dict[str, Any]:
    """Coverage, unweighted and weighted shares and the verdict for a unit and its children,
    under the tree of the survey ("then") or of today ("now")."""
    survey = selectors.get_survey_for_user(request.auth, survey_id)
    root = survey.scope
    if unit_id is not None:
        root = Unit.objects.select_related("kind").filter(pk=unit_id).first()
        if root is None or not root.is_within(survey.scope):
            raise Http404
    day: Any = timezone.localdate() if tree == "now" else "then"
    results = selectors.results(survey, root=root, tree=day)
    return {
        "unweighted_label": results.unweighted_label,
        "weighted_label": results.weighted_label,
        "total": _result(results.total),
        "rows": [_result(row) for row in results.rows],
    }


@router.post("/{int:survey_id}/batches", response={201: SurveyBatchOut})
def key_batch(request: HttpRequest, survey_id: int, payload: SurveyBatchIn) -> tuple[int, dict]:
    """Key a batch of paper forms for one area: all or nothing; sending the same batch again
    (same client id) changes nothing and answers the stored batch."""
    survey = selectors.get_survey_for_user(request.auth, survey_id)
    frame = selectors.get_entry_area(request.auth, survey, payload.area_id)
    batch = services.key_batch(
        request.auth,
        survey=survey,
        area=frame.area,
        client_id=payload.client_id,
        forms=[form.dict() for form in payload.forms],
        channel=payload.channel,
        meeting_on=payload.meeting_on,
        attendance=payload.attendance,
    )
    tally = survey.tallies.filter(area=frame.area).first()
    return 201, {
        "id": batch.pk,
        "client_id": batch.client_id,
        "area_id": batch.area_id,
        "forms": batch.forms,
        "answered_in_area": tally.valid if tally else 0,
    }


@router.post("/{int:survey_id}/answers", response={201: SurveyWebAnswerOut}, auth=None)
def web_answer(
    request: HttpRequest, survey_id: int, payload: SurveyWebAnswerIn
) -> tuple[int, dict]:
    """A citizen's web answer (household code or area form code); idempotent by client id."""
    survey = selectors.get_public_survey(survey_id)
    response = services.submit_web_answer(
        survey=survey,
        client_id=payload.client_id,
        answers=payload.answers,
        household_code=payload.household_code,
        form_code=payload.form_code,
    )
    return 201, {"client_id": response.client_id, "status": response.status}


@router.get("/{int:survey_id}/public-results", auth=None)
def public_results(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    """Posted results: public questions only, no count under 5, never an individual answer."""
    return public_data(selectors.get_public_survey(survey_id))
