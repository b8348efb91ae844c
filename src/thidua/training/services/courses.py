"""Writes for officers' training.

Rules:
- an officer (or leader) of a unit records the unit's officers and organises its courses;
- enrolment never exceeds a course's capacity and takes the person's position and unit of the
  time; a person is enrolled in a course once;
- attendance is ticked per session, only for enrolments of that session's course;
- completion is attended hours ≥ the course's share of its hours (default 80 %) and, when the
  course has an assessment, a score at or above its pass mark; learners excused from the whole
  course are left aside (an excused absence from one session is still hours not attended);
  certificates are issued only to those who completed, numbered in sequence per
  organiser and year.
Bad input raises a translated ValidationError and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.org.models import Unit
from thidua.training.models import (
    Attendance,
    Certificate,
    Course,
    Enrolment,
    Officer,
    Session,
    TargetRole,
)

Status = Enrolment.Status


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def record_officer(
    actor: Any,
    *,
    unit: Unit,
    full_name: str,
    position: str = "",
    role: str = TargetRole.AREA_HEAD,
    on_payroll: bool = False,
    gender: str = "",
    phone: str = "",
    email: str = "",
    user: Any = None,
) -> Officer:
    """Record a Front officer of a unit, with or without an account."""
    require(actor, "training.manage", unit)
    officer = Officer(
        unit=unit,
        full_name=clean_name(full_name),
        position=position.strip(),
        role=role,
        on_payroll=on_payroll,
        gender=gender,
        phone=phone.strip(),
        email=email.strip(),
        user=user,
    )
    officer.full_clean()
    with transaction.atomic():
        officer.save()
        audit.record(actor, "training.record_officer", officer, {"name": officer.full_name})
    return officer


def update_officer(
    actor: Any,
    *,
    officer: Officer,
    unit: Unit,
    full_name: str,
    position: str = "",
    role: str = TargetRole.AREA_HEAD,
    on_payroll: bool = False,
    gender: str = "",
    phone: str = "",
) -> Officer:
    """Correct an officer's record or move them to the unit where they serve now (their past
    enrolments keep the unit and position of their time). Both the old and the new unit must be
    in the actor's part of the tree."""
    require(actor, "training.manage", officer.unit)
    require(actor, "training.manage", unit)
    if unit.valid_to is not None:
        raise ValidationError({"unit": _("Choose a unit in force today.")})
    before = {"unit": officer.unit.name, "position": officer.position}
    officer.unit = unit
    officer.full_name = clean_name(full_name)
    officer.position = position.strip()
    officer.role = role
    officer.on_payroll = on_payroll
    officer.gender = gender
    officer.phone = phone.strip()
    officer.full_clean()
    with transaction.atomic():
        officer.save()
        audit.record(
            actor,
            "training.update_officer",
            officer,
            {"before": before, "unit": unit.name, "position": officer.position},
        )
    return officer


def create_course(
    actor: Any,
    *,
    owner_unit: Unit,
    title: str,
    level: str,
    starts_on: dt.date,
    ends_on: dt.date,
    place: str = "",
    mode: str = Course.Mode.IN_PERSON,
    target_roles: list[str] | None = None,
    capacity: int | None = None,
    completion_percent: int = 80,
    has_assessment: bool = False,
    max_score: Decimal | int | str = 10,
    pass_mark: Decimal | int | str = 5,
) -> Course:
    """Open a course organised by a unit (optionally with a final assessment: a score out of
    `max_score`, passed at `pass_mark`)."""
    require(actor, "training.manage", owner_unit)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})
    max_score, pass_mark = Decimal(str(max_score)), Decimal(str(pass_mark))
    if has_assessment and not (0 <= pass_mark <= max_score):
        raise ValidationError(
            {"pass_mark": _("The pass mark must lie between 0 and the highest score.")}
        )
    unknown = set(target_roles or []) - set(TargetRole.values)
    if unknown:
        raise ValidationError({"target_roles": _("Choose target roles from the list.")})
    course = Course(
        owner_unit=owner_unit,
        title=clean_name(title),
        level=level,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        mode=mode,
        target_roles=list(target_roles or []),
        capacity=capacity,
        completion_percent=completion_percent,
        has_assessment=has_assessment,
        max_score=max_score,
        pass_mark=pass_mark if has_assessment else min(pass_mark, max_score),
        created_by=_user(actor),
    )
    course.full_clean()
    with transaction.atomic():
        course.save()
        audit.record(actor, "training.create_course", course, {"title": course.title})
    return course


