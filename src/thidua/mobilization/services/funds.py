"""Funds, accounts, drives (with the Decree 93 windows), donors, pledges, transfers."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.mobilization.models import (
    BankAccount,
    Donor,
    Drive,
    Fund,
    Pledge,
    Transfer,
    WindowRule,
)
from thidua.mobilization.services.money import parse_money
from thidua.org.models import Unit

DEFAULT_RECEIVING_DAYS = 90
DEFAULT_DISTRIBUTION_DAYS = 20


def create_fund(actor: Any, *, unit: Unit, kind: str, name: str, legal_basis: str = "") -> Fund:
    """A fund belongs to the unit whose mobilisation board runs it."""
    require(actor, "mobilization.manage", unit)
    fund = Fund(unit=unit, kind=kind, name=name.strip(), legal_basis=legal_basis)
    fund.full_clean()
    with transaction.atomic():
        fund.save()
        audit.record(actor, "mobilization.create_fund", fund)
    return fund


def add_account(
    actor: Any,
    *,
    fund: Fund,
    bank: str,
    number: str,
    holder: str,
    statements_public: bool,
    bank_bin: str = "",
) -> BankAccount:
    require(actor, "mobilization.manage", fund.unit)
    account = BankAccount(
        fund=fund,
        bank=bank.strip(),
        number=number.strip(),
        holder=holder.strip(),
        statements_public=statements_public,
        bank_bin=bank_bin,
    )
    account.full_clean()
    with transaction.atomic():
        account.save()
        audit.record(actor, "mobilization.add_account", account, unit=fund.unit)
    return account


def window_rule(on: dt.date) -> tuple[int, int]:
    """(receiving days, distribution days) in force on a day; the Decree 93 figures by default."""
    rule = (
        WindowRule.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .first()
    )
    if rule is None:
        return DEFAULT_RECEIVING_DAYS, DEFAULT_DISTRIBUTION_DAYS
    return rule.receiving_days, rule.distribution_days


def drive_warnings(drive: Drive) -> list[str]:
    """What the Decree 93 windows flag on a drive (shown on its page and dashboard)."""
    if not drive.decree93:
        return []
    receiving, distribution = window_rule(drive.opens_on)
    warnings = []
    if drive.window_days > receiving:
        warnings.append(
            _(
                "Receiving lasts %(days)s days, beyond the %(limit)s days of Decree 93/2021: "
                "allowed only by the donors' commitment (%(reason)s)."
            )
            % {"days": drive.window_days, "limit": receiving, "reason": drive.donor_commitment}
        )
    if drive.distribute_by and drive.distribute_by > drive.closes_on + dt.timedelta(
        days=distribution
    ):
        warnings.append(
            _("Distribution ends more than %(limit)s days after receiving closes.")
            % {"limit": distribution}
        )
    return warnings


def create_drive(
    actor: Any,
    *,
    fund: Fund,
    owner_unit: Unit | None = None,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    purpose: str = "",
    distribute_by: dt.date | None = None,
    decree93: bool = False,
    donor_commitment: str = "",
    target_cash: Any = 0,
    target_in_kind: Any = 0,
    target_labour_days: int = 0,
    calling_document: str = "",
    calling_document_date: dt.date | None = None,
) -> Drive:
    """A drive's window must end on or after it starts; under Decree 93 a window longer than the
    rule's receiving days needs the donors' commitment written down (the rule is dated data)."""
    owner_unit = owner_unit or fund.unit
    require(actor, "mobilization.manage", owner_unit)
    errors: dict[str, list[str]] = {}
    if closes_on < opens_on:
        errors["closes_on"] = [_("The receiving window cannot end before it starts.")]
    if distribute_by and distribute_by < opens_on:
        errors["distribute_by"] = [_("Distribution cannot end before receiving starts.")]
    if decree93 and not errors:
        receiving, _distribution = window_rule(opens_on)
        if (closes_on - opens_on).days + 1 > receiving and not donor_commitment.strip():
            errors["donor_commitment"] = [
                _(
                    "Decree 93/2021 limits receiving to %(limit)s days: give the donors' "
                    "commitment that allows a longer window."
                )
                % {"limit": receiving}
            ]
    targets = {}
    for field, value, label in (
        ("target_cash", target_cash, _("Target in money")),
        ("target_in_kind", target_in_kind, _("Target in kind")),
    ):
        try:
            targets[field] = parse_money(value, label=label)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    drive = Drive(
        fund=fund,
        owner_unit=owner_unit,
        title=title.strip(),
        purpose=purpose,
        opens_on=opens_on,
        closes_on=closes_on,
        distribute_by=distribute_by,
        decree93=decree93,
        donor_commitment=donor_commitment.strip(),
        target_labour_days=target_labour_days or 0,
        calling_document=calling_document,
        calling_document_date=calling_document_date,
        reference=f"VD{secrets.token_hex(3).upper()}",
        **targets,
    )
    drive.full_clean()
    with transaction.atomic():
        drive.save()
        audit.record(actor, "mobilization.create_drive", drive)
    return drive


def add_donor(
    actor: Any,
    *,
    unit: Unit,
    kind: str,
    name: str = "",
    public_name: str = "",
    wants_public: bool = True,
) -> Donor:
    """Anonymous is a normal choice: such a donor's public name is empty (shown "Ẩn danh")."""
    require(actor, "mobilization.record", unit)
    anonymous = kind == Donor.Kind.ANONYMOUS or not wants_public
    if not anonymous and not (public_name or name).strip():
        raise ValidationError({"name": [_("Give the donor's name, or choose anonymous.")]})
    donor = Donor(
        unit=unit,
        kind=kind,
        name=name.strip(),
        public_name="" if anonymous else (public_name or name).strip(),
        wants_public=not anonymous,
    )
    donor.full_clean()
    with transaction.atomic():
        donor.save()
        audit.record(actor, "mobilization.add_donor", donor, data={"kind": kind})
    return donor


