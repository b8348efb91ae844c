"""The training API: courses, enrolments and attendance.

Writes call `services` (permission, validation, audit); objects are fetched through selectors that
check the caller's part of the tree, so a course outside it answers 404 as a missing one does.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import UnitRef
from thidua.core.policy import require
from thidua.org.selectors import get_unit_for_user
from thidua.training import selectors, services
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
    """Enrol officers by id, or every head of a Front Work Committee below `unit_id`."""
    course = selectors.get_course_for_user(request.auth, course_id)
    if payload.unit_id is not None:
        unit = get_unit_for_user(request.auth, payload.unit_id)
        services.enrol_area_heads(request.auth, course=course, unit=unit)
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
