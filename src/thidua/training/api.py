"""The training API: courses, enrolments and attendance.

Writes call `services` (permission, validation, audit); objects are fetched through selectors that
check the caller's part of the tree, so a course outside it answers 404 as a missing one does.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import UnitRef
from thidua.core.policy import require
from thidua.org.selectors import get_unit_for_user
from thidua.training import checkin, selectors, services
from thidua.training.models import Course

router = Router(tags=["training"])


class CourseOut(Schema):
    id: int
    title: str
    owner_unit: UnitRef
    level: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    mode: str
    target_roles: list[str]
    capacity: int | None
    completion_percent: int
    has_assessment: bool
    max_score: Decimal
    pass_mark: Decimal


class CourseIn(Schema):
    owner_unit_id: int
    title: str
    level: Course.Level
    starts_on: dt.date
    ends_on: dt.date
    place: str = ""
    mode: Course.Mode = Course.Mode.IN_PERSON
    target_roles: list[str] = []
    capacity: int | None = None
    completion_percent: int = 80
    has_assessment: bool = False
    max_score: Decimal = Decimal(10)
    pass_mark: Decimal = Decimal(5)


class SessionOut(Schema):
    id: int
    title: str
    presenter: str
    held_on: dt.date
    hours: Decimal


class EnrolmentOut(Schema):
    id: int
    officer_id: int
    full_name: str
    position: str
    unit: UnitRef
    on_payroll: bool
    status: str
    hours_attended: Decimal
    hours_excused: Decimal
    score: Decimal | None
    meets_rule: bool
    proposed_for_commendation: bool
    excuse_reason: str
    certificate_number: str | None


class EnrolIn(Schema):
    officer_ids: list[int] = []
    unit_id: int | None = None


class AttendanceIn(Schema):
    present_enrolment_ids: list[int]


class AttendanceOut(Schema):
    session_id: int
    present: int


@router.get("", response=list[CourseOut])
@paginate(Pagination, page_size=50)
def list_courses(request: HttpRequest) -> QuerySet[Course]:
    """Courses organised in the caller's part of the tree, newest first."""
    require(request.auth, "training.view")
    return selectors.visible_courses(request.auth)


@router.post("", response={201: CourseOut})
def create_course(request: HttpRequest, payload: CourseIn) -> Status[Course]:
    """Open a course organised by a unit."""
    data = payload.dict()
    unit = get_unit_for_user(request.auth, data.pop("owner_unit_id"))
    return Status(201, services.create_course(request.auth, owner_unit=unit, **data))


@router.get("/{int:course_id}", response=CourseOut)
def get_course(request: HttpRequest, course_id: int) -> Course:
    return selectors.get_course_for_user(request.auth, course_id)


@router.get("/{int:course_id}/sessions", response=list[SessionOut])
def list_sessions(request: HttpRequest, course_id: int):
    return list(selectors.get_course_for_user(request.auth, course_id).sessions.all())


def _enrolment_rows(course: Course) -> list[dict]:
    return [
        {
            "id": r.enrolment.pk,
            "officer_id": r.enrolment.officer_id,
            "full_name": r.enrolment.officer.full_name,
            "position": r.enrolment.position,
            "unit": r.enrolment.unit,
            "on_payroll": r.enrolment.on_payroll,
            "status": r.enrolment.status,
            "hours_attended": r.hours,
            "hours_excused": r.excused_hours,
            "score": r.enrolment.score,
            "meets_rule": r.eligible,
            "proposed_for_commendation": r.enrolment.commended,
            "excuse_reason": r.enrolment.excuse_reason,
            "certificate_number": r.certificate.number if r.certificate else None,
        }
        for r in selectors.learners(course)
    ]


@router.get("/{int:course_id}/enrolments", response=list[EnrolmentOut])
def list_enrolments(request: HttpRequest, course_id: int) -> list[dict]:
    """The course's learners with their hours attended, status and certificate."""
    return _enrolment_rows(selectors.get_course_for_user(request.auth, course_id))


@router.post("/{int:course_id}/enrolments", response={201: list[EnrolmentOut]})
def enrol(request: HttpRequest, course_id: int, payload: EnrolIn) -> Status[list[dict]]:
    """Enrol officers by id, or every officer of the course's target roles (by default the
    heads of Front Work Committees) below `unit_id`."""
    course = selectors.get_course_for_user(request.auth, course_id)
    if payload.unit_id is not None:
        unit = get_unit_for_user(request.auth, payload.unit_id)
        services.enrol_targets(request.auth, course=course, unit=unit)
    if payload.officer_ids:
        officers = list(selectors.visible_officers(request.auth).filter(pk__in=payload.officer_ids))
        services.enrol(request.auth, course=course, officers=officers)
    return Status(201, _enrolment_rows(course))


