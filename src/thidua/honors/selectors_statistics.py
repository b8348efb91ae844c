"""Reads for the statutory statistics (forms 0602, 0603 and the Front's supplementary table):
the honours of a subtree conferred in a period, as plain records, each with the form column its
award counts in. Any honour counts, whoever conferred it (an outside decision recorded as an
ordinary honour counts by its award type's column)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from thidua.honors.models import AwardKind, Honour, RecipientKind
from thidua.honors.statistics import StatColumn, stat_column_of

FIELDS = (
    "id",
    "recipient_kind",
    "is_enterprise",
    "position_band",
    "is_direct_worker",
    "is_ethnic_minority",
    "gender",
    "age_band",
    "kind",
    "conferred_on",
    "revoked_at",
    "award_type__stat_column",
    "award_type__name_vi",
)

# The forms' "method" rows from the commendation kind (resistance awards have no kind here).
METHODS = {
    AwardKind.MERIT: "regular",
    AwardKind.THEMATIC: "thematic",
    AwardKind.AD_HOC: "ad_hoc",
    AwardKind.FOREIGN: "foreign",
    AwardKind.LIFETIME: "contribution",
    AwardKind.LONG_SERVICE: "seniority",
}


def _recipient(row: dict[str, Any]) -> str:
    if row["recipient_kind"] == RecipientKind.COLLECTIVE:
        return "collective"
    if row["recipient_kind"] == RecipientKind.HOUSEHOLD:
        return "household"
    return "individual"


def statistic_record(row: dict[str, Any]) -> dict[str, Any]:
    column = stat_column_of(row["award_type__stat_column"], row["award_type__name_vi"])
    return {
        "id": row["id"],
        "recipient": _recipient(row),
        "enterprise": bool(row["is_enterprise"]),
        "position_band": row["position_band"] or "",
        "direct_worker": bool(row["is_direct_worker"]),
        "ethnic_minority": bool(row["is_ethnic_minority"]),
        "gender": row["gender"] or "",
        "age_band": row["age_band"] or "",
        "kind": row["kind"],
        "method": METHODS.get(row["kind"], row["kind"]),
        "column": column,
        "form": "" if column == StatColumn.NONE else column.split(".", 1)[0],
        "level": {"0602": "state", "0603": "province"}.get(column.split(".", 1)[0], "other"),
    }


def honours_for_statistics(
    *, unit_path: str, starts_on: dt.date, ends_on: dt.date
) -> list[dict[str, Any]]:
    """Honours of recipients in the subtree at `unit_path`, conferred between the two days
    (inclusive), not revoked: one query."""
    rows = (
        Honour.objects.filter(
            unit_path__startswith=unit_path,
            conferred_on__gte=starts_on,
            conferred_on__lte=ends_on,
            revoked_at__isnull=True,
        )
        .order_by("id")
        .values(*FIELDS)
    )
    return [statistic_record(row) for row in rows]


def honours_by_ids(ids: Iterable[int]) -> QuerySet[Honour]:
    """The honours behind a report's cell, for its drill-down page."""
    return (
        Honour.objects.filter(pk__in=list(ids))
        .select_related("award_type", "unit__parent", "decision")
        .order_by("-conferred_on", "recipient_name", "id")
    )


def revoked_among(ids: Iterable[int]) -> int:
    """How many of these honours have been revoked since (a submitted report's notice)."""
    return Honour.objects.filter(pk__in=list(ids), revoked_at__isnull=False).count()
