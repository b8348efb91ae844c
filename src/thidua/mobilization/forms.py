"""Forms of the mobilization pages. They parse; the services validate and write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.mobilization.models import CasePhoto, Disclosure, Donor, SupportCase
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
    drive = forms.TypedChoiceField(
        label=_("Paid from the drive"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, units=(), drives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["drive"].choices = [("", _("No drive")), *[(d.pk, d.title) for d in drives]]


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


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class DonorForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit that mobilised the donor"), coerce=int)
    kind = forms.ChoiceField(label=_("Donor kind"), choices=Donor.Kind.choices)
    name = forms.CharField(label=_("Real name"), max_length=200, required=False)
    public_name = forms.CharField(
        label=_("Name shown in public (if other than the real name)"),
        max_length=200,
        required=False,
    )
    wants_public = forms.BooleanField(label=_("May be named in public"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class PledgeForm(forms.Form):
    drive = forms.TypedChoiceField(label=_("Drive"), coerce=int)
    donor = forms.IntegerField(label=_("Donor"), widget=forms.Select)
    amount = forms.CharField(label=_("Amount pledged (đ)"))
    instalments = forms.IntegerField(label=_("Instalments"), min_value=1, max_value=60, initial=1)
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)

    def __init__(self, *args, drives=(), donors=(), edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drive"].choices = [(d.pk, d.title) for d in drives]
        self.fields["donor"].widget.choices = [(d.pk, d.name or str(d)) for d in donors]
        if edit:
            del self.fields["drive"]
            del self.fields["donor"]


class TransferForm(forms.Form):
    from_fund = forms.TypedChoiceField(label=_("From the fund"), coerce=int)
    to_fund = forms.TypedChoiceField(label=_("To the fund"), coerce=int)
    amount = forms.CharField(label=_("Amount (đ)"))
    made_on = forms.DateField(label=_("Date"), widget=DATE, initial=dt.date.today)
    decision = forms.CharField(label=_("Decision"), max_length=200, required=False)

    def __init__(self, *args, sources=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_fund"].choices = [(f.pk, f.name) for f in sources]
        self.fields["to_fund"].choices = [(f.pk, f.name) for f in targets]


class AccountForm(forms.Form):
    fund = forms.TypedChoiceField(label=_("Fund"), coerce=int)
    bank = forms.CharField(label=_("Bank"), max_length=120)
    number = forms.CharField(label=_("Account number"), max_length=40)
    holder = forms.CharField(label=_("Account holder"), max_length=200)
    bank_bin = forms.CharField(
        label=_("Bank identification number (NAPAS BIN)"), max_length=6, required=False
    )
    statements_public = forms.BooleanField(label=_("Statements published"), required=False)

    def __init__(self, *args, funds=(), edit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].choices = [(f.pk, f.name) for f in funds]
        if edit:
            for name in ("fund", "bank", "number"):
                del self.fields[name]


class LineReceiptForm(forms.Form):
    drive = forms.TypedChoiceField(label=_("Drive"), required=False, coerce=int, empty_value=None)
    donor = forms.TypedChoiceField(label=_("Donor"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, drives=(), donors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drive"].choices = [("", _("No drive")), *[(d.pk, d.title) for d in drives]]
        self.fields["donor"].choices = [
            ("", _("Not known")),
            *[(d.pk, d.name or str(d)) for d in donors],
        ]


class PhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=CasePhoto.Stage.choices)
    file = forms.FileField(label=_("Photo (JPEG, PNG or WebP)"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class PostingForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Residential area"), coerce=int)
    until = forms.DateField(label=_("Names posted until"), widget=DATE, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class ReportSignerForm(forms.Form):
    signer_name = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Title of the signer"), max_length=200, required=False)


class CommendationForm(forms.Form):
    round = forms.TypedChoiceField(label=_("Commendation round"), coerce=int)
    award_type = forms.TypedChoiceField(label=_("Award"), coerce=int)
    nominee_name = forms.CharField(label=_("Name of the nominee"), max_length=200)
    achievements = forms.CharField(label=_("Achievements"), widget=forms.Textarea)

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(r.pk, r.title) for r in rounds]
        self.fields["award_type"].choices = [
            (a.pk, f"{a.name} ({r.title})") for r in rounds for a in r.award_types.all()
        ]


class ExportForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DATE, required=False)
    date_to = forms.DateField(label=_("To"), widget=DATE, required=False)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
