"""Writes for a unit's registration (pledged targets), its works and their evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.core.text import clean_name
from thidua.core.uploads import accept, files_removed_on_failure
from thidua.movements.models import (
    Evidence,
    Movement,
    PledgedTarget,
    Registration,
    Work,
)
from thidua.movements.services.movements import _check_running, _check_unit, _decide, _number
from thidua.org.models import Unit

# --- registrations --------------------------------------------------------------------------


def register(
    actor: Any,
    *,
    movement: Movement,
    unit: Unit,
    note: str = "",
    targets: dict[int, Any] | None = None,
) -> Registration:
    """Register (or, after a return, re-register) a unit, with pledged targets per indicator."""
    require(actor, "unit.enter_data", unit)
    _check_running(movement)
    _check_unit(movement, unit)
    if unit.valid_from > movement.ends_on or (
        unit.valid_to is not None and unit.valid_to < movement.starts_on
    ):
        raise ValidationError(
            {"unit": _("%(unit)s is not in force during the movement.") % {"unit": unit}}
        )
    indicators = {i.pk: i for i in movement.indicators.all()}
    pledged: dict[int, Decimal] = {}
    for indicator_id, raw in (targets or {}).items():
        if int(indicator_id) not in indicators:
            raise ValidationError({"targets": _("Unknown indicator.")})
        if raw not in (None, ""):
            pledged[int(indicator_id)] = _number(raw, field="targets")
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().filter(movement=movement, unit=unit).first()
        )
        if registration is not None and registration.status not in (
            Registration.Status.DRAFT,
            Registration.Status.RETURNED,
        ):
            raise ValidationError(_("This unit has already registered."))
        if registration is None:
            registration = Registration(movement=movement, unit=unit)
        registration.note = note
        registration.return_reason = ""
        registration.status = Registration.Status.SUBMITTED
        registration.submitted_at = timezone.now()
        registration.save()
        registration.pledged_targets.all().delete()
        PledgedTarget.objects.bulk_create(
            PledgedTarget(registration=registration, indicator_id=pk, target=value)
            for pk, value in pledged.items()
        )
        audit.record(
            actor,
            "movements.register",
            registration,
            {"movement": movement.pk, "targets": {str(k): v for k, v in pledged.items()}},
            unit=unit,
        )
    return registration


def accept_registration(actor: Any, *, registration: Registration) -> Registration:
    with transaction.atomic():
        return _decide(
            actor, registration, accept=True, reason="", verb="movements.accept_registration"
        )


def return_registration(actor: Any, *, registration: Registration, reason: str) -> Registration:
    with transaction.atomic():
        return _decide(
            actor,
            registration,
            accept=False,
            reason=reason,
            verb="movements.return_registration",
        )


# --- works ----------------------------------------------------------------------------------


def add_work(
    actor: Any,
    *,
    registration: Registration,
    title: str,
    field: Any = None,
    deadline: dt.date | None = None,
    budget: Any = None,
    is_congress_work: bool = False,
) -> Work:
    """Pledge a work for a registered unit (a congress work welcomes the Front Congress)."""
    require(actor, "unit.enter_data", registration.unit)
    _check_running(registration.movement)
    work = Work(
        movement=registration.movement,
        registration=registration,
        owner_unit=registration.unit,
        title=clean_name(title),
        field=field,
        deadline=deadline,
        budget=(
            _number(budget, field="budget").quantize(Decimal(1))
            if budget not in (None, "")
            else None
        ),
        is_congress_work=is_congress_work,
    )
    work.full_clean()
    with transaction.atomic():
        work.save()
        audit.record(
            actor,
            "movements.add_work",
            work,
            {"title": work.title, "congress": is_congress_work},
            unit=registration.unit,
        )
    return work


def set_work_status(actor: Any, *, work: Work, status: str) -> Work:
    require(actor, "unit.enter_data", work.owner_unit)
    if status not in Work.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    with transaction.atomic():
        work.status = status
        work.save(update_fields=["status"])
        audit.record(
            actor, "movements.set_work_status", work, {"status": status}, unit=work.owner_unit
        )
    return work


def add_evidence(actor: Any, *, work: Work, file: Any, caption: str = "") -> Evidence:
    require(actor, "unit.enter_data", work.owner_unit)
    upload = accept(file, field="file")
    with files_removed_on_failure(), transaction.atomic():
        evidence = Evidence.objects.create(
            work=work, file=upload.file, name=upload.name, caption=caption
        )
        audit.record(
            actor,
            "movements.add_evidence",
            work,
            {"file": evidence.name, "type": upload.mime},
            unit=work.owner_unit,
        )
    return evidence
