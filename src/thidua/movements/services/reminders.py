"""Reminders before reports fall due: run daily (`manage.py send_reminders`, from cron or a
systemd timer). Each unit that has not submitted its report gets one reminder per period, by
in-app notification and email, to every officer and leader who holds a role on that unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from thidua.accounts.models import RoleGrant
from thidua.core import audit
from thidua.core.notifications import notify
from thidua.movements.models import Movement, Period, Reminder, Report
from thidua.movements.selectors import participants


def send_due_reminders(actor: Any, *, on: dt.date | None = None) -> int:
    """Remind units whose report is due within the movement's `reminder_days` (or overdue by at
    most a week) and not yet submitted. Returns the number of notifications sent."""
    today = on or timezone.localdate()
    periods = (
        Period.objects.filter(
            movement__status=Movement.Status.LAUNCHED,
            due_on__gte=today - dt.timedelta(days=7),
            due_on__lte=today + dt.timedelta(days=60),
        )
        .select_related("movement", "movement__owner_unit")
        .order_by("due_on")
    )
    sent = 0
    for period in periods:
        if (period.due_on - today).days > period.movement.reminder_days:
            continue
        units = {u.pk: u for u in participants(period.movement, on=period.ends_on)}
        done = set(
            Report.objects.filter(
                period=period,
                status__in=[Report.Status.SUBMITTED, Report.Status.ACCEPTED],
            ).values_list("unit_id", flat=True)
        ) | set(Reminder.objects.filter(period=period).values_list("unit_id", flat=True))
        owing = [pk for pk in units if pk not in done]
        if not owing:
            continue
        grants = (
            RoleGrant.objects.filter(unit_id__in=owing, role__in=["officer", "leader"])
            .filter(valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .select_related("user")
        )
        recipients: dict[int, list[Any]] = {}
        for grant in grants:
            recipients.setdefault(grant.unit_id, []).append(grant.user)
        with transaction.atomic():
            for unit_id in owing:
                Reminder.objects.create(period=period, unit_id=unit_id)
                for user in recipients.get(unit_id, []):
                    notify(
                        user,
                        template="movements/email/report_due",
                        context={
                            "movement": period.movement.title,
                            "unit": units[unit_id].display_name,
                            "period": period.label,
                            "due_on": period.due_on.isoformat(),
                        },
                        link=(
                            f"/movements/{period.movement_id}/report/"
                            f"?unit={unit_id}&period={period.pk}"
                        ),
                    )
                    sent += 1
            audit.record(
                actor,
                "movements.send_reminders",
                period.movement,
                {"period": period.label, "units": len(owing)},
                unit=period.movement.owner_unit,
            )
    return sent
