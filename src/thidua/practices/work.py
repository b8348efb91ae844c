"""The practices' work items: exemplars proposed by a unit, waiting for verification by the
unit above (forwarded up from a level where nobody holds a deciding role)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.accounts.selectors import routing
from thidua.core.work import QuerySetSource, WorkItem, WorkItemSource
from thidua.practices.models import Exemplar

EXEMPLAR = "practices.exemplar_verification"
LABEL = gettext_lazy("Exemplars to verify")


def exemplars(user: Any) -> QuerySetSource:
    route = routing(user)
    rows = Exemplar.objects.filter(
        route.waiting_above("owner_unit__path"), status=Exemplar.Status.PROPOSED
    ).select_related(
        "owner_unit",
        "owner_unit__kind",
        "owner_unit__parent",
        "owner_unit__parent__kind",
        "owner_unit__parent__parent",
    )

    def to_item(exemplar: Exemplar) -> WorkItem:
        routed_from, routed_to = route.landing(exemplar.owner_unit.parent)
        return WorkItem(
            kind=EXEMPLAR,
            kind_label=str(LABEL),
            title=_("Exemplar: %(name)s") % {"name": exemplar.name},
            unit=exemplar.owner_unit,
            due=None,
            url=reverse("practices:exemplar_detail", args=[exemplar.pk]),
            action=_("Verify or return"),
            routed_from=routed_from,
            routed_to=routed_to,
            order=exemplar.pk,
        )

    return QuerySetSource(
        kind=EXEMPLAR,
        label=str(LABEL),
        queryset=rows,
        unit_path="owner_unit__path",
        due=None,
        to_item=to_item,
    )


def work_items(user: Any) -> Iterable[WorkItemSource]:
    return [exemplars(user)]
