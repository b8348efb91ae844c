"""Money is whole đồng: one parser for forms, sheets, statements and the API."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
PLAIN = re.compile(r"^\d+$")


def parse_money(value: Any, *, label: str = "", allow_zero: bool = True) -> int:
    """'1.500.000', '1500000', '1.500.000 đ', 1500000 or 1500000.0 → 1500000. Negative numbers,
    fractions of a đồng and text raise a ValidationError naming `label`."""
    name = label or _("Amount")
    if value is None or value == "":
        raise ValidationError(_("%(field)s is required.") % {"field": name})
    if isinstance(value, bool):
        raise ValidationError(_("%(field)s must be a whole number of đồng.") % {"field": name})
    if isinstance(value, int):
        number = value
    elif isinstance(value, (float, Decimal)):
        if value != value or Decimal(str(value)) % 1 != 0:  # NaN or a fraction
            raise ValidationError(
                _("%(field)s must be a whole number of đồng, without decimals.") % {"field": name}
            )
        number = int(value)
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        for suffix in ("đồng", "đ", "VND", "vnd", "VNĐ"):
            if text.endswith(suffix):
                text = text[: -len(suffix)]
        negative = text.startswith("-")
        digits = text.lstrip("-+")
        if GROUPED.match(digits):
            digits = digits.replace(".", "")
        if not PLAIN.match(digits):
            try:
                Decimal(digits.replace(",", "."))
            except InvalidOperation:
                raise ValidationError(
                    _("%(field)s must be a number of đồng, for example 500.000.") % {"field": name}
                ) from None
            raise ValidationError(
                _("%(field)s must be a whole number of đồng, without decimals.") % {"field": name}
            )
        number = -int(digits) if negative else int(digits)
    if number < 0:
        raise ValidationError(_("%(field)s cannot be negative.") % {"field": name})
    if number == 0 and not allow_zero:
        raise ValidationError(_("%(field)s must be more than 0 đ.") % {"field": name})
    if number > 10**14:
        raise ValidationError(_("%(field)s is too large.") % {"field": name})
    return number


def parse_quantity(value: Any, *, label: str) -> Decimal:
    """A quantity or a number of labour-days: ≥ 0, "," or "." as the decimal mark."""
    if value is None or value == "":
        return Decimal(0)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("%(field)s must be a number.") % {"field": label}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError(_("%(field)s cannot be negative.") % {"field": label})
    if number > 10**9:
        raise ValidationError(_("%(field)s is too large.") % {"field": label})
    return number
