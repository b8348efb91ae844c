"""Writes for movements: launch, register, pledge works, report, and the parent's decisions.

Rules enforced here:
- a movement is launched for the launching unit's subtree (optionally only some unit kinds);
  a local drive under a higher movement is launched by a unit inside that movement's scope;
- a unit registers and reports only while the movement is launched, for itself, through an
  officer whose role covers it, and only if it is in scope (and in force on the period's last day);
- one registration per unit and one report per unit and period; a submitted or accepted report
  cannot be overwritten, a returned one can be corrected and submitted again (history is kept);
- registrations and reports are accepted or returned (with a reason) by a leader of the parent
  unit or above, never by the unit's own leader;
- an accepted report is final; its values are added to the roll-up table (`totals`) in the
  transaction that accepts it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from thidua.accounts.selectors import deciders
from thidua.core import audit
from thidua.core.actors import person_or_none
from thidua.core.notifications import notify, notify_all
from thidua.core.policy import can, require
from thidua.core.text import clean_name
from thidua.core.uploads import accept, files_removed_on_failure
from thidua.core.work import unit_label
from thidua.movements import totals as indicator_totals
from thidua.movements.models import (
    Evidence,
    Indicator,
    IndicatorTarget,
    Movement,
    Period,
    PledgedTarget,
    Registration,
    Report,
    ReportEvent,
    ReportValue,
    Work,
)
from thidua.org.models import Unit, UnitKind

Status = Movement.Status


# --- movements ------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(unidecode(title))[:60] or "movement"
    slug, n = base, 2
    while Movement.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def generate_periods(movement: Movement) -> list[Period]:
    """Reporting periods covering the movement, each due `due_days` after it ends."""
    periods: list[Period] = []
    start = movement.starts_on
    while start <= movement.ends_on:
        if movement.schedule == Movement.Schedule.MONTHLY:
            last = dt.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
            label = f"{start:%Y-%m}"
        elif movement.schedule == Movement.Schedule.QUARTERLY:
            quarter = (start.month - 1) // 3
            end_month = quarter * 3 + 3
            last = dt.date(start.year, end_month, calendar.monthrange(start.year, end_month)[1])
            label = f"{start.year}-Q{quarter + 1}"
        else:
            last = dt.date(start.year, 12, 31)
            label = f"{start.year}"
        end = min(last, movement.ends_on)
        periods.append(
            Period(
                movement=movement,
                label=label,
                starts_on=start,
                ends_on=end,
                due_on=end + dt.timedelta(days=movement.due_days),
            )
        )
        start = end + dt.timedelta(days=1)
    return periods


def create_movement(
    actor: Any,
    *,
    title: str,
    owner_unit: Unit,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    schedule: str,
    description: str = "",
    indicators: list[dict[str, Any]] | None = None,
    fields: list[Any] | None = None,
    scope_kinds: list[UnitKind] | None = None,
    parent: Movement | None = None,
    due_days: int = 10,
    reminder_days: int = 3,
) -> Movement:
    """Draft a movement for `owner_unit`'s subtree, with its indicators and targets per kind."""
    require(actor, "movements.manage", owner_unit)
    title = clean_name(title)
    movement = Movement(
        title=title,
        slug=_unique_slug(title),
        description=description,
        owner_unit=owner_unit,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        schedule=schedule,
        parent=parent,
        due_days=due_days,
        reminder_days=reminder_days,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    movement.full_clean(exclude=["slug"])
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date must not be before the start date.")})
    if parent is not None:
        if not owner_unit.path.startswith(parent.owner_unit.path):
            raise ValidationError(
                {"parent": _("A local drive must be launched inside the movement's scope.")}
            )
        if parent.status != Status.LAUNCHED:
            raise ValidationError({"parent": _("The higher movement is not running.")})
    indicators = indicators or []
    names = [spec.get("name", "").strip() for spec in indicators]
    if any(not name for name in names):
        raise ValidationError({"indicators": _("Every indicator needs a name.")})
    if len(set(names)) != len(names):
        raise ValidationError({"indicators": _("Two indicators have the same name.")})
    kinds = {k.code: k for k in UnitKind.objects.all()}
    with transaction.atomic():
        movement.save()
        if fields:
            movement.fields.set(fields)
        if scope_kinds:
            movement.scope_kinds.set(scope_kinds)
        for order, spec in enumerate(indicators):
            indicator = Indicator(
                movement=movement,
                name=spec["name"].strip(),
                unit_of_measure=spec.get("unit_of_measure", ""),
                aggregation=spec.get("aggregation", Indicator.Aggregation.SUM),
                order=order,
            )
            indicator.full_clean(exclude=["movement"])
            indicator.save()
            for kind_code, target in (spec.get("targets") or {}).items():
                if kind_code not in kinds:
                    raise ValidationError(
                        {"indicators": _("Unknown unit kind %(kind)s.") % {"kind": kind_code}}
                    )
                IndicatorTarget.objects.create(
                    indicator=indicator, unit_kind=kinds[kind_code], target=_number(target)
                )
        audit.record(actor, "movements.create", movement, {"title": title})
    return movement


def launch_movement(actor: Any, *, movement: Movement, on: dt.date | None = None) -> Movement:
    """Open a draft movement: its reporting periods are fixed and units may register."""
    require(actor, "movements.manage", movement.owner_unit)
    if movement.status != Status.DRAFT:
        raise ValidationError(_("Only a draft movement can be launched."))
    if not movement.indicators.exists():
        raise ValidationError(_("Add at least one indicator before launching."))
    with transaction.atomic():
        Period.objects.bulk_create(generate_periods(movement))
        movement.status = Status.LAUNCHED
        movement.launched_on = on or timezone.localdate()
        movement.save(update_fields=["status", "launched_on"])
        audit.record(actor, "movements.launch", movement, {"launched_on": movement.launched_on})
    return movement


def close_movement(actor: Any, *, movement: Movement) -> Movement:
    require(actor, "movements.manage", movement.owner_unit)
    if movement.status != Status.LAUNCHED:
        raise ValidationError(_("Only a running movement can be closed."))
    with transaction.atomic():
        movement.status = Status.CLOSED
        movement.save(update_fields=["status"])
        audit.record(actor, "movements.close", movement, {})
    return movement


# --- scope ----------------------------------------------------------------------------------


def in_scope(movement: Movement, unit: Unit, *, on: dt.date | None = None) -> bool:
    """Below the launching unit, of a participating kind, and in force on `on` if given."""
    if unit.pk == movement.owner_unit_id or not unit.path.startswith(movement.owner_unit.path):
        return False
    kinds = [k.pk for k in movement.scope_kinds.all()]
    if kinds and unit.kind_id not in kinds:
        return False
    return on is None or unit.is_valid_on(on)


def _check_running(movement: Movement) -> None:
    if movement.status != Status.LAUNCHED:
        raise ValidationError(_("This movement is not open for registrations and reports."))


def _check_unit(movement: Movement, unit: Unit, *, on: dt.date | None = None) -> None:
    if not in_scope(movement, unit):
        raise ValidationError(
            {"unit": _("%(unit)s is not in this movement's scope.") % {"unit": unit}}
        )
    if on is not None and not unit.is_valid_on(on):
        raise ValidationError(
            {"unit": _("%(unit)s is not in force on %(date)s.") % {"unit": unit, "date": on}}
        )


def _number(raw: Any, *, field: str = "value") -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({field: _("Enter a number.")}) from error
    if not value.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    if value < 0:
        raise ValidationError({field: _("The value cannot be negative.")})
    if abs(value) >= Decimal("1e14"):
        raise ValidationError({field: _("The value is too large.")})
    return value.quantize(Decimal("0.01"))


def require_approver(actor: Any, unit: Unit) -> None:
    """Decisions on a unit's registration or report belong to a leader of its parent or above."""
    if unit.parent_id is None or not can(actor, "unit.approve", unit.parent):
        raise PermissionDenied(_("Only a leader of the unit above can decide on this."))


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


def _decide(actor: Any, obj: Any, *, accept: bool, reason: str, verb: str) -> Any:
    require_approver(actor, obj.unit)
    if obj.status != obj.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted item can be accepted or returned."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why it is returned.")})
    obj.status = obj.Status.ACCEPTED if accept else obj.Status.RETURNED
    obj.return_reason = "" if accept else reason.strip()
    obj.decided_at = timezone.now()
    obj.decided_by = actor if getattr(actor, "pk", None) else None
    obj.save(update_fields=["status", "return_reason", "decided_at", "decided_by"])
    audit.record(actor, verb, obj, {"reason": obj.return_reason}, unit=obj.unit)
    return obj


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


