"""Disclosure snapshots (công khai, Decree 93 art. 14): a frozen CSV and PDF with their SHA-256.
Later receipts never change a snapshot; on PostgreSQL a trigger refuses UPDATE and DELETE."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.mobilization.models.funds import Drive, Fund
from thidua.org.models import Unit

CHECK_CODE_LENGTH = 8


class Disclosure(models.Model):
    class Channel(models.TextChoices):
        WEBSITE = "website", _("Official website")
        POSTING = "posting", _("Posted at the office and community places")
        WRITTEN = "written", _("Written notice")
        MEDIA = "media", _("Mass media")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="disclosures")
    drive = models.ForeignKey(
        Drive, on_delete=models.PROTECT, related_name="disclosures", null=True, blank=True
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # place
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    posted_from = models.DateField(_("posted from"))
    posted_to = models.DateField(_("posted until"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=200)
    signer_title = models.CharField(_("title of the signer"), max_length=200)
    total_money = models.BigIntegerField(default=0)
    total_in_kind = models.BigIntegerField(default=0)
    total_labour_days = models.DecimalField(max_digits=12, decimal_places=1, default=0)
    entries = models.PositiveIntegerField(default=0)
    csv_content = models.TextField()
    csv_sha256 = models.CharField(max_length=64)
    pdf_content = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.fund} {self.period_from:%d/%m/%Y}–{self.period_to:%d/%m/%Y}"

    @property
    def check_code(self) -> str:
        return self.csv_sha256[:CHECK_CODE_LENGTH].upper()
