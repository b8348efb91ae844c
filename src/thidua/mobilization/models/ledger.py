"""The append-only ledger: receipts of cash, bank transfer, in kind and labour.

A receipt is numbered per fund per year and hash-chained per fund (each hash covers the previous
receipt's hash and its own content). A correction is a reversing entry (negative amount, linked to
the original) plus a new receipt, never an edit: the services refuse, and on PostgreSQL a trigger
refuses UPDATE of a confirmed receipt (but for the one step confirmed → reversed) and any DELETE.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.mobilization.models.funds import BankAccount, Donor, Drive, Fund, Pledge
from thidua.org.models import Unit


class ReceiptBatch(models.Model):
    """One bulk entry (an uploaded sheet or a grid): the same file twice records nothing."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="batches")
    file_sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "drive", "file_sha256"], name="mobilization_batch_once"
            )
        ]

    def __str__(self) -> str:
        return self.file_sha256[:12]


class Receipt(models.Model):
    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        TRANSFER = "transfer", _("Bank transfer")
        IN_KIND = "in_kind", _("In kind")
        LABOUR = "labour", _("Labour")

    class Channel(models.TextChoices):
        CASH_DESK = "cash_desk", _("Cash desk")
        ACCOUNT = "account", _("Bank account")
        UNIT = "unit", _("Collected by a committee")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        CONFIRMED = "confirmed", _("Confirmed")
        REVERSED = "reversed", _("Reversed")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="receipts")
    drive = models.ForeignKey(
        Drive, on_delete=models.PROTECT, related_name="receipts", null=True, blank=True
    )
    # The committee that mobilised it (the soft credit), and the unit the row belongs to.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="receipts")
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="receipts", null=True, blank=True
    )
    pledge = models.ForeignKey(
        Pledge, on_delete=models.PROTECT, related_name="receipts", null=True, blank=True
    )
    batch = models.ForeignKey(
        ReceiptBatch, on_delete=models.PROTECT, related_name="receipts", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Money in đồng: the sum for cash and transfers, the estimated value in kind, the valued
    # labour (0 when not valued). Negative only on a reversing entry.
    amount = models.BigIntegerField(_("amount (đ)"), default=0)
    item = models.CharField(_("item"), max_length=200, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    valued_by = models.CharField(_("value estimated by"), max_length=200, blank=True)
    valuation_method = models.CharField(
        _("how the value was estimated"), max_length=200, blank=True
    )
    show_value = models.BooleanField(_("print the value on the donor's receipt"), default=False)
    labour_days = models.DecimalField(_("labour-days"), max_digits=10, decimal_places=1, default=0)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="receipts", null=True, blank=True
    )
    bank_ref = models.CharField(_("bank reference"), max_length=80, blank=True)
    received_on = models.DateField(_("received on"))
    received_by = models.CharField(_("received by"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("receipt number"), max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECORDED)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, related_name="reversal", null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    self_confirmed = models.BooleanField(default=False)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["fund", "year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year", "sequence"], name="mobilization_receipt_number"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0, labour_days__gte=0)
                | models.Q(reverses__isnull=False),
                name="mobilization_receipt_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["fund", "status", "received_on"]),
            # the public ledger's order: its first pages read the index in order
            models.Index(fields=["fund", "-received_on", "-id"], name="mobilization_ledger_order"),
            # the public ledger's count (an index-only scan) and the unpublished daily totals
            models.Index(
                fields=["fund", "account", "status", "received_on"],
                name="mobilization_ledger_account",
            ),
            models.Index(fields=["drive", "status"]),
            models.Index(fields=["fund", "number"]),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: a row is inserted once; confirmation and reversal are the services' single
        # guarded UPDATEs of the status (the only change the PostgreSQL trigger lets through).
        if not self._state.adding:
            raise ValidationError(_("A receipt is never edited: reverse it and record a new one."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("A receipt is never deleted: reverse it."))

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def is_money(self) -> bool:
        return self.kind in (self.Kind.CASH, self.Kind.TRANSFER)
