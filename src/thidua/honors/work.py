"""Commendation's work items: dossiers waiting at a level where the user decides (endorse or
return, the council's vote, the decision), forwarded up from levels where nobody holds a
deciding role."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts.selectors import routing
from thidua.core.work import QuerySetSource, WorkItem, WorkItemSource
from thidua.honors.models import Nomination, OutsideAwardRule, UpwardEntry, UpwardProposal

NOMINATION = "honors.nomination"
LABEL = gettext_lazy("Commendation dossiers")
S = Nomination.Status
ACTIONS = {
    S.SUBMITTED: gettext_lazy("Endorse or return"),
    S.AT_COUNCIL: gettext_lazy("Council vote"),
    S.APPROVED: gettext_lazy("Issue the decision"),
}


def nominations(user: Any) -> QuerySetSource:
    """Dossiers at the user's levels (or forwarded to them), by the level's time limit."""
    route = routing(user)
    # An approved nomination for an award of a body outside the Front waits to be proposed
    # upward (honors.models.upward), until it is in a live proposal.
    outside = OutsideAwardRule.objects.filter(award_type_id=OuterRef("award_type_id"))
    proposed = UpwardEntry.objects.filter(nomination_id=OuterRef("pk")).exclude(
        proposal__status=UpwardProposal.Status.NOT_APPROVED
    )
    rows = (
        Nomination.objects.filter(route.waiting_at("current_unit__path"), status__in=list(ACTIONS))
        .annotate(outside=Exists(outside))
        .exclude(Q(status=S.APPROVED) & Exists(proposed))
    ).select_related(
        "award_type",
        "round",
        "unit",
        "unit__kind",
        "unit__parent",
        "current_unit",
        "current_unit__kind",
        "current_unit__parent",
    )

    def to_item(nomination: Nomination) -> WorkItem:
        routed_from, routed_to = route.landing(nomination.current_unit)
        action = str(ACTIONS[nomination.status])
        if nomination.status == S.APPROVED and nomination.outside:
            url = reverse("honors:upward_create")
            action = _("Propose to the higher level")
        elif nomination.status == S.APPROVED:
            url = reverse("honors:decision_create", args=[nomination.round_id])
        else:
            url = reverse("honors:nomination_detail", args=[nomination.pk])
        return WorkItem(
            kind=NOMINATION,
            kind_label=str(LABEL),
            title=_("%(nominee)s — %(award)s")
            % {"nominee": nomination.nominee_name, "award": nomination.award_type.name},
            unit=nomination.unit,
            due=nomination.level_due_on,
            url=url,
            action=action,
            routed_from=routed_from,
            routed_to=routed_to,
            order=nomination.pk,
        )

    return QuerySetSource(
        kind=NOMINATION,
        label=str(LABEL),
        queryset=rows,
        unit_path="unit__path",
        due="level_due_on",
        to_item=to_item,
    )


def work_items(user: Any) -> Iterable[WorkItemSource]:
    return [nominations(user)]
