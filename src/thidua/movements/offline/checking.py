"""Checking every row of an offline upload before anything is written (all-or-nothing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from thidua.core.excel import FORMULA_TRIGGERS
from thidua.movements import selectors
from thidua.movements.models import (
    Movement,
    Period,
    Report,
)
from thidua.movements.offline import limits
from thidua.movements.offline.reading import (
    ImportFailed,
    Progress,
    _file_error,
    _not_xlsx,
    _text,
    _too_many_rows,
    _Upload,
)
from thidua.movements.offline.template import FORMAT, Column
from thidua.org.imports import RowError
from thidua.org.models import Unit

FORMULA_STARTS = frozenset(FORMULA_TRIGGERS)  # = + - @ tab, carriage return, pipe


class _Errors:
    def __init__(self, limit: int = limits.MAX_ERRORS):
        self.kept: list[RowError] = []
        self.count = 0
        self.limit = limit

    def add(self, row: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(RowError(row, column, message))

    def __bool__(self) -> bool:
        return self.count > 0


class _Checked(NamedTuple):
    """A row ready to write."""

    unit_id: int
    period_id: int
    narrative: str
    values: list[tuple[int, Decimal, Decimal | None]]
    replaces: int | None  # a draft or returned report written over


@dataclass
class _CheckedFile:
    rows: list[_Checked]
    skipped: int
    read: int
    scanned: int  # rows of the sheet after the header, blank ones included


@dataclass(frozen=True)
class ImportResult:
    created: int  # reports written (new, or replacing a draft or returned one)
    skipped: int  # rows whose indicator cells were all empty
    rows: int  # data rows read (blank rows not counted)


ONE_CENT = Decimal("0.01")


TOO_LARGE = Decimal("1e14")


def _number(raw: Any) -> tuple[Decimal | None, str | None]:
    """(value, None) or (None, error message): a number ≥ 0, below 10^14, to the cent."""
    if raw.__class__ is Decimal:
        value = raw
    elif isinstance(raw, bool | dt.date | dt.time | dt.timedelta):
        return None, _("Enter a number.")
    elif isinstance(raw, Decimal | int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        try:
            value = Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            return None, _("Enter a number.")
    if not value.is_finite():
        return None, _("Enter a number.")
    if value < 0:
        return None, _("The value cannot be negative.")
    if value >= TOO_LARGE:
        return None, _("The value is too large.")
    return value.quantize(ONE_CENT), None


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _layout(
    header: list[Any], meta: dict[str, list[Any]] | None, movement: Movement, columns: list[Column]
) -> tuple[dict[str, int], list[RowError]]:
    """Where each template column is in the upload, or the errors that say why it cannot be
    read. With the hidden sheet, the header must be the one written (same labels, same order);
    without it (rows given directly, or a file rebuilt by hand), columns are found by label or
    key."""
    expected = {c.key for c in columns}
    errors: list[RowError] = []
    if meta is not None:
        if meta.get("format") != [FORMAT]:
            return {}, _not_xlsx().errors
        if [str(v) for v in meta.get("movement", [])] != [str(movement.pk)]:
            return {}, [RowError(0, "", _("This template was downloaded for another movement."))]
        keys = [str(k) for k in meta.get("keys", [])]
        labels = [str(v) for v in meta.get("labels", [])]
        if set(keys) != expected or len(keys) != len(labels):
            message = _(
                "The indicators of this movement have changed since the template was "
                "downloaded: download a new template."
            )
            return {}, [RowError(0, "", message)]
        for index, label in enumerate(labels):
            found = _text(header[index]) if index < len(header) else ""
            if found != label:
                message = _(
                    "The columns of the template were changed: this one should be "
                    "“%(label)s”. Download a new template."
                ) % {"label": label}
                errors.append(RowError(1, get_column_letter(index + 1), message))
        return {key: index for index, key in enumerate(keys)}, errors
    by_name = {}
    for column in columns:
        by_name[column.label.casefold()] = column.key
        by_name[column.key] = column.key
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = _text(raw)
        if not name:
            continue
        key = by_name.get(name.casefold())
        if key is None:
            errors.append(RowError(1, get_column_letter(index + 1), _("Unknown column.")))
        elif key in positions:
            errors.append(
                RowError(1, get_column_letter(index + 1), _("This column appears twice."))
            )
        else:
            positions[key] = index
    for column in columns:
        if column.key not in positions and column.key not in ("unit_name", "narrative"):
            errors.append(RowError(1, column.label, _("This column is missing from the header.")))
    return positions, errors


def _check_rows(
    movement: Movement,
    unit: Unit,
    columns: list[Column],
    upload: _Upload,
    headers: dict[str, str],
    progress: Progress | None,
) -> _CheckedFile:
    errors = _Errors()
    first = next(upload.rows, None)
    if first is None or first[0] != 1:
        raise _file_error(_("The file has no rows."))
    declared = upload.seen.declared_rows
    if declared is not None and declared - 1 > limits.MAX_ROWS:
        raise _too_many_rows()
    positions, layout_errors = _layout(first[1], upload.meta, movement, columns)
    if layout_errors:
        if positions:  # a header problem: say which columns, with their labels as found
            found = {get_column_letter(i + 1): _text(v) for i, v in enumerate(first[1]) if v}
            headers = found | headers
        raise ImportFailed(layout_errors, headers=headers)
    if upload.meta is None:
        labels = {c.key: c.label for c in columns}
        headers = {get_column_letter(i + 1): labels[key] for key, i in positions.items()}
    letters = [get_column_letter(i + 1) for i in range(len(first[1]))]
    letter = {key: letters[index] for key, index in positions.items()}

    periods = {p.label: p for p in movement.periods.all()}
    specs = [
        (
            indicator.pk,
            positions[f"value:{indicator.pk}"],
            positions.get(f"base:{indicator.pk}"),
        )
        for indicator in movement.indicators.all()
    ]
    inputs = [p for spec in specs for p in spec[1:] if p is not None]
    code_at, period_at = positions["unit_code"], positions["period"]
    narrative_at = positions.get("narrative")
    every = sorted(set(positions.values()))
    existing = {
        (unit_id, period_id): (pk, status)
        for pk, unit_id, period_id, status in Report.objects.filter(
            movement=movement, unit__path__startswith=unit.path
        ).values_list("pk", "unit_id", "period_id", "status")
    }
    closed = {Report.Status.SUBMITTED, Report.Status.ACCEPTED}
    participants: dict[int, dict[str, tuple[int, str]]] = {}
    subtree: dict[str, list[Unit]] | None = None
    seen: dict[tuple[int, int], int] = {}
    checked: list[_Checked] = []
    skipped = read = scanned = 0

    def explain_unknown(code: str, period: Period) -> str:
        """Why `code` cannot report for `period` (one query, the first time)."""
        nonlocal subtree
        if subtree is None:
            subtree = {}
            for candidate in Unit.objects.filter(path__startswith=unit.path):
                subtree.setdefault(candidate.code, []).append(candidate)
        found = subtree.get(code)
        if not found:
            return _("No unit %(code)s below %(unit)s.") % {"code": code, "unit": unit.name}
        if not any(c.is_valid_on(period.ends_on) for c in found):
            return _("%(unit)s is not in force on %(date)s.") % {
                "unit": found[-1].name,
                "date": period.ends_on,
            }
        return _("%(unit)s is not in this movement's scope.") % {"unit": found[-1].name}

    def units_on(period: Period) -> dict[str, tuple[int, str]]:
        units = participants.get(period.pk)
        if units is None:
            units = participants[period.pk] = {
                code: (pk, name)
                for pk, code, name in selectors.participants(
                    movement, root=unit, on=period.ends_on
                ).values_list("pk", "code", "name")
            }
        return units

    for number, cells in upload.rows:
        scanned = number - 1
        if scanned > limits.MAX_ROWS:
            raise _too_many_rows()
        if progress is not None and scanned % limits.PROGRESS_EVERY == 0:
            total = max(upload.seen.estimated_rows() - 1, scanned)
            progress(scanned, 2 * total)
        if all(_is_blank(cells[i]) for i in every):
            continue
        read += 1
        formula_at = ()
        for index in every:
            value = cells[index]
            if value.__class__ is str and value and value[0] in FORMULA_STARTS:
                formula_at += (index,)
                message = _(
                    "This cell starts with “%(char)s” and could be run as a formula: "
                    "remove that character."
                ) % {"char": value[0] if value[0].isprintable() else repr(value[0])[1:-1]}
                errors.add(number, letters[index], message)
        if all(_is_blank(cells[i]) for i in inputs):
            skipped += 1
            continue
        # the unit and the period
        code = _text(cells[code_at])
        label = _text(cells[period_at])
        period = periods.get(label)
        found = None
        if code_at in formula_at or period_at in formula_at:
            pass
        elif not code or not label:
            for key, given in (("unit_code", code), ("period", label)):
                if not given:
                    errors.add(number, letter[key], _("This field is required."))
        elif period is None:
            message = _("No period %(period)s in this movement.") % {"period": label}
            errors.add(number, letter["period"], message)
        else:
            found = units_on(period).get(code)
            if found is None:
                errors.add(number, letter["unit_code"], explain_unknown(code, period))
            else:
                key = (found[0], period.pk)
                if key in seen:
                    message = _("Same unit and period as row %(row)s.") % {"row": seen[key]}
                    errors.add(number, letter["unit_code"], message)
                else:
                    seen[key] = number
                report = existing.get(key)
                if report is not None and report[1] in closed:
                    message = _("%(unit)s has already reported for %(period)s.") % {
                        "unit": found[1],
                        "period": label,
                    }
                    errors.add(number, letter["period"], message)
        # the values
        values: list[tuple[int, Decimal, Decimal | None]] = []
        for indicator_id, value_at, base_at in specs:
            raw = cells[value_at]
            value = base = None
            if value_at not in formula_at and not _is_blank(raw):
                value, message = _number(raw)
                if message:
                    errors.add(number, letters[value_at], message)
            if base_at is not None and base_at not in formula_at:
                raw_base = cells[base_at]
                if not _is_blank(raw_base):
                    base, message = _number(raw_base)
                    if message:
                        errors.add(number, letters[base_at], message)
                    elif base == 0:
                        message = _("The base must be more than zero.")
                        errors.add(number, letters[base_at], message)
                    if _is_blank(raw):
                        message = _("Enter the value for this base.")
                        errors.add(number, letters[value_at], message)
                elif not _is_blank(raw):
                    errors.add(number, letters[base_at], _("A ratio needs its base."))
            if value is not None:
                values.append((indicator_id, value, base))
        if errors or found is None:
            continue  # once anything is wrong, only errors are collected
        narrative = ""
        if narrative_at is not None and narrative_at not in formula_at:
            narrative = _text(cells[narrative_at])
        report = existing.get((found[0], period.pk))
        checked.append(
            _Checked(found[0], period.pk, narrative, values, report[0] if report else None)
        )
    if errors:
        raise ImportFailed(errors.kept, count=errors.count, headers=headers)
    if read == 0:
        raise _file_error(_("The file has no rows."))
    if not checked:
        raise _file_error(_("No row has a value to import."))
    return _CheckedFile(rows=checked, skipped=skipped, read=read, scanned=scanned)
