"""Reminders sent to reviewers before a call's review deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from thidua.core import audit
from thidua.core.models import AuditEvent
from thidua.core.notifications import notify
from thidua.initiatives.models import (
    Assignment,
    Call,
    CouncilMember,
    Review,
)


def send_review_reminders(actor: Any, *, on: dt.date | None = None, days_before: int = 3) -> int:
    """Remind each reviewer with unfinished reviews, `days_before` days before the call's review
    deadline (once per reviewer and call: the audit chain records that it was sent)."""
    today = on or timezone.localdate()
    sent = 0
    calls = Call.objects.filter(
        review_deadline__gte=today, review_deadline__lte=today + dt.timedelta(days=days_before)
    ).exclude(status=Call.Status.DECIDED)
    for call in calls:
        already = set(
            AuditEvent.objects.filter(
                verb="initiatives.review_reminder",
                target_type="initiatives.call",
                target_id=str(call.pk),
            ).values_list("data__member", flat=True)
        )
        pending: dict[int, int] = {}
        for assignment in Assignment.objects.filter(submission__call=call).select_related("review"):
            review = getattr(assignment, "review", None)
            if review is None or review.status != Review.Status.SUBMITTED:
                pending[assignment.reviewer_id] = pending.get(assignment.reviewer_id, 0) + 1
        with transaction.atomic():
            for member in CouncilMember.objects.filter(pk__in=pending).select_related("user"):
                if member.pk in already:
                    continue
                notify(
                    member.user,
                    template="initiatives/email/review_reminder",
                    context={
                        "call": call.title,
                        "count": pending[member.pk],
                        "deadline": call.review_deadline.isoformat(),
                    },
                    link=f"/initiatives/{call.pk}/",
                )
                audit.record(
                    actor,
                    "initiatives.review_reminder",
                    call,
                    {"member": member.pk, "pending": pending[member.pk]},
                    unit=call.owner_unit,
                )
                sent += 1
    return sent
