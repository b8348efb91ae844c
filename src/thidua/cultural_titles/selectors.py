"""Reads of the cultural titles: scope checks, the commune dashboard and the public figures.

The dashboard reads one row per area (its counts are kept on the row) plus one query for open
comments: its query count does not grow with the number of households.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from thidua.core import versioned
from thidua.core.policy import can, scope_filter
from thidua.core.services import posting
from thidua.cultural_titles.models import (
    AreaAssessment,
    AreaTitle,
    CertificatePrint,
    HouseholdAssessment,
    TitleDecision,
    TitleRound,
)

S = AreaAssessment.Status


def visible_rounds(user: Any) -> QuerySet[TitleRound]:
    # a round is seen by staff of the commune, of an area inside it, or of a unit above it
    rows = TitleRound.objects.select_related("commune", "commune__parent")
    paths = scope_filter(user, "cultural_titles.view", "commune__path")
    below = scope_filter(user, "cultural_titles.view", "areas__area__path")
    return rows.filter(paths | below).distinct()


def get_round_for_user(user: Any, pk: int) -> TitleRound:
    found = visible_rounds(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def get_assessment_for_user(user: Any, pk: int) -> AreaAssessment:
    found = (
        AreaAssessment.objects.filter(scope_filter(user, "cultural_titles.view", "area__path"))
        .select_related("round", "round__commune", "round__criteria", "area", "area__parent")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        # the commune's staff see every area of their round
        found = (
            AreaAssessment.objects.filter(
                scope_filter(user, "cultural_titles.view", "round__commune__path")
            )
            .select_related("round", "round__commune", "round__criteria", "area", "area__parent")
            .filter(pk=pk)
            .first()
        )
    if found is None:
        raise Http404
    return found


@dataclass
class AreaState:
    assessment: AreaAssessment
    open_comments: int
    days_left: int | None  # days of posting left (None: not posted)
    late: bool

    @property
    def area(self):
        return self.assessment.area


def dashboard(round_: TitleRound, *, today: dt.date | None = None) -> list[AreaState]:
    """Every area of the round: meeting held? posted since? days left? filed? late?"""
    today = today or timezone.localdate()
    areas = list(
        round_.areas.select_related("area", "area__parent", "posting").order_by("area__code")
    )
    comments = posting.open_comments([a.posting_id for a in areas if a.posting_id])
    states = []
    for assessment in areas:
        days_left = None
        if assessment.status == S.POSTED and assessment.posting_ends_on:
            days_left = max((assessment.posting_ends_on - today).days + 1, 0)
        late = (assessment.filed_on is None and today > round_.deadline) or (
            assessment.filed_on is not None and assessment.filed_on > round_.deadline
        )
        states.append(
            AreaState(
                assessment=assessment,
                open_comments=comments.get(assessment.posting_id, 0),
                days_left=days_left,
                late=late,
            )
        )
    return states


# what the round's page shows changes only through audited writes of these kinds (assessments,
# postings and their comments, the decision and the area proposals made through honors)
DASHBOARD_KINDS = ("cultural_titles", "core", "honors")


@dataclass
class RoundPage:
    states: list[AreaState]
    totals: Totals
    decisions: list[TitleDecision]
    area_titles: list[AreaTitle]


def round_page(round_: TitleRound, *, today: dt.date | None = None) -> RoundPage:
    """The round's dashboard, computed once until an audited change of its kinds (or the next
    day: the days left and lateness move with the calendar)."""
    today = today or timezone.localdate()

    def compute() -> RoundPage:
        states = dashboard(round_, today=today)
        return RoundPage(
            states=states,
            totals=totals(states),
            decisions=list(decisions_of(round_)),
            area_titles=list(area_titles(round_)),
        )

    return versioned.cached(
        "cultural_titles.round_page", [round_.pk, today], kinds=DASHBOARD_KINDS, compute=compute
    )


@dataclass
class Totals:
    areas: int
    assessed: int
    eligible: int
    filed: int
    late: int

    @property
    def share(self) -> float | None:
        return self.eligible / self.assessed if self.assessed else None


def totals(states: list[AreaState]) -> Totals:
    return Totals(
        areas=len(states),
        assessed=sum(s.assessment.assessed for s in states),
        eligible=sum(s.assessment.eligible for s in states),
        filed=sum(1 for s in states if s.assessment.status in (S.FILED, S.DECIDED)),
        late=sum(1 for s in states if s.late),
    )


def assessment_rows(assessment: AreaAssessment) -> QuerySet[HouseholdAssessment]:
    return assessment.households.order_by("code")


def decisions_of(round_: TitleRound) -> QuerySet[TitleDecision]:
    return round_.decisions.select_related("decision")


def annex(title_decision: TitleDecision) -> list[dict[str, Any]]:
    """The decision's annex: titled households grouped by area, with the count and share."""
    areas = list(
        title_decision.round.areas.filter(status=S.DECIDED).select_related("area", "area__parent")
    )
    rows = (
        HouseholdAssessment.objects.filter(assessment__in=areas, eligible=True)
        .order_by("code")
        .values_list("assessment_id", "head_name", "address")
    )
    grouped: dict[int, list[tuple[str, str]]] = {a.pk: [] for a in areas}
    for assessment_id, name, address in rows:
        grouped[assessment_id].append((name, address))
    return [
        {
            "area": a.area,
            "households": grouped[a.pk],
            "eligible": a.eligible,
            "assessed": a.assessed,
            "share": a.eligible / a.assessed if a.assessed else None,
        }
        for a in sorted(areas, key=lambda a: a.area.code)
    ]


# the public side: names only inside the posting window and in the decision


def public_rounds() -> QuerySet[TitleRound]:
    return TitleRound.objects.select_related("commune", "commune__parent").order_by(
        "-year", "commune__name"
    )


def public_area(pk: int) -> AreaAssessment:
    found = (
        AreaAssessment.objects.select_related("round", "round__commune", "area", "area__parent")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def may_manage(user: Any, assessment: AreaAssessment) -> bool:
    return can(user, "cultural_titles.manage", assessment.area)


def may_decide(user: Any, round_: TitleRound) -> bool:
    return can(user, "cultural_titles.decide", round_.commune)


def certificate_batch(title_decision: TitleDecision):
    return title_decision.decision.certificate_batches.order_by("-created_at").first()


def area_titles(round_: TitleRound) -> QuerySet[AreaTitle]:
    """The areas proposed for the title, with their nomination's state (one query)."""
    return round_.area_titles.select_related("area", "nomination").order_by("area__code")


def prints_of(title_decision: TitleDecision) -> list[dict[str, Any]]:
    """The decided areas of the decision, each with its latest print per layout (two queries)."""
    areas = list(
        title_decision.round.areas.filter(status=S.DECIDED)
        .select_related("area")
        .order_by("area__code")
    )
    latest: dict[tuple[int, str], CertificatePrint] = {}
    for job in title_decision.prints.order_by("created_at", "id"):
        latest[(job.assessment_id, job.layout)] = job
    return [
        {"assessment": a, "a4": latest.get((a.pk, "a4")), "a5": latest.get((a.pk, "a5"))}
        for a in areas
    ]


def household_history(household) -> QuerySet[HouseholdAssessment]:
    """A household's results year by year, each under the area of that year (one query)."""
    return (
        HouseholdAssessment.objects.filter(household=household)
        .select_related("assessment__round", "assessment__area")
        .order_by("-assessment__round__year")
    )
