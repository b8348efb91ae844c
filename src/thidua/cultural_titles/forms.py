from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.models import PostingComment
from thidua.cultural_titles.services.assessments import GridRow


class RoundForm(forms.Form):
    commune = forms.ModelChoiceField(queryset=None, label=_("Commune / ward"))
    year = forms.IntegerField(label=_("Year"), min_value=2024, max_value=2100)

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Assessed list (the area's Excel template)"))


class HouseholdImportForm(forms.Form):
    file = forms.FileField(label=_("Household register (.xlsx or .csv)"))
    effective_on = forms.DateField(
        label=_("Moves take effect on"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )


class MeetingForm(forms.Form):
    meeting_on = forms.DateField(
        label=_("Date of the meeting"), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    chair = forms.CharField(label=_("Chaired by (head of the area)"), max_length=200)
    co_chair = forms.CharField(label=_("With (head of the Front Work Committee)"), max_length=200)
    attendees = forms.IntegerField(label=_("Attendees"), min_value=0, required=False)


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    contact = forms.CharField(label=_("Phone or email"), max_length=200, required=False)
    about = forms.CharField(label=_("About (household, address)"), max_length=100, required=False)
    text = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    comment = forms.ModelChoiceField(
        queryset=PostingComment.objects.none(), widget=forms.HiddenInput
    )
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}))
    household_code = forms.CharField(label=_("Household code whose result changes"), required=False)
    eligible = forms.TypedChoiceField(
        label=_("New result"),
        required=False,
        choices=[("", "—"), ("yes", _("Eligible")), ("no", _("Not eligible"))],
    )

    def __init__(self, *args, comments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if comments is not None:
            self.fields["comment"].queryset = comments


class FileForm(forms.Form):
    late_reason = forms.CharField(
        label=_("Reason for filing late (after the deadline)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    signed_on = forms.DateField(
        label=_("Date of the decision"), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    signer = forms.CharField(label=_("Signed by"), max_length=200)


class AreaProposalForm(forms.Form):
    area = forms.ModelChoiceField(queryset=None, label=_("Residential area"))
    honors_round = forms.ModelChoiceField(queryset=None, label=_("Commendation round"))
    report = forms.CharField(
        label=_("Achievement report (Form 05)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.CharField(
        label=_("Evidence for each criterion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, areas=None, honors_rounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["honors_round"].queryset = honors_rounds


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class HouseholdForm(forms.Form):
    code = forms.CharField(label=_("Household code"), max_length=40)
    head_name = forms.CharField(label=_("Head of household"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    members = forms.IntegerField(label=_("Members"), min_value=1, max_value=200, initial=1)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    id_number = forms.CharField(
        label=_("ID number of the head (only a check of it is kept)"),
        max_length=20,
        required=False,
    )


class MoveForm(forms.Form):
    to_unit = forms.ModelChoiceField(queryset=None, label=_("New area"))
    moved_on = forms.DateField(label=_("Date of the move"), input_formats=DATE_FORMATS)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = areas


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Leaves the register on"), input_formats=DATE_FORMATS)
    reason = forms.CharField(label=_("Reason"), max_length=300)


def grid_rows(data: Any, criteria: list[str]) -> list[GridRow]:
    """The keyboard grid's lines from the posted form: `h` lists the households shown; for each,
    `c-<id>-<criterion>` is ticked for yes, `r-<id>` is yes / no / empty (not assessed yet),
    `why-<id>` the reason and `ov-<id>` the reason for the exception."""
    rows = []
    for raw in data.getlist("h"):
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            continue
        result = data.get(f"r-{pk}", "")
        rows.append(
            GridRow(
                household_id=pk,
                answers={code: data.get(f"c-{pk}-{code}") == "1" for code in criteria},
                eligible={"yes": True, "no": False}.get(result),
                reason=data.get(f"why-{pk}", ""),
                override=data.get(f"ov-{pk}", ""),
            )
        )
    return rows
