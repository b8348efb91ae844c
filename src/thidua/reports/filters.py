"""The small filter vocabulary of the forms' rows and columns, evaluated in Python (never eval).

A filter is a mapping `{field: value}` or `{field: [value, ...]}` (any of the values); every
field must match. The fields a source's records carry are listed below; a form naming another
field is refused when it is stored (`validate`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIELDS: dict[str, frozenset[str]] = {
    "movements": frozenset({"launch_level", "scope", "method", "duration"}),
    "honours": frozenset(
        {
            "recipient",
            "enterprise",
            "position_band",
            "direct_worker",
            "ethnic_minority",
            "gender",
            "age_band",
            "kind",
            "method",
            "column",
            "form",
            "level",
            "submitter",
        }
    ),
}


def validate(source: str, filter_: Any) -> None:
    if source not in FIELDS:
        raise ValidationError(_("Unknown source of records: %(source)s") % {"source": source})
    if not isinstance(filter_, Mapping):
        raise ValidationError(_("A filter is a mapping of fields to values."))
    unknown = set(filter_) - FIELDS[source]
    if unknown:
        raise ValidationError(
            _("Unknown fields in a filter: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for value in filter_.values():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str | bool | int) for v in values):
            raise ValidationError(_("A filter's values are words, numbers or yes/no."))


def matches(record: Mapping[str, Any], filter_: Mapping[str, Any]) -> bool:
    for field, wanted in filter_.items():
        value = record.get(field)
        if isinstance(wanted, list):
            if value not in wanted:
                return False
        elif value != wanted:
            return False
    return True
