"""The results of a course: the assessment's scores, and the best learners proposed for
commendation (each handed to honours' nomination form, pre-filled)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.policy import can, require
from thidua.training import selectors, services
from thidua.training.forms import CommendForm


@login_required
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment's score sheet: one box per learner (comma or point decimals)."""
    course = selectors.get_course_for_user(request.user, pk)
    can_manage = can(request.user, "training.manage", course.owner_unit)
    rows = selectors.learners(course)
    errors: list[str] = []
    if request.method == "POST":
        require(request.user, "training.manage", course.owner_unit)
        typed = {
            r.enrolment: request.POST.get(f"score-{r.enrolment.pk}", "").strip()
            for r in rows
            if f"score-{r.enrolment.pk}" in request.POST
        }
        try:
            changed = services.record_scores(request.user, course=course, scores=typed)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("%(count)s scores were recorded.") % {"count": changed})
            return redirect("training:detail", course.pk)
    return render(
        request,
        "training/scores.html",
        {"course": course, "rows": rows, "can_manage": can_manage, "errors": errors},
    )


@login_required
@require_POST
def commend(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose the best N learners for commendation."""
    course = selectors.get_course_for_user(request.user, pk)
    require(request.user, "training.manage", course.owner_unit)
    form = CommendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how many learners to propose."))
    else:
        try:
            chosen = services.propose_top_learners(
                request.user, course=course, count=form.cleaned_data["count"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(count)s learners are proposed for commendation: open each one's nomination.")
                % {"count": len(chosen)},
            )
    return redirect(reverse("training:detail", args=[course.pk]) + "#commendation")
