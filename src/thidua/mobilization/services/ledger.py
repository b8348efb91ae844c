"""The append-only ledger: record, confirm, reverse; numbering and the hash chain per fund.

Rules enforced here:
- money is whole đồng ≥ 0; an in-kind receipt needs a description, a quantity and who estimated
  its value; a labour receipt needs labour-days;
- a receipt of a drive is received inside the drive's window and collected in its scope;
- whoever recorded a receipt cannot confirm it, unless the fund's unit has a single officer
  who may confirm (then the receipt is marked "self-confirmed");
- a correction is a reversing entry (the negative of the original, confirmed at once) plus a new
  receipt; nothing is ever edited or deleted (`amend_receipt` refuses; a trigger on PostgreSQL);
- each receipt is numbered per fund per year and its hash covers the previous receipt's hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.models import RoleGrant
from thidua.core import audit
from thidua.core.audit import GENESIS_HASH, canonical_json
from thidua.core.policy import RULES, require
from thidua.mobilization.models import BankAccount, Donor, Drive, Fund, Pledge, Receipt
from thidua.mobilization.services.money import parse_money, parse_quantity
from thidua.org.models import Unit

Kind = Receipt.Kind
Status = Receipt.Status


def receipt_payload(receipt: Receipt) -> dict[str, Any]:
    """The content a receipt's hash covers (never its confirmation, which comes later)."""
    return {
        "fund": receipt.fund_id,
        "number": receipt.number,
        "drive": receipt.drive_id,
        "unit": receipt.unit_id,
        "donor": receipt.donor_id,
        "kind": receipt.kind,
        "amount": receipt.amount,
        "item": receipt.item,
        "quantity": str(receipt.quantity) if receipt.quantity is not None else None,
        "measure": receipt.measure,
        "labour_days": str(Decimal(receipt.labour_days).normalize()),
        "channel": receipt.channel,
        "account": receipt.account_id,
        "bank_ref": receipt.bank_ref,
        "received_on": receipt.received_on.isoformat(),
        "reverses": receipt.reverses_id,
    }


