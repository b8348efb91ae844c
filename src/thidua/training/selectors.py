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
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.formatting import format_number
from thidua.core.policy import scope_paths
from thidua.org.models import Unit
from thidua.org.selectors import children as units_below
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


def get_enrolment_for_user(user: Any, course: Course, pk: int) -> Enrolment:
    enrolment = course.enrolments.select_related("officer", "unit").filter(pk=pk).first()
    if enrolment is None:
        raise Http404
    return enrolment


@dataclass
class Learner:
    enrolment: Enrolment
    hours: Decimal
    share: float
    certificate: Certificate | None
    enough_hours: bool = False
    passed: bool | None = None  # None: the course has no assessment
    excused_hours: Decimal = Decimal(0)

    @property
    def eligible(self) -> bool:
        """Meets the completion rule (hours, and the assessment when there is one)."""
        return self.enough_hours and self.passed is not False


def learners(course: Course) -> list[Learner]:
    """Each enrolment with its attended and excused hours, share of the course's hours and
    whether it meets the completion rule (3 queries)."""
    total = course_total_hours(course)
    needed = total * course.completion_percent / 100
    hours: dict[int, Decimal] = {}
    excused: dict[int, Decimal] = {}
    for enrolment_id, present, got in (
        Attendance.objects.filter(session__course=course)
        .filter(Q(present=True) | Q(excused=True))
        .values("enrolment_id", "present")
        .annotate(hours=Sum("session__hours"))
        .values_list("enrolment_id", "present", "hours")
        .order_by()
    ):
        (hours if present else excused)[enrolment_id] = got or Decimal(0)
    rows = []
    for enrolment in course.enrolments.select_related(
        "officer", "unit__parent", "certificate"
    ).order_by("unit__path", "officer__full_name"):
        got = hours.get(enrolment.pk) or Decimal(0)
        passed = None
        if course.has_assessment:
            passed = enrolment.score is not None and enrolment.score >= course.pass_mark
        rows.append(
            Learner(
                enrolment=enrolment,
                hours=got,
                share=float(got / total) if total else 0.0,
                certificate=getattr(enrolment, "certificate", None),
                enough_hours=bool(total) and got >= needed,
                passed=passed,
                excused_hours=excused.get(enrolment.pk, Decimal(0)),
            )
        )
    return rows


def ranked_completers(course: Course, rows: list[Learner] | None = None) -> list[Learner]:
    """Those who completed the course, best first: score (when assessed), hours, then name."""
    rows = learners(course) if rows is None else rows
    rows = [r for r in rows if r.enrolment.status == Enrolment.Status.COMPLETED]
    rows.sort(
        key=lambda r: (
            -(r.enrolment.score if r.enrolment.score is not None else Decimal(-1)),
            -r.hours,
            r.enrolment.officer.full_name,
            r.enrolment.pk,
        )
    )
    return rows


def excused_absences(course: Course) -> QuerySet[Attendance]:
    """The absences from one session the organiser excused, with their reasons."""
    return (
        Attendance.objects.filter(session__course=course, excused=True)
        .select_related("session", "enrolment__officer", "enrolment__unit__parent")
        .order_by("session__held_on", "session_id", "enrolment__officer__full_name")
    )


def learner_for_nomination(user: Any, pk: int) -> Enrolment:
    """A learner who completed a course that has ended and whom its organiser proposed among the
    best, of a course the user may see: the source
    of a nomination for commendation (honours pre-fills its form from it); 404 otherwise."""
    enrolment = (
        Enrolment.objects.filter(
            pk=pk,
            status=Enrolment.Status.COMPLETED,
            commended=True,
            course__in=visible_courses(user),
        )
        .select_related("officer__unit__parent", "course__owner_unit", "unit")
        .first()
    )
    if enrolment is None or enrolment.course.ends_on >= timezone.localdate():
        raise Http404
    return enrolment


