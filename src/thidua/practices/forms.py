import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.practices.models import Exemplar, Stage
from thidua.shared.models import Field


class DateInput(forms.DateInput):
    input_type = "date"


class PracticeForm(forms.Form):
    owner_unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=300)
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.all())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    started_on = forms.DateField(label=_("Started on"), widget=DateInput)
    evidence = forms.FileField(label=_("Photo or document"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = [(u.pk, u.display_name) for u in units]


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to stage"), choices=Stage.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("Photo or document"), required=False)
    override_reason = forms.CharField(
        label=_("Reason (only to go back or skip a stage)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlanForm(forms.Form):
    mentoring_unit = forms.CharField(label=_("Mentoring unit (code)"), max_length=40)
    goals = forms.CharField(
        label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    checkpoints = forms.CharField(
        label=_("Checkpoints"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: YYYY-MM-DD; what should be done by then."),
    )

    def clean_checkpoints(self):
        out = []
        for number, line in enumerate(self.cleaned_data["checkpoints"].splitlines(), start=1):
            if not line.strip():
                continue
            date_text, _sep, title = line.partition(";")
            try:
                due = dt.date.fromisoformat(date_text.strip())
            except ValueError as error:
                raise forms.ValidationError(
                    _("Line %(n)s: start with a date as YYYY-MM-DD.") % {"n": number}
                ) from error
            if not title.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: say what should be done.") % {"n": number}
                )
            out.append((title.strip(), due))
        return out


class SummaryForm(forms.Form):
    results = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 3}))
    lessons = forms.CharField(label=_("Lessons"), widget=forms.Textarea(attrs={"rows": 3}))
    how_to_replicate = forms.CharField(
        label=_("How to replicate"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReplicateForm(forms.Form):
    adopting_unit = forms.TypedChoiceField(label=_("Adopting unit"), coerce=int)
    started_on = forms.DateField(label=_("Started on"), widget=DateInput)
    adaptations = forms.CharField(
        label=_("Adaptations"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_reason = forms.CharField(
        label=_("Reason (only before the practice is summarised)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopting_unit"].choices = [(u.pk, u.display_name) for u in units]


class ExemplarForm(forms.Form):
    owner_unit = forms.TypedChoiceField(label=_("Nominating unit"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=Exemplar.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    deeds = forms.CharField(label=_("Deeds"), widget=forms.Textarea(attrs={"rows": 3}))
    story = forms.CharField(
        label=_("Story"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    photo = forms.FileField(label=_("Photo"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = [(u.pk, u.display_name) for u in units]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.all(), required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", "—"), *Stage.choices], required=False)
    unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=300,
        help_text=_("Part of the name, with or without accents; the units below it are included."),
    )
