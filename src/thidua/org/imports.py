"""Import units from a CSV or XLSX file: every row is validated first; one bad row means nothing is
written, and every bad row and column is named.

Columns (header row, any order): code, name, kind, parent_code, valid_from, and optionally
valid_to, households, population, latitude, longitude. `parent_code` names a unit in force on the
row's `valid_from`, in the database or earlier/later in the same file; empty for a top unit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from thidua.core import audit, filelimits
from thidua.core.policy import can
from thidua.core.text import clean_name
from thidua.org.models import Unit, UnitKind
from thidua.org.services import place_units

REQUIRED = ("code", "name", "kind", "parent_code", "valid_from")
OPTIONAL = ("valid_to", "households", "population", "latitude", "longitude")


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based line in the file, header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _file_error(refusal: filelimits.FileRefused) -> ImportFailed:
    return ImportFailed([RowError(0, "-", refusal.message)])


def _cells(raw: tuple[Any, ...]) -> list[str]:
    cells = [
        (v.isoformat() if isinstance(v, dt.datetime | dt.date) else str(v)) if v is not None else ""
        for v in raw
    ]
    return [(c[:10] if len(c) == 19 and c[10] == "T" else c).strip() for c in cells]


def _xlsx_rows(data: bytes, max_rows: int | None) -> list[dict[str, str]]:
    # a package small enough unpacked, and not too many rows, or refused before reading it
    filelimits.check_xlsx_rows(filelimits.open_xlsx(data), max_rows=max_rows)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged package
        raise filelimits.damaged() from error
    try:
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        header_row = next(lines, None)
        if header_row is None:
            return []
        header = [str(h or "").strip().lower() for h in header_row]
        rows = []
        for raw in lines:
            if len(rows) >= (max_rows or filelimits.MAX_ROWS):
                raise filelimits.too_many_rows(max_rows)
            rows.append(dict(zip(header, _cells(raw), strict=False)))
        return rows
    except filelimits.FileRefused:
        raise
    except Exception as error:
        raise filelimits.damaged() from error
    finally:
        workbook.close()


def _csv_rows(data: bytes, max_rows: int | None) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(filelimits.decode_text(data)))
    try:
        reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
        rows = []
        for row in reader:
            if len(rows) >= (max_rows or filelimits.MAX_ROWS):
                raise filelimits.too_many_rows(max_rows)
            rows.append({k: (v or "").strip() for k, v in row.items() if isinstance(k, str)})
        return rows
    except csv.Error as error:
        raise filelimits.damaged() from error


def read_table(
    path: str | Path, content: bytes | None = None, *, max_rows: int | None = None
) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file as dicts of stripped strings,
    within the limits every import shares (`core.filelimits`: size, size unpacked, rows)."""
    name = str(path).lower()
    if not name.endswith((".xlsx", ".csv")):
        raise ImportFailed([RowError(0, "-", _("Only .csv and .xlsx files can be imported."))])
    try:
        data = filelimits.read_bytes(content if content is not None else Path(path))
        if name.endswith(".xlsx"):
            return _xlsx_rows(data, max_rows)
        return _csv_rows(data, max_rows)
    except filelimits.FileRefused as refusal:
        raise _file_error(refusal) from None


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def import_units(actor: Any, *, rows: list[dict[str, str]], dry_run: bool = False) -> list[Unit]:
    """Validate every row, then create all the units in one transaction (or none)."""
    errors: list[RowError] = []
    if not rows:
        raise ImportFailed([RowError(1, "-", _("The file has no rows."))])
    missing = [c for c in REQUIRED if c not in rows[0]]
    if missing:
        raise ImportFailed(
            [RowError(1, c, _("This column is missing from the header.")) for c in missing]
        )
    kinds = {k.code: k for k in UnitKind.objects.all()}
    codes_in_file: dict[tuple[str, dt.date], int] = {}
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, row in enumerate(rows, start=2):
        record: dict[str, Any] = {}
        for column in ("code", "name", "kind"):
            if not row.get(column):
                errors.append(RowError(number, column, _("This field is required.")))
        if row.get("kind") and row["kind"] not in kinds:
            errors.append(
                RowError(number, "kind", _("Unknown unit kind %(kind)s.") % {"kind": row["kind"]})
            )
        for column in ("valid_from", "valid_to"):
            if row.get(column):
                try:
                    record[column] = _date(row[column])
                except ValueError:
                    errors.append(RowError(number, column, _("Enter a date as YYYY-MM-DD.")))
            elif column == "valid_from":
                errors.append(RowError(number, column, _("This field is required.")))
        start, end = record.get("valid_from"), record.get("valid_to")
        if start and end and end < start:
            message = _("The end date must not be before the start date.")
            errors.append(RowError(number, "valid_to", message))
        for column in ("households", "population"):
            if row.get(column):
                if not row[column].isdigit():
                    errors.append(RowError(number, column, _("Enter a whole number.")))
                else:
                    record[column] = int(row[column])
        for column, limit in (("latitude", 90), ("longitude", 180)):
            if row.get(column):
                try:
                    value = Decimal(row[column])
                    if abs(value) > limit:
                        raise InvalidOperation
                    record[column] = value.quantize(Decimal("0.000001"))
                except InvalidOperation:
                    errors.append(RowError(number, column, _("Enter a valid coordinate.")))
        if len(row.get("code", "")) > 40:
            errors.append(RowError(number, "code", _("At most 40 characters.")))
        if len(row.get("name", "")) > 200:
            errors.append(RowError(number, "name", _("At most 200 characters.")))
        key = (row.get("code", ""), record.get("valid_from"))
        if key[0] and key[1]:
            if key in codes_in_file:
                errors.append(
                    RowError(
                        number,
                        "code",
                        _("Same code and start date as row %(row)s.") % {"row": codes_in_file[key]},
                    )
                )
            codes_in_file[key] = number
        record.update(
            code=row.get("code", ""),
            name=clean_name(row.get("name", "")),
            kind=kinds.get(row.get("kind", "")),
            parent_code=row.get("parent_code", ""),
        )
        parsed.append((number, record))

    existing = set(
        Unit.objects.filter(code__in=[c for c, _d in codes_in_file]).values_list(
            "code", "valid_from"
        )
    )
    for number, record in parsed:
        if (record["code"], record.get("valid_from")) in existing:
            message = _("A unit with this code and start date exists.")
            errors.append(RowError(number, "code", message))

    # Resolve parents: in the file (any order) or in the database, in force on valid_from.
    by_code_in_file: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, record in parsed:
        by_code_in_file.setdefault(record["code"], []).append((number, record))
    parent_codes = {r["parent_code"] for _n, r in parsed if r["parent_code"]}
    db_parents = list(
        Unit.objects.filter(code__in=parent_codes).select_related("kind").order_by("valid_from")
    )
    for number, record in parsed:
        code, day = record["parent_code"], record.get("valid_from")
        record["parent"] = None
        if not code or day is None:
            if not code and not getattr(actor, "is_superuser", False):
                message = _("Only a system administrator can create a top unit.")
                errors.append(RowError(number, "parent_code", message))
            continue
        candidates = [
            ("file", other)
            for _n, other in by_code_in_file.get(code, [])
            if other.get("valid_from")
            and other["valid_from"] <= day
            and (other.get("valid_to") is None or other["valid_to"] >= day)
        ] + [("db", u) for u in db_parents if u.code == code and u.is_valid_on(day)]
        if not candidates:
            errors.append(
                RowError(
                    number,
                    "parent_code",
                    _("No unit %(code)s in force on %(date)s.") % {"code": code, "date": day},
                )
            )
            continue
        source, parent = candidates[-1]
        record["parent"] = (source, parent)
        parent_kind = parent["kind"] if source == "file" else parent.kind
        if record["kind"] and parent_kind and parent_kind.order >= record["kind"].order:
            errors.append(
                RowError(number, "kind", _("A unit must be of a lower level than its parent."))
            )
        if source == "db" and not can(actor, "org.import_units", parent):
            errors.append(
                RowError(
                    number,
                    "parent_code",
                    _("You may not add units under %(unit)s.") % {"unit": parent.name},
                )
            )
    if errors:
        raise ImportFailed(errors)
    if not can(actor, "org.import_units") and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("You do not have permission to do this."))

    # Order parents before children (a file parent may come after its child).
    units: dict[int, Unit] = {}
    ordered: list[list[Unit]] = []
    remaining = list(parsed)
    while remaining:
        layer, later = [], []
        for number, record in remaining:
            parent = record["parent"]
            if parent is None or parent[0] == "db":
                parent_unit = parent[1] if parent else None
            else:
                parent_number = next(
                    n for n, r in by_code_in_file[record["parent_code"]] if r is parent[1]
                )
                if parent_number not in units:
                    later.append((number, record))
                    continue
                parent_unit = units[parent_number]
            unit = Unit(
                code=record["code"],
                name=record["name"],
                kind=record["kind"],
                parent=parent_unit,
                valid_from=record["valid_from"],
                valid_to=record.get("valid_to"),
                households=record.get("households"),
                population=record.get("population"),
                latitude=record.get("latitude"),
                longitude=record.get("longitude"),
            )
            units[number] = unit
            layer.append(unit)
        if not layer:
            raise ImportFailed(
                [RowError(n, "parent_code", _("Parent cycle in the file.")) for n, _r in later]
            )
        ordered.append(layer)
        remaining = later
    if dry_run:
        return [u for layer in ordered for u in layer]
    with transaction.atomic():
        for layer in ordered:
            place_units(layer)
        created = [u for layer in ordered for u in layer]
        audit.record(actor, "org.import_units", None, {"units": len(created)})
    return created
