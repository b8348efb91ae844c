"""Attendance beyond the sign-in sheet: the check-in at the door (by the learner scanning the
session's QR, or by an officer scanning or typing the learner's code) and excused absences.

Rules:
- a check-in is for a session held today, of the learner's own course, by the learner
  themselves (their account is linked to their officer record) or by an organiser; checking in
  twice changes nothing (the first time is kept);
- an excused learner of the whole course does not check in;
- an organiser excuses an absence from one session with its reason; the hours stay not
  attended (the completion rule counts hours attended), the excuse is shown apart.
Bad input raises a translated ValidationError and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import can, require
from thidua.training.models import Attendance, Enrolment, Session

Status = Enrolment.Status


def _same_course(session: Session, enrolment: Enrolment) -> None:
    if enrolment.course_id != session.course_id:
        raise ValidationError(
            _("%(name)s is not enrolled in this course: attendance not recorded.")
            % {"name": enrolment.officer.full_name}
        )


def check_in(actor: Any, *, session: Session, enrolment: Enrolment) -> tuple[Attendance, bool]:
    """Record that the learner is present at a session held today; (attendance, True) the
    first time, (attendance, False) when they had already checked in or been ticked."""
    course = session.course
    own = enrolment.officer.user_id is not None and enrolment.officer.user_id == getattr(
        actor, "pk", None
    )
    if not own and not can(actor, "training.manage", course.owner_unit):
        raise PermissionDenied(_("Only the learner or an organiser of the course can check in."))
    _same_course(session, enrolment)
    if session.held_on != timezone.localdate():
        raise ValidationError(
            _("This session is held on %(day)s: the check-in is open on that day only.")
            % {"day": session.held_on.strftime("%d/%m/%Y")}
        )
    if enrolment.status == Status.EXCUSED:
        raise ValidationError(
            _("%(name)s is excused from this course.") % {"name": enrolment.officer.full_name}
        )
    now = timezone.now()
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update()
            .filter(session=session, enrolment=enrolment)
            .first()
        )
        if attendance is not None and attendance.present:
            return attendance, False
        if attendance is None:
            try:
                with transaction.atomic():
                    attendance = Attendance.objects.create(
                        session=session, enrolment=enrolment, present=True, checked_in_at=now
                    )
            except IntegrityError:  # a second scan at the same instant
                return Attendance.objects.get(session=session, enrolment=enrolment), False
        else:
            attendance.present, attendance.excused, attendance.reason = True, False, ""
            attendance.checked_in_at = now
            attendance.save(update_fields=["present", "excused", "reason", "checked_in_at"])
        if enrolment.status in (Status.INVITED, Status.REGISTERED):
            Enrolment.objects.filter(pk=enrolment.pk).update(status=Status.ATTENDED)
            enrolment.status = Status.ATTENDED
        audit.record(
            actor,
            "training.check_in",
            course,
            {"session": session.title, "learner": enrolment.officer.full_name},
        )
    return attendance, True


def excuse_absence(
    actor: Any, *, session: Session, enrolment: Enrolment, reason: str
) -> Attendance:
    """Excuse a learner's absence from one session, with its reason."""
    require(actor, "training.manage", session.course.owner_unit)
    _same_course(session, enrolment)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the excuse.")})
    if enrolment.status == Status.EXCUSED:
        raise ValidationError(
            _("%(name)s is excused from this course.") % {"name": enrolment.officer.full_name}
        )
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update()
            .filter(session=session, enrolment=enrolment)
            .first()
        )
        if attendance is not None and attendance.present:
            raise ValidationError(
                _("%(name)s was present at this session: nothing to excuse.")
                % {"name": enrolment.officer.full_name}
            )
        if attendance is None:
            attendance = Attendance(session=session, enrolment=enrolment)
        attendance.present, attendance.excused, attendance.reason = False, True, reason
        attendance.save()
        audit.record(
            actor,
            "training.excuse_absence",
            enrolment,
            {"session": session.title, "reason": reason},
        )
    return attendance
