"""Forms for commendation pages: they parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.core.forms import HoneypotField, LocalDecimalField
from thidua.honors.models import (
    AgeBand,
    AwardType,
    Ballot,
    DocumentKind,
    Gender,
    RecipientKind,
    Round,
)


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Round.Kind.choices)
    owner_unit = forms.TypedChoiceField(label=_("Organising unit"), coerce=int)
    council = forms.TypedChoiceField(label=_("Council"), coerce=int, required=False)
    award_types = forms.ModelMultipleChoiceField(
        label=_("Awards"),
        queryset=AwardType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_days = forms.IntegerField(
        label=_("Working days allowed at each level"), min_value=1, max_value=365, initial=20
    )

    def __init__(self, *args, units=(), councils=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = [(u.pk, u.display_name) for u in units]
        self.fields["council"].choices = [("", "—")] + [(c.pk, c.name) for c in councils]
        self.kind_codes = []
        for kind in kinds:
            self.kind_codes.append(kind.code)
            self.fields[f"days_{kind.code}"] = forms.IntegerField(
                label=_("Working days at level: %(level)s") % {"level": kind.name},
                min_value=1,
                max_value=365,
                required=False,
            )

    def level_deadlines(self) -> dict[str, int]:
        return {
            code: self.cleaned_data[f"days_{code}"]
            for code in self.kind_codes
            if self.cleaned_data.get(f"days_{code}")
        }


class NominationForm(forms.Form):
    award_type = forms.TypedChoiceField(label=_("Award"), coerce=int)
    nominee_kind = forms.ChoiceField(label=_("Nominee"), choices=RecipientKind.choices)
    nominee_name = forms.CharField(label=_("Name of the nominee"), max_length=200)
    unit = forms.TypedChoiceField(label=_("Nominee's unit"), coerce=int)
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1900, max_value=2100
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—")] + Gender.choices, required=False
    )
    age_band = forms.ChoiceField(
        label=_("Age band"), choices=[("", "—")] + AgeBand.choices, required=False
    )
    women_share = LocalDecimalField(
        label=_("Share of women (%, collectives)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        help_text=_("Used by the tie-break rule: a collective of at least 70% women."),
    )
    is_direct_worker = forms.BooleanField(label=_("Direct worker"), required=False)
    is_ethnic_minority = forms.BooleanField(label=_("Ethnic minority"), required=False)
    under_discipline = forms.BooleanField(
        label=_("Under discipline or investigation"), required=False
    )
    achievements = forms.CharField(
        label=_("Achievements"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, award_types=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].choices = [(a.pk, a.name) for a in award_types]
        self.fields["unit"].choices = [(u.pk, u.display_name) for u in units]
        for kind, label in DocumentKind.choices:
            self.fields[f"doc_{kind}"] = forms.FileField(label=label, required=False)

    def women_share_fraction(self):
        share = self.cleaned_data.get("women_share")
        if share is None or self.cleaned_data.get("nominee_kind") != RecipientKind.COLLECTIVE:
            return None
        return (share / 100).quantize(Decimal("0.001"))

    def documents(self) -> list[tuple[str, object]]:
        return [
            (kind, self.cleaned_data.get(f"doc_{kind}"))
            for kind in DocumentKind.values
            if self.cleaned_data.get(f"doc_{kind}")
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=Ballot.Choice.choices, widget=forms.RadioSelect
    )


class WrittenOpinionForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Absent member"), coerce=int)
    choice = forms.ChoiceField(label=_("Written opinion"), choices=Ballot.Choice.choices)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, str(m.user)) for m in members]


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    signed_on = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    signer = forms.CharField(label=_("Signed by"), max_length=200)
    nominations = forms.TypedMultipleChoiceField(
        label=_("Recipients"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, nominations=(), rankings=(), **kwargs):
        super().__init__(*args, **kwargs)
        standing = {row.nomination.pk: row for r in rankings for row in r.rows}
        choices = []
        for n in nominations:
            label = f"{n.nominee_name} — {n.award_type.name}"
            row = standing.get(n.pk)
            if row is not None and row.reason:
                label = f"{label} ({row.reason})"
            choices.append((n.pk, label))
        self.fields["nominations"].choices = choices
        self.fields["nominations"].initial = [
            n.pk for n in nominations if n.pk not in standing or standing[n.pk].standing == "in"
        ]


class RegistrySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    award_type = forms.ModelChoiceField(
        label=_("Award"), queryset=AwardType.objects.all(), required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)


class NoticeCommentForm(forms.Form):
    nomination = forms.TypedChoiceField(label=_("Proposed recipient"), coerce=int)
    name = forms.CharField(label=_("Your name"), max_length=120)
    contact = forms.CharField(label=_("Phone or email"), max_length=200)
    text = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    # Left empty by people (who never see it); filled by bots that fill every field.
    website = HoneypotField()

    def __init__(self, *args, nominees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = [
            (n.pk, f"{n.nominee_name} — {n.unit.name} — {n.award_type.name}") for n in nominees
        ]


class VerifyForm(forms.Form):
    """The certificate check: the number and the short check code, as printed."""

    serial = forms.CharField(
        label=_("Certificate number"),
        max_length=80,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    code = forms.CharField(
        label=_("Check code"),
        max_length=80,
        required=False,
        help_text=_("Printed beside the QR code, for example ABCD-EFGH."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class AwardSettingsForm(forms.Form):
    emblem = forms.FileField(label=_("Emblem (PNG, JPEG or WebP)"), required=False)
    remove_emblem = forms.BooleanField(label=_("Remove the emblem"), required=False)
    signature = forms.FileField(label=_("Signature (PNG, JPEG or WebP)"), required=False)
    remove_signature = forms.BooleanField(label=_("Remove the signature"), required=False)
    public_notice_days = forms.IntegerField(
        label=_("Public notice before the decision (days, 0 for none)"),
        min_value=0,
        max_value=60,
        required=False,
    )
    short_path = forms.BooleanField(
        label=_("Ad hoc awards may go straight to the conferring level"), required=False
    )
    short_path_days = forms.IntegerField(
        label=_("Working days at each level on the short path"),
        min_value=1,
        max_value=60,
        required=False,
    )
