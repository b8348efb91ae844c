from django import forms
from django.utils.translation import gettext_lazy as _


class TreeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search units"), required=False, max_length=100)
    as_of = forms.DateField(
        label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
