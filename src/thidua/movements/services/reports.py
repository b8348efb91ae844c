"""Writes for periodic reports and the parent's decisions on them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.selectors import deciders
from thidua.core import audit
from thidua.core.actors import person_or_none
from thidua.core.notifications import notify, notify_all
from thidua.core.policy import require
from thidua.core.work import unit_label
from thidua.movements import totals as indicator_totals
from thidua.movements.models import (
    Indicator,
    Movement,
    Period,
    Report,
    ReportEvent,
    ReportValue,
)
from thidua.movements.services.movements import _check_running, _check_unit, _decide, _number
from thidua.org.models import Unit

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