# --- reports --------------------------------------------------------------------------------


def clean_values(
    movement: Movement, values: dict[int, Any], bases: dict[int, Any] | None = None
) -> dict[int, tuple[Decimal, Decimal | None]]:
    """Check indicator values: numbers, not negative, a positive base for ratios."""
    indicators = {i.pk: i for i in movement.indicators.all()}
    bases = bases or {}
    cleaned: dict[int, tuple[Decimal, Decimal | None]] = {}
    errors: dict[str, list[str]] = {}
    for raw_pk, raw in values.items():
        pk = int(raw_pk)
        indicator = indicators.get(pk)
        if indicator is None:
            errors.setdefault("values", []).append(_("Unknown indicator."))
            continue
        if raw in (None, ""):
            continue
        try:
            value = _number(raw, field=f"value_{pk}")
            base = None
            if indicator.aggregation == Indicator.Aggregation.RATIO:
                if bases.get(pk) in (None, ""):
                    raise ValidationError({f"base_{pk}": _("A ratio needs its base.")})
                base = _number(bases[pk], field=f"base_{pk}")
                if base == 0:
                    raise ValidationError({f"base_{pk}": _("The base must be more than zero.")})
            cleaned[pk] = (value, base)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def save_report(
    actor: Any,
    *,
    movement: Movement,
    unit: Unit,
    period: Period,
    values: dict[int, Any],
    bases: dict[int, Any] | None = None,
    narrative: str = "",
    submit: bool = False,
) -> Report:
    """Write a unit's report for a period (a draft, or submitted for the parent's decision).

    A second report for the same period is refused; a returned one is corrected in place.
    """
    require(actor, "unit.enter_data", unit)
    _check_running(movement)
    if period.movement_id != movement.pk:
        raise ValidationError({"period": _("This period does not belong to the movement.")})
    _check_unit(movement, unit, on=period.ends_on)
    if period.starts_on > timezone.localdate():
        raise ValidationError({"period": _("This period has not started yet.")})
    cleaned = clean_values(movement, values, bases)
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .filter(movement=movement, unit=unit, period=period)
            .first()
        )
        if report is not None and report.status in (
            Report.Status.SUBMITTED,
            Report.Status.ACCEPTED,
        ):
            raise ValidationError(
                _("%(unit)s has already reported for %(period)s.")
                % {"unit": unit, "period": period}
            )
        if report is None:
            report = Report(movement=movement, unit=unit, period=period)
        report.narrative = narrative
        if submit:
            report.return_reason = ""
        report.status = Report.Status.SUBMITTED if submit else Report.Status.DRAFT
        report.submitted_at = timezone.now() if submit else None
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as error:  # a concurrent first report for the same period
            raise ValidationError(
                _("%(unit)s has already reported for %(period)s.")
                % {"unit": unit, "period": period}
            ) from error
        report.values.all().delete()
        ReportValue.objects.bulk_create(
            ReportValue(report=report, indicator_id=pk, value=value, base=base)
            for pk, (value, base) in cleaned.items()
        )
        snapshot = {
            str(pk): [str(v), str(b) if b is not None else None] for pk, (v, b) in cleaned.items()
        }
        if submit:
            ReportEvent.objects.create(
                report=report,
                status=Report.Status.SUBMITTED,
                actor=person_or_none(actor),
                values=snapshot,
            )
        audit.record(
            actor,
            "movements.submit_report" if submit else "movements.save_report",
            report,
            {"period": period.label, "values": snapshot},
            unit=unit,
        )
        if submit:
            _notify_approvers(actor, report)
    return report


