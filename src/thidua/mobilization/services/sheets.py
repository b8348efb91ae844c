"""Reading an uploaded sheet (XLSX or CSV) into rows of text, with the project's file limits."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from thidua.core import filelimits


def read_rows(data: bytes, file_name: str) -> list[list[Any]]:
    """Every row of the first sheet (XLSX) or of the CSV, header included; refused with a
    translated sentence when the file is not one of those or breaks a limit."""
    try:
        if data.startswith(b"PK\x03\x04") or file_name.lower().endswith(".xlsx"):
            archive = filelimits.open_xlsx(data)
            filelimits.check_xlsx_rows(archive)
            try:
                workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            except Exception as error:  # openpyxl raises many kinds on a broken package
                raise filelimits.damaged() from error
            sheet = workbook.worksheets[0]
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            workbook.close()
            return rows
        text = filelimits.decode_text(data)
    except filelimits.FileRefused as refused:
        raise ValidationError(refused.message) from None
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    rows = [row for row in csv.reader(io.StringIO(text), dialect)]
    if len(rows) > filelimits.MAX_ROWS + 1:
        raise ValidationError(filelimits.too_many_rows().message)
    return rows


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def parse_day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("Write the date as dd/mm/yyyy."))
