"""Training pages (staff, and the public certificate check): thin views over services and
selectors."""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from thidua.accounts.selectors import my_units
from thidua.core.excel import add_table, new_workbook, workbook_response
from thidua.core.forms import add_errors
from thidua.core.pagination import paginate
from thidua.core.pdf import render_pdf
from thidua.core.policy import can, require, scope_filter
from thidua.org.models import Unit
from thidua.training import selectors, services
from thidua.training.forms import CourseForm, CoverageForm, OfficerForm, SessionForm, UnitForm
from thidua.training.models import Gender, TargetRole


def _manage_units(user) -> list[Unit]:
    return [u for u in my_units(user) if u.is_current and can(user, "training.manage", u)]


def _units_below(user, action: str, kinds: tuple[str, ...]) -> list[Unit]:
    units = Unit.objects.filter(valid_to__isnull=True, kind__code__in=kinds).filter(
        scope_filter(user, action)
    )
    return list(units.select_related("parent", "kind").order_by("path")[:500])


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "training.view")
    courses = selectors.visible_courses(request.user)
    page = Paginator(courses, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "training/course_list.html",
        {"page": page, "can_manage": bool(_manage_units(request.user))},
    )


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    units = _manage_units(request.user)
    if not units:
        require(request.user, "training.manage")
    form = CourseForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = data.pop("owner_unit")
        unit = next(u for u in units if u.pk == chosen)
        try:
            course = services.create_course(request.user, owner_unit=unit, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The course is open: add its sessions."))
            return redirect("training:detail", course.pk)
    return render(request, "training/course_form.html", {"form": form})


LEARNERS_PER_PAGE = 50


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    rows = selectors.learners(course)
    can_manage = can(request.user, "training.manage", course.owner_unit)
    wards = (
        _units_below(request.user, "training.manage", ("ward", "district")) if can_manage else []
    )
    ranked = selectors.ranked_completers(course, rows)
    # a city course has 150 learners: the table shows them a page at a time, the counts all
    learners, learners_query = paginate(request, rows, LEARNERS_PER_PAGE)
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "learners": learners,
            "learners_query": learners_query,
            "ranked": ranked,
            "commended": [r for r in ranked if r.enrolment.commended],
            "finished": course.ends_on < timezone.localdate(),
            "excused_count": sum(r.enrolment.status == "excused" for r in rows)
            + sum(bool(r.excused_hours) for r in rows),
            "sessions": list(course.sessions.all()),
            "total_hours": selectors.course_total_hours(course),
            "rows": rows,
            "completed": sum(r.enrolment.status == "completed" for r in rows),
            "certified": sum(r.certificate is not None for r in rows),
            "can_manage": can_manage,
            "session_form": SessionForm(initial={"held_on": course.starts_on, "hours": 4}),
            "enrol_form": UnitForm(units=wards),
            "target_roles": [
                TargetRole(role).label for role in course.target_roles or [TargetRole.AREA_HEAD]
            ],
        },
    )