def record_pledge(
    actor: Any,
    *,
    drive: Drive,
    donor: Donor,
    amount: Any,
    instalments: int = 1,
    due_on: dt.date | None = None,
) -> Pledge:
    require(actor, "mobilization.record", donor.unit)
    pledge = Pledge(
        drive=drive,
        donor=donor,
        unit=donor.unit,
        amount=parse_money(amount, label=_("Amount pledged"), allow_zero=False),
        instalments=max(1, instalments),
        due_on=due_on,
        reference=f"{drive.reference}{secrets.token_hex(3).upper()}",
    )
    pledge.full_clean()
    with transaction.atomic():
        pledge.save()
        audit.record(actor, "mobilization.pledge", pledge, unit=donor.unit)
    return pledge


def record_transfer(
    actor: Any, *, from_fund: Fund, to_fund: Fund, amount: Any, made_on: dt.date, decision: str = ""
) -> Transfer:
    """Money moved between funds: it changes both balances, and no roll-up counts it as
    mobilised (only receipts are)."""
    require(actor, "mobilization.manage", from_fund.unit)
    if from_fund.pk == to_fund.pk:
        raise ValidationError({"to_fund": [_("Choose another fund to transfer to.")]})
    transfer = Transfer(
        from_fund=from_fund,
        to_fund=to_fund,
        amount=parse_money(amount, allow_zero=False),
        made_on=made_on,
        decision=decision,
        recorded_by=actor,
    )
    transfer.full_clean()
    with transaction.atomic():
        transfer.save()
        audit.record(actor, "mobilization.transfer", transfer, data={"amount": transfer.amount})
    return transfer


def update_donor(
    actor: Any,
    *,
    donor: Donor,
    kind: str,
    name: str = "",
    public_name: str = "",
    wants_public: bool = True,
) -> Donor:
    """The same rules as a new donor: anonymous keeps no public name."""
    require(actor, "mobilization.record", donor.unit)
    anonymous = kind == Donor.Kind.ANONYMOUS or not wants_public
    if not anonymous and not (public_name or name).strip():
        raise ValidationError({"name": [_("Give the donor's name, or choose anonymous.")]})
    donor.kind = kind
    donor.name = name.strip()
    donor.public_name = "" if anonymous else (public_name or name).strip()
    donor.wants_public = not anonymous
    donor.full_clean()
    with transaction.atomic():
        donor.save()
        audit.record(actor, "mobilization.update_donor", donor, data={"kind": kind})
    return donor


def update_pledge(
    actor: Any,
    *,
    pledge: Pledge,
    amount: Any,
    instalments: int = 1,
    due_on: dt.date | None = None,
) -> Pledge:
    """A pledge's amount, instalments and due date may change (the donor's word changes);
    the receipts that paid it never do."""
    require(actor, "mobilization.record", pledge.unit)
    before = pledge.amount
    pledge.amount = parse_money(amount, label=_("Amount pledged"), allow_zero=False)
    pledge.instalments = max(1, instalments or 1)
    pledge.due_on = due_on
    pledge.full_clean()
    with transaction.atomic():
        pledge.save()
        audit.record(
            actor,
            "mobilization.update_pledge",
            pledge,
            unit=pledge.unit,
            data={"before": before, "amount": pledge.amount},
        )
    return pledge


def update_account(
    actor: Any,
    *,
    account: BankAccount,
    holder: str,
    statements_public: bool,
    bank_bin: str = "",
) -> BankAccount:
    """The holder, the VietQR bank number and whether statements are published may change; the
    bank and the number stay (receipts and statement lines point at the account)."""
    require(actor, "mobilization.manage", account.fund.unit)
    if bank_bin and not (bank_bin.isdigit() and len(bank_bin) == 6):
        raise ValidationError({"bank_bin": [_("The bank identification number has 6 digits.")]})
    was_public = account.statements_public
    account.holder = holder.strip()
    account.statements_public = statements_public
    account.bank_bin = bank_bin.strip()
    account.full_clean()
    with transaction.atomic():
        account.save()
        audit.record(
            actor,
            "mobilization.update_account",
            account,
            unit=account.fund.unit,
            data={"statements_public": statements_public, "was_public": was_public},
        )
    return account
