"""The unit tree: the spine every record hangs on.

A unit's `path` is fixed at creation ("12/345/6789/"), so a subtree is one indexed prefix range.
Units are never moved or renamed in place: a restructuring closes them and opens successors,
linked by `Lineage`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.core.models import NamedInLanguages

PATH_SEPARATOR = "/"


# The kind of the Front's member organisations (women's union, youth union, farmers', veterans',
# trade unions): units below a Front committee that are not a territorial level (migration 0005).
MEMBER_ORGANISATION = "organisation"


class UnitKind(NamedInLanguages, models.Model):
    """A level of the organisation (city, ward, residential group...), configurable per country."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), help_text=_("0 is the top level"))

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("unit kind")
        verbose_name_plural = _("unit kinds")

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def within(self, unit: Unit) -> UnitQuerySet:
        """The unit and everything below it, in every period."""
        return self.filter(path__startswith=unit.path)

    def with_parent(self) -> UnitQuerySet:
        """Units ready for `display_name` without a query each."""
        return self.select_related("parent")


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.ForeignKey(
        UnitKind, on_delete=models.PROTECT, related_name="units", verbose_name=_("kind")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    created_by_restructuring = models.ForeignKey(
        "Restructuring",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opened_units",
    )
    closed_by_restructuring = models.ForeignKey(
        "Restructuring",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_units",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="org_unit_code_valid_from_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="org_unit_valid_to_after_from",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="org_unit_validity")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name people read in lists, pickers, PDFs and Excel files. Below nation → province
        → ward (depth 3 and deeper: residential groups, and the wards of the former districts)
        names repeat — some thirty names for 2,054 residential groups — so the parent is named
        too: "Tổ dân phố 14 — Phường Bồ Đề". Load lists with `select_related("parent")` (or
        `with_parent()`) so this costs no query; higher units never touch the parent."""
        if self.depth >= 3 and self.parent_id:
            return f"{self.name} — {self.parent.name}"
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def path_ids(self) -> list[int]:
        """Primary keys of the ancestors and the unit itself, root first."""
        return [int(part, 36) for part in self.path.split(PATH_SEPARATOR) if part]

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


def path_segment(pk: int) -> str:
    """Base-36 segment; the terminating separator keeps prefixes unambiguous."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if pk == 0:
        return "0" + PATH_SEPARATOR
    out = ""
    while pk:
        pk, rem = divmod(pk, 36)
        out = digits[rem] + out
    return out + PATH_SEPARATOR


class Restructuring(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        UNDONE = "undone", _("undone")

    effective_date = models.DateField(_("effective date"))
    title = models.CharField(_("title"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    operations = models.JSONField(_("operations"), default=list)
    previous_ends = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPLIED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")

    def __str__(self) -> str:
        return f"{self.effective_date:%d/%m/%Y} {self.title}"


class Lineage(models.Model):
    """Where an old unit went: one row per (predecessor, successor) with the share carried."""

    restructuring = models.ForeignKey(
        Restructuring, on_delete=models.CASCADE, related_name="lineages"
    )
    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    share = models.DecimalField(max_digits=9, decimal_places=8, default=Decimal("1"))
    is_default = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("lineage")
        verbose_name_plural = _("lineages")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="org_lineage_pair_unique"
            ),
            models.UniqueConstraint(
                fields=["predecessor"],
                condition=Q(is_default=True),
                name="org_lineage_one_default",
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="org_lineage_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.share})"


class Household(models.Model):
    """One household of a residential area: the shared register used by cultural titles,
    surveys (their frame) and funds (beneficiaries).

    The head's name is personal data: staff of the area's subtree see it; the public sees it only
    inside a posting window or a decision (the law puts it there). An ID number is never stored
    in clear: only a keyed hash (`id_number_digest`) to recognise the same person again."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        MOVED = "moved", _("moved away")
        MERGED = "merged", _("merged into another household")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="household_register", verbose_name=_("area")
    )
    code = models.CharField(_("household code"), max_length=40, unique=True)
    head_name = models.CharField(_("head of household"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    members = models.PositiveSmallIntegerField(_("members"), default=1)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    id_number_digest = models.CharField(max_length=64, blank=True, editable=False)
    attributes = models.JSONField(_("other attributes"), default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    in_area_since = models.DateField(_("in this area since"))
    source_file = models.CharField(max_length=64, blank=True, editable=False)
    source_row = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "code"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["unit", "status"], name="org_household_unit_status")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class HouseholdMove(models.Model):
    """A dated change of a household's area, or its merger into another household. The past
    stays where it was: a title of the year before is kept under the area of that year."""

    class Kind(models.TextChoices):
        MOVE = "move", _("moved to another area")
        MERGE = "merge", _("merged into another household")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MOVE)
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    merged_into = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moved_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["moved_on", "id"]
        verbose_name = _("household move")
        verbose_name_plural = _("household moves")

    def __str__(self) -> str:
        return f"{self.household} {self.from_unit_id}→{self.to_unit_id} {self.moved_on}"