def courses_of_learner(user: Any) -> QuerySet[Course]:
    """The courses the user is enrolled in through their officer record, latest first."""
    if not getattr(user, "pk", None):
        return Course.objects.none()
    return Course.objects.filter(enrolments__officer__user=user).order_by("-starts_on", "-pk")


def check_in_session(session_id: int) -> Session | None:
    return Session.objects.select_related("course__owner_unit").filter(pk=session_id).first()


def enrolment_by_learner_code(session: Session, enrolment_id: int) -> Enrolment | None:
    return (
        Enrolment.objects.filter(pk=enrolment_id, course_id=session.course_id)
        .select_related("officer", "unit")
        .first()
    )


def own_enrolment(user: Any, session: Session) -> Enrolment | None:
    """The signed-in user's own enrolment in the session's course (through their officer
    record), if any."""
    if not getattr(user, "pk", None):
        return None
    return (
        Enrolment.objects.filter(course_id=session.course_id, officer__user=user)
        .select_related("officer")
        .first()
    )


def checked_in(session: Session) -> QuerySet[Attendance]:
    """Who checked in at the door for the session, latest first."""
    return (
        session.attendances.filter(present=True, checked_in_at__isnull=False)
        .select_related("enrolment__officer")
        .order_by("-checked_in_at")
    )


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
    tree: str = "now",
) -> Coverage:
    """Which target officers in the unit's subtree completed a course that ended in
    [since, until]. A person counts once however many courses they completed.

    tree="now": the officers serving today in the subtree (one recorded on a unit merged since
    counts where that unit went), split by the unit's children in force today.

    tree="then": the subtree as it stood on `until` (the unit may since have been merged): a
    person counts under the unit recorded on their enrolment (their unit at the time of the
    course), or, when not enrolled in the period, under their unit if it was in force on
    `until`; rows split by the unit's children of that day. A bounded number of queries."""
    roles = roles or [TargetRole.AREA_HEAD]
    if tree == "then":
        return _coverage_then(unit=unit, since=since, until=until, roles=roles)
    placed = _serving_now(unit, roles)
    trained_ids = set(
        Enrolment.objects.filter(
            officer__in=[officer.pk for officer, _path in placed],
            status=Enrolment.Status.COMPLETED,
            course__ends_on__gte=since,
            course__ends_on__lte=until,
        ).values_list("officer_id", flat=True)
    )
    children = list(unit.children.filter(valid_to__isnull=True).order_by("name"))
    return _tally(unit, children, placed, trained_ids)


def _serving_now(unit: Unit, roles: list[str]) -> list[tuple[Officer, str]]:
    """The target officers serving in the unit's subtree today, each with the path of the unit
    they serve in today: an officer still recorded on a unit closed by a restructuring follows
    it to the unit that carries it (its default successor), wherever that unit now sits."""
    officers = Officer.objects.filter(role__in=roles).select_related("unit__parent")
    closed_ids = set(
        officers.filter(unit__valid_to__isnull=False).values_list("unit_id", flat=True)
    )
    carried: dict[int, Unit] = {}
    if closed_ids:
        successors = successor_map(unit_ids=closed_ids)
        chosen = {
            pk: next((s for s in succ if s.is_default), succ[0]).unit_id
            for pk, succ in successors.items()
            if succ
        }
        units = Unit.objects.in_bulk(set(chosen.values()))
        carried = {pk: units[to] for pk, to in chosen.items() if to in units and pk != to}
    into = [pk for pk, carrier in carried.items() if carrier.path.startswith(unit.path)]
    rows = officers.filter(
        Q(unit__path__startswith=unit.path, unit__valid_to__isnull=True) | Q(unit_id__in=into)
    ).order_by("unit__path", "full_name")
    placed = [(officer, (carried.get(officer.unit_id) or officer.unit).path) for officer in rows]
    return sorted(placed, key=lambda item: (item[1], item[0].full_name))


