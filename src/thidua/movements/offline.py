"""Offline units: an Excel template of the reports a subtree owes, filled offline and uploaded back.

Rules enforced here:
- the template lists, for each period of the movement, every unit of the chosen subtree that
  takes part and is in force on the period's last day (`selectors.participants`), minus those
  that have already submitted; a draft or returned report comes pre-filled;
- every cell we write goes through `core.excel.write_cell`, so no text of ours is run as a formula;
- an upload is all-or-nothing: every row is checked first (unit in scope, below the chosen unit
  and in force on the period's end, period of this movement, numbers ≥ 0, a positive base for
  ratios, no duplicate unit and period, no report already submitted or accepted, no cell that
  could run as a formula, a real and not oversized .xlsx), every bad row and column is named,
  and one error means nothing is written;
- otherwise every filled row becomes a submitted report (a draft or returned one is replaced),
  in one transaction, with one audit event for the whole import.

A grant on `unit` covers its whole subtree (`core.policy`), so the one permission check on `unit`
covers every row: rows outside the subtree are refused anyway.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple
from xml.parsers import expat

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from thidua.core import audit, filelimits
from thidua.core.excel import FORMULA_TRIGGERS, write_cell
from thidua.core.policy import require
from thidua.movements import selectors
from thidua.movements.models import (
    ImportJob,
    Indicator,
    Movement,
    Period,
    Report,
    ReportEvent,
    ReportValue,
)
from thidua.org.imports import RowError
from thidua.org.models import Unit

# The limits every import shares (thidua.core.filelimits); module names so tests can lower them.
MAX_BYTES = filelimits.MAX_BYTES  # the uploaded file
MAX_UNPACKED_BYTES = filelimits.MAX_UNPACKED_BYTES  # its parts once unzipped (zip bombs stop)
MAX_ROWS = filelimits.MAX_ROWS
MAX_ERRORS = 1000  # errors kept in memory; the rest are only counted
PROGRESS_EVERY = 1000
META_SHEET = "thidua"
FORMAT = "thidua-offline-reports/1"
XLSX_NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WRITE_BATCH = 5000
FORMULA_STARTS = frozenset(FORMULA_TRIGGERS)  # = + - @ tab, carriage return, pipe

Progress = Callable[[int, int], None]


# --- columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # unit_code, unit_name, period, value:<indicator id>, base:<indicator id>, narrative
    label: str
    is_input: bool = False


def template_columns(movement: Movement) -> list[Column]:
    """The template's columns: the unit and period, one per indicator (and its base for a ratio),
    then the narrative."""
    columns = [
        Column("unit_code", _("Code")),
        Column("unit_name", _("Unit")),
        Column("period", _("Period")),
    ]
    for indicator in movement.indicators.all():
        columns.append(Column(f"value:{indicator.pk}", str(indicator), is_input=True))
        if indicator.aggregation == Indicator.Aggregation.RATIO:
            label = _("Base for %(indicator)s") % {"indicator": indicator.name}
            columns.append(Column(f"base:{indicator.pk}", label, is_input=True))
    columns.append(Column("narrative", _("Narrative"), is_input=True))
    return columns


# --- the template ---------------------------------------------------------------------------


@dataclass
class TemplateRow:
    unit_code: str
    unit_name: str
    period: str
    values: dict[int, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)
    narrative: str = ""


def template_rows(
    movement: Movement, *, unit: Unit, periods: Sequence[Period] | None = None
) -> list[TemplateRow]:
    """One row per participating unit of `unit`'s subtree and period, in tree order, leaving out
    the reports already submitted or accepted; drafts and returned reports come pre-filled.
    Two queries per period plus two."""
    periods = list(periods if periods is not None else movement.periods.all())
    reports = {
        (unit_id, period_id): (pk, status, narrative)
        for pk, unit_id, period_id, status, narrative in Report.objects.filter(
            movement=movement, unit__path__startswith=unit.path, period__in=periods
        ).values_list("pk", "unit_id", "period_id", "status", "narrative")
    }
    open_ids = [
        pk
        for pk, status, _narrative in reports.values()
        if status in (Report.Status.DRAFT, Report.Status.RETURNED)
    ]
    values: dict[int, dict[int, tuple[Decimal | None, Decimal | None]]] = {}
    for report_id, indicator_id, value, base in ReportValue.objects.filter(
        report_id__in=open_ids
    ).values_list("report_id", "indicator_id", "value", "base"):
        values.setdefault(report_id, {})[indicator_id] = (value, base)
    closed = (Report.Status.SUBMITTED, Report.Status.ACCEPTED)
    rows: list[TemplateRow] = []
    for period in periods:
        units = (
            selectors.participants(movement, root=unit, on=period.ends_on)
            .order_by("path")
            .values_list("pk", "code", "name")
        )
        for unit_id, code, name in units:
            report = reports.get((unit_id, period.pk))
            if report is not None and report[1] in closed:
                continue
            rows.append(
                TemplateRow(
                    unit_code=code,
                    unit_name=name,
                    period=period.label,
                    values=values.get(report[0], {}) if report else {},
                    narrative=report[2] if report else "",
                )
            )
    return rows


def build_template(
    movement: Movement, *, unit: Unit, periods: Sequence[Period] | None = None
) -> Workbook:
    """The Excel template of the reports `unit`'s subtree owes (see `template_rows`).

    Refused (ValidationError) when it would hold more rows than an upload may.
    """
    rows = template_rows(movement, unit=unit, periods=periods)
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _(
                "The template would have %(count)s rows, more than %(max)s: choose a smaller "
                "unit or one period."
            )
            % {"count": len(rows), "max": MAX_ROWS}
        )
    return write_template(movement, unit=unit, rows=rows)


def write_template(movement: Movement, *, unit: Unit, rows: Iterable[TemplateRow]) -> Workbook:
    """A streamed workbook: the data sheet first (input cells unlocked, the rest locked, numbers
    checked by Excel as well), then a very hidden sheet naming the movement and the columns, so
    an upload can tell the template is the right one."""
    rows = list(rows)
    columns = template_columns(movement)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Reports")[:31])
    # Locked cells keep the unit and period from being edited by mistake; not a security
    # boundary (no password): the upload checks everything again.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.freeze_panes = "D2"
    unlocked = Protection(locked=False)
    for number, column in enumerate(columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(number)]
        if column.key == "unit_name":
            dimension.width = 32
        elif column.key == "narrative":
            dimension.width = 48
        elif column.is_input:
            dimension.width = min(max(len(column.label) + 2, 14), 40)
        else:
            dimension.width = 12
        if column.is_input:
            dimension.protection = unlocked  # the style of the column's empty cells
    last_row = len(rows) + 1
    if rows:
        numbers = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Enter a number."),
            error=_("Enter a number of zero or more."),
        )
        for number, column in enumerate(columns, start=1):
            if column.is_input and column.key != "narrative":
                letter = get_column_letter(number)
                numbers.add(f"{letter}2:{letter}{last_row}")
        sheet.data_validations.append(numbers)

    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet)
        write_cell(cell, column.label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    # One styled cell per kind of column; its style is copied into each cell written, which is
    # much cheaper than setting fill or protection on 100,000 cells one by one.
    locked_style = WriteOnlyCell(sheet)
    locked_style.fill = PatternFill("solid", fgColor="EEEEEE")
    input_style = WriteOnlyCell(sheet)
    input_style.protection = unlocked
    plan: list[tuple[str, int | None, Any]] = []
    for column in columns:
        kind, _sep, pk = column.key.partition(":")
        style = input_style._style if column.is_input else locked_style._style
        plan.append((kind, int(pk) if pk else None, style))
    for row in rows:
        line: list[Any] = []
        for kind, pk, style in plan:
            if kind == "unit_code":
                value: Any = row.unit_code
            elif kind == "unit_name":
                value = row.unit_name
            elif kind == "period":
                value = row.period
            elif kind == "narrative":
                value = row.narrative or None
            else:
                pair = row.values.get(pk)
                value = None if pair is None else pair[0] if kind == "value" else pair[1]
            if value is None and kind != "narrative":
                line.append(None)  # no cell: the column's style (unlocked for inputs) applies
                continue
            # The last column always gets a cell, even empty: every row then has the same width
            # for readers that do not pad rows (openpyxl read-only, without a <dimension>).
            cell = WriteOnlyCell(sheet)
            write_cell(cell, value)
            cell._style = copy(style)
            line.append(cell)
        sheet.append(line)

    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    for line in (
        ["format", FORMAT],
        ["movement", movement.pk],
        ["unit", unit.pk],
        ["keys", *[c.key for c in columns]],
        ["labels", *[c.label for c in columns]],
    ):
        cells = []
        for value in line:
            cell = WriteOnlyCell(meta)
            write_cell(cell, value)
            cells.append(cell)
        meta.append(cells)
    return workbook


# --- reading an upload ----------------------------------------------------------------------


class ImportFailed(Exception):
    """The upload was refused; `errors` names the rows and columns (at most MAX_ERRORS of
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
        return filelimits.read_bytes(source, max_bytes=MAX_BYTES)
    except filelimits.FileRefused as refusal:
        raise _refused(refusal) from None


def _too_large() -> ImportFailed:
    return _refused(filelimits.too_large(MAX_BYTES))


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
        filelimits.open_xlsx(data, max_unpacked=MAX_UNPACKED_BYTES)
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


# --- checking -------------------------------------------------------------------------------


class _Errors:
    def __init__(self, limit: int = MAX_ERRORS):
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


def import_reports(
    actor: Any,
    *,
    movement: Movement,
    unit: Unit,
    rows_or_path: Any,
    progress: Progress | None = None,
    on_written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Check every row of an offline template, then write all of it as submitted reports in one
    transaction, or nothing (ImportFailed names every bad row and column).

    `rows_or_path`: a path, bytes or an uploaded file (.xlsx), or a list of rows (header first).
    `progress(done, total)` is called every PROGRESS_EVERY rows while checking and writing.
    `on_written(result)` runs inside the writing transaction (a job marks itself done there, so
    a retried task never imports twice).
    """
    require(actor, "unit.enter_data", unit)
    if movement.status != Movement.Status.LAUNCHED:
        raise _file_error(_("This movement is not open for registrations and reports."))
    if not unit.path.startswith(movement.owner_unit.path):
        raise _file_error(_("%(unit)s is not in this movement's scope.") % {"unit": unit})
    columns = template_columns(movement)
    headers = {get_column_letter(i + 1): c.label for i, c in enumerate(columns)}
    upload = _open_upload(rows_or_path, width=len(columns) + 8)
    try:
        checked = _check_rows(movement, unit, columns, upload, headers, progress)
    finally:
        upload.close()
    return _write(
        actor,
        movement=movement,
        unit=unit,
        checked=checked,
        progress=progress,
        on_written=on_written,
    )


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
    if declared is not None and declared - 1 > MAX_ROWS:
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
        if scanned > MAX_ROWS:
            raise _too_many_rows()
        if progress is not None and scanned % PROGRESS_EVERY == 0:
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


def _too_many_rows() -> ImportFailed:
    return _refused(filelimits.too_many_rows(MAX_ROWS))


# --- writing --------------------------------------------------------------------------------


def _write(
    actor: Any,
    *,
    movement: Movement,
    unit: Unit,
    checked: _CheckedFile,
    progress: Progress | None,
    on_written: Callable[[ImportResult], None] | None,
) -> ImportResult:
    now = timezone.now()
    user = actor if getattr(actor, "pk", None) else None
    rows = checked.rows
    replaced = [row.replaces for row in rows if row.replaces is not None]
    new = [row for row in rows if row.replaces is None]
    done, total = checked.scanned, checked.scanned + len(rows)
    result = ImportResult(created=len(rows), skipped=checked.skipped, rows=checked.read)

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    try:
        with transaction.atomic():
            if replaced:
                _replace_open_reports(rows, now, user)
                step(len(replaced))
            if connection.vendor == "postgresql":
                _copy_new_reports(movement, new, now, user, step)
            else:
                _create_new_reports(movement, new, now, user, step)
            audit.record(
                actor,
                "movements.import_reports",
                movement,
                {
                    "unit": unit.pk,
                    "reports": len(rows),
                    "replaced": len(replaced),
                    "skipped": checked.skipped,
                    "periods": sorted({row.period_id for row in rows}),
                },
                unit=unit,
            )
            if on_written is not None:
                on_written(result)
    except IntegrityError as error:  # a report saved by someone else since the check
        raise _file_error(
            _(
                "Another report for one of these units and periods was saved meanwhile: "
                "upload the file again."
            )
        ) from error
    if progress is not None:
        progress(total, total)
    return result


def _replace_open_reports(rows: list[_Checked], now: dt.datetime, user: Any) -> None:
    """Drafts and returned reports in the file are submitted with the file's values."""
    by_id = {row.replaces: row for row in rows if row.replaces is not None}
    reports = list(Report.objects.select_for_update().filter(pk__in=by_id))
    if any(r.status in (Report.Status.SUBMITTED, Report.Status.ACCEPTED) for r in reports):
        raise IntegrityError("submitted since the check")
    for report in reports:
        report.status = Report.Status.SUBMITTED
        report.submitted_at = now
        report.narrative = by_id[report.pk].narrative
        report.return_reason = ""
    Report.objects.bulk_update(reports, ["status", "submitted_at", "narrative", "return_reason"])
    ReportValue.objects.filter(report_id__in=by_id).delete()
    ReportValue.objects.bulk_create(
        ReportValue(report_id=row.replaces, indicator_id=i, value=v, base=b)
        for row in by_id.values()
        for i, v, b in row.values
    )
    ReportEvent.objects.bulk_create(
        ReportEvent(
            report_id=row.replaces,
            status=Report.Status.SUBMITTED,
            actor=user,
            values=_snapshot(row.values),
        )
        for row in by_id.values()
    )


def _snapshot(values: list[tuple[int, Decimal, Decimal | None]]) -> dict[str, list[str | None]]:
    """The values as a report event keeps them (as `services.save_report` does)."""
    return {str(pk): [str(v), str(b) if b is not None else None] for pk, v, b in values}


def _snapshot_json(values: list[tuple[int, Decimal, Decimal | None]]) -> str:
    """`_snapshot` as JSON text, written directly (for COPY: no dict, no json.dumps per row)."""
    parts = []
    for pk, value, base in values:
        quoted = "null" if base is None else f'"{base}"'
        parts.append(f'"{pk}":["{value}",{quoted}]')
    return "{" + ",".join(parts) + "}"


def _create_new_reports(
    movement: Movement,
    new: list[_Checked],
    now: dt.datetime,
    user: Any,
    step: Callable[[int], None],
) -> None:
    for start in range(0, len(new), WRITE_BATCH):
        batch = new[start : start + WRITE_BATCH]
        reports = Report.objects.bulk_create(
            Report(
                movement=movement,
                period_id=row.period_id,
                unit_id=row.unit_id,
                status=Report.Status.SUBMITTED,
                narrative=row.narrative,
                submitted_at=now,
            )
            for row in batch
        )
        ReportValue.objects.bulk_create(
            ReportValue(report_id=report.pk, indicator_id=i, value=v, base=b)
            for report, row in zip(reports, batch, strict=True)
            for i, v, b in row.values
        )
        ReportEvent.objects.bulk_create(
            ReportEvent(
                report_id=report.pk,
                status=Report.Status.SUBMITTED,
                actor=user,
                values=_snapshot(row.values),
            )
            for report, row in zip(reports, batch, strict=True)
        )
        step(len(batch))


def _copy_new_reports(
    movement: Movement,
    new: list[_Checked],
    now: dt.datetime,
    user: Any,
    step: Callable[[int], None],
) -> None:
    """PostgreSQL: ids drawn from the reports' sequence in one query, then the reports, their
    values and their events each in one COPY (the same rows `_create_new_reports` writes;
    several times faster than INSERTs for a large file)."""
    if not new:
        return
    report_table = connection.ops.quote_name(Report._meta.db_table)
    value_table = connection.ops.quote_name(ReportValue._meta.db_table)
    event_table = connection.ops.quote_name(ReportEvent._meta.db_table)
    actor_id = user.pk if user is not None else None
    submitted = Report.Status.SUBMITTED
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Report._meta.db_table, len(new)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(
            f"COPY {report_table} (id, movement_id, period_id, unit_id, status, narrative,"
            " return_reason, submitted_at, created_at) FROM STDIN"
        ) as copy:
            for count, (pk, row) in enumerate(zip(ids, new, strict=True), start=1):
                line = (pk, movement.pk, row.period_id, row.unit_id, submitted, row.narrative)
                copy.write_row((*line, "", now, now))
                if count % WRITE_BATCH == 0:
                    step(WRITE_BATCH)
        with raw.copy(
            f"COPY {value_table} (report_id, indicator_id, value, base) FROM STDIN"
        ) as copy:
            for pk, row in zip(ids, new, strict=True):
                for indicator_id, value, base in row.values:
                    copy.write_row((pk, indicator_id, value, base))
        with raw.copy(
            f'COPY {event_table} (report_id, status, actor_id, reason, "values", at) FROM STDIN'
        ) as copy:
            for pk, row in zip(ids, new, strict=True):
                copy.write_row((pk, submitted, actor_id, "", _snapshot_json(row.values), now))
    step(len(new) % WRITE_BATCH)


# --- jobs -----------------------------------------------------------------------------------


def check_workbook_file(file: Any) -> None:
    """The upload form's check, as `core.uploads.check_upload` does it but for .xlsx only: under
    the size limit, and a workbook by its content (magic bytes and parts), never by its name.
    The import checks everything again."""
    from thidua.core.uploads import sniff

    if getattr(file, "size", 0) > MAX_BYTES:
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


def start_import(actor: Any, *, movement: Movement, unit: Unit, file: Any) -> ImportJob:
    """Keep the uploaded file as a job and check and import it in the background."""
    from thidua.core.uploads import files_removed_on_failure
    from thidua.movements.tasks import run_import

    require(actor, "unit.enter_data", unit)
    if movement.status != Movement.Status.LAUNCHED:
        raise ValidationError(_("This movement is not open for registrations and reports."))
    if not unit.path.startswith(movement.owner_unit.path):
        raise PermissionDenied(_("You do not have permission to do this."))
    check_workbook_file(file)
    file.name = "workbook.xlsx"  # stored under a generated name with the checked type's extension
    with files_removed_on_failure(), transaction.atomic():
        job = ImportJob.objects.create(
            movement=movement,
            unit=unit,
            file=file,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job
