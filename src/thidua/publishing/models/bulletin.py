"""The bulletin: issues whose slots hold frozen revisions, and writers' fees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thidua.core.uploads import GeneratedPath, private_storage

BULLETIN_NAME = "Dân chủ và Đoàn kết"


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROOF = "proof", _("Proof")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    bulletin = models.CharField(_("bulletin"), max_length=200, default=BULLETIN_NAME)
    number = models.CharField(_("number"), max_length=40)  # "10/2024"
    issued_on = models.DateField(_("date"))
    masthead = models.CharField(_("masthead line"), max_length=300, blank=True)
    editor_in_chief = models.CharField(_("editor-in-chief"), max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    planned_pages = models.PositiveSmallIntegerField(_("pages"), default=8)
    pdf = models.FileField(
        upload_to=GeneratedPath("publishing/bulletins"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_pages = models.PositiveSmallIntegerField(default=0)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("bulletin issue")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "bulletin", "number"], name="publishing_issue_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} số {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("public_publishing:issue", args=[self.pk])


class IssueSlot(models.Model):
    class Layout(models.TextChoices):
        LEAD = "lead", _("Lead story")
        TWO_COLUMNS = "two_col", _("Two columns")
        BOX = "box", _("Box")
        PHOTO = "photo", _("Photo")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="slots")
    page = models.PositiveSmallIntegerField(_("page"))
    position = models.PositiveSmallIntegerField(default=0)
    layout = models.CharField(max_length=20, choices=Layout.choices, default=Layout.TWO_COLUMNS)
    # frozen: later revisions of the story never reach the issue
    revision = models.ForeignKey("Revision", on_delete=models.PROTECT, related_name="+")
    story = models.ForeignKey("Story", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["page", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "story"], name="publishing_slot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.issue} p.{self.page}"


class FeeRate(models.Model):
    """A writer's fee rate (nhuận bút) of an editorial board for one story type, in force from a
    date until the board's next version: a fee uses the rate in force on the publication date.
    A version is the set of rates a board enters with one valid-from date."""

    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    story_type = models.CharField(_("type"), max_length=20)
    amount = models.DecimalField(_("rate (đ)"), max_digits=14, decimal_places=0)
    valid_from = models.DateField(_("in force from"))
    note = models.CharField(_("basis"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "story_type"]
        verbose_name = _("writer's fee rate")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "story_type", "valid_from"], name="publishing_rate_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.story_type} {self.amount} ({self.valid_from})"


class Fee(models.Model):
    """A writer's fee (nhuận bút) for a story: the rate of its type in force on the publication
    date times the board's coefficient."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")

    story = models.OneToOneField("Story", on_delete=models.PROTECT, related_name="fee")
    issue = models.ForeignKey(Issue, null=True, blank=True, on_delete=models.SET_NULL)
    payee = models.CharField(_("payee"), max_length=200)
    story_type = models.CharField(max_length=20)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=0)
    # what the amount was made of: the rate in force on `published_on` and the coefficient
    rate = models.DecimalField(_("rate (đ)"), max_digits=14, decimal_places=0, default=0)
    rate_from = models.DateField(_("rate in force from"), null=True, blank=True)
    coefficient = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    owner_unit = models.ForeignKey(
        "org.Unit", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    period = models.CharField(_("month"), max_length=7)  # "2024-10"
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "id"]

    def __str__(self) -> str:
        return f"{self.payee} {self.amount}"