@router.post("/{int:course_id}/sessions/{int:session_id}/attendance", response=AttendanceOut)
def record_attendance(
    request: HttpRequest, course_id: int, session_id: int, payload: AttendanceIn
) -> dict:
    """Tick a session's sign-in sheet: the listed enrolments were present, the others absent."""
    course = selectors.get_course_for_user(request.auth, course_id)
    session = selectors.Session.objects.filter(pk=session_id).first()
    if (
        session is None
        or not selectors.visible_courses(request.auth).filter(pk=session.course_id).exists()
    ):
        raise Http404
    present = list(
        selectors.Enrolment.objects.filter(pk__in=payload.present_enrolment_ids).select_related(
            "officer"
        )
    )
    count = services.record_attendance(
        request.auth, course=course, session=session, present=present
    )
    return {"session_id": session.pk, "present": count}


class CheckInIn(Schema):
    code: str  # the learner's code, as printed or scanned


class DoorCheckInIn(Schema):
    token: str  # the token of the session's door QR


class CheckInOut(Schema):
    session_id: int
    enrolment_id: int
    full_name: str
    new: bool


def _check_in_answer(session, enrolment, new: bool) -> dict:
    return {
        "session_id": session.pk,
        "enrolment_id": enrolment.pk,
        "full_name": enrolment.officer.full_name,
        "new": new,
    }


@router.post("/{int:course_id}/sessions/{int:session_id}/check-in", response=CheckInOut)
def check_in(request: HttpRequest, course_id: int, session_id: int, payload: CheckInIn) -> dict:
    """An organiser checks a learner in at the door from the learner's code (idempotent)."""
    course = selectors.get_course_for_user(request.auth, course_id)
    session = selectors.get_session_for_user(request.auth, course, session_id)
    require(request.auth, "training.manage", course.owner_unit)
    try:
        enrolment = selectors.enrolment_by_learner_code(
            session, checkin.read_learner_code(payload.code)
        )
    except checkin.BadCode:
        enrolment = None
    if enrolment is None:
        raise ValidationError({"code": _("This code is not one of this course's learners.")})
    _attendance, new = services.check_in(request.auth, session=session, enrolment=enrolment)
    return _check_in_answer(session, enrolment, new)


@router.post("/check-in", response=CheckInOut)
def self_check_in(request: HttpRequest, payload: DoorCheckInIn) -> dict:
    """A learner checks themselves in with the token of the session's door QR (today only)."""
    try:
        session = selectors.check_in_session(checkin.read_door_token(payload.token))
    except checkin.BadCode as error:
        raise ValidationError({"token": _("This check-in code is not valid today.")}) from error
    if session is None:
        raise Http404
    enrolment = selectors.own_enrolment(request.auth, session)
    if enrolment is None:
        raise PermissionDenied(_("You are not enrolled in this course."))
    _attendance, new = services.check_in(request.auth, session=session, enrolment=enrolment)
    return _check_in_answer(session, enrolment, new)


class ExcuseIn(Schema):
    enrolment_id: int
    session_id: int | None = None  # None: excused from the whole course
    reason: str


@router.post("/{int:course_id}/excuses", response={201: EnrolmentOut})
def excuse(request: HttpRequest, course_id: int, payload: ExcuseIn) -> Status[dict]:
    """Excuse a learner from one session, or from the whole course, with the reason."""
    course = selectors.get_course_for_user(request.auth, course_id)
    enrolment = selectors.get_enrolment_for_user(request.auth, course, payload.enrolment_id)
    if payload.session_id is None:
        services.set_status(
            request.auth, enrolment=enrolment, status="excused", reason=payload.reason
        )
    else:
        session = selectors.get_session_for_user(request.auth, course, payload.session_id)
        services.excuse_absence(
            request.auth, session=session, enrolment=enrolment, reason=payload.reason
        )
    row = next(r for r in _enrolment_rows(course) if r["id"] == enrolment.pk)
    return Status(201, row)


class LearnerScoreIn(Schema):
    enrolment_id: int
    score: Decimal | None


@router.post("/{int:course_id}/scores", response=list[EnrolmentOut])
def record_scores(
    request: HttpRequest, course_id: int, payload: list[LearnerScoreIn]
) -> list[dict]:
    """Record the assessment's scores (null clears one)."""
    course = selectors.get_course_for_user(request.auth, course_id)
    scores = {
        selectors.get_enrolment_for_user(request.auth, course, row.enrolment_id): row.score
        for row in payload
    }
    services.record_scores(request.auth, course=course, scores=scores)
    return _enrolment_rows(course)