def _notify_approvers(actor: Any, report: Report) -> None:
    """Tell the people who decide on the report (the parent's leaders, or the nearest level
    above where somebody decides) that it waits for them."""
    level = report.unit.parent
    target, users = deciders(level)
    notify_all(
        users,
        template="movements/email/report_submitted",
        context={
            "unit": unit_label(report.unit),
            "period": report.period.label,
            "movement": report.movement.title,
            "routed_from": unit_label(level) if target is not None and target != level else "",
            "link": f"/movements/{report.movement_id}/reports/{report.pk}/",
            "site_url": settings.SITE_URL,
        },
        link=f"/movements/{report.movement_id}/reports/{report.pk}/",
        actor=actor,
    )


def _submitter(report: Report) -> Any:
    event = report.events.filter(status=Report.Status.SUBMITTED).order_by("-at", "-id").first()
    return event.actor if event is not None else None


def accept_report(actor: Any, *, report: Report) -> Report:
    """Accept a submitted report: its values count from now on, so they are added to the
    roll-up table in the same transaction. The report is locked and its status read again
    first: two concurrent acceptances must not add the values twice."""
    with transaction.atomic():
        status = (
            Report.objects.select_for_update()
            .filter(pk=report.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status is not None:
            report.status = status
        _decide(actor, report, accept=True, reason="", verb="movements.accept_report")
        indicator_totals.add_accepted([report.pk])
        ReportEvent.objects.create(
            report=report, status=Report.Status.ACCEPTED, actor=person_or_none(actor)
        )
    return report


def return_report(actor: Any, *, report: Report, reason: str) -> Report:
    """Send a report back with a reason; the unit corrects and submits it again."""
    with transaction.atomic():
        _decide(actor, report, accept=False, reason=reason, verb="movements.return_report")
        ReportEvent.objects.create(
            report=report, status=Report.Status.RETURNED, actor=person_or_none(actor), reason=reason
        )
        submitter = _submitter(report)
        if submitter is not None:
            notify(
                submitter,
                template="movements/email/report_returned",
                context={
                    "movement": report.movement.title,
                    "unit": report.unit.display_name,
                    "period": report.period.label,
                    "reason": reason,
                },
                link=f"/movements/{report.movement_id}/reports/{report.pk}/",
            )
    return report
