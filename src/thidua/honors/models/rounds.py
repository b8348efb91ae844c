"""Commendation rounds: the call for nominations of an organising unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.honors.models.catalogue import AwardKind, AwardType


class Round(models.Model):
    """A commendation round organised (and conferred) by one unit."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        THEMATIC = "thematic", _("Thematic")
        AD_HOC = "ad_hoc", _("Ad hoc")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", pgettext_lazy("commendation round status", "Closed")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    owner_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="honor_rounds",
        verbose_name=_("organising unit"),
    )
    council = models.ForeignKey(
        "shared.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honor_rounds",
        verbose_name=_("council"),
    )
    award_types = models.ManyToManyField(
        AwardType, related_name="rounds", verbose_name=_("award types")
    )
    movement = models.ForeignKey(
        "movements.Movement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="honor_rounds",
        verbose_name=_("movement"),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    deadline_days = models.PositiveSmallIntegerField(
        _("working days allowed at each level"), default=20
    )
    level_deadlines = models.JSONField(
        _("working days by level"),
        default=dict,
        blank=True,
        help_text=_("Unit kind code → working days, where a level has its own time limit."),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("commendation round")
        verbose_name_plural = _("commendation rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="honors_round_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def honour_kind(self) -> str:
        """The kind of commendation an award of this round is (ad hoc/thematic never merit)."""
        return {
            self.Kind.AD_HOC: AwardKind.AD_HOC,
            self.Kind.THEMATIC: AwardKind.THEMATIC,
        }.get(self.kind, AwardKind.MERIT)
