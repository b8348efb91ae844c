from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.training.models import Course, Gender, TargetRole


class DateInput(forms.DateInput):
    input_type = "date"


class CourseForm(forms.Form):
    owner_unit = forms.TypedChoiceField(label=_("Organiser"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=300)
    level = forms.ChoiceField(label=_("Level"), choices=Course.Level.choices)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)
    place = forms.CharField(label=pgettext_lazy("venue", "Place"), max_length=300, required=False)
    mode = forms.ChoiceField(label=_("Mode"), choices=Course.Mode.choices)
    target_roles = forms.MultipleChoiceField(
        label=_("Target roles"),
        choices=TargetRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False)
    completion_percent = forms.IntegerField(
        label=_("Share of hours needed to complete (%)"), min_value=1, max_value=100, initial=80
    )
    has_assessment = forms.BooleanField(
        label=_("Final assessment (completion also needs a pass)"), required=False
    )
    max_score = forms.DecimalField(
        label=_("Highest score"), min_value=1, max_digits=5, decimal_places=1, initial=10
    )
    pass_mark = forms.DecimalField(
        label=_("Pass mark"), min_value=0, max_digits=5, decimal_places=1, initial=5
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = [(u.pk, u.display_name) for u in units]


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=300)
    presenter = forms.CharField(label=_("Presenter"), max_length=200, required=False)
    held_on = forms.DateField(label=_("Day"), widget=DateInput)
    hours = forms.DecimalField(label=_("Hours"), min_value=0.5, max_digits=4, decimal_places=1)


class UnitForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.display_name) for u in units]


class CoverageForm(UnitForm):
    role = forms.ChoiceField(
        label=_("Officers"),
        choices=TargetRole.choices,
        required=False,
        initial=TargetRole.AREA_HEAD,
    )
    since = forms.DateField(label=_("From"), widget=DateInput)
    until = forms.DateField(label=_("To"), widget=DateInput)
    tree = forms.ChoiceField(
        label=_("Units"),
        choices=[
            ("now", _("As they are today")),
            ("then", _("As they were on the last day of the period")),
        ],
        required=False,
        initial="now",
    )


class OfficerForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=TargetRole.choices)
    on_payroll = forms.BooleanField(label=_("On the payroll"), required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.display_name) for u in units]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Learner's code"),
        max_length=300,
        help_text=_(
            "Scan the QR on the learner's card or phone, or type the code printed under it."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
                "inputmode": "text",
            }
        ),
    )


class ExcuseForm(forms.Form):
    enrolment = forms.TypedChoiceField(label=_("Learner"), coerce=int)
    session = forms.TypedChoiceField(
        label=_("Excused from"),
        coerce=int,
        help_text=_(
            "One session, or the whole course (the learner is then left out of completion)."
        ),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, enrolments=(), sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].choices = [
            (e.pk, f"{e.officer.full_name} · {e.unit.display_name}") for e in enrolments
        ]
        self.fields["session"].choices = [
            (0, _("The whole course")),
            *[(s.pk, f"{s.held_on:%d/%m/%Y} · {s.title}") for s in sessions],
        ]


class CommendForm(forms.Form):
    count = forms.IntegerField(label=_("How many of the best learners"), min_value=1, initial=3)
