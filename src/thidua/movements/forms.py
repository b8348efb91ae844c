from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import LocalDecimalField
from thidua.movements.models import Indicator, Movement, Work
from thidua.org.models import UnitKind
from thidua.shared.models import Field


class DateInput(forms.DateInput):
    input_type = "date"


class MovementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner_unit = forms.TypedChoiceField(label=_("Launching unit"), coerce=int)
    parent = forms.TypedChoiceField(
        label=_("Local drive under the movement"), coerce=int, required=False, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Movement.Kind.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    schedule = forms.ChoiceField(label=_("Reporting schedule"), choices=Movement.Schedule.choices)
    due_days = forms.IntegerField(
        label=_("Report due (days after the period ends)"), min_value=0, max_value=120, initial=10
    )
    reminder_days = forms.IntegerField(
        label=_("Remind (days before the due date)"), min_value=0, max_value=60, initial=3
    )
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields"),
        queryset=Field.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scope_kinds = forms.ModelMultipleChoiceField(
        label=_("Units that take part"),
        queryset=UnitKind.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every unit below the launching unit."),
    )

    def __init__(self, *args, units=(), parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = [(u.pk, u.display_name) for u in units]
        self.fields["parent"].choices = [("", "—")] + [(m.pk, m.title) for m in parents]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return data


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200, required=False)
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=50, required=False)
    aggregation = forms.ChoiceField(
        label=_("Aggregation"), choices=Indicator.Aggregation.choices, required=False
    )
    target_kind = forms.ModelChoiceField(
        label=_("Target for each"),
        queryset=UnitKind.objects.all(),
        required=False,
        to_field_name="code",
    )
    target = LocalDecimalField(label=_("Target"), required=False, min_value=0, max_digits=14)

    def spec(self):
        data = self.cleaned_data
        if not data.get("name"):
            return None
        targets = {}
        if data.get("target_kind") and data.get("target") is not None:
            targets[data["target_kind"].code] = data["target"]
        return {
            "name": data["name"],
            "unit_of_measure": data.get("unit_of_measure", ""),
            "aggregation": data.get("aggregation") or Indicator.Aggregation.SUM,
            "targets": targets,
        }


IndicatorFormSet = formset_factory(IndicatorForm, extra=4, max_num=12)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WorkForm(forms.Form):
    title = forms.CharField(label=_("Work"), max_length=300)
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.all(), required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput)
    budget = LocalDecimalField(
        label=_("Budget (VND)"), required=False, min_value=0, max_digits=16, decimal_places=0
    )
    is_congress_work = forms.BooleanField(label=_("Work to welcome the Congress"), required=False)


class WorkStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Work.Status.choices)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class DashboardForm(forms.Form):
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    period = forms.TypedChoiceField(label=_("Period"), coerce=int, required=False, empty_value=None)
    tree = forms.ChoiceField(
        label=_("Count under"),
        choices=[("then", _("the tree of then")), ("now", _("today's tree"))],
        required=False,
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("Whole movement"))] + [
            (p.pk, p.label) for p in periods
        ]
