from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CreateForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Reporting unit"), coerce=int)
    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)
    regime = forms.ChoiceField(label=_("Circular"))
    receiving_unit = forms.CharField(label=_("Receiving unit"), max_length=200, required=False)

    def __init__(self, *args, units=(), regimes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.display_name) for u in units]
        self.fields["regime"].choices = [(r.code, str(r)) for r in regimes]
        self.fields["year"].initial = timezone.localdate().year


class AdjustmentForm(forms.Form):
    row_code = forms.ChoiceField(label=_("Row"))
    column_code = forms.ChoiceField(label=_("Column"))
    delta = forms.IntegerField(label=_("Change (+ or −)"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rows=(), columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["row_code"].choices = [(code, f"{code} · {label}") for code, label in rows]
        self.fields["column_code"].choices = [
            (code, f"{code} · {label}") for code, label in columns
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
