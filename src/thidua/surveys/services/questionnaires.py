"""Questionnaires: questions with kinds, options, conditions and public flags; a pass rule;
versions frozen once a survey using them is fielded (a change is a new version)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.surveys.models import Question, Questionnaire

LIKERT_OPTIONS = [
    {"code": "1", "vi": "Rất không hài lòng", "en": "Very dissatisfied", "id": "Sangat tidak puas"},
    {"code": "2", "vi": "Không hài lòng", "en": "Dissatisfied", "id": "Tidak puas"},
    {"code": "3", "vi": "Bình thường", "en": "Neutral", "id": "Biasa saja"},
    {"code": "4", "vi": "Hài lòng", "en": "Satisfied", "id": "Puas"},
    {"code": "5", "vi": "Rất hài lòng", "en": "Very satisfied", "id": "Sangat puas"},
]
SATISFIED = ["4", "5"]
CHOICE_KINDS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.LIKERT}
CODE_LENGTH = 20  # question and option codes (tally cells hold them)
TEXT_LENGTH = 500
LANGUAGES = ("vi", "en", "id")
ANSWERED_CODE = "_n"  # the tallies' "forms answering" cell: never an option


def _clean_questions(questions: list[dict[str, Any]]) -> list[Question]:
    errors: list[str] = []
    built: list[Question] = []
    seen: dict[str, Question] = {}
    for index, raw in enumerate(questions, start=1):
        code = str(raw.get("code") or f"Q{index}").strip()
        kind = raw.get("kind", Question.Kind.LIKERT)
        if kind not in Question.Kind.values:
            errors.append(_("Question %(code)s: unknown kind.") % {"code": code})
            continue
        if code in seen:
            errors.append(_("Question %(code)s appears twice.") % {"code": code})
            continue
        if len(code) > CODE_LENGTH or not code.replace("_", "").replace("-", "").isalnum():
            errors.append(
                _("Question %(code)s: a code is up to 20 letters or digits.") % {"code": code[:30]}
            )
            continue
        options = raw.get("options") or (LIKERT_OPTIONS if kind == Question.Kind.LIKERT else [])
        options = [
            {
                "code": str(o.get("code") or "").strip(),
                **{lang: str(o.get(lang) or "").strip()[:TEXT_LENGTH] for lang in LANGUAGES},
            }
            if isinstance(o, dict)
            else {"code": str(o).strip(), "vi": str(o).strip()[:TEXT_LENGTH]}
            for o in options
        ]
        option_codes = [o["code"] for o in options]
        if (
            any(not c or len(c) > CODE_LENGTH for c in option_codes)
            or len(set(option_codes)) != len(option_codes)
            or ANSWERED_CODE in option_codes
        ):
            errors.append(_("Question %(code)s: every option needs its own code.") % {"code": code})
        if any(len(str(raw.get(f"text_{lang}") or "")) > TEXT_LENGTH for lang in LANGUAGES):
            errors.append(_("Question %(code)s: a text is up to 500 characters.") % {"code": code})
        if kind in CHOICE_KINDS and len(options) < 2:
            errors.append(_("Question %(code)s needs at least two options.") % {"code": code})
        if not str(raw.get("text_vi", "")).strip():
            errors.append(_("Question %(code)s needs its Vietnamese text.") % {"code": code})
        condition = raw.get("condition")
        if condition and not (
            isinstance(condition, dict)
            and isinstance(condition.get("question"), str)
            and isinstance(condition.get("in"), list)
            and all(isinstance(o, str) for o in condition["in"])
        ):
            errors.append(
                _("Question %(code)s: a condition must refer to an earlier choice question.")
                % {"code": code}
            )
            condition = None
        elif condition:
            condition = {"question": condition["question"], "in": condition["in"]}
            earlier = seen.get(str(condition.get("question")))
            if earlier is None or earlier.kind not in CHOICE_KINDS:
                errors.append(
                    _("Question %(code)s: a condition must refer to an earlier choice question.")
                    % {"code": code}
                )
            elif not set(condition.get("in") or []) <= set(earlier.option_codes()):
                errors.append(
                    _("Question %(code)s: the condition names an option that does not exist.")
                    % {"code": code}
                )
        question = Question(
            code=code,
            order=index,
            kind=kind,
            text_vi=str(raw.get("text_vi") or "").strip()[:TEXT_LENGTH],
            text_en=str(raw.get("text_en") or "").strip()[:TEXT_LENGTH],
            text_id=str(raw.get("text_id") or "").strip()[:TEXT_LENGTH],
            options=options if kind in CHOICE_KINDS else [],
            allow_other=bool(raw.get("allow_other")),
            required=bool(raw.get("required")),
            public=raw.get("public", True) is not False,
            condition=condition or None,
        )
        seen[code] = question
        built.append(question)
    if not built and not errors:
        errors.append(_("A questionnaire needs at least one question."))
    if errors:
        raise ValidationError({"questions": errors})
    return built


def clean_pass_rule(
    built: list[Question], pass_question: str, pass_options: list[str], pass_threshold: Any
) -> Decimal:
    """The pass rule names a choice question of the list and some of its options; the
    threshold is a share in (0, 1]."""
    by_code = {q.code: q for q in built}
    try:
        threshold = Decimal(str(pass_threshold))
    except ArithmeticError as error:
        raise ValidationError(
            {"pass_threshold": _("The threshold is a share between 0 and 1.")}
        ) from error
    if pass_question:
        question = by_code.get(pass_question)
        if question is None or question.kind not in CHOICE_KINDS:
            raise ValidationError(
                {"pass_question": _("The pass rule must name a choice question.")}
            )
        if not pass_options or not set(pass_options) <= set(question.option_codes()):
            raise ValidationError({"pass_options": _("The pass rule names unknown options.")})
    if not threshold.is_finite() or not Decimal(0) < threshold <= Decimal(1):
        raise ValidationError({"pass_threshold": _("The threshold is a share between 0 and 1.")})
    return threshold


def create_questionnaire(
    actor: Any,
    *,
    owner_unit: Any,
    title: str,
    purpose: str = Questionnaire.Purpose.CUSTOM,
    questions: list[dict[str, Any]],
    pass_question: str = "",
    pass_options: list[str] | None = None,
    pass_threshold: Decimal | str = Decimal("0.8"),
    previous: Questionnaire | None = None,
) -> Questionnaire:
    """A questionnaire and its questions; the pass rule must name a choice question and some
    of its options."""
    require(actor, "surveys.manage", owner_unit)
    built = _clean_questions(questions)
    pass_options = [str(o) for o in (pass_options or [])]
    threshold = clean_pass_rule(built, pass_question, pass_options, pass_threshold)
    questionnaire = Questionnaire(
        owner_unit=owner_unit,
        title=title.strip(),
        purpose=purpose,
        pass_question=pass_question,
        pass_options=pass_options,
        pass_threshold=threshold,
        previous=previous,
        version=previous.version + 1 if previous else 1,
    )
    questionnaire.full_clean(exclude=["previous"])
    with transaction.atomic():
        questionnaire.save()
        for question in built:
            question.questionnaire = questionnaire
        Question.objects.bulk_create(built)
        audit.record(
            actor,
            "surveys.create_questionnaire",
            questionnaire,
            {"title": questionnaire.title, "version": questionnaire.version},
            unit=owner_unit,
        )
    return questionnaire


def question_dicts(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    return [
        {
            "code": q.code,
            "kind": q.kind,
            "text_vi": q.text_vi,
            "text_en": q.text_en,
            "text_id": q.text_id,
            "options": q.options,
            "allow_other": q.allow_other,
            "required": q.required,
            "public": q.public,
            "condition": q.condition,
        }
        for q in questionnaire.questions.all()
    ]


def new_version(
    actor: Any, *, questionnaire: Questionnaire, questions: list[dict[str, Any]] | None = None
) -> Questionnaire:
    """A frozen questionnaire is never edited: a change is the next version."""
    if hasattr(questionnaire, "next_version"):
        raise ValidationError(_("This questionnaire already has a newer version."))
    return create_questionnaire(
        actor,
        owner_unit=questionnaire.owner_unit,
        title=questionnaire.title,
        purpose=questionnaire.purpose,
        questions=questions if questions is not None else question_dicts(questionnaire),
        pass_question=questionnaire.pass_question,
        pass_options=questionnaire.pass_options,
        pass_threshold=questionnaire.pass_threshold,
        previous=questionnaire,
    )


# Neutral wording until the nine questions of HD 90/2022 as Hà Nội applied them are known.
STANDARD_TOPICS = [
    (
        "Hạ tầng giao thông, điện, nước sinh hoạt",
        "Roads, power and water",
        "Jalan, listrik dan air",
    ),
    ("Trường học và cơ sở y tế", "Schools and health stations", "Sekolah dan layanan kesehatan"),
    (
        "Nhà văn hóa và hoạt động văn hóa, thể thao",
        "Cultural houses and activities",
        "Balai budaya dan kegiatan",
    ),
    ("Sản xuất và thu nhập của người dân", "Production and income", "Produksi dan pendapatan"),
    (
        "Môi trường, cảnh quan xanh – sạch – đẹp",
        "Environment and landscape",
        "Lingkungan dan lanskap",
    ),
    ("An ninh, trật tự ở khu dân cư", "Security and order", "Keamanan dan ketertiban"),
    (
        "Thủ tục hành chính và giải quyết công việc của người dân",
        "Administrative services",
        "Layanan administrasi",
    ),
    (
        "Việc công khai, dân chủ ở cơ sở",
        "Openness and grassroots democracy",
        "Keterbukaan dan demokrasi",
    ),
]


def standard_questions() -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = [
        {
            "code": f"Q{i}",
            "kind": Question.Kind.LIKERT,
            "text_vi": f"Mức độ hài lòng về {vi[0].lower()}{vi[1:]}",
            "text_en": f"How satisfied are you with: {en.lower()}",
            "text_id": f"Seberapa puas Anda dengan: {id_.lower()}",
            "required": False,
        }
        for i, (vi, en, id_) in enumerate(STANDARD_TOPICS, start=1)
    ]
    questions.append(
        {
            "code": "Q9",
            "kind": Question.Kind.LIKERT,
            "text_vi": "Nhìn chung, ông/bà có hài lòng với kết quả xây dựng nông thôn mới không?",
            "text_en": "Overall, are you satisfied with the results of building new rural areas?",
            "text_id": "Secara umum, apakah Anda puas dengan hasil pembangunan desa baru?",
            "required": True,
        }
    )
    return questions


def standard_questionnaire(actor: Any, *, owner_unit: Any, title: str = "") -> Questionnaire:
    """The default satisfaction questionnaire: nine 5-level questions, Q9 the pass rule."""
    return create_questionnaire(
        actor,
        owner_unit=owner_unit,
        title=title or "Phiếu lấy ý kiến sự hài lòng của người dân",
        purpose=Questionnaire.Purpose.NTM_SATISFACTION,
        questions=standard_questions(),
        pass_question="Q9",
        pass_options=SATISFIED,
        pass_threshold=Decimal("0.8"),
    )
