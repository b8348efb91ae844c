"""Work items of proposals upward, in the inbox of whoever sent the dossier: follow-ups past
their date (ask the outside body for news) and dossiers the body returned for completion."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.work import QuerySetSource, WorkItem, WorkItemSource
from thidua.honors.models import UpwardProposal

UPWARD = "honors.upward"
LABEL = gettext_lazy("Proposals to higher levels")
P = UpwardProposal.Status


def follow_ups(user: Any) -> QuerySetSource:
    today = timezone.localdate()
    if not getattr(user, "pk", None):
        rows = UpwardProposal.objects.none()
    else:
        rows = UpwardProposal.objects.filter(
            Q(status__in=UpwardProposal.WAITING, follow_up_due__lte=today) | Q(status=P.RETURNED),
            sent_by=user,
        ).select_related("unit", "unit__kind", "unit__parent", "body", "award_type")

    def to_item(proposal: UpwardProposal) -> WorkItem:
        if proposal.status == P.RETURNED:
            action = _("Complete the dossier and send it again")
        else:
            action = _("Ask the body for news and record its answer")
        return WorkItem(
            kind=UPWARD,
            kind_label=str(LABEL),
            title=_("Proposal %(number)s to %(body)s — %(award)s")
            % {
                "number": proposal.number,
                "body": proposal.body.name,
                "award": proposal.award_type.name,
            },
            unit=proposal.unit,
            due=proposal.follow_up_due,
            url=reverse("honors:upward_detail", args=[proposal.pk]),
            action=action,
            order=proposal.pk,
        )

    return QuerySetSource(
        kind=UPWARD,
        label=str(LABEL),
        queryset=rows,
        unit_path="unit__path",
        due="follow_up_due",
        to_item=to_item,
    )


def work_items(user: Any) -> Iterable[WorkItemSource]:
    return [follow_ups(user)]
