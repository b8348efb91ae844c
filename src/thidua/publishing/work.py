"""The newsroom's work items: stories waiting for an editor of their subtree (to review,
approve, schedule), stories returned to their author, and issues and writers' fees waiting for
the editor-in-chief."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.policy import can, scope_filter
from thidua.core.work import ListSource, QuerySetSource, WorkItem, WorkItemSource
from thidua.org.models import Unit
from thidua.publishing.models import Fee, Issue, Story

REVIEW = "publishing.story_review"
RETURNED = "publishing.story_returned"
ISSUE = "publishing.issue_approval"
REVIEW_LABEL = gettext_lazy("Stories to review")
RETURNED_LABEL = gettext_lazy("Stories returned to me")
ISSUE_LABEL = gettext_lazy("Bulletin issues to approve")
FEES = "publishing.fees_approval"
FEES_LABEL = gettext_lazy("Writers' fees to approve")
RELATED = ("owner_unit", "owner_unit__kind", "owner_unit__parent", "revision")


def _story_item(kind: str, label: str, action: str):
    def to_item(story: Story) -> WorkItem:
        return WorkItem(
            kind=kind,
            kind_label=str(label),
            title=_("Story: %(title)s") % {"title": story.revision.title},
            unit=story.owner_unit,
            due=None,
            url=reverse("publishing:story_detail", args=[story.pk]),
            action=action,
            order=story.pk,
        )

    return to_item


def work_items(user: Any) -> Iterable[WorkItemSource]:
    sources: list[WorkItemSource] = []
    if can(user, "publishing.approve"):
        rows = Story.objects.filter(
            scope_filter(user, "publishing.approve", "owner_unit__path"),
            status__in=[Story.Status.SUBMITTED, Story.Status.IN_REVIEW, Story.Status.APPROVED],
        ).select_related(*RELATED)
        sources.append(
            QuerySetSource(
                kind=REVIEW,
                label=str(REVIEW_LABEL),
                queryset=rows,
                unit_path="owner_unit__path",
                due=None,
                to_item=_story_item(REVIEW, REVIEW_LABEL, _("Review, return or publish")),
            )
        )
    returned = Story.objects.filter(
        author=user, status=Story.Status.DRAFT, return_reason__gt=""
    ).select_related(*RELATED)
    sources.append(
        QuerySetSource(
            kind=RETURNED,
            label=str(RETURNED_LABEL),
            queryset=returned,
            unit_path="owner_unit__path",
            due=None,
            to_item=_story_item(RETURNED, RETURNED_LABEL, _("Fix and submit again")),
        )
    )
    if can(user, "publishing.approve_issue"):
        issues = Issue.objects.filter(
            scope_filter(user, "publishing.approve_issue", "owner_unit__path"),
            status=Issue.Status.PROOF,
        ).select_related("owner_unit", "owner_unit__kind", "owner_unit__parent")

        def issue_item(issue: Issue) -> WorkItem:
            return WorkItem(
                kind=ISSUE,
                kind_label=str(ISSUE_LABEL),
                title=str(issue),
                unit=issue.owner_unit,
                due=issue.issued_on,
                url=reverse("publishing:issue_detail", args=[issue.pk]),
                action=_("Read the proof and approve"),
                order=issue.pk,
            )

        sources.append(
            QuerySetSource(
                kind=ISSUE,
                label=str(ISSUE_LABEL),
                queryset=issues,
                unit_path="owner_unit__path",
                due="issued_on",
                to_item=issue_item,
            )
        )
    if can(user, "publishing.approve_fees"):
        sources.append(
            ListSource(kind=FEES, label=str(FEES_LABEL), load=lambda: _fees_to_approve(user))
        )
    return sources


def _fees_to_approve(user: Any) -> list[WorkItem]:
    """One item per issue, and per unit and month of web stories, with fees still proposed
    (two queries)."""
    groups = list(
        Fee.objects.filter(
            scope_filter(user, "publishing.approve_fees", "owner_unit__path"),
            status=Fee.Status.PROPOSED,
        )
        .values("owner_unit_id", "issue_id", "period")
        .distinct()
        .order_by("period", "owner_unit_id", "issue_id")[:100]
    )
    units = Unit.objects.select_related("kind", "parent").in_bulk(
        {group["owner_unit_id"] for group in groups}
    )
    issues = Issue.objects.in_bulk({g["issue_id"] for g in groups if g["issue_id"]})
    items = []
    for order, group in enumerate(groups):
        unit = units.get(group["owner_unit_id"])
        issue = issues.get(group["issue_id"])
        if issue is not None:
            title = _("Writers' fees of %(issue)s") % {"issue": issue}
            url = reverse("publishing:issue_detail", args=[issue.pk])
        elif unit is not None:
            title = _("Writers' fees of web stories, %(month)s") % {"month": group["period"]}
            url = f"{reverse('publishing:fee_list')}?unit={unit.pk}&period={group['period']}"
        else:
            continue
        items.append(
            WorkItem(
                kind=FEES,
                kind_label=str(FEES_LABEL),
                title=title,
                unit=unit,
                due=None,
                url=url,
                action=_("Check and approve the fees"),
                order=order,
            )
        )
    return items
