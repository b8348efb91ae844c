from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thidua.core.formatting import parse_decimal


class LocalDecimalField(forms.DecimalField):
    """A decimal typed the way a person types it: "2,5" and "2.5", "1.234,5" and "1,234.5"."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value).strip())
        except ValueError as error:
            raise ValidationError(_("Enter a number, for example 2,5."), code="invalid") from error


class AuditFilterForm(forms.Form):
    unit_code = forms.CharField(label=_("Unit code"), required=False, max_length=40)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    target_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    target_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    verb = forms.CharField(label=_("Action"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        return {key: value for key, value in self.cleaned_data.items() if value}


class HoneypotField(forms.CharField):
    """A field people never see nor reach (visually hidden, hidden from screen readers, out of
    the tab order, no autofill): a bot that fills every field fills it too, and is refused.
    `includes/form.html` renders it without a label inside an `aria-hidden` box."""

    honeypot = True

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "")
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
        )
        super().__init__(**kwargs)


class WorkFilterForm(forms.Form):
    """The inbox's filters: a kind of work, one of the user's units (or a unit just below
    one), a due window. Unknown values are refused with a message, never guessed."""

    kind = forms.ChoiceField(label=_("Kind of work"), required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    due = forms.ChoiceField(label=_("Due"), required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], units: list[Any], **kwargs: Any):
        from thidua.core.work import DUE_CHOICES, unit_label

        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.fields["kind"].choices = [("", _("All kinds"))] + kinds
        self.fields["unit"].choices = [("", _("All my units"))] + [
            (unit.pk, unit_label(unit)) for unit in units
        ]
        self.fields["due"].choices = DUE_CHOICES

    def work_filter(self) -> Any:
        from thidua.core.work import WorkFilter

        if not self.is_valid():
            return WorkFilter()
        data = self.cleaned_data
        unit = self.units.get(data.get("unit"))
        return WorkFilter(
            kinds=frozenset([data["kind"]]) if data.get("kind") else frozenset(),
            unit_path=unit.path if unit is not None else "",
            due=data.get("due") or "all",
        )
