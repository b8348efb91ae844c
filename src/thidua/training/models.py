"""Front officers' training: officers (with or without an account), courses and their sessions,
enrolments, attendance per session and certificates of completion."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class TargetRole(models.TextChoices):
    AREA_HEAD = "head_front_work_committee", _("Head of a Front Work Committee")
    AREA_MEMBER = "front_work_committee_member", _("Member of a Front Work Committee")
    COMMUNE_STANDING = "commune_standing", _("Standing board member")
    STAFF = "staff", _("Front staff")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class Officer(models.Model):
    """A Front officer, most of whom never log in; `unit` is where they serve now. Their
    enrolments keep the unit and position of the time, so their history survives a merge."""

    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    role = models.CharField(
        _("role"), max_length=40, choices=TargetRole.choices, default=TargetRole.AREA_HEAD
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    on_payroll = models.BooleanField(_("on the payroll"), default=False)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_officer",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")

    def __str__(self) -> str:
        return self.full_name


class Course(models.Model):
    class Level(models.TextChoices):
        CENTRAL = "central", _("Central")
        CITY = "city", _("City / province")
        COMMUNE = "commune", _("Commune / ward")
        AREA = "area", _("Residential area")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        MIXED = "mixed", _("Mixed")

    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    target_roles = models.JSONField(_("target roles"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    completion_percent = models.PositiveSmallIntegerField(
        _("share of hours needed to complete (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # the optional assessment: when on, completion also needs a score at or above the pass mark
    has_assessment = models.BooleanField(_("final assessment"), default=False)
    max_score = models.DecimalField(
        _("highest score"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_course_dates"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__lte=F("max_score")), name="training_course_pass_mark"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class Session(models.Model):
    """One topic taught on one day, with its presenter and hours."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("topic"), max_length=300)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    held_on = models.DateField(_("day"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("4"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Attending")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")
        EXCUSED = "excused", _("Excused")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    # the person as they were at the time of the course
    position = models.CharField(_("position"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=40, choices=TargetRole.choices, blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    on_payroll = models.BooleanField(_("on the payroll"), default=False)
    excuse_reason = models.CharField(_("reason for the excuse"), max_length=300, blank=True)
    score = models.DecimalField(
        _("assessment score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    # proposed by the organiser among the best learners for commendation (the nomination itself
    # is made in honours, pre-filled from the learner)
    commended = models.BooleanField(_("proposed for commendation"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["officer__full_name", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["course", "officer"], name="training_enrolment_once")
        ]

    def __str__(self) -> str:
        return f"{self.officer} · {self.course}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(default=True)
    # an absence the organiser excused, with its reason: still hours not attended
    excused = models.BooleanField(_("excused"), default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # how the presence was recorded: from the sign-in sheet or by a check-in at the door
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="training_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.session_id}"


def new_check_code() -> str:
    return secrets.token_urlsafe(9)


class Certificate(models.Model):
    """A certificate of completion, numbered in sequence per organiser and year."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("number"))
    issued_on = models.DateField(_("issued on"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    code = models.CharField(max_length=20, unique=True, default=new_check_code, editable=False)

    class Meta:
        ordering = ["year", "sequence"]
        verbose_name = _("training certificate")
        verbose_name_plural = _("training certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "year", "sequence"], name="training_certificate_number"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.sequence:04d}/{self.year}/GCN-TH"
