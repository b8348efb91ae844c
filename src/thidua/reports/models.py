"""Statutory statistics: the dated regimes, their forms as data, and the reports computed from
the registries (with their adjustments, sign-off and frozen files)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thidua.core.models import NamedInLanguages
from thidua.core.uploads import GeneratedPath, private_storage


class StatRegime(models.Model):
    """A statistical reporting regime (a circular of the Ministry of Home Affairs), in force
    between two dates, with its forms, its period rule and its due day."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    number = models.CharField(_("circular number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    is_placeholder = models.BooleanField(
        _("forms not yet known"),
        default=False,
        help_text=_("The circular is known but its forms are not: it offers no form yet."),
    )
    # the period: from (start_month, start_day) of the previous year to (end_month, end_day)
    period_start_month = models.PositiveSmallIntegerField(default=12)
    period_start_day = models.PositiveSmallIntegerField(default=1)
    period_end_month = models.PositiveSmallIntegerField(default=11)
    period_end_day = models.PositiveSmallIntegerField(default=30)
    due_month = models.PositiveSmallIntegerField(default=12)
    due_day = models.PositiveSmallIntegerField(default=15)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("statistical regime")
        verbose_name_plural = _("statistical regimes")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="reports_regime_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return _("Circular %(number)s") % {"number": self.number}

    def period(self, year: int) -> tuple[dt.date, dt.date]:
        """The reporting period of `year`: 1/12 of the year before to 30/11 of the year."""
        start_year = year - 1 if self.period_start_month > self.period_end_month else year
        return (
            dt.date(start_year, self.period_start_month, self.period_start_day),
            dt.date(year, self.period_end_month, self.period_end_day),
        )

    def due_on(self, year: int) -> dt.date:
        return dt.date(year, self.due_month, self.due_day)

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class StatForm(NamedInLanguages, models.Model):
    """One form of a regime: its rows and columns, each with a filter over the records of its
    source (movements or honours), and the arithmetic checks it encodes."""

    class Source(models.TextChoices):
        MOVEMENTS = "movements", _("Movements")
        HONOURS = "honours", _("Honours")

    regime = models.ForeignKey(StatRegime, on_delete=models.CASCADE, related_name="forms")
    code = models.SlugField(_("code"), max_length=20)
    official_code = models.CharField(_("form number"), max_length=40, blank=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_id = models.CharField(_("name (Indonesian)"), max_length=300)
    unit_of_count = models.JSONField(_("unit of count"), default=dict)
    source = models.CharField(_("records counted"), max_length=20, choices=Source.choices)
    base_filter = models.JSONField(default=dict, blank=True)
    rows = models.JSONField(default=list)
    columns = models.JSONField(default=list)
    row_checks = models.JSONField(default=list, blank=True)
    column_checks = models.JSONField(default=list, blank=True)
    statutory = models.BooleanField(_("statutory form"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["regime", "order", "code"]
        verbose_name = _("statistical form")
        verbose_name_plural = _("statistical forms")
        constraints = [
            models.UniqueConstraint(fields=["regime", "code"], name="reports_form_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.official_code or self.code} · {self.name}"

    @property
    def unit_label(self) -> str:
        language = (get_language() or "vi")[:2]
        return self.unit_of_count.get(language) or self.unit_of_count.get("vi", "")


class StatReport(models.Model):
    """A form computed for a reporting unit and its subtree for a year's period."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CHECKED = "checked", _("Checked")
        SIGNED = "signed", _("Signed")
        SUBMITTED = "submitted", _("Submitted")
        SUPERSEDED = "superseded", _("Superseded")

    form = models.ForeignKey(StatForm, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="stat_reports", verbose_name=_("unit")
    )
    receiving_unit = models.CharField(_("receiving unit"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    computed = models.JSONField(default=dict)  # "row|col" -> count (non-zero cells)
    cell_ids = models.JSONField(default=dict)  # "row|col" -> the records' ids
    computed_at = models.DateTimeField(null=True, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    preparer_name = models.CharField(_("prepared by"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    xlsx = models.FileField(
        upload_to=GeneratedPath("reports/statutory"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    xlsx_hash = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(
        upload_to=GeneratedPath("reports/statutory"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    pdf_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__path", "form__order", "-id"]
        verbose_name = _("statistical report")
        verbose_name_plural = _("statistical reports")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "year"],
                condition=Q(state__in=["draft", "checked", "signed"]),
                name="reports_one_open_report",
            )
        ]

    def __str__(self) -> str:
        return f"{self.form.official_code or self.form.name} · {self.unit.name} · {self.year}"

    @property
    def is_frozen(self) -> bool:
        return self.state in (self.State.SUBMITTED, self.State.SUPERSEDED)


class Adjustment(models.Model):
    """A manual change of one cell, with its reason and author: the sheet shows computed +
    adjustments = reported."""

    report = models.ForeignKey(StatReport, on_delete=models.CASCADE, related_name="adjustments")
    row_code = models.CharField(_("row"), max_length=10)
    column_code = models.CharField(_("column"), max_length=10)
    delta = models.IntegerField(_("change"))
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="reports_adjustment_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.row_code}/{self.column_code}: {self.delta:+d}"
