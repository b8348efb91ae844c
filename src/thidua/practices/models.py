"""Exemplary practices (mô hình) through discover → nurture → summarise → replicate, their
replications unit by unit, and exemplars (good people, good deeds; advanced collectives)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.core.text import normalise_search
from thidua.core.uploads import GeneratedPath, file_url, private_storage


def _with_search_text(instance: models.Model, text: str, kwargs: dict) -> dict:
    """Every save keeps `search_text` (lower-case, unaccented: "nguyen van" finds "Nguyễn
    Văn" on SQLite and PostgreSQL alike) in step with the text it is made of."""
    instance.search_text = normalise_search(text)
    fields = kwargs.get("update_fields")
    if fields is not None:
        kwargs["update_fields"] = {*fields, "search_text"}
    return kwargs


class Stage(models.TextChoices):
    DISCOVERED = "discovered", _("Discovered")
    NURTURED = "nurtured", _("Being nurtured")
    SUMMARISED = "summarised", _("Summarised")
    REPLICATED = "replicated", _("Replicated")


STAGE_ORDER = [Stage.DISCOVERED, Stage.NURTURED, Stage.SUMMARISED, Stage.REPLICATED]


class Practice(models.Model):
    title = models.CharField(_("title"), max_length=300)
    owner_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="practices", verbose_name=_("unit")
    )
    field = models.ForeignKey(
        "shared.Field",
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name=_("field"),
    )
    description = models.TextField(_("description"), blank=True)
    started_on = models.DateField(_("started on"))
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.DISCOVERED
    )
    source = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replications",
        verbose_name=_("replicated from"),
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lineage_members",
        help_text="The first practice of the replication tree (empty for an original).",
    )
    adaptations = models.TextField(_("adaptations"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "title"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "owner_unit"],
                condition=Q(source__isnull=False),
                name="one_replication_per_unit",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        kwargs = _with_search_text(self, self.title, kwargs)
        super().save(*args, **kwargs)

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)


class StageChange(models.Model):
    """One step of a practice's life: who moved it, when, with what evidence."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    values = models.JSONField(_("indicator values"), default=dict, blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to=GeneratedPath("practices"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    evidence_name = models.CharField(max_length=200, blank=True)  # display only
    is_override = models.BooleanField(default=False)
    reason = models.TextField(_("reason for the override"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.practice}: {self.from_stage} → {self.to_stage}"

    @property
    def evidence_url(self) -> str:
        return file_url("practice-evidence", self.pk) if self.evidence else ""


class NurturePlan(models.Model):
    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="plan")
    mentoring_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("mentoring unit")
    )
    goals = models.TextField(_("goals"), blank=True)

    def __str__(self) -> str:
        return f"{self.practice} · {self.mentoring_unit}"


class Checkpoint(models.Model):
    plan = models.ForeignKey(NurturePlan, on_delete=models.CASCADE, related_name="checkpoints")
    title = models.CharField(_("checkpoint"), max_length=300)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class Summary(models.Model):
    """The summary report that a practice needs before it counts as summarised."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="summary")
    results = models.TextField(_("results"))
    lessons = models.TextField(_("lessons"))
    how_to_replicate = models.TextField(_("how to replicate"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.practice}"


class Exemplar(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        COLLECTIVE = "collective", _("Collective")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    owner_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="exemplars",
        verbose_name=_("nominating unit"),
    )
    deeds = models.TextField(_("deeds"))
    story = models.TextField(_("story"), blank=True)
    # Private like every upload; served to anyone once the exemplar is verified (published).
    photo = models.FileField(
        _("photo"),
        upload_to=GeneratedPath("exemplars"),
        storage=private_storage,
        max_length=200,
        blank=True,
    )
    practices = models.ManyToManyField(Practice, blank=True, related_name="exemplars")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    return_reason = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    is_featured = models.BooleanField(_("featured on the portal"), default=False)
    put_forward = models.BooleanField(_("put forward for commendation"), default=False)
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exemplar")
        verbose_name_plural = _("exemplars")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        kwargs = _with_search_text(self, f"{self.name} {self.deeds}", kwargs)
        super().save(*args, **kwargs)