def receipt_hash(prev_hash: str, receipt: Receipt) -> str:
    content = prev_hash + canonical_json(receipt_payload(receipt))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def build_receipt(
    *,
    fund: Fund,
    drive: Drive | None,
    unit: Unit,
    kind: str,
    received_on: dt.date | None,
    amount: Any = 0,
    donor: Donor | None = None,
    pledge: Pledge | None = None,
    item: str = "",
    quantity: Any = None,
    measure: str = "",
    valued_by: str = "",
    valuation_method: str = "",
    show_value: bool = False,
    labour_days: Any = 0,
    channel: str = "",
    account: BankAccount | None = None,
    bank_ref: str = "",
    received_by: str = "",
    note: str = "",
) -> Receipt:
    """An unsaved, validated receipt; errors by field name, nothing written."""
    errors: dict[str, list[str]] = {}

    def check(field: str, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
            return None

    if kind not in Kind.values:
        errors["kind"] = [_("Choose cash, bank transfer, in kind or labour.")]
    if kind == Kind.LABOUR and amount in (None, ""):
        amount = 0  # labour need not be valued
    money = check(
        "amount",
        parse_money,
        amount,
        label=_("Amount") if kind != Kind.IN_KIND else _("Estimated value"),
        allow_zero=kind == Kind.LABOUR,
    )
    days = check("labour_days", parse_quantity, labour_days, label=_("Labour-days"))
    qty = check("quantity", parse_quantity, quantity, label=_("Quantity"))
    if kind == Kind.IN_KIND:
        if not item.strip():
            errors.setdefault("item", []).append(_("Describe the goods received in kind."))
        if not qty:
            errors.setdefault("quantity", []).append(_("Give the quantity received."))
        if not valued_by.strip():
            errors.setdefault("valued_by", []).append(_("Say who estimated the value."))
    if kind == Kind.LABOUR and not days:
        errors.setdefault("labour_days", []).append(_("Give the number of labour-days."))
    if received_on is None:
        errors["received_on"] = [_("Give the date received.")]
    elif received_on > timezone.localdate():
        errors["received_on"] = [_("The date received cannot be in the future.")]
    if drive is not None:
        if drive.fund_id != fund.pk:
            errors["drive"] = [_("This drive belongs to another fund.")]
        elif not unit.path.startswith(drive.owner_unit.path):
            errors["unit"] = [_("This unit is outside the drive's scope.")]
        if received_on and not drive.is_open_on(received_on):
            errors.setdefault("received_on", []).append(
                _("The drive receives from %(start)s to %(end)s.")
                % {
                    "start": drive.opens_on.strftime("%d/%m/%Y"),
                    "end": drive.closes_on.strftime("%d/%m/%Y"),
                }
            )
    if account is not None and account.fund_id != fund.pk:
        errors["account"] = [_("This account belongs to another fund.")]
    if kind == Kind.TRANSFER and account is None:
        errors.setdefault("account", []).append(_("Choose the account the transfer reached."))
    if errors:
        raise ValidationError(errors)
    if not channel:
        channel = {
            Kind.TRANSFER: Receipt.Channel.ACCOUNT,
            Kind.CASH: Receipt.Channel.UNIT
            if unit.pk != fund.unit_id
            else Receipt.Channel.CASH_DESK,
        }.get(kind, Receipt.Channel.UNIT)
    return Receipt(
        fund=fund,
        drive=drive,
        unit=unit,
        donor=donor,
        pledge=pledge,
        kind=kind,
        amount=money,
        item=item.strip()[:200],
        quantity=qty if kind == Kind.IN_KIND else None,
        measure=measure.strip()[:40],
        valued_by=valued_by.strip()[:200],
        valuation_method=valuation_method.strip()[:200],
        show_value=show_value,
        labour_days=days or 0,
        channel=channel,
        account=account,
        bank_ref=bank_ref.strip()[:80],
        received_on=received_on,
        received_by=received_by.strip()[:200],
        note=note.strip()[:300],
    )


def append_receipts(
    fund: Fund, receipts: Sequence[Receipt], *, recorded_by: Any, status: str = Status.RECORDED
) -> list[Receipt]:
    """Number and chain receipts of one fund and insert them (caller's transaction). The fund
    row is locked, so two writers never take the same number or the same previous hash."""
    Fund.objects.select_for_update().filter(pk=fund.pk).first()
    now = timezone.now()
    last = Receipt.objects.filter(fund=fund).order_by("-id").values_list("hash", flat=True).first()
    prev = last or GENESIS_HASH
    next_sequence: dict[int, int] = {}
    for receipt in receipts:
        year = receipt.received_on.year
        if year not in next_sequence:
            top = Receipt.objects.filter(fund=fund, year=year).aggregate(top=Max("sequence"))
            next_sequence[year] = (top["top"] or 0) + 1
        receipt.year = year
        receipt.sequence = next_sequence[year]
        next_sequence[year] += 1
        receipt.number = f"{year}-{receipt.sequence:06d}"
        receipt.recorded_by = recorded_by
        receipt.recorded_at = now
        receipt.status = status
        if status == Status.CONFIRMED:
            receipt.confirmed_by = recorded_by
            receipt.confirmed_at = now
        receipt.prev_hash = prev
        receipt.hash = receipt_hash(prev, receipt)
        prev = receipt.hash
    # Inserted in list order, so ids follow the chain on every database.
    return Receipt.objects.bulk_create(list(receipts), batch_size=1000)


def record_receipt(actor: Any, *, fund: Fund, unit: Unit, **fields: Any) -> Receipt:
    """Record one receipt (state "recorded", waiting for confirmation)."""
    require(actor, "mobilization.record", unit)
    receipt = build_receipt(fund=fund, unit=unit, **fields)
    with transaction.atomic():
        append_receipts(fund, [receipt], recorded_by=actor)
        audit.record(
            actor,
            "mobilization.record_receipt",
            receipt,
            data={"number": receipt.number, "amount": receipt.amount, "kind": receipt.kind},
        )
    return receipt


def single_officer(unit: Unit, *, on: dt.date | None = None) -> bool:
    """Does the unit have a single person who may confirm receipts (its own grants)?"""
    day = on or timezone.localdate()
    people = (
        RoleGrant.objects.filter(unit=unit, role__in=RULES["mobilization.confirm"])
        .filter(valid_from__lte=day, user__is_active=True)
        .exclude(valid_to__lt=day)
        .values("user")
        .distinct()
        .count()
    )
    return people <= 1


def confirm_receipt(actor: Any, *, receipt: Receipt) -> Receipt:
    """The accountant confirms a recorded receipt; never its own recorder, unless the fund's unit
    has one officer (then it is marked self-confirmed)."""
    require(actor, "mobilization.confirm", receipt.unit)
    if receipt.status != Status.RECORDED:
        raise ValidationError(_("Receipt %(number)s is already confirmed.") % {"number": receipt})
    self_confirmed = False
    if receipt.recorded_by_id == actor.pk:
        if not single_officer(receipt.fund.unit):
            raise PermissionDenied(
                _("You recorded receipt %(number)s: another officer must confirm it.")
                % {"number": receipt.number}
            )
        self_confirmed = True
    now = timezone.now()
    with transaction.atomic():
        updated = Receipt.objects.filter(pk=receipt.pk, status=Status.RECORDED).update(
            status=Status.CONFIRMED,
            confirmed_by=actor,
            confirmed_at=now,
            self_confirmed=self_confirmed,
        )
        if not updated:
            raise ValidationError(
                _("Receipt %(number)s is already confirmed.") % {"number": receipt}
            )
        audit.record(
            actor,
            "mobilization.confirm_receipt",
            receipt,
            data={"number": receipt.number, "self_confirmed": self_confirmed},
        )
    receipt.refresh_from_db()
    return receipt


def reverse_receipt(actor: Any, *, receipt: Receipt, reason: str) -> Receipt:
    """A correction: a reversing entry (the negative of the original, confirmed at once, with
    the reason) and the original marked reversed. Returns the reversing entry."""
    require(actor, "mobilization.confirm", receipt.unit)
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for the reversal.")]})
    if receipt.status != Status.CONFIRMED or receipt.is_reversal:
        raise ValidationError(_("Only a confirmed receipt can be reversed, once."))
    today = timezone.localdate()
    reversal = Receipt(
        fund=receipt.fund,
        drive=receipt.drive,
        unit=receipt.unit,
        donor=receipt.donor,
        kind=receipt.kind,
        amount=-receipt.amount,
        item=receipt.item,
        quantity=-receipt.quantity if receipt.quantity is not None else None,
        measure=receipt.measure,
        labour_days=-receipt.labour_days,
        channel=receipt.channel,
        account=receipt.account,
        bank_ref=receipt.bank_ref,
        received_on=max(today, receipt.received_on) if receipt.drive is None else today,
        reverses=receipt,
        reason=reason.strip()[:300],
    )
    with transaction.atomic():
        if not Receipt.objects.filter(pk=receipt.pk, status=Status.CONFIRMED).update(
            status=Status.REVERSED
        ):
            raise ValidationError(_("Only a confirmed receipt can be reversed, once."))
        append_receipts(receipt.fund, [reversal], recorded_by=actor, status=Status.CONFIRMED)
        audit.record(
            actor,
            "mobilization.reverse_receipt",
            receipt,
            data={"number": receipt.number, "reversal": reversal.number, "reason": reason},
        )
    receipt.refresh_from_db()
    return reversal


def amend_receipt(actor: Any, *, receipt: Receipt, **changes: Any) -> None:
    """There is no editing a receipt: the answer names the way to correct one."""
    require(actor, "mobilization.record", receipt.unit)
    raise ValidationError(
        _(
            "Receipt %(number)s cannot be changed: the ledger is append-only. Reverse it and "
            "record a new receipt."
        )
        % {"number": receipt.number}
    )


def verify_receipt_chain(fund: Fund) -> tuple[int, str | None]:
    """Walk a fund's receipts in order; (receipts checked, number of the first broken one)."""
    prev = GENESIS_HASH
    count = 0
    for receipt in Receipt.objects.filter(fund=fund).order_by("id").iterator(chunk_size=2000):
        count += 1
        if receipt.prev_hash != prev or receipt_hash(prev, receipt) != receipt.hash:
            return count, receipt.number
        prev = receipt.hash
    return count, None
