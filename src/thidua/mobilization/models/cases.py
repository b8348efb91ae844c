"""Support cases (hồ sơ hỗ trợ) for households, and their append-only disbursements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.core.uploads import GeneratedPath, file_url, private_storage
from thidua.mobilization.models.funds import Drive, Fund
from thidua.org.models import Unit


class SupportCase(models.Model):
    class Kind(models.TextChoices):
        HOUSE_NEW = "house_new", _("New house")
        HOUSE_REPAIR = "house_repair", _("House repair")
        LIVELIHOOD = "livelihood", _("Livelihood")
        SCHOOLING = "schooling", _("Schooling")
        MEDICAL = "medical", _("Medical")
        RELIEF = "relief", _("Relief")

    class HouseholdClass(models.TextChoices):
        POOR = "poor", _("Poor household")
        NEAR_POOR = "near_poor", _("Near-poor household")
        HARDSHIP = "hardship", _("Household in hardship")

    class Status(models.TextChoices):
        SURVEYED = "surveyed", _("Surveyed")
        APPROVED = "approved", _("Approved")
        IN_PROGRESS = "in_progress", _("In progress")
        HANDED_OVER = "handed_over", _("Handed over")
        SETTLED = "settled", _("Settled")
        PAUSED = "paused", _("Paused")
        REJECTED = "rejected", _("Rejected")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="cases")
    # The drive whose gifts pay for it (the Decree 93 report says what each drive distributed).
    drive = models.ForeignKey(
        Drive, on_delete=models.PROTECT, related_name="cases", null=True, blank=True
    )
    # The residential area of the household.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="support_cases")
    kind = models.CharField(_("kind of support"), max_length=20, choices=Kind.choices)
    household_class = models.CharField(
        _("household class"), max_length=20, choices=HouseholdClass.choices
    )
    head_name = models.CharField(_("head of household"), max_length=200)
    id_number_encrypted = models.TextField(blank=True)  # Fernet token, never shown in public
    address = models.CharField(_("address"), max_length=300, blank=True)
    requested_amount = models.BigIntegerField(_("requested amount (đ)"), default=0)
    approved_amount = models.BigIntegerField(_("approved amount (đ)"), null=True, blank=True)
    decision_number = models.CharField(_("board decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SURVEYED)
    paused_from = models.CharField(max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    settlement_difference = models.TextField(_("difference recorded at settlement"), blank=True)
    posting_until = models.DateField(_("names posted in public until"), null=True, blank=True)
    surveyed_on = models.DateField(_("surveyed on"))
    survey_note = models.TextField(_("survey findings"), blank=True)
    year = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-surveyed_on", "pk"]
        indexes = [models.Index(fields=["fund", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_amount__gte=0), name="mobilization_case_requested"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["surveyed", "rejected"])
                | models.Q(approved_amount__gt=0)
                | models.Q(status="paused", paused_from="surveyed"),
                name="mobilization_case_amount_from_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.initials}"

    @property
    def initials(self) -> str:
        """What the public sees of a name: "Nguyễn Văn An" → "N.V.A"."""
        return ".".join(word[0].upper() for word in self.head_name.split() if word)


class Disbursement(models.Model):
    """Money or goods handed to a case: append-only (trigger on PostgreSQL)."""

    case = models.ForeignKey(SupportCase, on_delete=models.PROTECT, related_name="disbursements")
    amount = models.BigIntegerField(_("amount (đ)"))
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=100, blank=True)
    witness = models.CharField(_("witness"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="mobilization_disbursement_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.paid_on:%d/%m/%Y}"

    @property
    def unit(self) -> Unit:
        return self.case.unit


class CasePhoto(models.Model):
    """A photo of the house or the livelihood before or after the support: private (served
    through core:file to staff of the case), shown on the public support page only once marked
    public."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")

    case = models.ForeignKey(SupportCase, on_delete=models.PROTECT, related_name="photos")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    file = models.FileField(
        upload_to=GeneratedPath("mobilization"), storage=private_storage, max_length=200
    )
    name = models.CharField(max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    public = models.BooleanField(_("shown on the public support page"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "stage", "pk"]

    def __str__(self) -> str:
        return f"{self.case} — {self.get_stage_display()}"

    @property
    def download_url(self) -> str:
        return file_url("support-photo", self.pk)
