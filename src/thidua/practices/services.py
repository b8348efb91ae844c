"""Writes for exemplary practices and exemplars.

Rules:
- an officer of a unit (or above) records a practice for it, with a field; it starts discovered;
- stages move forward one at a time by a leader of the practice's unit or above: nurtured needs a
  nurture plan with a mentoring unit, summarised needs the summary report; replicated is reached
  when a unit adopts a summarised practice;
- going backwards, skipping a stage, or replicating a practice not yet summarised needs a
  leader's override with a reason, which the audit chain records;
- a replication is the adopting unit's own practice, linked to its source; never into the
  source's own unit, and once per unit;
- exemplars are proposed by a unit and verified (or returned) by a leader of its parent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.actors import person_or_none
from thidua.core.policy import can, require
from thidua.core.text import clean_name
from thidua.core.uploads import IMAGE_TYPES, accept, files_removed_on_failure
from thidua.org.models import Unit
from thidua.practices.models import (
    STAGE_ORDER,
    Checkpoint,
    Exemplar,
    NurturePlan,
    Practice,
    Stage,
    StageChange,
    Summary,
)


def record_practice(
    actor: Any,
    *,
    owner_unit: Unit,
    title: str,
    field: Any,
    description: str = "",
    started_on: dt.date | None = None,
    evidence: Any = None,
    note: str = "",
) -> Practice:
    """Record a newly discovered practice of a unit."""
    require(actor, "unit.enter_data", owner_unit)
    if field is None:
        raise ValidationError({"field": _("Choose the field of the practice.")})
    if not owner_unit.is_current:
        raise ValidationError(
            {"owner_unit": _("%(unit)s is no longer in force.") % {"unit": owner_unit}}
        )
    upload = accept(evidence, field="evidence") if evidence else None
    practice = Practice(
        title=clean_name(title),
        owner_unit=owner_unit,
        field=field,
        description=description,
        started_on=started_on or timezone.localdate(),
        created_by=person_or_none(actor),
    )
    practice.full_clean()
    with files_removed_on_failure(), transaction.atomic():
        practice.save()
        StageChange.objects.create(
            practice=practice,
            to_stage=Stage.DISCOVERED,
            actor=person_or_none(actor),
            note=note,
            evidence=upload.file if upload else "",
            evidence_name=upload.name if upload else "",
        )
        audit.record(actor, "practices.record", practice, {"title": practice.title})
    return practice


def set_nurture_plan(
    actor: Any,
    *,
    practice: Practice,
    mentoring_unit: Unit,
    goals: str = "",
    checkpoints: list[tuple[str, dt.date]] | None = None,
) -> NurturePlan:
    """The plan that nurturing follows: a mentoring unit and dated checkpoints."""
    require(actor, "unit.approve", practice.owner_unit)
    with transaction.atomic():
        plan, _created = NurturePlan.objects.update_or_create(
            practice=practice, defaults={"mentoring_unit": mentoring_unit, "goals": goals}
        )
        if checkpoints is not None:
            plan.checkpoints.all().delete()
            for title, due_on in checkpoints:
                if not title.strip():
                    raise ValidationError({"checkpoints": _("Every checkpoint needs a title.")})
                Checkpoint.objects.create(plan=plan, title=title.strip(), due_on=due_on)
        audit.record(
            actor,
            "practices.set_plan",
            practice,
            {"mentoring_unit": mentoring_unit.code, "checkpoints": len(checkpoints or [])},
        )
    return plan


def write_summary(
    actor: Any, *, practice: Practice, results: str, lessons: str, how_to_replicate: str
) -> Summary:
    require(actor, "unit.enter_data", practice.owner_unit)
    missing = {
        name: _("This field is required.")
        for name, value in (
            ("results", results),
            ("lessons", lessons),
            ("how_to_replicate", how_to_replicate),
        )
        if not (value or "").strip()
    }
    if missing:
        raise ValidationError(missing)
    with transaction.atomic():
        summary, _created = Summary.objects.update_or_create(
            practice=practice,
            defaults={
                "results": results.strip(),
                "lessons": lessons.strip(),
                "how_to_replicate": how_to_replicate.strip(),
                "written_by": person_or_none(actor),
            },
        )
        audit.record(actor, "practices.write_summary", practice, {})
    return summary


def _requirements(practice: Practice, stage: str) -> None:
    if stage == Stage.NURTURED and not NurturePlan.objects.filter(practice=practice).exists():
        raise ValidationError(_("Nurturing needs a plan with a mentoring unit first."))
    if stage == Stage.SUMMARISED and not Summary.objects.filter(practice=practice).exists():
        raise ValidationError(_("A practice is summarised only with its summary report."))
    if stage == Stage.REPLICATED and not practice.replications.exists():
        raise ValidationError(_("A practice is replicated when another unit adopts it."))


def move_stage(
    actor: Any,
    *,
    practice: Practice,
    to_stage: str,
    note: str = "",
    values: dict[str, Any] | None = None,
    evidence: Any = None,
    override_reason: str = "",
) -> Practice:
    """Move a practice to its next stage; anything else is an override that needs a reason."""
    require(actor, "unit.approve", practice.owner_unit)
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Unknown stage.")})
    current = STAGE_ORDER.index(practice.stage)
    target = STAGE_ORDER.index(to_stage)
    is_override = target != current + 1
    if target == current:
        raise ValidationError({"to_stage": _("The practice is already at this stage.")})
    if is_override and not override_reason.strip():
        raise ValidationError(
            {"override_reason": _("Going back or skipping a stage needs a reason.")}
        )
    if not is_override:
        _requirements(practice, to_stage)
    elif to_stage in (Stage.SUMMARISED, Stage.REPLICATED):
        # Even an override cannot make a practice summarised without its report, or replicated
        # before another unit adopts it.
        _requirements(practice, to_stage)
    upload = accept(evidence, field="evidence") if evidence else None
    with files_removed_on_failure(), transaction.atomic():
        StageChange.objects.create(
            practice=practice,
            from_stage=practice.stage,
            to_stage=to_stage,
            actor=person_or_none(actor),
            note=note,
            values=values or {},
            evidence=upload.file if upload else "",
            evidence_name=upload.name if upload else "",
            is_override=is_override,
            reason=override_reason.strip(),
        )
        audit.record(
            actor,
            "practices.override_stage" if is_override else "practices.move_stage",
            practice,
            {"from": practice.stage, "to": to_stage, "reason": override_reason.strip()},
        )
        practice.stage = to_stage
        practice.save(update_fields=["stage"])
    return practice


def replicate(
    actor: Any,
    *,
    source: Practice,
    adopting_unit: Unit,
    started_on: dt.date | None = None,
    adaptations: str = "",
    override_reason: str = "",
) -> Practice:
    """A unit adopts a practice: its own practice, linked to the source, which becomes
    'replicated'. Before the source is summarised, only a leader's override allows it."""
    require(actor, "unit.enter_data", adopting_unit)
    if adopting_unit.pk == source.owner_unit_id:
        raise ValidationError(
            {"adopting_unit": _("A practice cannot be replicated into its own unit.")}
        )
    if not adopting_unit.is_current:
        raise ValidationError(
            {"adopting_unit": _("%(unit)s is no longer in force.") % {"unit": adopting_unit}}
        )
    summarised = STAGE_ORDER.index(source.stage) >= STAGE_ORDER.index(Stage.SUMMARISED)
    if not summarised:
        if not override_reason.strip():
            raise ValidationError(
                _(
                    "Only a summarised practice can be replicated; a leader may override with a "
                    "reason."
                )
            )
        if not can(actor, "unit.approve", adopting_unit):
            raise PermissionDenied(_("Only a leader can override this rule."))
    replica = Practice(
        title=source.title,
        owner_unit=adopting_unit,
        field=source.field,
        description=source.description,
        started_on=started_on or timezone.localdate(),
        source=source,
        origin=source.origin or source,
        adaptations=adaptations,
        created_by=person_or_none(actor),
    )
    replica.full_clean(validate_constraints=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                replica.save()
        except IntegrityError as error:
            raise ValidationError(
                {
                    "adopting_unit": _("%(unit)s has already replicated this practice.")
                    % {"unit": adopting_unit}
                }
            ) from error
        StageChange.objects.create(
            practice=replica,
            to_stage=Stage.DISCOVERED,
            actor=person_or_none(actor),
            note=_("Replicated from %(unit)s.") % {"unit": source.owner_unit.name},
        )
        if source.stage == Stage.SUMMARISED:
            StageChange.objects.create(
                practice=source,
                from_stage=source.stage,
                to_stage=Stage.REPLICATED,
                actor=person_or_none(actor),
                note=adopting_unit.name,
            )
            source.stage = Stage.REPLICATED
            source.save(update_fields=["stage"])
        audit.record(
            actor,
            "practices.replicate",
            replica,
            {"source": source.pk, "override_reason": override_reason.strip()},
        )
    return replica


def set_active(actor: Any, *, practice: Practice, active: bool) -> Practice:
    require(actor, "unit.approve", practice.owner_unit)
    with transaction.atomic():
        practice.is_active = active
        practice.save(update_fields=["is_active"])
        audit.record(actor, "practices.set_active", practice, {"active": active})
    return practice


# --- exemplars ------------------------------------------------------------------------------


def propose_exemplar(
    actor: Any,
    *,
    owner_unit: Unit,
    kind: str,
    name: str,
    deeds: str,
    story: str = "",
    photo: Any = None,
    practices: list[Practice] | None = None,
) -> Exemplar:
    require(actor, "unit.enter_data", owner_unit)
    upload = accept(photo, types=IMAGE_TYPES, field="photo") if photo else None
    exemplar = Exemplar(
        owner_unit=owner_unit,
        kind=kind,
        name=clean_name(name),
        deeds=deeds,
        story=story,
        photo=upload.file if upload else "",
    )
    exemplar.full_clean()
    with files_removed_on_failure(), transaction.atomic():
        exemplar.save()
        if practices:
            exemplar.practices.set(practices)
        audit.record(actor, "practices.propose_exemplar", exemplar, {"name": exemplar.name})
    return exemplar


def verify_exemplar(actor: Any, *, exemplar: Exemplar, accept: bool, reason: str = "") -> Exemplar:
    """The parent unit's leader verifies the deeds (or returns the proposal with a reason)."""
    unit = exemplar.owner_unit
    if unit.parent_id is None or not can(actor, "unit.approve", unit.parent):
        raise PermissionDenied(_("Only a leader of the unit above can decide on this."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why it is returned.")})
    if exemplar.status != Exemplar.Status.PROPOSED:
        raise ValidationError(_("Only a proposed exemplar can be verified or returned."))
    with transaction.atomic():
        exemplar.status = Exemplar.Status.VERIFIED if accept else Exemplar.Status.RETURNED
        exemplar.return_reason = "" if accept else reason.strip()
        exemplar.verified_by = person_or_none(actor) if accept else None
        exemplar.verified_at = timezone.now() if accept else None
        exemplar.save(update_fields=["status", "return_reason", "verified_by", "verified_at"])
        audit.record(
            actor, "practices.verify_exemplar", exemplar, {"accept": accept, "reason": reason}
        )
    return exemplar


def feature_exemplar(
    actor: Any, *, exemplar: Exemplar, featured: bool = True, put_forward: bool | None = None
) -> Exemplar:
    """Editors feature verified exemplars on the portal; leaders put them forward for awards."""
    if put_forward is None or featured != exemplar.is_featured:
        require(actor, "content.edit", exemplar.owner_unit)
    if put_forward is not None:
        require(actor, "unit.approve", exemplar.owner_unit)
    if exemplar.status != Exemplar.Status.VERIFIED:
        raise ValidationError(_("Only a verified exemplar can be featured or put forward."))
    with transaction.atomic():
        exemplar.is_featured = featured
        if put_forward is not None:
            exemplar.put_forward = put_forward
        exemplar.save(update_fields=["is_featured", "put_forward"])
        audit.record(
            actor,
            "practices.feature_exemplar",
            exemplar,
            {"featured": featured, "put_forward": exemplar.put_forward},
        )
    return exemplar
