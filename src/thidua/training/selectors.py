"""Reads for officers' training: scope, a course's learners with their hours, coverage of target
officers over the tree, a person's history, the yearly split, certificate checks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from thidua.core.policy import scope_paths
from thidua.org.models import Unit
from thidua.org.selectors import successor_map
from thidua.training.models import (
    Attendance,
    Certificate,
    Course,
    Enrolment,
    Officer,
    Session,
    TargetRole,
)


def _scoped(queryset: QuerySet, user: Any, field_name: str) -> QuerySet:
    paths = scope_paths(user, "training.view")
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field_name}__path__startswith": path})
    return queryset.filter(condition)


def visible_courses(user: Any) -> QuerySet[Course]:
    return _scoped(Course.objects.select_related("owner_unit__parent"), user, "owner_unit")


def visible_officers(user: Any) -> QuerySet[Officer]:
    return _scoped(Officer.objects.select_related("unit__parent"), user, "unit")


def get_course_for_user(user: Any, pk: int) -> Course:
    course = visible_courses(user).filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def get_session_for_user(user: Any, course: Course, pk: int) -> Session:
    session = course.sessions.filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def get_officer_for_user(user: Any, pk: int) -> Officer:
    officer = visible_officers(user).filter(pk=pk).first()
    if officer is None:
        raise Http404
    return officer


def course_total_hours(course: Course) -> Decimal:
    return course.sessions.aggregate(total=Sum("hours"))["total"] or Decimal(0)


@dataclass
class Learner:
    enrolment: Enrolment
    hours: Decimal
    share: float
    certificate: Certificate | None


def learners(course: Course) -> list[Learner]:
    """Each enrolment with its attended hours and share of the course's hours (3 queries)."""
    total = course_total_hours(course)
    hours = dict(
        Attendance.objects.filter(session__course=course, present=True)
        .values("enrolment_id")
        .annotate(hours=Sum("session__hours"))
        .values_list("enrolment_id", "hours")
    )
    rows = []
    for enrolment in course.enrolments.select_related(
        "officer", "unit__parent", "certificate"
    ).order_by("unit__path", "officer__full_name"):
        got = hours.get(enrolment.pk) or Decimal(0)
        rows.append(
            Learner(
                enrolment=enrolment,
                hours=got,
                share=float(got / total) if total else 0.0,
                certificate=getattr(enrolment, "certificate", None),
            )
        )
    return rows


def present_ids(session: Session) -> set[int]:
    return set(session.attendances.filter(present=True).values_list("enrolment_id", flat=True))


@dataclass
class CoverageRow:
    unit: Unit
    targets: int = 0
    trained: int = 0

    @property
    def share(self) -> float:
        return self.trained / self.targets if self.targets else 0.0


@dataclass
class Coverage:
    unit: Unit
    targets: int
    trained: int
    missing: list[Officer]
    rows: list[CoverageRow] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.trained / self.targets if self.targets else 0.0


def coverage(
    *,
    unit: Unit,
    since: dt.date,
    until: dt.date,
    roles: list[str] | None = None,
) -> Coverage:
    """Which target officers serving now in the unit's subtree completed a course that ended in
    [since, until]. A person counts once however many courses they completed; rows split the
    figure by the unit's children (in force today)."""
    roles = roles or [TargetRole.AREA_HEAD]
    officers = list(
        Officer.objects.filter(role__in=roles, unit__path__startswith=unit.path)
        .select_related("unit__parent")
        .order_by("unit__path", "full_name")
    )
    trained_ids = set(
        Enrolment.objects.filter(
            officer__in=[o.pk for o in officers],
            status=Enrolment.Status.COMPLETED,
            course__ends_on__gte=since,
            course__ends_on__lte=until,
        ).values_list("officer_id", flat=True)
    )
    children = list(unit.children.filter(valid_to__isnull=True).order_by("name"))
    rows = {child.path: CoverageRow(unit=child) for child in children}
    for officer in officers:
        for path, row in rows.items():
            if officer.unit.path.startswith(path):
                row.targets += 1
                row.trained += officer.pk in trained_ids
                break
    return Coverage(
        unit=unit,
        targets=len(officers),
        trained=len(trained_ids),
        missing=[o for o in officers if o.pk not in trained_ids],
        rows=[row for row in rows.values() if row.targets],
    )


@dataclass
class HistoryRow:
    enrolment: Enrolment
    unit_now: Unit | None


def history(officer: Officer) -> list[HistoryRow]:
    """A person's courses, each with the unit of the time and the unit that carries it today."""
    enrolments = list(
        officer.enrolments.select_related("course__owner_unit", "unit", "certificate").order_by(
            "-course__starts_on"
        )
    )
    carriers = successor_map(unit_ids={e.unit_id for e in enrolments})
    units = Unit.objects.in_bulk(
        {s.unit_id for succ in carriers.values() for s in succ if s.is_default or len(succ) == 1}
    )
    rows = []
    for enrolment in enrolments:
        successors = carriers.get(enrolment.unit_id, [])
        chosen = next(
            (s for s in successors if s.is_default), successors[0] if successors else None
        )
        rows.append(HistoryRow(enrolment, units.get(chosen.unit_id) if chosen else None))
    return rows


def yearly_split(*, unit: Unit, year: int) -> dict[str, dict[str, int]]:
    """Learners of courses organised in the unit's subtree that started in `year`, by level,
    role, gender and payroll status (each split sums to the enrolments)."""
    enrolments = Enrolment.objects.filter(
        course__owner_unit__path__startswith=unit.path, course__starts_on__year=year
    ).values_list("course__level", "role", "officer__gender", "on_payroll")
    split: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for level, role, gender, on_payroll in enrolments:
        split["level"][level] += 1
        split["role"][role or "other"] += 1
        split["gender"][gender or "unknown"] += 1
        split["payroll"]["on_payroll" if on_payroll else "off_payroll"] += 1
    return {key: dict(value) for key, value in split.items()}


def yearly_courses(*, unit: Unit, year: int) -> QuerySet[Course]:
    """Courses organised in the unit's subtree that started in `year`, with their counts."""
    completed = Q(enrolments__status=Enrolment.Status.COMPLETED)
    return (
        Course.objects.filter(owner_unit__path__startswith=unit.path, starts_on__year=year)
        .select_related("owner_unit__parent")
        .annotate(
            learners=Count("enrolments", distinct=True),
            completed=Count("enrolments", filter=completed, distinct=True),
            certified=Count("enrolments__certificate", distinct=True),
        )
        .order_by("starts_on", "pk")
    )


def certificate_by_code(code: str) -> Certificate | None:
    return (
        Certificate.objects.select_related(
            "enrolment__officer", "enrolment__course", "owner_unit", "enrolment__unit"
        )
        .filter(code=code)
        .first()
    )