@login_required
@require_POST
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.add_session(request.user, course=course, **form.cleaned_data)
            messages.success(request, _("The session was added."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Check the session's topic, day and hours."))
    return redirect("training:detail", course.pk)


@login_required
@require_POST
def enrol_unit(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    units = _units_below(request.user, "training.manage", ("ward", "district"))
    form = UnitForm(request.POST, units=units)
    if form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        try:
            added = services.enrol_targets(request.user, course=course, unit=unit)
            messages.success(
                request,
                _("%(count)s target officers of %(unit)s were enrolled.")
                % {"count": len(added), "unit": unit.name},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("training:detail", course.pk)


@login_required
def attendance(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    session = selectors.get_session_for_user(request.user, course, session_pk)
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        present = list(course.enrolments.filter(pk__in=chosen).select_related("officer"))
        try:
            count = services.record_attendance(
                request.user, course=course, session=session, present=present
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(count)s learners were present.") % {"count": count})
            return redirect("training:detail", course.pk)
    enrolments = course.enrolments.exclude(status="excused").select_related("officer", "unit")
    return render(
        request,
        "training/attendance.html",
        {
            "course": course,
            "session": session,
            "enrolments": enrolments.order_by("unit__path", "officer__full_name"),
            "present": selectors.present_ids(session),
            "can_manage": can(request.user, "training.manage", course.owner_unit),
        },
    )


@login_required
@require_POST
def close_course(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    try:
        result = services.close_course(request.user, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(completed)s completed, %(not_completed)s did not complete.") % result,
        )
    return redirect("training:detail", course.pk)


@login_required
@require_POST
def issue_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    try:
        issued = services.issue_certificates(request.user, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s certificates were issued.") % {"count": len(issued)})
    return redirect("training:detail", course.pk)


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    require(request.user, "training.view")
    units = _units_below(request.user, "training.view", ("province", "district", "ward"))
    if request.GET.get("tree") == "then":
        # under the tree of then, the units closed since (a ward merged in 2025) may be chosen
        closed = Unit.objects.filter(
            valid_to__isnull=False, kind__code__in=("province", "district", "ward")
        ).filter(scope_filter(request.user, "training.view"))
        units += list(closed.select_related("parent", "kind").order_by("path")[:1000])
    today = timezone.localdate()
    initial = {
        "unit": units[0].pk if units else None,
        "since": dt.date(today.year - 1, 1, 1),
        "until": dt.date(today.year, 12, 31),
        "tree": "now",
    }
    form = CoverageForm(request.GET or initial, units=units)
    result = None
    if form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        result = selectors.coverage(
            unit=unit,
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
            tree=form.cleaned_data.get("tree") or "now",
            roles=[form.cleaned_data.get("role") or TargetRole.AREA_HEAD],
        )
    role = (form.cleaned_data.get("role") if form.is_valid() else "") or TargetRole.AREA_HEAD
    return render(
        request,
        "training/coverage.html",
        {"form": form, "result": result, "role_label": TargetRole(role).label},
    )


@login_required
def officer_history(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "training.view")
    officer = selectors.get_officer_for_user(request.user, pk)
    form = None
    if can(request.user, "training.manage", officer.unit):
        units = _units_below(request.user, "training.manage", ("ward", "residential_area"))
        if officer.unit not in units and officer.unit.is_current:
            units.insert(0, officer.unit)
        initial = {
            "unit": officer.unit_id,
            "full_name": officer.full_name,
            "position": officer.position,
            "role": officer.role,
            "on_payroll": officer.on_payroll,
            "gender": officer.gender,
            "phone": officer.phone,
        }
        form = OfficerForm(
            request.POST if request.method == "POST" else None, units=units, initial=initial
        )
    if request.method == "POST":
        if form is None:
            require(request.user, "training.manage", officer.unit)
        if form.is_valid():
            data = form.cleaned_data
            chosen = data.pop("unit")
            unit = next(u for u in units if u.pk == chosen)
            try:
                services.update_officer(request.user, officer=officer, unit=unit, **data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The record was updated."))
                return redirect("training:officer", officer.pk)
    return render(
        request,
        "training/officer.html",
        {"officer": officer, "rows": selectors.history(officer), "form": form},
    )


def _check_url(request: HttpRequest, certificate) -> str:
    return request.build_absolute_uri(reverse("public_training:check", args=[certificate.code]))


@login_required
def sign_in_sheet(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:

    course = selectors.get_course_for_user(request.user, pk)
    session = selectors.get_session_for_user(request.user, course, session_pk)
    enrolments = course.enrolments.exclude(status="excused").select_related("officer", "unit")
    html = render_to_string(
        "training/sign_in_pdf.html",
        {
            "course": course,
            "session": session,
            "enrolments": enrolments.order_by("unit__path", "officer__full_name"),
        },
        request=request,
    )
    response = HttpResponse(render_pdf(html), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-in-{course.pk}-{session.pk}.pdf"'
    return response


@login_required
def attendance_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    sessions = list(course.sessions.all())
    rows = selectors.learners(course)
    marks = {
        (a.enrolment_id, a.session_id): a.present
        for a in selectors.Attendance.objects.filter(session__course=course)
    }
    header = [
        _("Full name"),
        _("Position"),
        _("Unit"),
        _("On the payroll"),
        *[f"{s.held_on:%d/%m} {s.title}" for s in sessions],
        _("Hours attended"),
        _("Status"),
        _("Certificate number"),
    ]
    data = [
        [
            r.enrolment.officer.full_name,
            r.enrolment.position,
            r.enrolment.unit.display_name,
            _("Yes") if r.enrolment.on_payroll else _("No"),
            *["x" if marks.get((r.enrolment.pk, s.pk)) else "" for s in sessions],
            float(r.hours),
            r.enrolment.get_status_display(),
            r.certificate.number if r.certificate else "",
        ]
        for r in rows
    ]
    workbook = new_workbook()
    add_table(workbook, _("Attendance"), header, data)
    return workbook_response(workbook, f"attendance-{course.pk}.xlsx")


def public_check(request: HttpRequest, code: str) -> HttpResponse:
    certificate = selectors.certificate_by_code(code)
    return render(
        request,
        "training/check.html",
        {"certificate": certificate},
        status=200 if certificate else 404,
    )


@login_required
def certificate(request: HttpRequest, pk: int, certificate_pk: int) -> HttpResponse:
    course = selectors.get_course_for_user(request.user, pk)
    found = (
        selectors.Certificate.objects.filter(enrolment__course=course, pk=certificate_pk)
        .select_related("enrolment__officer", "enrolment__unit", "owner_unit")
        .first()
    )
    if found is None:
        raise Http404
    url = _check_url(request, found)
    return render(
        request,
        "training/certificate.html",
        {
            "course": course,
            "certificate": found,
            "url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=4),
        },
    )


@login_required
def yearly_report(request: HttpRequest) -> HttpResponse:
    """The yearly training report of the user's top unit: courses, then learners by level,
    role, gender and payroll status (each split sums to the enrolments)."""
    require(request.user, "training.view")
    units = _units_below(request.user, "training.view", ("province", "district", "ward"))
    if not units:
        raise Http404
    unit = units[0]
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    courses = selectors.yearly_courses(unit=unit, year=year)
    workbook = new_workbook()
    add_table(
        workbook,
        _("Courses"),
        [
            _("Course"),
            _("Organiser"),
            _("Level"),
            _("First day"),
            _("Last day"),
            _("Learners"),
            _("Completed"),
            pgettext("training", "Certificates"),
        ],
        [
            [
                c.title,
                c.owner_unit.display_name,
                c.get_level_display(),
                c.starts_on,
                c.ends_on,
                c.learners,
                c.completed,
                c.certified,
            ]
            for c in courses
        ],
    )
    split = selectors.yearly_split(unit=unit, year=year)
    labels = {
        **dict(selectors.Course.Level.choices),
        **dict(selectors.TargetRole.choices),
        **dict(Gender.choices),
        "on_payroll": _("On the payroll"),
        "off_payroll": _("Off the payroll"),
        "other": _("Other"),
        "unknown": _("Not recorded"),
    }
    titles = {
        "level": _("Level"),
        "role": _("Role"),
        "gender": _("Gender"),
        "payroll": _("Payroll status"),
    }
    rows = [
        [titles[key], str(labels.get(value, value)), number]
        for key in ("level", "role", "gender", "payroll")
        for value, number in sorted(split.get(key, {}).items())
    ]
    add_table(workbook, _("Learners"), [_("By"), _("Group"), _("Learners")], rows)
    return workbook_response(workbook, f"training-{year}.xlsx")


@login_required
def certificate_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """Every certificate of the course, one A4 page each with its QR, for printing."""

    course = selectors.get_course_for_user(request.user, pk)
    certificates = selectors.Certificate.objects.filter(enrolment__course=course).select_related(
        "enrolment__officer", "enrolment__unit__parent", "enrolment__unit__kind"
    )
    items = []
    for found in certificates.order_by("sequence"):
        url = _check_url(request, found)
        items.append(
            {
                "certificate": found,
                "url": url,
                "qr": segno.make(url, error="m").png_data_uri(scale=4, border=1),
            }
        )
    if not items:
        raise Http404
    html = render_to_string(
        "training/certificate_batch_pdf.html", {"course": course, "items": items}
    )
    response = HttpResponse(render_pdf(html), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificates-{course.pk}.pdf"'
    return response


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    """The officers of the user's part of the tree, and a form to record one (most of them,
    heads of residential Front Work Committees, never log in)."""
    require(request.user, "training.view")
    units = _units_below(request.user, "training.manage", ("ward", "residential_area"))
    form = OfficerForm(request.POST or None, units=units) if units else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        chosen = data.pop("unit")
        unit = next(u for u in units if u.pk == chosen)
        try:
            officer = services.record_officer(request.user, unit=unit, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s was recorded.") % {"name": officer.full_name})
            return redirect("training:officers")
    officers = selectors.visible_officers(request.user).order_by("unit__path", "full_name")
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    return render(request, "training/officer_list.html", {"page": page, "form": form})
