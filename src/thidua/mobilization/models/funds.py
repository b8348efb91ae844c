"""Funds, their bank accounts, drives (đợt vận động) with the Decree 93 windows as dated rules,
donors, suggested levels per donor class, pledges and transfers between funds."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.org.models import Unit


class Fund(models.Model):
    class Kind(models.TextChoices):
        FOR_THE_POOR = "for_the_poor", _("For the poor")
        RELIEF = "relief", _("Relief")
        SOCIAL_SECURITY = "social_security", _("Social security")
        OTHER = "other", _("Other")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="funds")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    # Donors who gave at least this much (money and goods, confirmed) are offered to the
    # commendation flow: policy of the fund's board, so data, not code.
    commendation_threshold = models.BigIntegerField(
        _("gifts from which a donor is proposed for commendation (đ)"), default=100_000_000
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name


class BankAccount(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts")
    bank = models.CharField(_("bank"), max_length=120)
    bank_bin = models.CharField(
        _("bank identification number (NAPAS BIN)"), max_length=6, blank=True
    )
    number = models.CharField(_("account number"), max_length=40)
    holder = models.CharField(_("account holder"), max_length=200)
    statements_public = models.BooleanField(_("statements published"), default=True)

    class Meta:
        ordering = ["fund", "bank"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "number"], name="mobilization_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.bank} {self.number}"

    @property
    def unit(self) -> Unit:
        return self.fund.unit


class WindowRule(models.Model):
    """Decree 93/2021 art. 14 windows as dated data: receiving lasts at most `receiving_days`
    unless the donors agreed otherwise; distribution ends within `distribution_days` after."""

    legal_basis = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    receiving_days = models.PositiveIntegerField(default=90)
    distribution_days = models.PositiveIntegerField(default=20)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.legal_basis


class Drive(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="drives")
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="drives")
    title = models.CharField(_("title"), max_length=250)
    purpose = models.TextField(_("purpose"), blank=True)
    opens_on = models.DateField(_("receiving opens on"))
    closes_on = models.DateField(_("receiving closes on"))
    distribute_by = models.DateField(_("distribution ends by"), null=True, blank=True)
    decree93 = models.BooleanField(_("under Decree 93/2021"), default=False)
    donor_commitment = models.TextField(
        _("donor commitment (reason for a longer window)"), blank=True
    )
    target_cash = models.BigIntegerField(_("target in money (đ)"), default=0)
    target_in_kind = models.BigIntegerField(_("target in kind (đ)"), default=0)
    target_labour_days = models.PositiveIntegerField(_("target in labour-days"), default=0)
    calling_document = models.CharField(_("calling document"), max_length=200, blank=True)
    calling_document_date = models.DateField(_("calling document date"), null=True, blank=True)
    reference = models.CharField(_("transfer reference"), max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="mobilization_drive_window",
            ),
            models.CheckConstraint(
                condition=models.Q(target_cash__gte=0, target_in_kind__gte=0),
                name="mobilization_drive_targets",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self) -> Unit:
        return self.owner_unit

    @property
    def window_days(self) -> int:
        return (self.closes_on - self.opens_on).days + 1

    def is_open_on(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class Donor(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        HOUSEHOLD = "household", _("Household")
        ORGANISATION = "organisation", _("Organisation")
        ENTERPRISE = "enterprise", _("Enterprise")
        ANONYMOUS = "anonymous", _("Anonymous")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="donors")
    kind = models.CharField(_("donor kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("real name"), max_length=200, blank=True)
    public_name = models.CharField(_("name shown in public"), max_length=200, blank=True)
    wants_public = models.BooleanField(_("may be named in public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["unit", "name"])]

    def __str__(self) -> str:
        return self.public_name or str(_("Anonymous"))

    @property
    def is_anonymous(self) -> bool:
        return self.kind == self.Kind.ANONYMOUS or not self.wants_public


class SuggestedLevel(models.Model):
    """What a donor class is asked to give (a commune's call: one day's salary, 20.000 đ per
    household, 500.000 đ per enterprise): data, not code."""

    donor_kind = models.CharField(max_length=20, choices=Donor.Kind.choices)
    label = models.CharField(max_length=200)
    amount = models.BigIntegerField(default=0)
    valid_from = models.DateField()

    def __str__(self) -> str:
        return self.label


class Pledge(models.Model):
    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="pledges")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="pledges")
    amount = models.BigIntegerField(_("amount pledged (đ)"))
    instalments = models.PositiveSmallIntegerField(_("instalments"), default=1)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    reference = models.CharField(_("transfer reference"), max_length=30, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="mobilization_pledge")
        ]

    def __str__(self) -> str:
        return self.reference


class Transfer(models.Model):
    """Money moved between funds (commune → city): in both balances, never in "mobilised"."""

    from_fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="transfers_out")
    to_fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="transfers_in")
    amount = models.BigIntegerField(_("amount (đ)"))
    decision = models.CharField(_("decision"), max_length=200, blank=True)
    made_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="mobilization_transfer")
        ]

    def __str__(self) -> str:
        return f"{self.from_fund} → {self.to_fund}"

    @property
    def unit(self) -> Unit:
        return self.from_fund.unit
