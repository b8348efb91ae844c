"""Staff pages: the list, launch, the dashboard with coverage and pass/fail, the workflow, the
keying grid of a residential area (phone-first), printable forms, exports."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.selectors import my_units
from thidua.core.excel import XLSX
from thidua.core.policy import can, require
from thidua.org.models import Unit
from thidua.org.selectors import units_named
from thidua.surveys import exports, selectors, services
from thidua.surveys.forms import BatchHeaderForm, LaunchForm, PostForm, ReasonForm
from thidua.surveys.models import AnswersExport, Question, Questionnaire, Survey
from thidua.surveys.services.codes import household_code

GRID_ROWS = 10
MAX_GRID_ROWS = 200


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "surveys.view")
    surveys = selectors.visible_surveys(request.user).order_by("-opens_on", "-id")
    page = Paginator(surveys, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/survey_list.html",
        {"page": page, "can_launch": can(request.user, "surveys.manage"), "query": ""},
    )


def _launch_units(user) -> list[Unit]:
    units = [u for u in my_units(user) if u.is_current and can(user, "surveys.manage", u)]
    if user.is_superuser and not units:
        units = list(Unit.objects.filter(parent__isnull=True))
    return units


@login_required
def survey_launch(request: HttpRequest) -> HttpResponse:
    require(request.user, "surveys.manage")
    units = _launch_units(request.user)
    # the newest version of the questionnaires owned by these units or below them
    owned = Q(pk__in=[])
    for unit in units:
        owned |= Q(owner_unit__path__startswith=unit.path)
    questionnaires = (
        Questionnaire.objects.filter(owned, next_version__isnull=True)
        .select_related("owner_unit")
        .order_by("-created_at")[:50]
    )
    form = LaunchForm(
        request.POST or None,
        units=units,
        questionnaires=questionnaires,
        initial={"questionnaire": request.GET.get("questionnaire", "standard")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if str(u.pk) == data["unit"])
        scopes = [u for u in units_named(data["scope"], current=True) if u.is_within(unit)]
        if not scopes:
            form.add_error("scope", _("No unit of this name within the launching unit."))
        else:
            try:
                if data["questionnaire"] == "standard":
                    questionnaire = services.standard_questionnaire(request.user, owner_unit=unit)
                else:
                    questionnaire = Questionnaire.objects.get(pk=data["questionnaire"])
                survey = services.launch_survey(
                    request.user,
                    questionnaire=questionnaire,
                    unit=unit,
                    scope=scopes[0],
                    title=data["title"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    mode=data["mode"],
                    method=data["method"],
                    sample_size=data["sample_size"],
                    posting_days=data["posting_days"],
                )
            except ValidationError as error:
                for message in _messages_of(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("The survey is launched: its frame is frozen."))
                return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/survey_launch.html", {"form": form})


def _tree(request: HttpRequest):
    if request.GET.get("tree") == "now":
        return timezone.localdate()
    return "then"


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.get_survey_for_user(request.user, pk)
    root = survey.scope
    if request.GET.get("unit"):
        try:
            candidate = Unit.objects.select_related("kind").get(pk=int(request.GET["unit"]))
        except (ValueError, Unit.DoesNotExist) as error:
            raise Http404 from error
        if not candidate.is_within(survey.scope):
            raise Http404
        root = candidate
    results = selectors.results(survey, root=root, tree=_tree(request))
    manage = can(request.user, "surveys.manage", survey.scope)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "results": results,
            "tree": request.GET.get("tree", "then"),
            "tallies": selectors.question_tallies(survey, root=root),
            "frame": selectors.frame_summary(survey),
            # the areas to key, once the page is down to a ward (or an area)
            "entry_areas": selectors.areas_for_entry(request.user, survey, root=root, limit=100)
            if root.kind.code in selectors.COMMUNE_KINDS
            else [],
            "postings": selectors.postings(survey),
            "report": selectors.report_of(survey),
            "manage": manage,
            "next_steps": services.TRANSITIONS[survey.status] if manage else (),
            "reason_form": ReasonForm(),
            "breadcrumb": [u for u in _ancestors_within(root, survey.scope)],
        },
    )


def _ancestors_within(unit: Unit, top: Unit) -> list[Unit]:
    ids = unit.path_ids()
    chain = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    return [chain[i] for i in ids if i in chain and chain[i].is_within(top)]


ACTIONS = {
    "close": services.close_survey,
    "tally": services.tally_survey,
    "report": services.report_survey,
    "archive": services.archive_survey,
}


@login_required
@require_POST
def survey_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    survey = selectors.get_survey_for_user(request.user, pk)
    try:
        if action == "reopen":
            services.reopen_survey(
                request.user, survey=survey, reason=request.POST.get("reason", "")
            )
        elif action in ACTIONS:
            ACTIONS[action](request.user, survey=survey)
        else:
            raise Http404
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Done: the survey is now %(status)s.") % {"status": survey.get_status_display()},
        )
    return redirect("surveys:detail", pk=survey.pk)


@login_required
def survey_post(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.get_survey_for_user(request.user, pk)
    require(request.user, "surveys.manage", survey.scope)
    form = PostForm(
        request.POST or None,
        initial={"posted_from": timezone.localdate(), "days": survey.posting_days},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_results(
                request.user,
                survey=survey,
                posted_from=data["posted_from"],
                days=data["days"],
                places=data["places"],
                reason=data["reason"],
            )
        except ValidationError as error:
            for message in _messages_of(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The results are posted publicly."))
            return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "surveys/survey_post.html",
        {"survey": survey, "form": form, "correction": survey.postings.exists()},
    )


def _grid_questions(survey: Survey) -> list[Question]:
    return list(survey.questionnaire.questions.all())


def _parse_grid(request: HttpRequest, questions: list[Question], household: bool) -> list[dict]:
    """Rows of the keying grid: one form each; an empty row is skipped."""
    try:
        count = min(int(request.POST.get("rows", 0)), MAX_GRID_ROWS)
    except ValueError:
        count = 0
    forms = []
    for i in range(count):
        answers = {}
        for question in questions:
            raw = request.POST.get(f"f{i}_{question.code}", "").strip()
            if not raw:
                continue
            if question.kind == Question.Kind.MULTIPLE:
                answers[question.code] = [
                    p for p in raw.replace(";", ",").replace(" ", ",").split(",") if p
                ]
            else:
                answers[question.code] = raw
        code = request.POST.get(f"f{i}_hh", "").strip()
        if not answers and not code:
            continue
        form = {"client_id": request.POST.get(f"f{i}_id", ""), "answers": answers}
        if household:
            form["household_code"] = code
        forms.append(form)
    return forms


@login_required
def keying(request: HttpRequest, pk: int, area: int) -> HttpResponse:
    """The residential committee keys its paper forms: a grid, one row per form, typed with
    the option numbers printed on the form."""
    survey = selectors.get_survey_for_user(request.user, pk)
    frame = selectors.get_entry_area(request.user, survey, area)
    questions = _grid_questions(survey)
    household = survey.mode == Survey.Mode.HOUSEHOLD
    header = BatchHeaderForm(request.POST or None, initial={"channel": "paper"})
    errors: list[str] = []
    try:
        rows = min(max(int(request.GET.get("rows", GRID_ROWS)), 1), MAX_GRID_ROWS)
    except ValueError:
        rows = GRID_ROWS
    if request.method == "POST" and header.is_valid():
        forms = _parse_grid(request, questions, household)
        data = header.cleaned_data
        try:
            batch = services.key_batch(
                request.user,
                survey=survey,
                area=frame.area,
                client_id=request.POST.get("batch_id", ""),
                forms=forms,
                channel=data["channel"],
                meeting_on=data["meeting_on"],
                attendance=data["attendance"],
            )
        except ValidationError as error:
            errors = _messages_of(error)
            rows = min(int(request.POST.get("rows", rows) or rows), MAX_GRID_ROWS)
        else:
            messages.success(
                request,
                _("%(n)s forms were saved for %(area)s.")
                % {"n": batch.forms, "area": frame.area.name},
            )
            return redirect("surveys:keying", pk=survey.pk, area=frame.area_id)
    tally = survey.tallies.filter(area=frame.area).first()
    posted = request.POST if request.method == "POST" and errors else {}
    grid = [
        {
            "index": i,
            "id": posted.get(f"f{i}_id") or str(uuid.uuid4()),
            "hh": posted.get(f"f{i}_hh", ""),
            "cells": [(q, posted.get(f"f{i}_{q.code}", "")) for q in questions],
        }
        for i in range(rows)
    ]
    return render(
        request,
        "surveys/keying.html",
        {
            "survey": survey,
            "frame": frame,
            "tally": tally,
            "questions": questions,
            "household": household,
            "header": header,
            "grid": grid,
            "rows": rows,
            "batch_id": request.POST.get("batch_id") if errors else str(uuid.uuid4()),
            "errors": errors,
            "open": survey.status in (Survey.Status.FIELDING, Survey.Status.CLOSED),
        },
    )


@login_required
def area_forms(request: HttpRequest, pk: int, area: int) -> HttpResponse:
    """The printable form of an area: its form code, a QR to answer on the web and, in
    household mode, one slip per household with its code."""
    survey = selectors.get_survey_for_user(request.user, pk)
    frame = selectors.get_entry_area(request.user, survey, area)
    answer_url = request.build_absolute_uri(
        f"/p/surveys/{survey.pk}/answer/?form={frame.form_code}"
    )
    slips = []
    if survey.mode == Survey.Mode.HOUSEHOLD:
        slips = [household_code(survey, frame.area_id, n) for n in range(1, frame.households + 1)]
    return render(
        request,
        "surveys/area_forms.html",
        {
            "survey": survey,
            "frame": frame,
            "questions": _grid_questions(survey),
            "answer_url": answer_url,
            "qr": exports.qr_svg(answer_url),
            "slips": slips,
        },
    )


def _export_for(request: HttpRequest, pk: int):
    survey = selectors.get_survey_for_user(request.user, pk)
    require(request.user, "surveys.manage", survey.scope)
    return survey


@login_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The answers workbook: served from storage when built for the answers as they are now,
    else being built in the background and a progress page meanwhile."""
    survey = _export_for(request, pk)
    stored = services.export_answers(
        request.user, survey=survey, language=get_language() or settings.LANGUAGE_CODE
    )
    if stored.status == AnswersExport.Status.DONE and stored.file:
        return FileResponse(
            stored.file.open("rb"),
            as_attachment=True,
            filename=f"khao-sat-{survey.pk}.xlsx",
            content_type=XLSX,
        )
    context = {"survey": survey, "export": stored}
    if request.htmx:
        return render(request, "surveys/partials/export_progress.html", context)
    return render(request, "surveys/export_progress.html", context)


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of the workbook being built (polled by the progress page), without
    queuing anything."""
    survey = _export_for(request, pk)
    stored = AnswersExport.objects.filter(survey=survey).first()
    if stored is None:
        raise Http404
    return render(
        request, "surveys/partials/export_progress.html", {"survey": survey, "export": stored}
    )


@login_required
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.get_survey_for_user(request.user, pk)
    today = timezone.localdate()
    return exports.summary_response(
        survey, today, today + dt.timedelta(days=survey.posting_days - 1)
    )


@login_required
def reports_received(request: HttpRequest) -> HttpResponse:
    """Results the units below reported up to the user's units: the figures as reported, the
    ones waiting to be received first."""
    require(request.user, "surveys.view")
    page = Paginator(selectors.reports_received(request.user), 25).get_page(request.GET.get("page"))
    rows = [
        {
            "report": report,
            "verdict": selectors.VERDICTS.get(report.results.get("verdict"), ""),
            "can_receive": report.received_at is None
            and can(request.user, "surveys.manage", report.to_unit),
        }
        for report in page.object_list
    ]
    return render(request, "surveys/reports.html", {"page": page, "rows": rows, "query": ""})


@login_required
@require_POST
def receive_report(request: HttpRequest, report: int) -> HttpResponse:
    found = selectors.get_report_for_user(request.user, report)
    try:
        services.receive_report(request.user, report=found)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The reported results are received."))
    return redirect("surveys:reports")
