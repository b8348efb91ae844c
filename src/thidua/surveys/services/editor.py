"""The questionnaire editor: change the heading and pass rule, add, edit, move and remove
questions. Every change rewrites the whole question list through the same checks as a new
questionnaire (conditions only on earlier choice questions, the pass rule on a choice question).

A questionnaire fielded by a survey is frozen: a change never touches it, it creates the next
version (with the change applied), which later surveys use; fielded surveys keep theirs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.surveys.models import Question, Questionnaire
from thidua.surveys.services.questionnaires import (
    _clean_questions,
    clean_pass_rule,
    create_questionnaire,
    question_dicts,
)

HEADER_FIELDS = ("title", "purpose", "pass_question", "pass_options", "pass_threshold")


@dataclass
class Edited:
    """The questionnaire after a change, and whether the change made a new version."""

    questionnaire: Questionnaire
    new_version: bool


def header_of(questionnaire: Questionnaire) -> dict[str, Any]:
    return {name: getattr(questionnaire, name) for name in HEADER_FIELDS}


def _apply(
    actor: Any,
    questionnaire: Questionnaire,
    *,
    questions: list[dict[str, Any]],
    header: dict[str, Any],
    change: str,
    detail: dict[str, Any],
) -> Edited:
    require(actor, "surveys.manage", questionnaire.owner_unit)
    with transaction.atomic():
        # the lock waits for a survey fielding this questionnaire at the same moment
        locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if Questionnaire.objects.filter(previous=locked).exists():
            raise ValidationError(
                _("This questionnaire has a newer version: make the change there.")
            )
        title = str(header.get("title") or "").strip()
        if not title:
            raise ValidationError({"title": _("Give the questionnaire a title.")})
        if header["purpose"] not in Questionnaire.Purpose.values:
            raise ValidationError({"purpose": _("Choose a purpose from the list.")})
        if locked.is_frozen:
            created = create_questionnaire(
                actor,
                owner_unit=locked.owner_unit,
                title=title,
                purpose=header["purpose"],
                questions=questions,
                pass_question=header["pass_question"],
                pass_options=header["pass_options"],
                pass_threshold=header["pass_threshold"],
                previous=locked,
            )
            return Edited(created, True)
        built = _clean_questions(questions)
        pass_options = [str(o) for o in header["pass_options"] or []]
        threshold = clean_pass_rule(
            built, header["pass_question"], pass_options, header["pass_threshold"]
        )
        locked.title = title
        locked.purpose = header["purpose"]
        locked.pass_question = header["pass_question"]
        locked.pass_options = pass_options
        locked.pass_threshold = threshold
        locked.full_clean(exclude=["previous"])
        locked.save()
        locked.questions.all().delete()
        for question in built:
            question.questionnaire = locked
        Question.objects.bulk_create(built)
        audit.record(
            actor,
            "surveys.edit_questionnaire",
            locked,
            {"change": change, **detail},
            unit=locked.owner_unit,
        )
    return Edited(locked, False)


def _index(questions: list[dict[str, Any]], code: str) -> int:
    for index, question in enumerate(questions):
        if question["code"] == code:
            return index
    raise ValidationError(_("This questionnaire has no question %(code)s.") % {"code": code})


def update_questionnaire(
    actor: Any,
    *,
    questionnaire: Questionnaire,
    title: str,
    purpose: str,
    pass_question: str = "",
    pass_options: list[str] | None = None,
    pass_threshold: Any = "0.8",
) -> Edited:
    """The title, purpose and pass rule."""
    header = {
        "title": title,
        "purpose": purpose,
        "pass_question": (pass_question or "").strip(),
        "pass_options": [str(o).strip() for o in pass_options or [] if str(o).strip()],
        "pass_threshold": pass_threshold,
    }
    return _apply(
        actor,
        questionnaire,
        questions=question_dicts(questionnaire),
        header=header,
        change="heading",
        detail={"title": title.strip(), "pass_question": header["pass_question"]},
    )


def save_question(
    actor: Any, *, questionnaire: Questionnaire, code: str | None, data: dict[str, Any]
) -> Edited:
    """Add a question at the end (`code` None) or replace question `code` where it stands."""
    questions = question_dicts(questionnaire)
    data = {**data, "code": str(data.get("code") or "").strip()}
    if code is None:
        if not data["code"]:
            taken = {q["code"] for q in questions}
            number = len(questions) + 1
            while f"Q{number}" in taken:
                number += 1
            data["code"] = f"Q{number}"
        questions.append(data)
        change = "add_question"
    else:
        index = _index(questions, code)
        data["code"] = data["code"] or code
        questions[index] = data
        change = "edit_question"
    header = header_of(questionnaire)
    if code is not None and header["pass_question"] == code:
        header["pass_question"] = data["code"]  # a renamed question keeps the pass rule
    return _apply(
        actor,
        questionnaire,
        questions=questions,
        header=header,
        change=change,
        detail={"question": data["code"]},
    )


def move_question(actor: Any, *, questionnaire: Questionnaire, code: str, direction: str) -> Edited:
    """One place up or down (a question cannot move above the one its condition reads)."""
    questions = question_dicts(questionnaire)
    index = _index(questions, code)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(questions):
        raise ValidationError(_("This question cannot move further."))
    questions[index], questions[target] = questions[target], questions[index]
    return _apply(
        actor,
        questionnaire,
        questions=questions,
        header=header_of(questionnaire),
        change="move_question",
        detail={"question": code, "direction": direction},
    )


def remove_question(actor: Any, *, questionnaire: Questionnaire, code: str) -> Edited:
    """A question that the pass rule or a condition reads cannot go before they change."""
    questions = question_dicts(questionnaire)
    del questions[_index(questions, code)]
    header = header_of(questionnaire)
    if header["pass_question"] == code:
        raise ValidationError(
            _("The pass rule reads question %(code)s: change the pass rule first.") % {"code": code}
        )
    return _apply(
        actor,
        questionnaire,
        questions=questions,
        header=header,
        change="remove_question",
        detail={"question": code},
    )
