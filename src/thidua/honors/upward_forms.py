"""Forms of the proposals upward: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thidua.honors.models import DocumentKind, UpwardChannel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today():
    return timezone.localdate()


class ProposalForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Proposing unit"), coerce=int)
    body = forms.TypedChoiceField(label=_("To the body"), coerce=int)
    award_type = forms.TypedChoiceField(label=_("Award"), coerce=int)
    number = forms.CharField(label=_("Number of the proposal"), max_length=60)
    dated = forms.DateField(label=_("Date of the proposal"), widget=DATE, initial=_today)
    signer = forms.CharField(label=_("Signed by"), max_length=200)
    summary = forms.CharField(
        label=_("Summary of the proposal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    nominations = forms.TypedMultipleChoiceField(
        label=_("Nominees approved by the council"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units=(), bodies=(), award_types=(), nominations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.display_name) for u in units]
        self.fields["body"].choices = [(b.pk, b.name) for b in bodies]
        self.fields["award_type"].choices = [(a.pk, a.name) for a in award_types]
        self.fields["nominations"].choices = [
            (n.pk, f"{n.nominee_name} — {n.award_type.name} ({n.unit.display_name})")
            for n in nominations
        ]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    entry = forms.TypedChoiceField(label=_("For"), coerce=int, required=False, empty_value=None)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("The whole dossier"))] + [
            (e.pk, e.nomination.nominee_name) for e in entries
        ]


class SendForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE, initial=_today)
    channel = forms.ChoiceField(label=_("How it was sent"), choices=UpwardChannel.choices)
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)


class AcknowledgeForm(forms.Form):
    on = forms.DateField(label=_("Received by the body on"), widget=DATE, initial=_today)
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)


class ReturnForm(forms.Form):
    on = forms.DateField(label=_("Returned on"), widget=DATE, initial=_today)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RefusalForm(forms.Form):
    on = forms.DateField(label=_("Answered on"), widget=DATE, initial=_today)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutsideDecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    signed_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    signer = forms.CharField(label=_("Signed by"), max_length=200)
    honoured = forms.TypedMultipleChoiceField(
        label=_("Honoured by the decision"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    file = forms.FileField(label=_("The decision's file"))

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["honoured"].choices = [
            (e.nomination_id, e.nomination.nominee_name) for e in entries
        ]
        self.fields["honoured"].initial = [e.nomination_id for e in entries]


class VerifyOutsideForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    name = forms.CharField(label=_("Name of the honoured person or collective"), max_length=200)
