"""Decisions conferring honours, the honours themselves, certificates and their batches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.core.uploads import GeneratedPath, private_storage
from thidua.honors.models.catalogue import AgeBand, AwardKind, AwardType, Gender, RecipientKind
from thidua.honors.models.nominations import Nomination
from thidua.honors.models.rounds import Round
from thidua.honors.statistics import PositionBand


class Decision(models.Model):
    """An award decision (quyết định khen thưởng) of the conferring unit."""

    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="honor_decisions",
        verbose_name=_("conferring unit"),
    )
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    number = models.CharField(_("decision number"), max_length=60)
    signed_on = models.DateField(_("date of the decision"))
    signer = models.CharField(_("signed by"), max_length=200)
    base_salary = models.DecimalField(
        _("base salary applied (VND)"), max_digits=14, decimal_places=0, default=0
    )
    total_cash = models.DecimalField(
        _("total cash reward (VND)"), max_digits=16, decimal_places=0, default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="honors_decision_number_unique")
        ]

    def __str__(self) -> str:
        return self.number


class Honour(models.Model):
    """One row of the honours registry: who received what, when, by which decision."""

    recipient_kind = models.CharField(max_length=20, choices=RecipientKind.choices)
    recipient_name = models.CharField(_("recipient"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False)
    recipient_key = models.CharField(max_length=300, editable=False, db_index=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="honours")
    unit_path = models.CharField(max_length=255, editable=False)
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="honours")
    kind = models.CharField(_("kind"), max_length=20, choices=AwardKind.choices)
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="honours"
    )
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="honour"
    )
    # Conferred by a body outside the Front on its proposal (honors.models.upward): no decision
    # of the Front and no certificate of ours; the outside body is the conferring authority.
    outside_decision = models.ForeignKey(
        "honors.OutsideDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
        verbose_name=_("outside decision"),
    )
    conferred_on = models.DateField(_("conferred on"))
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    is_direct_worker = models.BooleanField(default=False)
    # the individual's position for the statistical forms (empty: not known); a direct worker's
    # band is "direct_worker" or empty, and that band is a direct worker's only
    position_band = models.CharField(
        _("position"), max_length=30, choices=PositionBand.choices, blank=True
    )
    # a collective that is an enterprise ("trong đó: doanh nghiệp" of the forms)
    is_enterprise = models.BooleanField(_("enterprise"), default=False)
    is_ethnic_minority = models.BooleanField(default=False)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    cash = models.DecimalField(max_digits=14, decimal_places=0, default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-conferred_on", "-id"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        indexes = [
            models.Index(fields=["search_name"], name="honors_honour_search"),
            models.Index(fields=["unit_path"], name="honors_honour_path"),
            models.Index(fields=["award_type", "conferred_on"], name="honors_honour_type_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        is_direct_worker=False,
                        position_band__in=[
                            "",
                            "leader_ministry_province",
                            "leader_department",
                            "business_person",
                            "leader_other",
                            "other",
                        ],
                    )
                    | models.Q(is_direct_worker=True, position_band__in=["", "direct_worker"])
                ),
                name="honors_honour_direct_worker_band",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} · {self.award_type}"


class Certificate(models.Model):
    honour = models.OneToOneField(Honour, on_delete=models.PROTECT, related_name="certificate")
    serial = models.CharField(_("certificate number"), max_length=60, unique=True)
    content_hash = models.CharField(max_length=64)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    pdf = models.FileField(
        _("generated PDF"),
        upload_to=GeneratedPath("honors/certificates"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.serial

    @property
    def unit(self):
        return self.honour.decision.unit if self.honour.decision_id else self.honour.unit

    @property
    def check_code(self) -> str:
        """The short check code printed beside the QR code: the hash's first 8 characters,
        grouped for reading aloud (ABCD-EFGH); typed back in any case, with or without the dash."""
        return check_code(self.content_hash)


CHECK_CODE_LENGTH = 8


def check_code(content_hash: str) -> str:
    head = content_hash[:CHECK_CODE_LENGTH].upper()
    return f"{head[:4]}-{head[4:]}"


class CertificateBatch(models.Model):
    """The generation, in the background, of every certificate PDF of a decision (and one ZIP
    of them all), with its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Stopped on an error")

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="certificate_batches"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    archive = models.FileField(
        upload_to=GeneratedPath("honors/batches"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")

    def __str__(self) -> str:
        return f"{self.decision} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 0

    @property
    def working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