def add_session(
    actor: Any,
    *,
    course: Course,
    title: str,
    held_on: dt.date,
    hours: Decimal | int | str = 4,
    presenter: str = "",
) -> Session:
    """Add a topic taught on one day of the course."""
    require(actor, "training.manage", course.owner_unit)
    if not (course.starts_on <= held_on <= course.ends_on):
        raise ValidationError({"held_on": _("The session must fall within the course's days.")})
    session = Session(
        course=course,
        title=title.strip(),
        held_on=held_on,
        hours=Decimal(str(hours)),
        presenter=presenter.strip(),
    )
    session.full_clean()
    with transaction.atomic():
        session.save()
        audit.record(
            actor,
            "training.add_session",
            course,
            {"session": session.title, "hours": str(session.hours)},
        )
    return session


def enrol(
    actor: Any,
    *,
    course: Course,
    officers: Iterable[Officer],
    status: str = Status.REGISTERED,
) -> list[Enrolment]:
    """Enrol officers in a course (those already enrolled are skipped), within its capacity."""
    require(actor, "training.manage", course.owner_unit)
    if status not in (Status.INVITED, Status.REGISTERED):
        raise ValidationError({"status": _("A new enrolment is invited or registered.")})
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        already = set(locked.enrolments.values_list("officer_id", flat=True))
        new = []
        seen = set()
        for officer in officers:
            if officer.pk in already or officer.pk in seen:
                continue
            seen.add(officer.pk)
            new.append(
                Enrolment(
                    course=locked,
                    officer=officer,
                    status=status,
                    position=officer.position,
                    role=officer.role,
                    unit=officer.unit,
                    on_payroll=officer.on_payroll,
                )
            )
        if locked.capacity is not None and len(already) + len(new) > locked.capacity:
            raise ValidationError(
                _(
                    "The course has room for %(capacity)s learners: %(enrolled)s are enrolled, "
                    "%(more)s more cannot be added."
                )
                % {"capacity": locked.capacity, "enrolled": len(already), "more": len(new)}
            )
        Enrolment.objects.bulk_create(new)
        if new:
            audit.record(actor, "training.enrol", course, {"learners": len(new)})
    return new


def enrol_targets(actor: Any, *, course: Course, unit: Unit) -> list[Enrolment]:
    """Enrol the officers of the course's target roles (by default the heads of residential
    Front Work Committees) serving in a unit's subtree."""
    officers = Officer.objects.filter(
        role__in=course.target_roles or [TargetRole.AREA_HEAD],
        unit__path__startswith=unit.path,
        unit__valid_to__isnull=True,
    ).select_related("unit")
    return enrol(actor, course=course, officers=list(officers))


def enrol_area_heads(actor: Any, *, course: Course, unit: Unit) -> list[Enrolment]:
    """Enrol the heads of every residential Front Work Committee in a unit's subtree."""
    officers = Officer.objects.filter(
        role=TargetRole.AREA_HEAD, unit__path__startswith=unit.path
    ).select_related("unit")
    return enrol(actor, course=course, officers=list(officers))


def set_status(actor: Any, *, enrolment: Enrolment, status: str, reason: str = "") -> Enrolment:
    """Move an enrolment by hand: registered, excused from the whole course (with its reason),
    or back to invited. An excused learner is left out of the sign-in sheets and of completion."""
    require(actor, "training.manage", enrolment.course.owner_unit)
    if status not in (Status.INVITED, Status.REGISTERED, Status.EXCUSED):
        raise ValidationError({"status": _("Completion is decided from attendance.")})
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise ValidationError(_("A certificate was issued for this enrolment."))
    reason = reason.strip()
    if status == Status.EXCUSED and not reason:
        raise ValidationError({"reason": _("Give the reason for the excuse.")})
    with transaction.atomic():
        enrolment.status = status
        enrolment.excuse_reason = reason if status == Status.EXCUSED else ""
        enrolment.save(update_fields=["status", "excuse_reason"])
        audit.record(actor, "training.set_status", enrolment, {"status": status, "reason": reason})
    return enrolment


def record_attendance(
    actor: Any, *, course: Course, session: Session, present: Iterable[Enrolment]
) -> int:
    """Tick a session's sign-in sheet: the listed enrolments were present, the others absent."""
    require(actor, "training.manage", course.owner_unit)
    if session.course_id != course.pk:
        raise ValidationError(
            {"session": _("This session belongs to another course: attendance not recorded.")}
        )
    present = list(present)
    strangers = [e for e in present if e.course_id != course.pk]
    if strangers:
        raise ValidationError(
            _("%(name)s is not enrolled in this course: attendance not recorded.")
            % {"name": strangers[0].officer.full_name}
        )
    present_ids = {e.pk for e in present}
    enrolments = list(course.enrolments.exclude(status=Status.EXCUSED).only("pk", "status"))
    with transaction.atomic():
        # the excuses and door check-ins of the session survive a new tick of the sheet
        kept = {
            a.enrolment_id: a
            for a in Attendance.objects.filter(session=session).select_for_update()
        }
        Attendance.objects.filter(session=session).delete()
        rows = []
        for e in enrolments:
            before = kept.get(e.pk)
            here = e.pk in present_ids
            rows.append(
                Attendance(
                    session=session,
                    enrolment=e,
                    present=here,
                    excused=bool(before and before.excused and not here),
                    reason=before.reason if before and before.excused and not here else "",
                    checked_in_at=before.checked_in_at if before and here else None,
                )
            )
        Attendance.objects.bulk_create(rows)
        course.enrolments.filter(
            pk__in=present_ids, status__in=[Status.INVITED, Status.REGISTERED]
        ).update(status=Status.ATTENDED)
        audit.record(
            actor,
            "training.record_attendance",
            course,
            {"session": session.title, "present": len(present_ids)},
        )
    return len(present_ids)


