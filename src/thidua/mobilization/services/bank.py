"""Bank statement import and VietQR codes.

A statement (CSV or XLSX with the columns date, amount, description, reference) is checked whole
first: a file in another shape, a bad date or a non-integer or negative amount refuses the file,
naming each bad row and column, and nothing is written. Each line is kept once per account
(reference, amount, date), so importing the same statement again creates nothing. A new line is
matched to a pledge (its reference in the description) or a drive (its reference) and becomes a
recorded transfer receipt waiting for confirmation; otherwise it waits in the unmatched queue.

VietQR: the EMVCo merchant-presented payload of NAPAS (field 38, GUID A000000727, service
QRIBFTTA) with the drive's reference as the purpose, so a transfer carries the reference that
matches it; CRC-16/CCITT-FALSE closes the payload.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.mobilization.models import (
    BankAccount,
    BankStatement,
    Donor,
    Drive,
    Pledge,
    Receipt,
    StatementLine,
)
from thidua.mobilization.services.ledger import append_receipts, build_receipt
from thidua.mobilization.services.money import parse_money
from thidua.mobilization.services.sheets import cell_text, parse_day, read_rows
from thidua.org.imports import RowError
from thidua.org.models import Unit

HEADERS = {
    "date": {"date", "ngày", "ngay", "ngày giao dịch", "transaction_date", "tanggal"},
    "amount": {"amount", "số tiền", "so tien", "credit", "credit_amount", "jumlah"},
    "description": {
        "description",
        "nội dung",
        "noi dung",
        "diễn giải",
        "transaction_description",
        "keterangan",
    },
    "reference": {"reference", "số tham chiếu", "so tham chieu", "mã giao dịch", "no", "referensi"},
}
WORD = re.compile(r"[A-Z0-9]{6,}")


@dataclass
class ImportResult:
    statement: BankStatement | None = None
    created: int = 0
    matched: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)


def _columns(header: list[Any]) -> dict[str, int]:
    names = [cell_text(value).lower() for value in header]
    found = {}
    for key, accepted in HEADERS.items():
        for index, name in enumerate(names):
            if name in accepted:
                found[key] = index
                break
    missing = [key for key in HEADERS if key not in found]
    if missing:
        raise ValidationError(
            _(
                "The statement must have the columns date, amount, description and reference "
                "in its first row (missing: %(missing)s)."
            )
            % {"missing": ", ".join(missing)}
        )
    return found


def import_statement(
    actor: Any, *, account: BankAccount, data: bytes, file_name: str
) -> ImportResult:
    require(actor, "mobilization.confirm", account.fund.unit)
    table = read_rows(data, file_name)
    if not table:
        raise ValidationError(_("The file is empty."))
    columns = _columns(table[0])
    result = ImportResult()
    lines: list[StatementLine] = []
    seen: set[tuple] = set()
    for number, values in enumerate(table[1:], start=2):
        values = list(values) + [None] * 8
        if all(cell_text(v) == "" for v in values):
            continue
        try:
            day = parse_day(values[columns["date"]])
        except ValidationError as error:
            result.errors.append(RowError(number, _("date"), error.messages[0]))
            day = None
        try:
            amount = parse_money(values[columns["amount"]], label=_("Amount"), allow_zero=False)
        except ValidationError as error:
            result.errors.append(RowError(number, _("amount"), error.messages[0]))
            amount = None
        reference = cell_text(values[columns["reference"]])[:80]
        if not reference:
            result.errors.append(RowError(number, _("reference"), _("The reference is empty.")))
        if day is None or amount is None or not reference:
            continue
        key = (reference, amount, day)
        if key in seen:
            continue
        seen.add(key)
        lines.append(
            StatementLine(
                account=account,
                booked_on=day,
                amount=amount,
                description=cell_text(values[columns["description"]])[:500],
                reference=reference,
                status=StatementLine.Status.UNMATCHED,
            )
        )
    if result.errors:
        return result
    known = set(
        StatementLine.objects.filter(
            account=account, reference__in=[line.reference for line in lines]
        ).values_list("reference", "amount", "booked_on")
    )
    new = [line for line in lines if (line.reference, line.amount, line.booked_on) not in known]
    result.skipped = len(lines) - len(new)
    drives = {d.reference: d for d in Drive.objects.filter(fund=account.fund)}
    pledge_refs = set()
    for line in new:
        pledge_refs.update(WORD.findall(line.description.upper()))
    pledges = {
        p.reference: p
        for p in Pledge.objects.filter(reference__in=pledge_refs).select_related("drive", "donor")
    }
    receipts: list[tuple[StatementLine, Receipt]] = []
    for line in new:
        words = WORD.findall(line.description.upper())
        pledge = next((pledges[w] for w in words if w in pledges), None)
        drive = pledge.drive if pledge else next((drives[w] for w in words if w in drives), None)
        if (
            drive is None
            or drive.fund_id != account.fund_id
            or not drive.is_open_on(line.booked_on)
        ):
            continue
        try:
            receipt = build_receipt(
                fund=account.fund,
                drive=drive,
                unit=pledge.unit if pledge else drive.owner_unit,
                kind=Receipt.Kind.TRANSFER,
                received_on=line.booked_on,
                amount=line.amount,
                donor=pledge.donor if pledge else None,
                pledge=pledge,
                account=account,
                bank_ref=line.reference,
                note=line.description[:300],
            )
        except ValidationError:
            continue
        line.status = StatementLine.Status.MATCHED
        receipts.append((line, receipt))
    with transaction.atomic():
        statement = BankStatement.objects.create(
            account=account,
            file_name=file_name[:200],
            file_sha256=hashlib.sha256(data).hexdigest(),
            lines_new=len(new),
            lines_matched=len(receipts),
            imported_by=actor,
        )
        if receipts:
            append_receipts(account.fund, [r for _line, r in receipts], recorded_by=actor)
            for line, receipt in receipts:
                line.receipt = receipt
        for line in new:
            line.statement = statement
        StatementLine.objects.bulk_create(new, batch_size=2000, ignore_conflicts=False)
        audit.record(
            actor,
            "mobilization.import_statement",
            statement,
            data={"new": len(new), "matched": len(receipts)},
            unit=account.fund.unit,
        )
    result.statement = statement
    result.created = len(new)
    result.matched = len(receipts)
    return result


# --- VietQR ---------------------------------------------------------------------------------


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt(data: str) -> str:
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def vietqr_payload(account: BankAccount, *, reference: str, amount: int | None = None) -> str:
    """The EMVCo/VietQR text a banking app reads: account, optional amount, the reference."""
    if not account.bank_bin:
        raise ValidationError(_("The account has no bank identification number for VietQR."))
    beneficiary = _tlv("00", account.bank_bin) + _tlv("01", account.number)
    merchant = _tlv("00", "A000000727") + _tlv("01", beneficiary) + _tlv("02", "QRIBFTTA")
    payload = _tlv("00", "01") + _tlv("01", "12" if amount else "11") + _tlv("38", merchant)
    payload += _tlv("53", "704")
    if amount:
        payload += _tlv("54", str(int(amount)))
    payload += _tlv("58", "VN") + _tlv("62", _tlv("08", reference[:25]))
    payload += "6304"
    return payload + crc16_ccitt(payload)


# --- matching by hand -----------------------------------------------------------------------


def _open_line(actor: Any, line: StatementLine) -> None:
    require(actor, "mobilization.confirm", line.account.fund.unit)
    if line.status != StatementLine.Status.UNMATCHED:
        raise ValidationError(_("This bank line is already matched."))


def match_line(actor: Any, *, line: StatementLine, receipt: Receipt) -> StatementLine:
    """Match a bank line nobody's reference matched to a transfer receipt already in the ledger:
    the same fund and amount, not a reversal nor reversed, not matched to another line, and
    received on the line's account (or on no account yet)."""
    _open_line(actor, line)
    fund = line.account.fund
    errors = []
    if receipt.fund_id != fund.pk:
        errors.append(_("This receipt belongs to another fund."))
    if receipt.kind != Receipt.Kind.TRANSFER:
        errors.append(_("Only a bank transfer receipt matches a bank line."))
    if receipt.amount != line.amount:
        errors.append(_("The receipt's amount differs from the bank line's."))
    if receipt.is_reversal or receipt.status == Receipt.Status.REVERSED:
        errors.append(_("A reversed receipt or a reversal cannot be matched."))
    if receipt.account_id not in (None, line.account_id):
        errors.append(_("This receipt reached another account."))
    if StatementLine.objects.filter(receipt=receipt).exists():
        errors.append(_("This receipt is already matched to another bank line."))
    if errors:
        raise ValidationError({"receipt": errors})
    with transaction.atomic():
        updated = StatementLine.objects.filter(
            pk=line.pk, status=StatementLine.Status.UNMATCHED
        ).update(
            status=StatementLine.Status.MATCHED,
            receipt=receipt,
            matched_by=actor,
            matched_at=timezone.now(),
        )
        if not updated:
            raise ValidationError(_("This bank line is already matched."))
        audit.record(
            actor,
            "mobilization.match_line",
            line,
            unit=fund.unit,
            data={"receipt": receipt.number, "amount": line.amount},
        )
    line.refresh_from_db()
    return line


