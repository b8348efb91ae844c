"""Writes for officers' training, by topic: courses, enrolment, the sign-in sheet, completion
and certificates (`courses`); the check-in at the door and excused absences (`attendance`);
the assessment and the learners proposed for commendation (`results`)."""

from thidua.training.services.attendance import check_in, excuse_absence
from thidua.training.services.courses import (
    add_session,
    attended_hours,
    close_course,
    create_course,
    enrol,
    enrol_area_heads,
    enrol_targets,
    issue_certificates,
    passes,
    record_attendance,
    record_officer,
    set_status,
    update_officer,
)
from thidua.training.services.results import propose_top_learners, record_scores

__all__ = [
    "add_session",
    "attended_hours",
    "check_in",
    "close_course",
    "create_course",
    "enrol",
    "enrol_area_heads",
    "enrol_targets",
    "excuse_absence",
    "issue_certificates",
    "passes",
    "propose_top_learners",
    "record_attendance",
    "record_officer",
    "record_scores",
    "set_status",
    "update_officer",
]
