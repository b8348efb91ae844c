"""The cultural titles API: a round's dashboard, an area's state, and the steps of the year that
take no file (record the meeting, post the list, file the dossier). Every write calls one
function of `services`; objects come through selectors that answer 404 outside the caller's part
of the tree."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import UnitRef
from thidua.core.policy import require
from thidua.cultural_titles import selectors, services
from thidua.cultural_titles.models import AreaAssessment
from thidua.org.models import Household
from thidua.org.services import households as register

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


class GridRowIn(Schema):
    household_id: int
    answers: dict[str, bool] = {}
    eligible: bool | None = None
    reason: str = ""
    override: str = ""


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


@router.post("/areas/{pk}/grid/", response=AreaAssessmentOut)
def assess_grid(request: HttpRequest, pk: int, payload: list[GridRowIn]):
    """Save the area's assessment like the keyboard grid: the draft becomes these lines (all or
    none; a line without a result is left out)."""
    assessment = _area(request, pk)
    services.assess_grid(
        request.user,
        assessment=assessment,
        rows=[services.GridRow(**row.dict()) for row in payload],
    )
    assessment.refresh_from_db()
    return assessment


# the household register of an area


class HouseholdOut(Schema):
    id: int
    code: str
    head_name: str
    address: str
    members: int
    status: str
    in_area_since: dt.date
    area: UnitRef

    @staticmethod
    def resolve_area(obj: Household):
        return obj.unit


class HouseholdTitleOut(Schema):
    year: int
    area: UnitRef
    eligible: bool
    stage: str


class HouseholdDetailOut(HouseholdOut):
    titles: list[HouseholdTitleOut]


class HouseholdIn(Schema):
    code: str
    head_name: str
    address: str = ""
    members: int = 1
    phone: str = ""
    id_number: str = ""


class HouseholdMoveIn(Schema):
    to_unit: int
    moved_on: dt.date
    note: str = ""


class HouseholdCloseIn(Schema):
    closed_on: dt.date
    reason: str


def _detail(household: Household) -> dict:
    household.titles = [
        {
            "year": row.assessment.round.year,
            "area": row.assessment.area,
            "eligible": row.eligible,
            "stage": row.assessment.status,
        }
        for row in selectors.household_history(household)
    ]
    return household


@router.get("/register/areas/{pk}/households/", response=list[HouseholdOut])
@paginate(Pagination, page_size=50)
def list_households(
    request: HttpRequest, pk: int, q: str = "", closed: bool = False
) -> QuerySet[Household]:
    """An area's households (searched by name, code or address), for its staff."""
    area = register.get_area_for_user(request.user, pk)
    return register.register_of(request.user, area, query=q[:100], closed=closed)


@router.post("/register/areas/{pk}/households/", response={201: HouseholdDetailOut})
def add_household(request: HttpRequest, pk: int, payload: HouseholdIn):
    area = register.get_area_for_user(request.user, pk)
    household = register.add_household(request.user, area=area, **payload.dict())
    return Status(201, _detail(household))


@router.get("/register/households/{pk}/", response=HouseholdDetailOut)
def household(request: HttpRequest, pk: int):
    return _detail(register.get_household_for_user(request.user, pk))


@router.put("/register/households/{pk}/", response=HouseholdDetailOut)
def edit_household(request: HttpRequest, pk: int, payload: HouseholdIn):
    found = register.get_household_for_user(request.user, pk)
    return _detail(register.edit_household(request.user, household=found, **payload.dict()))


@router.post("/register/households/{pk}/move/", response=HouseholdDetailOut)
def move_household(request: HttpRequest, pk: int, payload: HouseholdMoveIn):
    found = register.get_household_for_user(request.user, pk)
    target = register.get_area_for_user(request.user, payload.to_unit)
    moved = register.move_household(
        request.user,
        household=found,
        to_unit=target,
        moved_on=payload.moved_on,
        note=payload.note,
    )
    return _detail(moved)


@router.post("/register/households/{pk}/close/", response=HouseholdDetailOut)
def close_household(request: HttpRequest, pk: int, payload: HouseholdCloseIn):
    found = register.get_household_for_user(request.user, pk)
    closed = register.close_household(request.user, household=found, **payload.dict())
    return _detail(closed)
