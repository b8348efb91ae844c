"""The clusters' work items: score sheets waiting for the person who must act at their step
(the member unit while it self-assesses, the organising unit's specialist, board, council and
standing board after that). A sheet in self-assessment is due by the nearest deadline still
ahead among its criteria."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, DateField, OuterRef, Q, Subquery, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.clusters.models import Criterion, ScoreSheet, Step
from thidua.clusters.services.common import STEP_ACTION
from thidua.core.policy import RULES, grants_in_force, scope_filter
from thidua.core.work import QuerySetSource, WorkItem, WorkItemSource

SHEET_TO_ACT = "clusters.sheet_to_act"
LABEL = gettext_lazy("Emulation cluster score sheets")
JOINS = ("unit", "unit__kind", "unit__parent", "review", "review__cluster")


def _own_paths(user: Any, action: str) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = RULES[action]
    return [g.unit.path for g in grants_in_force(user, timezone.localdate()) if g.role in roles]


def sheets_to_act(user: Any) -> QuerySetSource:
    own = _own_paths(user, "clusters.self_assess")
    condition = Q(status=Step.SELF_ASSESSING, unit__path__in=own) if own else Q(pk__in=[])
    if getattr(user, "is_superuser", False):
        condition = Q(status=Step.SELF_ASSESSING, pk__in=[])
    for status, action in STEP_ACTION.items():
        if status == Step.SELF_ASSESSING:
            continue
        condition |= Q(status=status) & scope_filter(
            user, action, "review__cluster__owner_unit__path"
        )
    # a member's sheet is due by the nearest deadline still ahead among its table's criteria
    next_deadline = Subquery(
        Criterion.objects.filter(table=OuterRef("table"), deadline__gte=timezone.localdate())
        .order_by("deadline")
        .values("deadline")[:1]
    )
    rows = (
        ScoreSheet.objects.filter(condition)
        .annotate(
            due_on=Case(
                When(status=Step.SELF_ASSESSING, then=next_deadline),
                default=None,
                output_field=DateField(),
            )
        )
        .select_related(*JOINS)
    )

    def to_item(sheet: ScoreSheet) -> WorkItem:
        return WorkItem(
            kind=SHEET_TO_ACT,
            kind_label=str(LABEL),
            title=_("%(member)s · %(cluster)s %(year)s")
            % {
                "member": sheet.unit.name,
                "cluster": sheet.review.cluster.name,
                "year": sheet.review.year,
            },
            unit=sheet.unit,
            due=sheet.due_on,
            url=reverse("clusters:sheet", args=[sheet.pk]),
            action=str(Step(sheet.status).label),
            order=sheet.pk,
        )

    return QuerySetSource(
        kind=SHEET_TO_ACT,
        label=str(LABEL),
        queryset=rows,
        unit_path="unit__path",
        due="due_on",
        to_item=to_item,
    )


def work_items(user: Any) -> Iterable[WorkItemSource]:
    return [sheets_to_act(user)]
