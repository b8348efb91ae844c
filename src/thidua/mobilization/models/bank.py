"""Bank statements imported per account: each line once (bank reference, amount, date)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.mobilization.models.funds import BankAccount
from thidua.mobilization.models.ledger import Receipt


class BankStatement(models.Model):
    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="statements")
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    lines_new = models.PositiveIntegerField(default=0)
    lines_matched = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class StatementLine(models.Model):
    class Status(models.TextChoices):
        MATCHED = "matched", _("Matched")
        UNMATCHED = "unmatched", _("Unmatched")

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="lines")
    booked_on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (đ)"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    reference = models.CharField(_("reference"), max_length=80)
    status = models.CharField(max_length=10, choices=Status.choices)
    receipt = models.OneToOneField(
        Receipt, on_delete=models.PROTECT, related_name="statement_line", null=True, blank=True
    )
    # Set when a person matched the line by hand (to a receipt or by recording one from it).
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["booked_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "reference", "amount", "booked_on"],
                name="mobilization_statement_line_once",
            )
        ]

    def __str__(self) -> str:
        return self.reference
