"""The check-in at the door and excused absences: an organiser's phone page per session (the
session's QR to show at the door, and a box for the learners' codes), the page a learner's phone
opens from the door QR, the learner's own code, and the excuses of a course."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.pdf import render_pdf
from thidua.core.policy import can, require
from thidua.training import checkin, selectors, services
from thidua.training.forms import CheckInForm, ExcuseForm
from thidua.training.models import Enrolment


def _qr(data: str) -> str:
    return segno.make(data, error="m").svg_data_uri(scale=5)


@login_required
def door(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """The organiser's check-in page for one session: the door QR, and a box for the code of a
    learner's card or phone (scanned by any QR app into the box, or typed)."""
    course = selectors.get_course_for_user(request.user, pk)
    session = selectors.get_session_for_user(request.user, course, session_pk)
    require(request.user, "training.manage", course.owner_unit)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_id = checkin.read_learner_code(form.cleaned_data["code"])
            enrolment = selectors.enrolment_by_learner_code(session, enrolment_id)
            if enrolment is None:
                raise checkin.BadCode("other_course")
            _attendance, new = services.check_in(request.user, session=session, enrolment=enrolment)
        except checkin.BadCode:
            messages.error(request, _("This code is not one of this course's learners."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            name = enrolment.officer.full_name
            if new:
                messages.success(request, _("%(name)s is checked in.") % {"name": name})
            else:
                messages.info(request, _("%(name)s had already checked in.") % {"name": name})
            return redirect("training:door", course.pk, session.pk)
    url = request.build_absolute_uri(
        reverse("training:self_check_in", args=[checkin.door_token(session)])
    )
    today = session.held_on == timezone.localdate()
    return render(
        request,
        "training/door.html",
        {
            "course": course,
            "session": session,
            "form": form,
            "today": today,
            "door_url": url,
            "door_qr": _qr(url) if today else None,
            "present": selectors.present_ids(session),
            "arrivals": list(selectors.checked_in(session)[:20]),
            "expected": course.enrolments.exclude(status=Enrolment.Status.EXCUSED).count(),
        },
    )


@login_required
def self_check_in(request: HttpRequest, token: str) -> HttpResponse:
    """What a learner's phone opens from the QR at the door: one button to check in."""
    try:
        session_id = checkin.read_door_token(token)
    except checkin.BadCode as error:
        return render(
            request,
            "training/self_check_in.html",
            {"problem": str(error)},
            status=404 if str(error) == "unknown" else 410,
        )
    session = selectors.check_in_session(session_id)
    if session is None:
        raise Http404
    enrolment = selectors.own_enrolment(request.user, session)
    if enrolment is None:
        return render(
            request,
            "training/self_check_in.html",
            {"problem": "not_enrolled", "session": session},
            status=403,
        )
    done = session.attendances.filter(enrolment=enrolment, present=True).exists()
    if request.method == "POST":
        try:
            _attendance, new = services.check_in(request.user, session=session, enrolment=enrolment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done = True
            if not new:
                messages.info(request, _("You had already checked in."))
    return render(
        request,
        "training/self_check_in.html",
        {"session": session, "enrolment": enrolment, "done": done},
    )


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    """A learner's courses, each with the code an organiser scans at the door."""
    enrolments = (
        Enrolment.objects.filter(officer__user=request.user)
        .select_related("course", "certificate")
        .order_by("-course__starts_on")[:50]
    )
    rows = [
        {"enrolment": e, "code": checkin.learner_code(e), "qr": _qr(checkin.learner_code(e))}
        for e in enrolments
    ]
    return render(request, "training/mine.html", {"rows": rows})


@login_required
def cards(request: HttpRequest, pk: int) -> HttpResponse:
    """Every learner's card with their code and its QR, for printing: most learners have no
    account, and an organiser at the door scans their card (or types its code)."""
    course = selectors.get_course_for_user(request.user, pk)
    require(request.user, "training.manage", course.owner_unit)
    enrolments = (
        course.enrolments.exclude(status=Enrolment.Status.EXCUSED)
        .select_related("officer", "unit__parent", "unit__kind")
        .order_by("unit__path", "officer__full_name")
    )
    items = [
        {
            "enrolment": e,
            "code": checkin.learner_code(e),
            "qr": segno.make(checkin.learner_code(e), error="m").png_data_uri(scale=4, border=1),
        }
        for e in enrolments
    ]
    if not items:
        raise Http404
    html = render_to_string("training/cards_pdf.html", {"course": course, "items": items})
    response = HttpResponse(render_pdf(html), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="cards-{course.pk}.pdf"'
    return response


@login_required
def excuses(request: HttpRequest, pk: int) -> HttpResponse:
    """The course's excused absences, and the form to record one (from a session or from the
    whole course), each with its reason."""
    course = selectors.get_course_for_user(request.user, pk)
    sessions = list(course.sessions.all())
    enrolments = list(
        course.enrolments.exclude(status=Enrolment.Status.EXCUSED)
        .filter(certificate__isnull=True)
        .select_related("officer", "unit__parent")
        .order_by("officer__full_name", "pk")
    )
    form = ExcuseForm(request.POST or None, enrolments=enrolments, sessions=sessions)
    if request.method == "POST":
        require(request.user, "training.manage", course.owner_unit)
        if form.is_valid():
            data = form.cleaned_data
            enrolment = next(e for e in enrolments if e.pk == data["enrolment"])
            try:
                if data["session"]:
                    session = next((s for s in sessions if s.pk == data["session"]), None)
                    if session is None:
                        raise Http404
                    services.excuse_absence(
                        request.user, session=session, enrolment=enrolment, reason=data["reason"]
                    )
                else:
                    services.set_status(
                        request.user,
                        enrolment=enrolment,
                        status=Enrolment.Status.EXCUSED,
                        reason=data["reason"],
                    )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("The excuse of %(name)s was recorded.")
                    % {"name": enrolment.officer.full_name},
                )
                return redirect("training:excuses", course.pk)
    return render(
        request,
        "training/excuses.html",
        {
            "course": course,
            "form": form,
            "can_manage": can(request.user, "training.manage", course.owner_unit),
            "absences": list(selectors.excused_absences(course)),
            "excused": list(
                course.enrolments.filter(status=Enrolment.Status.EXCUSED).select_related(
                    "officer", "unit__parent"
                )
            ),
        },
    )
