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
from thidua.surveys.models import Questionnaire, Survey, SurveyReport
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


class SurveyQuestionIn(Schema):
    code: str = ""
    kind: str = "likert"
    text_vi: str
    text_en: str = ""
    text_id: str = ""
    options: list[dict[str, str]] = []
    allow_other: bool = False
    required: bool = False
    public: bool = True
    condition: dict[str, Any] | None = None


class SurveyQuestionOut(SurveyQuestionIn):
    order: int


class QuestionnaireIn(Schema):
    owner_unit_id: int
    title: str
    purpose: str = Questionnaire.Purpose.CUSTOM
    questions: list[SurveyQuestionIn]
    pass_question: str = ""
    pass_options: list[str] = []
    pass_threshold: float = 0.8


class QuestionnaireHeaderIn(Schema):
    title: str
    purpose: str
    pass_question: str = ""
    pass_options: list[str] = []
    pass_threshold: float = 0.8


class QuestionMoveIn(Schema):
    direction: str


class QuestionnaireOut(Schema):
    id: int
    title: str
    purpose: str
    version: int
    owner_unit: UnitRef
    frozen: bool
    previous_id: int | None
    newer_id: int | None
    pass_question: str
    pass_options: list[str]
    pass_threshold: float
    questions: list[SurveyQuestionOut]
    new_version_created: bool = False

    @staticmethod
    def resolve_frozen(obj: Questionnaire) -> bool:
        return obj.is_frozen

    @staticmethod
    def resolve_newer_id(obj: Questionnaire) -> int | None:
        newer = getattr(obj, "next_version", None)
        return newer.pk if newer is not None else None

    @staticmethod
    def resolve_questions(obj: Questionnaire) -> list[Any]:
        return list(obj.questions.all())

    @staticmethod
    def resolve_new_version_created(obj: Questionnaire) -> bool:
        return bool(getattr(obj, "new_version_created", False))


class SurveyReportOut(Schema):
    id: int
    survey_id: int
    survey: str
    reported_by_unit: UnitRef
    to_unit: UnitRef
    reported_at: dt.datetime
    received_at: dt.datetime | None
    results: dict[str, Any]

    @staticmethod
    def resolve_survey(obj: SurveyReport) -> str:
        return obj.survey.title

    @staticmethod
    def resolve_reported_by_unit(obj: SurveyReport) -> Any:
        return obj.survey.unit


def _edited(edited: services.Edited) -> Questionnaire:
    edited.questionnaire.new_version_created = edited.new_version
    return edited.questionnaire


def _editable(request: HttpRequest, questionnaire_id: int) -> Questionnaire:
    questionnaire = selectors.get_questionnaire_for_user(request.auth, questionnaire_id)
    require(request.auth, "surveys.manage", questionnaire.owner_unit)
    return questionnaire


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


@router.get("/questionnaires", response=list[QuestionnaireOut])
@paginate(Pagination)
def list_questionnaires(request: HttpRequest) -> Any:
    """Questionnaires owned in the caller's part of the tree, newest first, with questions."""
    require(request.auth, "surveys.view")
    return selectors.visible_questionnaires(request.auth).prefetch_related("questions")


@router.post("/questionnaires", response={201: QuestionnaireOut})
def create_questionnaire(
    request: HttpRequest, payload: QuestionnaireIn
) -> tuple[int, Questionnaire]:
    unit = get_unit_for_user(request.auth, payload.owner_unit_id)
    questionnaire = services.create_questionnaire(
        request.auth,
        owner_unit=unit,
        title=payload.title,
        purpose=payload.purpose,
        questions=[q.dict() for q in payload.questions],
        pass_question=payload.pass_question,
        pass_options=payload.pass_options,
        pass_threshold=str(payload.pass_threshold),
    )
    return 201, questionnaire


@router.get("/questionnaires/{int:questionnaire_id}", response=QuestionnaireOut)
def get_questionnaire(request: HttpRequest, questionnaire_id: int) -> Questionnaire:
    return selectors.get_questionnaire_for_user(request.auth, questionnaire_id)


@router.patch("/questionnaires/{int:questionnaire_id}", response=QuestionnaireOut)
def update_questionnaire(
    request: HttpRequest, questionnaire_id: int, payload: QuestionnaireHeaderIn
) -> Questionnaire:
    """Title, purpose and pass rule; on a fielded (frozen) questionnaire this creates the next
    version (`new_version_created`), which the answer describes."""
    questionnaire = _editable(request, questionnaire_id)
    return _edited(
        services.update_questionnaire(
            request.auth,
            questionnaire=questionnaire,
            title=payload.title,
            purpose=payload.purpose,
            pass_question=payload.pass_question,
            pass_options=payload.pass_options,
            pass_threshold=str(payload.pass_threshold),
        )
    )


@router.post("/questionnaires/{int:questionnaire_id}/questions", response=QuestionnaireOut)
def add_question(
    request: HttpRequest, questionnaire_id: int, payload: SurveyQuestionIn
) -> Questionnaire:
    """Add a question at the end (a frozen questionnaire: in its next version)."""
    questionnaire = _editable(request, questionnaire_id)
    return _edited(
        services.save_question(
            request.auth, questionnaire=questionnaire, code=None, data=payload.dict()
        )
    )


@router.put("/questionnaires/{int:questionnaire_id}/questions/{code}", response=QuestionnaireOut)
def edit_question(
    request: HttpRequest, questionnaire_id: int, code: str, payload: SurveyQuestionIn
) -> Questionnaire:
    questionnaire = _editable(request, questionnaire_id)
    return _edited(
        services.save_question(
            request.auth, questionnaire=questionnaire, code=code, data=payload.dict()
        )
    )


@router.delete("/questionnaires/{int:questionnaire_id}/questions/{code}", response=QuestionnaireOut)
def remove_question(request: HttpRequest, questionnaire_id: int, code: str) -> Questionnaire:
    questionnaire = _editable(request, questionnaire_id)
    return _edited(services.remove_question(request.auth, questionnaire=questionnaire, code=code))


@router.post(
    "/questionnaires/{int:questionnaire_id}/questions/{code}/move", response=QuestionnaireOut
)
def move_question(
    request: HttpRequest, questionnaire_id: int, code: str, payload: QuestionMoveIn
) -> Questionnaire:
    questionnaire = _editable(request, questionnaire_id)
    return _edited(
        services.move_question(
            request.auth, questionnaire=questionnaire, code=code, direction=payload.direction
        )
    )


@router.get("/reports", response=list[SurveyReportOut])
@paginate(Pagination)
def list_survey_reports(request: HttpRequest) -> Any:
    """Results reported up to units in the caller's part of the tree (waiting first), with
    the figures as they stood when reported."""
    require(request.auth, "surveys.view")
    return selectors.reports_received(request.auth)


@router.post("/reports/{int:report_id}/receive", response=SurveyReportOut)
def receive_survey_report(request: HttpRequest, report_id: int) -> SurveyReport:
    report = selectors.get_report_for_user(request.auth, report_id)
    return services.receive_report(request.auth, report=report)
