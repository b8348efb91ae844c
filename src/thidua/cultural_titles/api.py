"""The cultural titles API: a round's dashboard, an area's state, and the steps of the year that
take no file (record the meeting, post the list, file the dossier). Every write calls one
function of `services`; objects come through selectors that answer 404 outside the caller's part
of the tree."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from thidua.api.schemas import UnitRef
from thidua.core.policy import require
from thidua.cultural_titles import selectors, services
from thidua.cultural_titles.models import AreaAssessment

router = Router(tags=["cultural titles"])


class AreaAssessmentOut(Schema):
    id: int
    area: UnitRef
    status: str
    meeting_on: dt.date | None
    assessed: int
    eligible: int
    posted_on: dt.date | None
    posting_ends_on: dt.date | None
    filed_on: dt.date | None


class AreaAssessmentStateOut(Schema):
    assessment: AreaAssessmentOut
    open_comments: int
    days_left: int | None
    late: bool


class TitleRoundOut(Schema):
    id: int
    year: int
    commune: UnitRef
    deadline: dt.date
    areas: list[AreaAssessmentStateOut]


class AreaMeetingIn(Schema):
    meeting_on: dt.date
    chair: str
    co_chair: str
    attendees: int | None = None


class DossierFileIn(Schema):
    late_reason: str = ""


@router.get("/rounds/{pk}/", response=TitleRoundOut)
def round_dashboard(request: HttpRequest, pk: int):
    round_ = selectors.get_round_for_user(request.user, pk)
    return {
        "id": round_.pk,
        "year": round_.year,
        "commune": round_.commune,
        "deadline": round_.deadline,
        "areas": selectors.dashboard(round_),
    }


def _area(request: HttpRequest, pk: int) -> AreaAssessment:
    return selectors.get_assessment_for_user(request.user, pk)


@router.get("/areas/{pk}/", response=AreaAssessmentOut)
def area(request: HttpRequest, pk: int):
    return _area(request, pk)


@router.post("/areas/{pk}/meeting/", response=AreaAssessmentOut)
def record_meeting(request: HttpRequest, pk: int, payload: AreaMeetingIn):
    return services.record_meeting(request.user, assessment=_area(request, pk), **payload.dict())


@router.post("/areas/{pk}/post/", response=AreaAssessmentOut)
def post_list(request: HttpRequest, pk: int):
    assessment = _area(request, pk)
    services.post_list(request.user, assessment=assessment)
    assessment.refresh_from_db()
    return assessment


@router.post("/areas/{pk}/file/", response=AreaAssessmentOut)
def file_dossier(request: HttpRequest, pk: int, payload: DossierFileIn):
    assessment = _area(request, pk)
    require(request.user, "cultural_titles.manage", assessment.area)
    return services.file_dossier(
        request.user, assessment=assessment, late_reason=payload.late_reason
    )
