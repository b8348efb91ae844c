"""Reading an uploaded offline workbook: size and zip limits, the sheet streamed row by row, and
the refusals that name what is wrong."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.datetime import from_excel

from thidua.core import filelimits
from thidua.core.uploads import sniff
from thidua.movements.offline import limits
from thidua.movements.offline.template import META_SHEET
from thidua.org.imports import RowError

XLSX_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


Progress = Callable[[int, int], None]


class ImportFailed(Exception):
    """The upload was refused; `errors` names the rows and columns (at most limits.MAX_ERRORS of
    `count`), `headers` maps column letters to the template's labels."""

    def __init__(
        self,
        errors: list[RowError],
        *,
        count: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.errors = errors
        self.count = count if count is not None else len(errors)
        self.headers = headers or {}
        super().__init__("; ".join(str(e) for e in errors[:5]))


def _file_error(message: str) -> ImportFailed:
    return ImportFailed([RowError(0, "", message)])


def _refused(refusal: filelimits.FileRefused) -> ImportFailed:
    # This page's own words for a file that is not a workbook: the template it offers.
    return _not_xlsx() if refusal.reason == "not_xlsx" else _file_error(refusal.message)


def _read_bytes(source: Any) -> bytes:
    """The upload's bytes, refused before reading past the limit."""
    try:
        return filelimits.read_bytes(source, max_bytes=limits.MAX_BYTES)
    except filelimits.FileRefused as refusal:
        raise _refused(refusal) from None


def _too_large() -> ImportFailed:
    return _refused(filelimits.too_large(limits.MAX_BYTES))


def _not_xlsx() -> ImportFailed:
    return _file_error(_("Upload the Excel template (.xlsx) downloaded from this page."))


def _damaged() -> ImportFailed:
    return _refused(filelimits.damaged())


_NS = XLSX_NAMESPACE + "}"


_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT, _PHONETIC, _DIMENSION = (
    _NS + name for name in ("row", "c", "v", "f", "is", "t", "rPh", "dimension")
)


@dataclass
class _SheetProgress:
    """How far the reading of a worksheet's XML has got, to estimate its rows."""

    total_bytes: int
    read_bytes: int = 0
    rows: int = 0
    declared_rows: int | None = None  # from <dimension ref="A1:G5001">, when the writer gave it

    def estimated_rows(self) -> int:
        if self.declared_rows:
            return self.declared_rows
        if not self.read_bytes:
            return 0
        return max(self.rows, round(self.rows * self.total_bytes / self.read_bytes))


def _sheet_rows(
    source: Any, *, shared: Sequence[Any], dates: Any, epoch: Any, width: int, seen: _SheetProgress
) -> Iterator[tuple[int, list[Any]]]:
    """Rows of a worksheet's XML, streamed through expat: (row number, `width` values).

    openpyxl's read-only cell reader does the same for every cell attribute and style and is
    several times slower (benchmarks/movements.py); this keeps only what an import needs.
    Values: None, str, Decimal (numbers, exactly as written), bool, datetime (a number formatted
    as a date), or "=…" for a formula (as openpyxl reads it without data_only).
    """
    out: list[tuple[int, list[Any]]] = []
    row: list[Any] | None = None
    number = column = 0
    kind, style = "n", 0
    text: list[str] = []
    inline: list[str] = []
    value: str | None = None
    formula: str | None = None
    in_inline = in_phonetic = 0
    capture = False

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal row, number, column, kind, style, value, formula, inline, text, capture
        nonlocal in_inline, in_phonetic
        if name == _CELL:
            reference = attributes.get("r")
            if reference:
                index = 0
                for char in reference:
                    if char > "@":
                        index = index * 26 + ord(char) - 64
                    else:
                        break
                column = index - 1
            else:
                column += 1
            kind = attributes.get("t", "n")
            style_id = attributes.get("s")
            style = int(style_id) if style_id else 0
            value = formula = None
            if inline:
                inline = []
        elif name in (_VALUE, _FORMULA):
            capture, text = True, []
        elif name == _TEXT:
            if in_inline and not in_phonetic:
                capture, text = True, []
        elif name == _ROW:
            given = attributes.get("r")
            number = int(given) if given else number + 1
            row = [None] * width
            column = -1
        elif name == _INLINE:
            in_inline += 1
        elif name == _PHONETIC:
            in_phonetic += 1
        elif name == _DIMENSION:
            last = attributes.get("ref", "").rpartition(":")[2].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            seen.declared_rows = int(last) if last.isdigit() else None

    def characters(data: str) -> None:
        if capture:
            text.append(data)

    def end(name: str) -> None:
        nonlocal row, value, formula, capture, in_inline, in_phonetic
        if name == _CELL:
            if row is None or not 0 <= column < width:
                return
            if formula is not None:
                row[column] = "=" + formula
            elif kind == "inlineStr":
                row[column] = "".join(inline) or None
            elif value:
                if kind == "n":
                    if style in dates:
                        try:
                            row[column] = from_excel(float(value), epoch)
                        except (OverflowError, ValueError):
                            row[column] = value
                    else:
                        try:
                            row[column] = Decimal(value)
                        except InvalidOperation:
                            row[column] = value
                elif kind == "s":
                    row[column] = shared[int(value)]
                elif kind == "b":
                    row[column] = value == "1"
                else:  # "str" (a formula's cached text), "e" (#DIV/0!…), "d" (an ISO date)
                    row[column] = value
        elif name == _VALUE:
            value, capture = "".join(text), False
        elif name == _TEXT:
            if capture:
                inline.append("".join(text))
                capture = False
        elif name == _ROW:
            out.append((number, row))
            row = None
        elif name == _FORMULA:
            formula, capture = "".join(text), False
        elif name == _INLINE:
            in_inline -= 1
        elif name == _PHONETIC:
            in_phonetic -= 1

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        while True:
            chunk = source.read(1 << 16)
            seen.read_bytes += len(chunk)
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as error:
                raise _damaged() from error
            if out:
                seen.rows += len(out)
                yield from out
                out.clear()
            if not chunk:
                return
    finally:
        source.close()


@dataclass
class _Upload:
    """An opened upload: its rows (header first) and what its hidden sheet says."""

    rows: Iterator[tuple[int, list[Any]]]
    seen: _SheetProgress
    meta: dict[str, list[Any]] | None
    close: Callable[[], None]


def _open_upload(source: Any, width: int) -> _Upload:
    if isinstance(source, list | tuple):
        width = max([width, *(len(row) for row in source)])
        rows = iter(
            [
                (number, [*row, *[None] * (width - len(row))])
                for number, row in enumerate(source, start=1)
            ]
        )
        seen = _SheetProgress(total_bytes=0, declared_rows=len(source))
        return _Upload(rows=rows, seen=seen, meta=None, close=lambda: None)
    data = _read_bytes(source)
    try:
        filelimits.open_xlsx(data, max_unpacked=limits.MAX_UNPACKED_BYTES)
    except filelimits.FileRefused as refusal:
        raise _refused(refusal) from None
    try:
        # openpyxl reads the package: content types, shared strings, workbook, styles. Its
        # read-only worksheets are not used: each would first scan a sheet without a
        # <dimension> (as openpyxl writes them) to the end.
        reader = ExcelReader(io.BytesIO(data), read_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        parts = [
            (sheet.name, rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
        archive = reader.archive
        options = {
            "shared": reader.shared_strings,
            "dates": reader.wb._date_formats,
            "epoch": reader.wb.epoch,
        }
        data_parts = [part for name, part in parts if name != META_SHEET]
        if not data_parts:
            raise _not_xlsx()
        meta = None
        for name, part in parts:
            if name == META_SHEET:
                meta = {}
                hidden = _SheetProgress(total_bytes=archive.getinfo(part).file_size)
                for _number, line in _sheet_rows(
                    archive.open(part), width=64, seen=hidden, **options
                ):
                    if line and isinstance(line[0], str):
                        meta[line[0]] = [_text(v) for v in line[1:] if v is not None]
        seen = _SheetProgress(total_bytes=archive.getinfo(data_parts[0]).file_size)
        rows = _sheet_rows(archive.open(data_parts[0]), width=width, seen=seen, **options)
    except ImportFailed:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged package
        raise _damaged() from error
    return _Upload(rows=rows, seen=seen, meta=meta, close=archive.close)


def _too_many_rows() -> ImportFailed:
    return _refused(filelimits.too_many_rows(limits.MAX_ROWS))


def check_workbook_file(file: Any) -> None:
    """The upload form's check, as `core.uploads.check_upload` does it but for .xlsx only: under
    the size limit, and a workbook by its content (magic bytes and parts), never by its name.
    The import checks everything again."""
    if getattr(file, "size", 0) > limits.MAX_BYTES:
        raise ValidationError(_too_large().errors[0].message)
    position = file.tell()
    try:
        if sniff(file.read(16)) != "application/zip":
            raise ValidationError(_not_xlsx().errors[0].message)
        file.seek(position)
        try:
            names = set(zipfile.ZipFile(file).namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise ValidationError(_damaged().errors[0].message) from error
    finally:
        file.seek(position)
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ValidationError(_not_xlsx().errors[0].message)


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, Decimal):
        return str(int(raw)) if raw == raw.to_integral_value() else str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return f"{raw:%Y-%m}"  # a monthly label ("2025-03") Excel turned into a date
    return str(raw).strip()
