"""Public pages: the survey notice, posted results (only public questions, never an individual
answer, no count under 5), the open data, and the web answer form with its offline queue."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from thidua.surveys import exports, selectors, services
from thidua.surveys.models import FrameArea, Question, Survey
from thidua.surveys.public import public_data, public_figures

SERVICE_WORKER = Path(__file__).parent / "static" / "surveys" / "sw.js"


def public_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.public_surveys().order_by("-opens_on", "-id")[:100]
    return render(request, "surveys/public/list.html", {"surveys": surveys})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.get_public_survey(pk)
    return render(
        request,
        "surveys/public/detail.html",
        {"survey": survey, "figures": public_figures(survey)},
    )


def public_json(request: HttpRequest, pk: int) -> JsonResponse:
    survey = selectors.get_public_survey(pk)
    return JsonResponse(public_data(survey), json_dumps_params={"ensure_ascii": False})


def public_csv(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.get_public_survey(pk)
    if survey.status not in selectors.PUBLIC_STATUSES:
        return HttpResponse(status=404)
    return exports.public_csv(survey)


def _collect(request: HttpRequest, questions: list[Question]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questions:
        if question.kind == Question.Kind.MULTIPLE:
            values = request.POST.getlist(question.code)
        else:
            values = request.POST.get(question.code, "").strip()
        if values:
            answers[question.code] = values
        other = request.POST.get(f"{question.code}.other", "").strip()
        if other:
            answers[f"{question.code}.other"] = other
    return answers


@never_cache
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The citizen's form: reached from the QR of the area's form or the household slip.
    The client id is made when the form is shown, so a form sent twice (or re-sent from the
    phone's queue) is stored once."""
    survey = selectors.get_public_survey(pk)
    questions = list(survey.questionnaire.questions.all())
    form_code = (request.POST.get("form_code") or request.GET.get("form") or "").strip().upper()
    frame = (
        FrameArea.objects.filter(survey=survey, form_code=form_code, selected=True)
        .select_related("area", "area__parent")
        .first()
    )
    errors: list[str] = []
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = _collect(request, questions)
        try:
            services.submit_web_answer(
                survey=survey,
                client_id=request.POST.get("client_id", ""),
                answers=values,
                household_code=request.POST.get("household_code", ""),
                form_code=form_code,
            )
        except ValidationError as error:
            errors = list(error.messages)
        else:
            return render(request, "surveys/public/thanks.html", {"survey": survey})
    return render(
        request,
        "surveys/public/answer.html",
        {
            "survey": survey,
            "questions": questions,
            "frame": frame,
            "form_code": form_code,
            "household": survey.mode == Survey.Mode.HOUSEHOLD,
            "client_id": request.POST.get("client_id") if errors else str(uuid.uuid4()),
            "values": values,
            "household_code": request.POST.get("household_code", ""),
            "errors": errors,
            "open": survey.status == Survey.Status.FIELDING,
        },
        status=422 if errors else 200,
    )


def service_worker(request: HttpRequest) -> HttpResponse:
    """Served under /p/surveys/ so that it may control the answer forms."""
    response = HttpResponse(SERVICE_WORKER.read_text(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/p/surveys/"
    response["Cache-Control"] = "no-cache"
    return response
