"""The movements' work items: reports and registrations waiting for a decision (forwarded up
to the nearest level where somebody decides), and the reports the user's units owe."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts.selectors import routing
from thidua.core.work import ListSource, QuerySetSource, WorkItem, WorkItemSource
from thidua.movements.models import Movement, Registration, Report
from thidua.movements.selectors import due_from

REPORT_DECISION = "movements.report_decision"
REGISTRATION_DECISION = "movements.registration_decision"
REPORT_DUE = "movements.report_due"

LABELS = {
    REPORT_DECISION: gettext_lazy("Reports to accept"),
    REGISTRATION_DECISION: gettext_lazy("Registrations to accept"),
    REPORT_DUE: gettext_lazy("Reports due from my units"),
}
UNIT_RELATED = ("unit", "unit__kind", "unit__parent", "unit__parent__kind", "unit__parent__parent")


def report_decisions(user: Any) -> QuerySetSource:
    """Reports submitted by units whose parent (or the nearest level above with a leader) is
    where the user decides; due by the period's due date."""
    route = routing(user)
    reports = (
        Report.objects.filter(route.waiting_above("unit__path"), status=Report.Status.SUBMITTED)
        .exclude(movement__status=Movement.Status.DRAFT)
        .select_related("movement", "period", *UNIT_RELATED)
    )

    def to_item(report: Report) -> WorkItem:
        routed_from, routed_to = route.landing(report.unit.parent)
        return WorkItem(
            kind=REPORT_DECISION,
            kind_label=str(LABELS[REPORT_DECISION]),
            title=_("Report for %(period)s — %(movement)s")
            % {"period": report.period.label, "movement": report.movement.title},
            unit=report.unit,
            due=report.period.due_on,
            url=reverse("movements:report", args=[report.movement_id, report.pk]),
            action=_("Accept or return"),
            routed_from=routed_from,
            routed_to=routed_to,
            order=report.pk,
        )

    return QuerySetSource(
        kind=REPORT_DECISION,
        label=str(LABELS[REPORT_DECISION]),
        queryset=reports,
        unit_path="unit__path",
        due="period__due_on",
        to_item=to_item,
    )


def registration_decisions(user: Any) -> QuerySetSource:
    route = routing(user)
    registrations = Registration.objects.filter(
        route.waiting_above("unit__path"), status=Registration.Status.SUBMITTED
    ).select_related("movement", *UNIT_RELATED)

    def to_item(registration: Registration) -> WorkItem:
        routed_from, routed_to = route.landing(registration.unit.parent)
        return WorkItem(
            kind=REGISTRATION_DECISION,
            kind_label=str(LABELS[REGISTRATION_DECISION]),
            title=_("Registration — %(movement)s") % {"movement": registration.movement.title},
            unit=registration.unit,
            due=None,
            url=reverse("movements:registration", args=[registration.movement_id, registration.pk]),
            action=_("Accept or return"),
            routed_from=routed_from,
            routed_to=routed_to,
            order=registration.pk,
        )

    return QuerySetSource(
        kind=REGISTRATION_DECISION,
        label=str(LABELS[REGISTRATION_DECISION]),
        queryset=registrations,
        unit_path="unit__path",
        due=None,
        to_item=to_item,
    )


def reports_due(user: Any) -> ListSource:
    """The reports the user's own units still owe (a few units times the periods falling due:
    `due_from`, a bounded number of queries), none left out."""

    def load() -> list[WorkItem]:
        items = []
        for due in due_from(user, limit=None):
            url = reverse("movements:report_edit", args=[due.movement.pk])
            items.append(
                WorkItem(
                    kind=REPORT_DUE,
                    kind_label=str(LABELS[REPORT_DUE]),
                    title=_("Report for %(period)s — %(movement)s")
                    % {"period": due.period.label, "movement": due.movement.title},
                    unit=due.unit,
                    due=due.period.due_on,
                    url=f"{url}?unit={due.unit.pk}&period={due.period.pk}",
                    action=_("Continue the report") if due.report else _("Write the report"),
                    order=due.period.pk,
                )
            )
        return items

    return ListSource(kind=REPORT_DUE, label=str(LABELS[REPORT_DUE]), load=load)


def work_items(user: Any) -> Iterable[WorkItemSource]:
    return [report_decisions(user), registration_decisions(user), reports_due(user)]
