from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thidua.core.audit_text import AREAS
from thidua.core.formatting import format_number, parse_decimal
from thidua.core.work import DUE_CHOICES, WorkFilter, unit_label


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message by its field when the form has
    that field, the others above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


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

    def prepare_value(self, value: Any) -> Any:
        """A stored value shown back the way the person's language writes it (2.500,75), which
        `to_python` reads again."""
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return format_number(value, self.decimal_places if self.decimal_places else 6)
        return value


class AuditFilterForm(forms.Form):
    unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=300,
        help_text=_("Part of the name, with or without accents; the units below it are included."),
        widget=forms.TextInput(attrs={"list": "audit-units", "autocomplete": "off"}),
    )
    actor = forms.CharField(label=_("Person"), required=False, max_length=150)
    area = forms.ChoiceField(label=_("Area"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # Narrowing to one object or one action comes from links, not typed by people
    target_type = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    target_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    verb = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas"))] + [
            (code, str(label)[:1].upper() + str(label)[1:]) for code, label in AREAS.items()
        ]

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
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.fields["kind"].choices = [("", _("All kinds"))] + kinds
        self.fields["unit"].choices = [("", _("All my units"))] + [
            (unit.pk, unit_label(unit)) for unit in units
        ]
        self.fields["due"].choices = DUE_CHOICES

    def work_filter(self) -> Any:
        if not self.is_valid():
            return WorkFilter()
        data = self.cleaned_data
        unit = self.units.get(data.get("unit"))
        return WorkFilter(
            kinds=frozenset([data["kind"]]) if data.get("kind") else frozenset(),
            unit_path=unit.path if unit is not None else "",
            due=data.get("due") or "all",
        )
