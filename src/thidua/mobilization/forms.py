"""Forms of the mobilization pages. They parse; the services validate and write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.mobilization.models import Disclosure, SupportCase
from thidua.mobilization.services.bulk import COLUMNS, GRID_ROWS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LedgerSearchForm(forms.Form):
    q = forms.CharField(label=_("Donor name"), required=False, max_length=100)
    drive = forms.TypedChoiceField(label=_("Drive"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    amount_min = forms.IntegerField(label=_("Amount from (đ)"), required=False, min_value=0)
    amount_max = forms.IntegerField(label=_("Amount up to (đ)"), required=False, min_value=0)

    def __init__(self, *args, drives=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drive"].choices = [("", _("All drives")), *[(d.pk, d.title) for d in drives]]
        self.fields["unit"].choices = [("", _("All units")), *[(u.pk, u.name) for u in units]]


class BulkUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled template (.xlsx or .csv)"))


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=300)


class StatementForm(forms.Form):
    file = forms.FileField(label=_("Bank statement (.csv or .xlsx)"))


class DisclosureForm(forms.Form):
    drive = forms.TypedChoiceField(label=_("Drive"), required=False, coerce=int, empty_value=None)
    period_from = forms.DateField(label=_("Period from"), widget=DATE)
    period_to = forms.DateField(label=_("Period to"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=Disclosure.Channel.choices)
    signer_name = forms.CharField(label=_("Signed by"), max_length=200)
    signer_title = forms.CharField(label=_("Title of the signer"), max_length=200)

    def __init__(self, *args, drives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drive"].choices = [
            ("", _("The whole fund")),
            *[(d.pk, d.title) for d in drives],
        ]


class CaseForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Residential area"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportCase.Kind.choices)
    household_class = forms.ChoiceField(
        label=_("Household class"), choices=SupportCase.HouseholdClass.choices
    )
    head_name = forms.CharField(label=_("Head of household"), max_length=200)
    id_number = forms.CharField(
        label=_("ID number (kept encrypted)"), max_length=20, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    requested_amount = forms.CharField(label=_("Requested amount (đ)"), required=False)
    survey_note = forms.CharField(label=_("Survey findings"), widget=forms.Textarea, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class ApproveForm(forms.Form):
    amount = forms.CharField(label=_("Approved amount (đ)"), required=False)
    decision_number = forms.CharField(
        label=_("Board decision number"), max_length=60, required=False
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE, initial=dt.date.today)


class DisburseForm(forms.Form):
    amount = forms.CharField(label=_("Amount (đ)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, initial=dt.date.today)
    method = forms.CharField(label=_("Method"), max_length=100, required=False)
    witness = forms.CharField(label=_("Witness"), max_length=200, required=False)


class SettleForm(forms.Form):
    difference_note = forms.CharField(
        label=_("Difference recorded at settlement"), widget=forms.Textarea, required=False
    )


class StockOutForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Item"), coerce=int)
    quantity = forms.CharField(label=_("Quantity"))
    recipient = forms.CharField(label=_("Given to"), max_length=200)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.pk, str(i)) for i in items]


def grid_rows(data) -> list[tuple[int, dict]]:
    """The keyboard grid's rows, numbered from 1 like the lines a person sees."""
    rows = []
    for index in range(GRID_ROWS):
        row = {name: data.get(f"r{index}-{name}", "") for name, _label in COLUMNS}
        rows.append((index + 1, row))
    return rows


class DriveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea, required=False)
    opens_on = forms.DateField(label=_("Receiving opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Receiving closes on"), widget=DATE)
    distribute_by = forms.DateField(label=_("Distribution ends by"), widget=DATE, required=False)
    decree93 = forms.BooleanField(label=_("Under Decree 93/2021 (relief)"), required=False)
    donor_commitment = forms.CharField(
        label=_("Donors' commitment allowing a longer window"), required=False, max_length=500
    )
    target_cash = forms.CharField(label=_("Target (đ)"), required=False)
    target_labour_days = forms.IntegerField(
        label=_("Target in labour-days"), required=False, min_value=0
    )
    calling_document = forms.CharField(label=_("Calling document"), max_length=200, required=False)