def receipt_from_line(
    actor: Any,
    *,
    line: StatementLine,
    drive: Drive | None = None,
    unit: Unit | None = None,
    donor: Donor | None = None,
) -> Receipt:
    """Record the transfer receipt a bank line shows (the money is on the account): it waits for
    another officer's confirmation like any receipt, and the line is matched to it."""
    _open_line(actor, line)
    fund = line.account.fund
    unit = unit or (drive.owner_unit if drive else fund.unit)
    require(actor, "mobilization.record", unit)
    receipt = build_receipt(
        fund=fund,
        drive=drive,
        unit=unit,
        kind=Receipt.Kind.TRANSFER,
        received_on=line.booked_on,
        amount=line.amount,
        donor=donor,
        account=line.account,
        bank_ref=line.reference,
        note=line.description[:300],
    )
    with transaction.atomic():
        append_receipts(fund, [receipt], recorded_by=actor)
        updated = StatementLine.objects.filter(
            pk=line.pk, status=StatementLine.Status.UNMATCHED
        ).update(
            status=StatementLine.Status.MATCHED,
            receipt=receipt,
            matched_by=actor,
            matched_at=timezone.now(),
        )
        if not updated:
            raise ValidationError(_("This bank line is already matched."))
        audit.record(
            actor,
            "mobilization.line_receipt",
            receipt,
            data={"number": receipt.number, "amount": receipt.amount, "line": line.pk},
        )
    return receipt
