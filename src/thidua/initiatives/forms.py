import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import HoneypotField, LocalDecimalField
from thidua.initiatives.models import Call, Review, Submission, Vote
from thidua.shared.models import CouncilMember, Field


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class SubmissionForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("Who applies"), choices=Submission.ApplicantKind.choices
    )
    applicant_name = forms.CharField(label=_("Name of the person or collective"), max_length=200)
    applicant_email = forms.EmailField(
        label=_("Email (to confirm and follow the submission)"), required=False
    )
    applicant_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    co_authors = forms.CharField(
        label=_("Co-authors (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    unit = forms.TypedChoiceField(label=_("Unit of origin"), coerce=int)
    field = forms.ModelChoiceField(label=_("Field"), queryset=Field.objects.all())
    title = forms.CharField(label=_("Title of the initiative"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    description = forms.CharField(
        label=_("Full description"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000
    )
    expected_benefit = forms.CharField(
        label=_("Expected benefit"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF, images, Word, Excel; 10 MB each)"), required=False
    )
    publish_names = forms.BooleanField(
        label=_("Publish my name if the initiative is recognised"), required=False, initial=True
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # Left empty by people (who never see it); filled by bots that fill every field.
    website = HoneypotField()

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—")] + [(u.pk, u.display_name) for u in units]
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4().hex)


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner_unit = forms.TypedChoiceField(label=_("Organising unit"), coerce=int)
    council = forms.TypedChoiceField(
        label=_("Council"), coerce=int, required=False, empty_value=None
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput)
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput)
    review_deadline = forms.DateField(label=_("Reviews due on"), widget=DateInput, required=False)
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields"),
        queryset=Field.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    influence = forms.ChoiceField(label=_("Scope of influence"), choices=Call.Influence.choices)
    reviews_per_submission = forms.IntegerField(
        label=_("Reviews per submission"), min_value=1, max_value=9, initial=2
    )
    blind = forms.BooleanField(label=_("Blind review"), required=False, initial=True)
    recognition_share = LocalDecimalField(
        label=_("Share of all council members needed"),
        min_value=0.01,
        max_value=1,
        initial=0.5,
        decimal_places=3,
    )
    strictly_more = forms.BooleanField(
        label=_("More than that share (not just equal)"), required=False, initial=True
    )
    secret_ballot = forms.BooleanField(label=_("Secret ballot"), required=False)
    award_levels = forms.CharField(
        label=_("Award levels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name; prize in VND."),
    )

    def __init__(self, *args, units=(), councils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = [(u.pk, u.display_name) for u in units]
        self.fields["council"].choices = [("", "—")] + [(c.pk, c.name) for c in councils]

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The end date must not be before the start date."))
        levels = []
        for number, line in enumerate((data.get("award_levels") or "").splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, prize = line.partition(";")
            try:
                levels.append((name.strip(), int(prize.strip().replace(".", "") or 0)))
            except ValueError:
                self.add_error(
                    "award_levels",
                    _("Line %(n)s: the prize must be a whole number.") % {"n": number},
                )
        data["levels"] = levels
        return data


class CouncilForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    owner_unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    members = forms.CharField(
        label=_("Members"),
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text=_(
            "One per line: username; role (chair, vice_chair, secretary, member); "
            "home unit code (optional)."
        ),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = [(u.pk, u.display_name) for u in units]


class ScreenForm(forms.Form):
    decision = forms.ChoiceField(choices=[("in", _("Screen in")), ("out", _("Screen out"))])
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Reviewer"), queryset=CouncilMember.objects.none())

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        if council is not None:
            self.fields["member"].queryset = council.members.filter(is_active=True).select_related(
                "user"
            )


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("What is the conflict?"), max_length=300)


def review_form_class(criteria):
    fields = {}
    for criterion in criteria:
        fields[f"score_{criterion.pk}"] = LocalDecimalField(
            label=f"{criterion.name} (0–{criterion.max_score})",
            required=False,
            min_value=0,
            max_value=criterion.max_score,
            decimal_places=2,
            help_text=criterion.guidance,
        )
        fields[f"comment_{criterion.pk}"] = forms.CharField(
            label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
    fields["recommendation"] = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=[("", "—"), *Review.Recommendation.choices],
    )
    fields["comment"] = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    fields["amend_reason"] = forms.CharField(
        label=_("Reason for amending (only for a submitted review)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    return type("ReviewForm", (forms.Form,), fields)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), widget=DateInput)
    present = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=CouncilMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        if council is not None:
            self.fields["present"].queryset = council.members.filter(is_active=True).select_related(
                "user"
            )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(choices=Vote.Choice.choices)


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    decided_on = forms.DateField(label=_("Date"), widget=DateInput)
