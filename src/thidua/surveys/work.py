"""The surveys' work items: areas of a fielding survey the user's committee still has to key
forms for (coverage under the rule), and tallied surveys waiting to be posted."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.policy import can, scope_filter
from thidua.core.work import QuerySetSource, WorkItem, WorkItemSource
from thidua.surveys.models import AreaTally, Survey, SurveyReport

KEYING = "surveys.keying"
POSTING = "surveys.posting"
KEYING_LABEL = gettext_lazy("Survey forms to key")
POSTING_LABEL = gettext_lazy("Survey results to post")
RECEIVING = "surveys.receiving"
RECEIVING_LABEL = gettext_lazy("Survey results reported to your unit")


def keying(user: Any) -> QuerySetSource:
    rows = (
        AreaTally.objects.filter(
            survey__status__in=(Survey.Status.FIELDING, Survey.Status.CLOSED),
            valid__lt=F("households") * F("survey__commune_min_share"),
        )
        .filter(scope_filter(user, "surveys.enter_answers", "area__path"))
        .select_related("survey", "area", "area__kind", "area__parent")
    )

    def to_item(tally: AreaTally) -> WorkItem:
        return WorkItem(
            kind=KEYING,
            kind_label=str(KEYING_LABEL),
            title=_("%(survey)s: forms of %(area)s")
            % {"survey": tally.survey.title, "area": tally.area.name},
            unit=tally.area,
            due=tally.survey.closes_on,
            url=reverse("surveys:keying", args=[tally.survey_id, tally.area_id]),
            action=_("Key forms"),
            order=tally.pk,
        )

    return QuerySetSource(
        kind=KEYING,
        label=str(KEYING_LABEL),
        queryset=rows,
        unit_path="area__path",
        due="survey__closes_on",
        to_item=to_item,
    )


def posting(user: Any) -> QuerySetSource:
    rows = (
        Survey.objects.filter(status=Survey.Status.TALLIED)
        .filter(scope_filter(user, "surveys.manage", "scope__path"))
        .select_related("scope", "scope__kind", "scope__parent")
    )

    def to_item(survey: Survey) -> WorkItem:
        return WorkItem(
            kind=POSTING,
            kind_label=str(POSTING_LABEL),
            title=_("Post the results: %(survey)s") % {"survey": survey.title},
            unit=survey.scope,
            due=None,
            url=reverse("surveys:detail", args=[survey.pk]),
            action=_("Post the results"),
            order=survey.pk,
        )

    return QuerySetSource(
        kind=POSTING,
        label=str(POSTING_LABEL),
        queryset=rows,
        unit_path="scope__path",
        due=None,
        to_item=to_item,
    )


def receiving(user: Any) -> QuerySetSource:
    rows = (
        SurveyReport.objects.filter(received_at__isnull=True, to_unit__isnull=False)
        .filter(scope_filter(user, "surveys.manage", "to_unit__path"))
        .select_related("survey", "survey__unit", "to_unit", "to_unit__kind", "to_unit__parent")
    )

    def to_item(report: SurveyReport) -> WorkItem:
        return WorkItem(
            kind=RECEIVING,
            kind_label=str(RECEIVING_LABEL),
            title=_("Results reported by %(unit)s: %(survey)s")
            % {"unit": report.survey.unit.name, "survey": report.survey.title},
            unit=report.to_unit,
            due=None,
            url=reverse("surveys:reports"),
            action=_("Receive the results"),
            order=report.pk,
        )

    return QuerySetSource(
        kind=RECEIVING,
        label=str(RECEIVING_LABEL),
        queryset=rows,
        unit_path="to_unit__path",
        due=None,
        to_item=to_item,
    )


def work_items(user: Any) -> Iterable[WorkItemSource]:
    sources = []
    if can(user, "surveys.enter_answers"):
        sources.append(keying(user))
    if can(user, "surveys.manage"):
        sources.append(posting(user))
        sources.append(receiving(user))
    return sources
