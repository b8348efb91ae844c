"""The award catalogue: kinds of award, recipients and documents, the award types, the rules
in force over time and the base salary cash amounts are counted from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.core.formatting import format_money
from thidua.core.models import NamedInLanguages
from thidua.core.uploads import GeneratedPath, private_storage, public_storage
from thidua.honors.statistics import StatColumn


class AwardKind(models.TextChoices):
    MERIT = "merit", _("For merit and achievement")
    AD_HOC = "ad_hoc", _("Ad hoc")
    THEMATIC = "thematic", _("Thematic (by movement)")
    LIFETIME = "lifetime", _("Lifetime contribution")
    LONG_SERVICE = "long_service", _("Long service")
    FOREIGN = "foreign", _("Foreign")


class RecipientKind(models.TextChoices):
    PERSON = "person", _("Person")
    HOUSEHOLD = "household", _("Household")
    COLLECTIVE = "collective", _("Collective")


class DocumentKind(models.TextChoices):
    PROPOSAL_LETTER = "proposal_letter", _("Proposal letter")
    ACHIEVEMENT_REPORT = "achievement_report", _("Achievement report")
    VOTE_MINUTES = "vote_minutes", _("Minutes of the vote")
    INITIATIVE_PROOF = "initiative_proof", _("Proof of an initiative")
    OTHER = "other", _("Other evidence")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class AgeBand(models.TextChoices):
    UNDER_30 = "under_30", _("Under 30")
    FROM_30_TO_45 = "30_45", _("30 to 45")
    FROM_46_TO_60 = "46_60", _("46 to 60")
    OVER_60 = "over_60", _("Over 60")


class AwardType(NamedInLanguages, models.Model):
    """One form of commendation (Bằng khen, Giấy khen, an emulation title, a flag...)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AwardKind.choices)
    for_person = models.BooleanField(_("for persons"), default=True)
    for_household = models.BooleanField(_("for households"), default=False)
    for_collective = models.BooleanField(_("for collectives"), default=False)
    conferring_kinds = models.ManyToManyField(
        "org.UnitKind",
        related_name="award_types",
        verbose_name=_("unit kinds that may confer it"),
    )
    cash_coefficient = models.DecimalField(
        _("cash reward (× base salary)"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # The statutory statistics' form column (forms 0602/0603); empty: derived from the name.
    stat_column = models.CharField(
        _("column of the statistical forms"),
        max_length=40,
        choices=StatColumn.choices,
        blank=True,
        help_text=_("Empty: found from the award's name."),
    )
    # The emblem is public (printed on public certificates); the signature image is not.
    emblem = models.FileField(
        _("emblem on the certificate"),
        upload_to=GeneratedPath("honors/emblems"),
        storage=public_storage,
        max_length=200,
        blank=True,
    )
    signature = models.FileField(
        _("signature on the certificate"),
        upload_to=GeneratedPath("honors/signatures"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("award type")
        verbose_name_plural = _("award types")

    def __str__(self) -> str:
        return self.name

    def accepts(self, recipient_kind: str) -> bool:
        return {
            RecipientKind.PERSON: self.for_person,
            RecipientKind.HOUSEHOLD: self.for_household,
            RecipientKind.COLLECTIVE: self.for_collective,
        }.get(recipient_kind, False)


class AwardRule(models.Model):
    """The conferring rules of one award type between two dates (inclusive)."""

    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="rules")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    window_years = models.PositiveSmallIntegerField(
        _("not the same award within (years)"), default=0
    )
    prerequisites = models.ManyToManyField(
        AwardType, blank=True, related_name="+", verbose_name=_("prerequisite awards")
    )
    prerequisite_years = models.PositiveSmallIntegerField(
        _("prerequisites held within (years)"), default=0, help_text=_("0 means at any time")
    )
    quota_per_round = models.PositiveIntegerField(_("quota per round"), null=True, blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    vote_share = models.DecimalField(
        _("share of all council members"), max_digits=4, decimal_places=3, default=Decimal("0.5")
    )
    strictly_more = models.BooleanField(_("strictly more than the share"), default=False)
    secret_ballot = models.BooleanField(_("secret ballot"), default=False)
    public_notice_days = models.PositiveSmallIntegerField(_("public notice (days)"), default=0)
    short_path = models.BooleanField(
        _("short path for ad hoc awards"),
        default=False,
        help_text=_(
            "An ad hoc award for an outstanding deed may go straight to the conferring level "
            "without each intermediate endorsement."
        ),
    )
    short_path_days = models.PositiveSmallIntegerField(
        _("working days at each level on the short path"), default=5
    )

    class Meta:
        ordering = ["award_type", "-valid_from"]
        verbose_name = _("award rule")
        verbose_name_plural = _("award rules")
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "valid_from"], name="honors_rule_type_from_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="honors_rule_to_after_from",
            ),
            models.CheckConstraint(
                condition=Q(vote_share__gt=0) & Q(vote_share__lte=1),
                name="honors_rule_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} · {self.valid_from:%d/%m/%Y} · {self.legal_basis}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class BaseSalary(models.Model):
    """The statutory base salary (lương cơ sở), in VND a month, from a date."""

    valid_from = models.DateField(_("valid from"), unique=True)
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")

    def __str__(self) -> str:
        return f"{self.valid_from:%d/%m/%Y}: {format_money(self.amount)}"