def attended_hours(course: Course) -> dict[int, Decimal]:
    """Hours each enrolment attended (enrolment id → hours)."""
    rows = (
        Attendance.objects.filter(session__course=course, present=True)
        .values("enrolment_id")
        .annotate(hours=Sum("session__hours"))
    )
    return {row["enrolment_id"]: row["hours"] or Decimal(0) for row in rows}


def passes(course: Course, enrolment: Enrolment, hours: Decimal, needed: Decimal) -> bool:
    """The completion rule: enough hours and, when the course has an assessment, a pass."""
    if hours < needed:
        return False
    if course.has_assessment:
        return enrolment.score is not None and enrolment.score >= course.pass_mark
    return True


def close_course(actor: Any, *, course: Course) -> dict[str, int]:
    """Decide completion for every learner not excused: attended hours against the course rule,
    and the assessment's pass mark when the course has one."""
    require(actor, "training.manage", course.owner_unit)
    total = course.sessions.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if not total:
        raise ValidationError(_("Add the course's sessions before deciding completion."))
    needed = total * course.completion_percent / 100
    hours = attended_hours(course)
    completed, not_completed = [], []
    for enrolment in course.enrolments.exclude(status=Status.EXCUSED):
        if hasattr(enrolment, "certificate"):
            continue
        got = hours.get(enrolment.pk, Decimal(0))
        (completed if passes(course, enrolment, got, needed) else not_completed).append(
            enrolment.pk
        )
    with transaction.atomic():
        Enrolment.objects.filter(pk__in=completed).update(status=Status.COMPLETED)
        Enrolment.objects.filter(pk__in=not_completed).update(status=Status.NOT_COMPLETED)
        audit.record(
            actor,
            "training.close_course",
            course,
            {"completed": len(completed), "not_completed": len(not_completed)},
        )
    return {"completed": len(completed), "not_completed": len(not_completed)}


def issue_certificates(
    actor: Any,
    *,
    course: Course,
    enrolments: Iterable[Enrolment] | None = None,
    issued_on: dt.date | None = None,
) -> list[Certificate]:
    """Certificates of completion for the listed enrolments (default: every completed one
    without a certificate), numbered on from the organiser's last number of the year."""
    require(actor, "training.manage", course.owner_unit)
    day = issued_on or timezone.localdate()
    if enrolments is None:
        chosen = list(
            course.enrolments.filter(status=Status.COMPLETED, certificate__isnull=True)
            .select_related("officer")
            .order_by("officer__full_name", "pk")
        )
    else:
        chosen = list(enrolments)
        for enrolment in chosen:
            if enrolment.course_id != course.pk:
                raise ValidationError(
                    _("%(name)s is not enrolled in this course.")
                    % {"name": enrolment.officer.full_name}
                )
            if enrolment.status != Status.COMPLETED:
                raise ValidationError(
                    _("%(name)s has not completed the course: no certificate can be issued.")
                    % {"name": enrolment.officer.full_name}
                )
        chosen = [e for e in chosen if not Certificate.objects.filter(enrolment=e).exists()]
    hours = attended_hours(course)
    with transaction.atomic():
        # one organiser numbers its certificates one at a time
        Unit.objects.select_for_update().filter(pk=course.owner_unit_id).first()
        last = (
            Certificate.objects.filter(owner_unit=course.owner_unit, year=day.year).aggregate(
                last=Max("sequence")
            )["last"]
            or 0
        )
        certificates = [
            Certificate(
                enrolment=enrolment,
                owner_unit=course.owner_unit,
                year=day.year,
                sequence=last + index,
                issued_on=day,
                hours=hours.get(enrolment.pk, Decimal(0)),
            )
            for index, enrolment in enumerate(chosen, start=1)
        ]
        Certificate.objects.bulk_create(certificates)
        if certificates:
            audit.record(
                actor, "training.issue_certificates", course, {"certificates": len(certificates)}
            )
    return certificates
