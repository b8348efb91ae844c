"""Bulk receipt entry for a residential committee: an Excel template, the same rows from an
upload or from the keyboard grid, all-or-nothing.

Every row is checked first (date in the drive's window, a known kind, whole đồng ≥ 0, goods
described for in-kind, labour-days for labour); every bad row and column is named and one error
means nothing is written. Otherwise each row becomes a donor and a recorded receipt (waiting for
the ward accountant's confirmation) in one transaction, with one audit event. The same file (or
the same grid) twice records nothing the second time.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from thidua.core import audit
from thidua.core.audit import canonical_json
from thidua.core.excel import write_cell
from thidua.core.policy import require
from thidua.mobilization.models import Donor, Drive, Receipt, ReceiptBatch
from thidua.mobilization.services.ledger import append_receipts, build_receipt
from thidua.mobilization.services.sheets import cell_text, parse_day, read_rows
from thidua.org.imports import RowError
from thidua.org.models import Unit

COLUMNS: list[tuple[str, Any]] = [
    ("received_on", gettext_lazy("Date received (dd/mm/yyyy)")),
    ("donor_name", gettext_lazy("Donor")),
    ("donor_kind", gettext_lazy("Donor kind")),
    ("public", gettext_lazy("Name in public (yes/no)")),
    ("kind", gettext_lazy("Kind (cash, in kind, labour)")),
    ("amount", gettext_lazy("Amount or estimated value (đ)")),
    ("item", gettext_lazy("Goods")),
    ("quantity", gettext_lazy("Quantity")),
    ("measure", gettext_lazy("Unit of measure")),
    ("valued_by", gettext_lazy("Value estimated by")),
    ("labour_days", gettext_lazy("Labour-days")),
    ("received_by", gettext_lazy("Received by")),
]
FIELDS = [name for name, _label in COLUMNS]
GRID_ROWS = 10
YES = {"yes", "có", "co", "x", "1", "true", "ya", "y"}
NO = {"no", "không", "khong", "0", "false", "tidak", "n", ""}


def _choice_map(choices: Any) -> dict[str, str]:
    """Codes and labels (in the current language and Vietnamese) → code."""
    mapping = {}
    for code, label in choices:
        mapping[code.lower()] = code
        mapping[str(label).lower()] = code
        with translation.override("vi"):
            mapping[str(label).lower()] = code
    return mapping


def receipt_template(*, drive: Drive, unit: Unit) -> bytes:
    """The sheet a committee fills offline: a header row and one example row to overwrite."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Receipts")[:31]
    for column, (_name, label) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column)
        write_cell(cell, str(label))
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 22
    info = workbook.create_sheet(_("About")[:31])
    write_cell(info.cell(row=1, column=1), drive.title)
    write_cell(info.cell(row=2, column=1), unit.name)
    write_cell(
        info.cell(row=3, column=1),
        _("Receiving from %(start)s to %(end)s.")
        % {
            "start": drive.opens_on.strftime("%d/%m/%Y"),
            "end": drive.closes_on.strftime("%d/%m/%Y"),
        },
    )
    write_cell(
        info.cell(row=4, column=1),
        _(
            "Kinds: cash, in kind, labour. Donor kinds: individual, household, organisation, "
            "enterprise, anonymous."
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class BulkResult:
    batch: ReceiptBatch | None
    created: int
    errors: list[RowError]
    already: bool = False


def _check_rows(
    drive: Drive, unit: Unit, rows: Sequence[dict[str, Any]]
) -> tuple[list[tuple[Donor, Receipt]], list[RowError]]:
    labels = dict(COLUMNS)
    kinds = _choice_map(Receipt.Kind.choices)
    kinds.update(
        {
            "in kind": Receipt.Kind.IN_KIND,
            "hiện vật": Receipt.Kind.IN_KIND,
            "tiền mặt": Receipt.Kind.CASH,
            "ngày công": Receipt.Kind.LABOUR,
        }
    )
    donor_kinds = _choice_map(Donor.Kind.choices)
    errors: list[RowError] = []
    built: list[tuple[Donor, Receipt]] = []
    for number, row in rows:

        def fail(field: str, message: str, number: int = number) -> None:
            errors.append(RowError(number, str(labels.get(field, field)), message))

        received_on = None
        try:
            received_on = parse_day(row.get("received_on"))
        except ValidationError as error:
            fail("received_on", error.messages[0])
        kind = kinds.get(cell_text(row.get("kind")).lower())
        if kind is None:
            fail("kind", _("Write cash, in kind or labour."))
            continue
        donor_kind = donor_kinds.get(cell_text(row.get("donor_kind")).lower() or "individual")
        if donor_kind is None:
            fail(
                "donor_kind",
                _("Write individual, household, organisation, enterprise or anonymous."),
            )
            continue
        public_text = cell_text(row.get("public")).lower()
        if public_text not in YES | NO:
            fail("public", _("Write yes or no."))
            continue
        name = cell_text(row.get("donor_name"))
        anonymous = donor_kind == Donor.Kind.ANONYMOUS or public_text in NO - {""} or not name
        donor = Donor(
            unit=unit,
            kind=donor_kind,
            name=name[:200],
            public_name="" if anonymous else name[:200],
            wants_public=not anonymous,
        )
        try:
            receipt = build_receipt(
                fund=drive.fund,
                drive=drive,
                unit=unit,
                kind=kind,
                received_on=received_on,
                amount=row.get("amount"),
                item=cell_text(row.get("item")),
                quantity=cell_text(row.get("quantity")),
                measure=cell_text(row.get("measure")),
                valued_by=cell_text(row.get("valued_by")),
                labour_days=cell_text(row.get("labour_days")),
                received_by=cell_text(row.get("received_by")),
                channel=Receipt.Channel.UNIT,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    fail(field if field in labels else "amount", message)
            continue
        if received_on is not None:
            built.append((donor, receipt))
    return built, errors


def _blank(row: dict[str, Any]) -> bool:
    return all(cell_text(value) == "" for value in row.values())


def rows_from_file(data: bytes, file_name: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, row) of a filled template; a file in another shape is refused whole."""
    table = read_rows(data, file_name)
    if not table:
        raise ValidationError(_("The file is empty."))
    header = [cell_text(value).lower() for value in table[0]]
    expected = [str(label).lower() for _name, label in COLUMNS]
    if header[: len(expected)] != expected and header[: len(FIELDS)] != FIELDS:
        raise ValidationError(
            _("The file is not the receipts template: the first row must be %(columns)s.")
            % {"columns": ", ".join(str(label) for _name, label in COLUMNS)}
        )
    rows = []
    for number, values in enumerate(table[1:], start=2):
        row = dict(zip(FIELDS, list(values) + [None] * len(FIELDS), strict=False))
        if not _blank(row):
            rows.append((number, row))
    return rows


def record_bulk(
    actor: Any,
    *,
    drive: Drive,
    unit: Unit,
    rows: Sequence[tuple[int, dict[str, Any]]] | None = None,
    data: bytes | None = None,
    file_name: str = "",
) -> BulkResult:
    """Record a committee's receipts from an uploaded sheet (`data`) or the grid (`rows`)."""
    require(actor, "mobilization.record", unit)
    if not unit.path.startswith(drive.owner_unit.path):
        raise ValidationError(_("This unit is outside the drive's scope."))
    if data is not None:
        rows = rows_from_file(data, file_name)
        digest = hashlib.sha256(data).hexdigest()
    else:
        rows = [(number, row) for number, row in rows or [] if not _blank(row)]
        digest = hashlib.sha256(canonical_json([r for _n, r in rows]).encode()).hexdigest()
    if not rows:
        raise ValidationError(_("There is no receipt to record."))
    existing = ReceiptBatch.objects.filter(unit=unit, drive=drive, file_sha256=digest).first()
    if existing is not None:
        return BulkResult(batch=existing, created=0, errors=[], already=True)
    built, errors = _check_rows(drive, unit, rows)
    if errors:
        return BulkResult(batch=None, created=0, errors=errors)
    try:
        with transaction.atomic():
            batch = ReceiptBatch.objects.create(
                unit=unit, drive=drive, file_sha256=digest, rows=len(built), recorded_by=actor
            )
            donors = Donor.objects.bulk_create(
                [donor for donor, _receipt in built], batch_size=2000
            )
            receipts = []
            for donor, (_d, receipt) in zip(donors, built, strict=True):
                receipt.donor = donor
                receipt.batch = batch
                receipts.append(receipt)
            append_receipts(drive.fund, receipts, recorded_by=actor)
            audit.record(
                actor,
                "mobilization.record_bulk",
                drive,
                data={"rows": len(receipts), "unit": unit.pk},
                unit=unit,
            )
    except IntegrityError:  # the same batch recorded at the same moment by another request
        existing = ReceiptBatch.objects.get(unit=unit, drive=drive, file_sha256=digest)
        return BulkResult(batch=existing, created=0, errors=[], already=True)
    return BulkResult(batch=batch, created=len(receipts), errors=[])
