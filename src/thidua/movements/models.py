"""Emulation movements: launched for a subtree, registered for, reported on, period by period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.core.uploads import GeneratedPath, file_url, private_storage
from thidua.movements.statistics import LaunchLevel, Method, Scope
from thidua.shared.models import Field


class Movement(models.Model):
    class Kind(models.TextChoices):
        STANDING = "standing", _("Standing campaign")
        PERIODIC = "periodic", _("Periodic")
        THEMATIC = "thematic", _("Thematic drive")

    class Schedule(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LAUNCHED = "launched", _("Launched")
        CLOSED = "closed", pgettext_lazy("movement status", "Closed")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("launching unit"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_drives",
        verbose_name=_("under the movement"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    fields = models.ManyToManyField(Field, blank=True, related_name="movements")
    scope_kinds = models.ManyToManyField(
        "org.UnitKind",
        blank=True,
        related_name="+",
        verbose_name=_("units that take part"),
        help_text=_("Leave empty for every unit below the launching unit."),
    )
    schedule = models.CharField(_("reporting schedule"), max_length=20, choices=Schedule.choices)
    due_days = models.PositiveSmallIntegerField(
        _("report due (days after the period ends)"), default=10
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind (days before the due date)"), default=3
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    # For the statutory statistics (form 0601); empty means derived from the launching unit's
    # level and the kind (see movements/statistics.py).
    launch_level = models.CharField(
        _("launched at level"), max_length=20, choices=LaunchLevel.choices, blank=True
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, blank=True)
    method = models.CharField(
        _("method of emulation"), max_length=20, choices=Method.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="movement_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        AVERAGE = "average", _("Average")
        RATIO = "ratio", _("Ratio (value over base)")
        COUNT = "count", _("Count of units reporting")

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50, blank=True)
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["movement", "name"], name="indicator_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_of_measure})" if self.unit_of_measure else self.name


class IndicatorTarget(models.Model):
    """The target each unit of a kind is expected to reach."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit_kind = models.ForeignKey("org.UnitKind", on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit_kind"], name="target_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.unit_kind}: {self.target}"


class Period(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(_("period"), max_length=20)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "label"], name="period_label_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Registration(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="registrations")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("commitment"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit"], name="one_registration_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.movement}"


class PledgedTarget(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="pledged_targets"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    target = models.DecimalField(_("pledged target"), max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "indicator"], name="one_pledge")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target}"


class Work(models.Model):
    """A pledged work (công trình, phần việc); a congress work welcomes the Front Congress."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="works")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="works", null=True, blank=True
    )
    owner_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="works")
    title = models.CharField(_("title"), max_length=300)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("field")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (VND)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    is_congress_work = models.BooleanField(_("work to welcome the Congress"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "title"]
        verbose_name = _("work")
        verbose_name_plural = _("works")

    def __str__(self) -> str:
        return self.title


class Evidence(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(
        _("file"), upload_to=GeneratedPath("evidence"), storage=private_storage, max_length=200
    )
    name = models.CharField(_("file name"), max_length=200, blank=True)  # display only
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.caption or self.name or str(_("file"))

    @property
    def download_url(self) -> str:
        return file_url("evidence", self.pk)


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    narrative = models.TextField(_("narrative"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "period", "unit"], name="one_report_per_period"
            )
        ]
        indexes = [models.Index(fields=["movement", "status"], name="report_status")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"


class ReportValue(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    base = models.DecimalField(
        _("base (for ratios)"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class ReportEvent(models.Model):
    """History of a report: every submission, acceptance and return, with its reason."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Report.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    values = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report} → {self.status}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), upload_to=GeneratedPath("reports"), storage=private_storage, max_length=200
    )
    name = models.CharField(_("file name"), max_length=200, blank=True)  # display only
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name or str(_("file"))

    @property
    def download_url(self) -> str:
        return file_url("report-attachment", self.pk)


class ImportJob(models.Model):
    """An uploaded Excel file of reports, validated and imported in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Checking and importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="import_jobs")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(
        upload_to=GeneratedPath("imports"), storage=private_storage, max_length=200
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.movement} · {self.created_at:%d/%m/%Y}"

    @property
    def percent(self) -> int:
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class Reminder(models.Model):
    """A reminder sent for a unit's report, so the daily job never sends the same one twice."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_reminder_per_report")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"


class IndicatorTotal(models.Model):
    """The roll-up table of accepted values: per unit and indicator, their sum, the sum of their
    bases and how many there are, for one period, and once more over all periods (`period` empty).

    Dashboards read these rows instead of every report value. They are kept in step, in the same
    transaction, by every write that changes the accepted values (`totals.add_accepted`), and can
    be rebuilt from the reports (`manage.py rebuild_indicator_totals`)."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(max_digits=20, decimal_places=2)
    base = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "period", "indicator", "unit"],
                condition=Q(period__isnull=False),
                name="indicator_total_per_period",
            ),
            models.UniqueConstraint(
                fields=["movement", "indicator", "unit"],
                condition=Q(period__isnull=True),
                name="indicator_total_all_periods",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.indicator_id} · {self.period_id or '*'}: {self.total}"
