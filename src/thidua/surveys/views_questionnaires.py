"""The questionnaire editor: the list, a new questionnaire, its heading and pass rule, its
questions (add, edit, move, remove) and a preview as a respondent sees it on a phone.

Every change goes through `services.editor`; a questionnaire already fielded is frozen, so a
change saved on it creates the next version and the page moves to that version."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.selectors import units_user_may
from thidua.core.policy import can, require
from thidua.surveys import selectors, services
from thidua.surveys.forms import (
    QuestionForm,
    QuestionnaireCreateForm,
    QuestionnaireHeaderForm,
    split_codes,
)
from thidua.surveys.models import Questionnaire
from thidua.surveys.services.questionnaires import SATISFIED, standard_questions


def _saved(request: HttpRequest, edited: services.Edited, previous: Questionnaire) -> HttpResponse:
    if edited.new_version:
        messages.success(
            request,
            _(
                "Version %(new)s was created with your change. Surveys already fielded keep "
                "version %(old)s."
            )
            % {"new": edited.questionnaire.version, "old": previous.version},
        )
    else:
        messages.success(request, _("The questionnaire is saved."))
    return redirect("surveys:questionnaire", pk=edited.questionnaire.pk)


def _editable(request: HttpRequest, pk: int) -> Questionnaire:
    questionnaire = selectors.get_questionnaire_for_user(request.user, pk)
    require(request.user, "surveys.manage", questionnaire.owner_unit)
    return questionnaire


@login_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "surveys.view")
    page = Paginator(selectors.visible_questionnaires(request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "surveys/questionnaire_list.html",
        {"page": page, "can_create": can(request.user, "surveys.manage"), "query": ""},
    )


@login_required
def questionnaire_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "surveys.manage")
    units = units_user_may(request.user, "surveys.manage")
    form = QuestionnaireCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if str(u.pk) == data["owner_unit"])
        standard = data["start"] == "standard"
        questions = (
            standard_questions()
            if standard
            else [{"code": "Q1", "kind": "likert", "text_vi": data["title"], "required": True}]
        )
        try:
            questionnaire = services.create_questionnaire(
                request.user,
                owner_unit=unit,
                title=data["title"],
                purpose=data["purpose"],
                questions=questions,
                pass_question="Q9" if standard else "Q1",
                pass_options=SATISFIED,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The questionnaire is created: add its questions."))
            return redirect("surveys:questionnaire", pk=questionnaire.pk)
    return render(request, "surveys/questionnaire_create.html", {"form": form})


@login_required
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor's page: heading and pass rule, the questions in order."""
    questionnaire = selectors.get_questionnaire_for_user(request.user, pk)
    questions = list(questionnaire.questions.all())
    manage = can(request.user, "surveys.manage", questionnaire.owner_unit)
    newer = getattr(questionnaire, "next_version", None)
    initial = {
        "title": questionnaire.title,
        "purpose": questionnaire.purpose,
        "pass_question": questionnaire.pass_question,
        "pass_options": ", ".join(questionnaire.pass_options or []),
        "pass_threshold": (questionnaire.pass_threshold * 100).normalize(),
    }
    form = QuestionnaireHeaderForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                edited = services.update_questionnaire(
                    request.user,
                    questionnaire=questionnaire,
                    title=data["title"],
                    purpose=data["purpose"],
                    pass_question=data["pass_question"],
                    pass_options=split_codes(data["pass_options"]),
                    pass_threshold=data["pass_threshold"] / Decimal(100),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                return _saved(request, edited, questionnaire)
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "questions": questions,
            "form": form,
            "manage": manage and newer is None,
            "newer": newer,
            "fielded": selectors.questionnaire_in_use(questionnaire),
        },
    )


@login_required
def question_edit(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    """Add a question (no `code`) or edit one."""
    questionnaire = _editable(request, pk)
    questions = list(questionnaire.questions.all())
    current = None
    if code is not None:
        current = next((q for q in questions if q.code == code), None)
        if current is None:
            raise Http404
    earlier = questions[: questions.index(current)] if current else questions
    initial = QuestionForm.initial_for(current) if current else {"kind": "likert", "public": True}
    form = QuestionForm(request.POST or None, earlier=earlier, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edited = services.save_question(
                request.user, questionnaire=questionnaire, code=code, data=form.question_data()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return _saved(request, edited, questionnaire)
    return render(
        request,
        "surveys/question_edit.html",
        {"questionnaire": questionnaire, "question": current, "form": form},
    )


@login_required
@require_POST
def question_action(request: HttpRequest, pk: int, code: str, action: str) -> HttpResponse:
    questionnaire = _editable(request, pk)
    try:
        if action in ("up", "down"):
            edited = services.move_question(
                request.user, questionnaire=questionnaire, code=code, direction=action
            )
        elif action == "remove":
            edited = services.remove_question(request.user, questionnaire=questionnaire, code=code)
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("surveys:questionnaire", pk=questionnaire.pk)
    return _saved(request, edited, questionnaire)


@login_required
def questionnaire_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The form as a respondent sees it on a phone (nothing can be sent from it)."""
    questionnaire = selectors.get_questionnaire_for_user(request.user, pk)
    return render(
        request,
        "surveys/questionnaire_preview.html",
        {"questionnaire": questionnaire, "questions": list(questionnaire.questions.all())},
    )
