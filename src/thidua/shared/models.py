"""Fields of work and councils. The tables keep the names they had when these models lived in
`movements` and `initiatives` (migrations moved the models without touching a row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thidua.core.models import NamedInLanguages


class Field(NamedInLanguages, models.Model):
    """A field of work (lĩnh vực): "urban beauty & environment", "social security"…"""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)

    class Meta:
        db_table = "movements_field"
        ordering = ["name_vi"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self) -> str:
        return self.name


class Council(models.Model):
    """An evaluation (or emulation-commendation) council of a unit; calls and rounds use it.
    Its votes follow `thidua.core.votes` (a share of all members, present or not)."""

    name = models.CharField(_("name"), max_length=200)
    owner_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="councils")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "initiatives_council"
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice chair")
        SECRETARY = "secretary", _("Secretary")
        MEMBER = "member", _("Member")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home unit"),
    )
    expertise = models.ManyToManyField(Field, blank=True, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "initiatives_councilmember"
        ordering = ["council", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="one_seat_per_council")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
