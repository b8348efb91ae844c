"""The cultural titles' work items: areas to assess and post, dossiers to file once the posting
has ended (due by the round's 25 November deadline), and filed dossiers waiting for the
chairman's decision."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.policy import scope_filter
from thidua.core.work import QuerySetSource, WorkItem, WorkItemSource
from thidua.cultural_titles.models import AreaAssessment

AREAS = "cultural_titles.area"
DECISIONS = "cultural_titles.decision"
LABEL = gettext_lazy("Cultural titles")
S = AreaAssessment.Status
ACTIONS = {
    S.DRAFT: gettext_lazy("Assess the households and post the list"),
    S.POSTED: gettext_lazy("Answer comments and file the dossier"),
    S.FILED: gettext_lazy("Decide on the cultural families"),
}


def _source(kind: str, rows) -> QuerySetSource:
    def to_item(assessment: AreaAssessment) -> WorkItem:
        return WorkItem(
            kind=kind,
            kind_label=str(LABEL),
            title=_("%(area)s — cultural families %(year)s")
            % {"area": assessment.area.display_name, "year": assessment.round.year},
            unit=assessment.area,
            due=assessment.round.deadline,
            url=reverse("cultural_titles:area", args=[assessment.pk]),
            action=str(ACTIONS[assessment.status]),
            order=assessment.pk,
        )

    return QuerySetSource(
        kind=kind,
        label=str(LABEL),
        queryset=rows.select_related("round", "area", "area__parent", "area__kind"),
        unit_path="area__path",
        due="round__deadline",
        to_item=to_item,
    )


def work_items(user: Any) -> Iterable[WorkItemSource]:
    manage = AreaAssessment.objects.filter(
        scope_filter(user, "cultural_titles.manage", "area__path"),
        status__in=[S.DRAFT, S.POSTED],
    )
    decide = AreaAssessment.objects.filter(
        scope_filter(user, "cultural_titles.decide", "round__commune__path"), status=S.FILED
    )
    return [_source(AREAS, manage), _source(DECISIONS, decide)]
