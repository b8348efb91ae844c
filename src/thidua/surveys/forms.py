"""Forms of the survey pages. The keying grid and the web answer form are built from the
frozen questionnaire; the services check the answers again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.surveys.models import Survey


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
        ] + [(q.pk, str(q)) for q in questionnaires]


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
