"""Forms of the survey pages. The keying grid and the web answer form are built from the
frozen questionnaire; the services check the answers again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.surveys.models import Question, Questionnaire, Survey
from thidua.surveys.services.questionnaires import CHOICE_KINDS


class LaunchForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    unit = forms.ChoiceField(label=_("Launching unit"))
    scope = forms.CharField(
        label=_("Surveyed unit"),
        help_text=_(
            "The ward or commune (or the launching unit) whose residential areas are surveyed."
        ),
    )
    questionnaire = forms.ChoiceField(label=_("Questionnaire"))
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Survey.Mode.choices)
    method = forms.ChoiceField(label=_("Method"), choices=Survey.Method.choices)
    sample_size = forms.IntegerField(
        label=_("Residential areas sampled"),
        required=False,
        min_value=1,
        help_text=_("Leave empty to survey every residential area."),
    )
    posting_days = forms.IntegerField(
        label=_("Days on public posting"), min_value=1, max_value=90, initial=10
    )

    def __init__(self, *args, units, questionnaires, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.display_name) for u in units]
        self.fields["questionnaire"].choices = [
            ("standard", _("Standard satisfaction questionnaire (new version)"))
        ] + [(q.pk, f"{q} · {q.owner_unit.name}") for q in questionnaires]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PostForm(forms.Form):
    posted_from = forms.DateField(
        label=_("Posted from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.IntegerField(label=_("Days on public posting"), min_value=1, max_value=90)
    places = forms.CharField(label=_("Places of posting"), max_length=500, required=False)
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BatchHeaderForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Forms collected"),
        choices=[("paper", _("door to door")), ("meeting", _("at an area meeting"))],
    )
    meeting_on = forms.DateField(
        label=_("Meeting date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attendance = forms.IntegerField(label=_("Attendance"), required=False, min_value=0)


def parse_options(text: str) -> list[dict[str, str]]:
    """One option a line: "code: Vietnamese | English | Indonesian" (the code may be left
    out: the line's number is used)."""
    options = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        code = str(number)
        head, colon, rest = line.partition(":")
        if colon and head.strip() and " " not in head.strip() and len(head.strip()) <= 40:
            code, line = head.strip(), rest.strip()
        labels = [part.strip() for part in line.split("|")] + ["", ""]
        options.append({"code": code, "vi": labels[0], "en": labels[1], "id": labels[2]})
    return options


def format_options(options: list[dict[str, str]]) -> str:
    lines = []
    for option in options:
        labels = [option.get("vi", ""), option.get("en", ""), option.get("id", "")]
        while labels and not labels[-1]:
            labels.pop()
        lines.append(f"{option['code']}: {' | '.join(labels)}")
    return "\n".join(lines)


def split_codes(text: str) -> list[str]:
    return [p for p in (text or "").replace(";", ",").replace(" ", ",").split(",") if p]


class QuestionnaireCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    owner_unit = forms.ChoiceField(label=_("Owner unit"))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Questionnaire.Purpose.choices)
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            ("standard", _("the nine standard satisfaction questions")),
            ("blank", _("one 5-level question, to edit")),
        ],
        widget=forms.RadioSelect,
        initial="standard",
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = [(u.pk, u.display_name) for u in units]


class QuestionnaireHeaderForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Questionnaire.Purpose.choices)
    pass_question = forms.ChoiceField(label=_("Pass rule: question"), required=False)
    pass_options = forms.CharField(
        label=_("Pass rule: answers that count as passing"),
        required=False,
        help_text=_("Option codes separated by commas, e.g. 4, 5."),
    )
    pass_threshold = forms.DecimalField(
        label=_("Pass rule: at least this percentage of valid answers"),
        min_value=1,
        max_value=100,
        decimal_places=1,
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pass_question"].choices = [("", _("no pass rule"))] + [
            (q.code, f"{q.code}. {q.text}") for q in questions if q.kind in CHOICE_KINDS
        ]


class QuestionForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        required=False,
        help_text=_("Short and unique, e.g. Q5; left empty, the next number is used."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text_vi = forms.CharField(label=_("Question (Vietnamese)"), max_length=500)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    text_id = forms.CharField(label=_("Question (Indonesian)"), max_length=500, required=False)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            'One option a line: "code: Vietnamese | English | Indonesian". A 5-level question '
            "left empty gets the standard scale, from very dissatisfied (1) to very satisfied (5)."
        ),
    )
    allow_other = forms.BooleanField(label=_('Allow "other" with a text'), required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    public = forms.BooleanField(label=_("Shown in the public results"), required=False)
    condition_question = forms.ChoiceField(label=_("Show only if the answer to"), required=False)
    condition_options = forms.CharField(
        label=_("is one of (option codes)"),
        required=False,
        help_text=_("Option codes separated by commas, e.g. 1, 2."),
    )

    def __init__(self, *args, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition_question"].choices = [("", _("always shown"))] + [
            (q.code, f"{q.code}. {q.text}") for q in earlier if q.kind in CHOICE_KINDS
        ]

    def question_data(self) -> dict:
        data = self.cleaned_data
        condition = None
        if data["condition_question"]:
            condition = {
                "question": data["condition_question"],
                "in": split_codes(data["condition_options"]),
            }
        return {
            "code": data["code"].strip(),
            "kind": data["kind"],
            "text_vi": data["text_vi"],
            "text_en": data["text_en"],
            "text_id": data["text_id"],
            "options": parse_options(data["options"]),
            "allow_other": data["allow_other"],
            "required": data["required"],
            "public": data["public"],
            "condition": condition,
        }

    @staticmethod
    def initial_for(question) -> dict:
        condition = question.condition or {}
        return {
            "code": question.code,
            "kind": question.kind,
            "text_vi": question.text_vi,
            "text_en": question.text_en,
            "text_id": question.text_id,
            "options": format_options(question.options),
            "allow_other": question.allow_other,
            "required": question.required,
            "public": question.public,
            "condition_question": condition.get("question", ""),
            "condition_options": ", ".join(condition.get("in") or []),
        }