def _tally(
    unit: Unit, children: list[Unit], placed: list[tuple[Officer, str]], trained_ids: set[int]
) -> Coverage:
    rows = {child.path: CoverageRow(unit=child) for child in children}
    for officer, path in placed:
        for prefix, row in rows.items():
            if path.startswith(prefix):
                row.targets += 1
                row.trained += officer.pk in trained_ids
                break
    return Coverage(
        unit=unit,
        targets=len(placed),
        trained=sum(officer.pk in trained_ids for officer, _path in placed),
        missing=[officer for officer, _path in placed if officer.pk not in trained_ids],
        rows=[row for row in rows.values() if row.targets],
    )


def _coverage_then(*, unit: Unit, since: dt.date, until: dt.date, roles: list[str]) -> Coverage:
    """Coverage under the tree of `until`: units' paths never change, so a unit of then holds
    every record placed on it or on a unit below it, whatever happened since (org's tree-of-then
    placement)."""
    enrolled = (
        Enrolment.objects.filter(
            role__in=roles,
            unit__path__startswith=unit.path,
            course__ends_on__gte=since,
            course__ends_on__lte=until,
        )
        .select_related("officer__unit__parent", "unit")
        .order_by("officer_id", "-status", "pk")
    )
    where: dict[int, tuple[Officer, str]] = {}
    trained_ids: set[int] = set()
    for enrolment in enrolled:
        where.setdefault(enrolment.officer_id, (enrolment.officer, enrolment.unit.path))
        if enrolment.status == Enrolment.Status.COMPLETED:
            trained_ids.add(enrolment.officer_id)
    serving = (
        Officer.objects.filter(role__in=roles, unit__path__startswith=unit.path)
        .filter(unit__in=Unit.objects.valid_on(until))
        .exclude(pk__in=list(where))
        .select_related("unit__parent")
    )
    for officer in serving:
        where[officer.pk] = (officer, officer.unit.path)
    placed = sorted(where.values(), key=lambda item: (item[1], item[0].full_name))
    children = sorted(units_below(unit, as_of=until), key=lambda child: child.name)
    return _tally(unit, children, placed, trained_ids)


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


def certificate_by_number(number: str, code: str) -> Certificate | None:
    """A certificate typed by hand on the public check: its number ("0012/2026/GCN-TH") and the
    check code printed beside its QR (any case: phones capitalise what is typed)."""
    code = (code or "").strip()
    parts = (number or "").strip().upper().split("/")
    if not code or len(parts) != 3 or parts[2] != "GCN-TH":
        return None
    if not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    found = (
        Certificate.objects.filter(code__iexact=code, sequence=int(parts[0]), year=int(parts[1]))
        .select_related("enrolment__officer", "enrolment__course", "owner_unit", "enrolment__unit")
        .first()
    )
    return found


def certificate_by_code(code: str) -> Certificate | None:
    return (
        Certificate.objects.select_related(
            "enrolment__officer", "enrolment__course", "owner_unit", "enrolment__unit"
        )
        .filter(code=code)
        .first()
    )


def achievements_text(enrolment: Enrolment) -> str:
    """What a nomination for commendation says of a learner, in the organiser's words."""
    course = enrolment.course
    parts = [
        _(
            "Completed the course “%(course)s” organised by %(unit)s (%(start)s – %(end)s) "
            "among its best learners"
        )
        % {
            "course": course.title,
            "unit": course.owner_unit.name,
            "start": course.starts_on.strftime("%d/%m/%Y"),
            "end": course.ends_on.strftime("%d/%m/%Y"),
        }
    ]
    if enrolment.score is not None:
        parts.append(
            _("assessment score %(score)s of %(max)s")
            % {
                "score": format_number(enrolment.score, 1),
                "max": format_number(course.max_score, 1),
            }
        )
    return "; ".join(str(p) for p in parts) + "."
