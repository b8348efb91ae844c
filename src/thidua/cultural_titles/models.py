"""The yearly cultural titles of Decree 86/2023/NĐ-CP: "Gia đình văn hóa" (cultural family) and
"Thôn, tổ dân phố văn hóa" (cultural village / residential group).

A commune runs one `TitleRound` a year. Each residential area holds a meeting that assesses every
household of the register (`AreaAssessment` + `HouseholdAssessment`), posts the list for 10 days
(a `core.Posting`), then files its dossier; the commune chairman decides (an `honors` decision
with one honour and certificate per household). Counts are kept on the area's row so the commune
dashboard reads one row per area whatever the number of households.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.core.uploads import GeneratedPath, private_storage


class TitleKind(models.TextChoices):
    FAMILY = "family", _("Cultural family")
    AREA = "area", _("Cultural village / residential group")


class CriteriaSet(models.Model):
    """The detailed standards in force from a date (Appendix I for families, Appendix II for
    areas, detailed by the province): items with a code, a label and whether they are
    mandatory. Editable data, never code."""

    kind = models.CharField(_("kind"), max_length=10, choices=TitleKind.choices)
    title = models.CharField(_("title"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    items = models.JSONField(_("criteria"), default=list)

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return self.title

    @property
    def mandatory(self) -> list[dict]:
        return [item for item in self.items if item.get("mandatory")]


class TitleRound(models.Model):
    """One commune's yearly round, with its timeline computed from the 25 November deadline."""

    commune = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    criteria = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("criteria")
    )
    deadline = models.DateField(_("assessment deadline"))
    meetings_from = models.DateField(_("meetings from"))
    posting_days = models.PositiveSmallIntegerField(_("posting (days)"), default=10)
    decision_days = models.PositiveSmallIntegerField(_("decision within (days)"), default=10)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "commune_id"]
        verbose_name = _("cultural titles round")
        verbose_name_plural = _("cultural titles rounds")
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="cultural_round_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.commune}"

    @property
    def unit(self):
        return self.commune

    @property
    def last_meeting_day(self) -> dt.date:
        """The last day a meeting can be held and its list still posted before the deadline."""
        return self.deadline - dt.timedelta(days=self.posting_days + 5)

    @property
    def decision_due(self) -> dt.date:
        return self.deadline + dt.timedelta(days=self.decision_days)


class AreaAssessment(models.Model):
    """One residential area in a round: its meeting, assessed households, posting and dossier."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being assessed")
        POSTED = "posted", _("Posted for comments")
        FILED = "filed", _("Dossier filed")
        DECIDED = "decided", _("Decided")

    round = models.ForeignKey(TitleRound, on_delete=models.CASCADE, related_name="areas")
    area = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    meeting_on = models.DateField(_("date of the meeting"), null=True, blank=True)
    chair = models.CharField(_("chaired by (head of the area)"), max_length=200, blank=True)
    co_chair = models.CharField(
        _("with (head of the Front Work Committee)"), max_length=200, blank=True
    )
    attendees = models.PositiveIntegerField(_("attendees"), null=True, blank=True)
    assessed = models.PositiveIntegerField(default=0)
    eligible = models.PositiveIntegerField(default=0)
    posting = models.ForeignKey(
        "core.Posting", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    posted_on = models.DateField(null=True, blank=True)
    posting_ends_on = models.DateField(null=True, blank=True)
    filed_on = models.DateField(_("dossier filed on"), null=True, blank=True)
    late_reason = models.TextField(_("reason for filing late"), blank=True)
    upload_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "area__code"]
        verbose_name = _("area assessment")
        verbose_name_plural = _("area assessments")
        constraints = [
            models.UniqueConstraint(fields=["round", "area"], name="cultural_area_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.round.year}"

    @property
    def unit(self):
        return self.area

    @property
    def posting_key(self) -> str:
        return f"cultural_titles.area:{self.pk}"

    @property
    def share(self) -> float | None:
        return self.eligible / self.assessed if self.assessed else None


class HouseholdAssessment(models.Model):
    """One household's result in its area's meeting. The head's name and address are copied
    for the year: the list posted and decided stays what it was when the register changes."""

    assessment = models.ForeignKey(
        AreaAssessment, on_delete=models.CASCADE, related_name="households"
    )
    household = models.ForeignKey("org.Household", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=40)
    head_name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    answers = models.JSONField(default=dict)
    eligible = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    override_reason = models.CharField(_("reason for the exception"), max_length=300, blank=True)
    contested = models.BooleanField(default=False)

    class Meta:
        ordering = ["assessment", "code"]
        verbose_name = _("household assessment")
        verbose_name_plural = _("household assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "household"], name="cultural_household_once_per_area"
            )
        ]

    def __str__(self) -> str:
        return self.code


class TitleDecision(models.Model):
    """The commune chairman's decision for a round (families: Form 10), made through honors."""

    round = models.ForeignKey(TitleRound, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=TitleKind.choices, default=TitleKind.FAMILY)
    decision = models.OneToOneField("honors.Decision", on_delete=models.PROTECT, related_name="+")
    areas = models.PositiveIntegerField(default=0)
    households = models.PositiveIntegerField(default=0)
    late_areas = models.PositiveIntegerField(
        _("areas decided more than the time limit after their dossier"), default=0
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cultural titles decision")
        verbose_name_plural = _("cultural titles decisions")

    def __str__(self) -> str:
        return str(self.decision_id)

    @property
    def unit(self):
        return self.round.commune


class AreaTitle(models.Model):
    """An area proposed for "Thôn, tổ dân phố văn hóa": its achievement report (Form 05) goes, as
    a collective nomination with the proposal (Form 04), through the commune's commendation
    round — the council's vote over all its members, the 10-day public notice and the
    chairman's decision with the cash reward are those of `honors`."""

    round = models.ForeignKey(TitleRound, on_delete=models.CASCADE, related_name="area_titles")
    area = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    report = models.TextField(_("achievement report (Form 05)"))
    evidence = models.TextField(_("evidence for each criterion"), blank=True)
    nomination = models.OneToOneField(
        "honors.Nomination", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "area__code"]
        verbose_name = _("proposed cultural area")
        verbose_name_plural = _("proposed cultural areas")
        constraints = [
            models.UniqueConstraint(fields=["round", "area"], name="cultural_area_title_once")
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.round.year}"

    @property
    def unit(self):
        return self.area


class CertificatePrint(models.Model):
    """One area's certificates of a decision in one print-ready PDF (A4, or A5 two-up), made in
    the background; kept privately with its SHA-256 fingerprint."""

    class Layout(models.TextChoices):
        A4 = "a4", _("A4, one certificate a page")
        A5 = "a5", _("A5, two certificates on each A4 sheet")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Generating")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Stopped on an error")

    title_decision = models.ForeignKey(
        TitleDecision, on_delete=models.CASCADE, related_name="prints"
    )
    assessment = models.ForeignKey(AreaAssessment, on_delete=models.CASCADE, related_name="+")
    layout = models.CharField(max_length=2, choices=Layout.choices, default=Layout.A4)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    pdf = models.FileField(
        upload_to=GeneratedPath("cultural_titles/certificates"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("printed certificates of an area")
        verbose_name_plural = _("printed certificates of areas")

    def __str__(self) -> str:
        return f"{self.assessment} · {self.layout}"

    @property
    def unit(self):
        return self.assessment.area

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 0

    @property
    def working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
