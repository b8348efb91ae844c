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
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from thidua.core import filelimits

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
