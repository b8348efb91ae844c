"""Reads for commendation, each scoped to the user's part of the tree and bounded in queries.

Staff see rounds organised by their units, by units above them (to nominate) and below them;
nominations of their subtree or of rounds their units organise; council members see the
rounds and nominations of their council. Anything else answers 404, like a missing object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from thidua.core.policy import scope_paths
from thidua.honors.models import (
    AwardRule,
    AwardType,
    Certificate,
    Decision,
    Gender,
    Honour,
    Nomination,
    Round,
)
from thidua.honors.services import certificate_hash
from thidua.initiatives.models import CouncilMember
from thidua.org.models import PATH_SEPARATOR
from thidua.org.selectors import normalise_search

SCOPE_ACTION = "unit.enter_data"


def _prefixes(path: str) -> list[str]:
    """Paths of a unit's ancestors and itself ("1/2/3/" -> "1/", "1/2/", "1/2/3/")."""
    parts = [p for p in path.split(PATH_SEPARATOR) if p]
    return [PATH_SEPARATOR.join(parts[: i + 1]) + PATH_SEPARATOR for i in range(len(parts))]


def _council_member(user: Any, field: str) -> Q:
    if not getattr(user, "pk", None):
        return Q(pk__in=[])
    return Q(
        Exists(CouncilMember.objects.filter(council_id=OuterRef(field), user=user, is_active=True))
    )


def visible_rounds(user: Any) -> QuerySet[Round]:
    rounds = Round.objects.select_related("owner_unit", "council").order_by("-opens_on", "-id")
    paths = scope_paths(user, SCOPE_ACTION)
    if paths is None:
        return rounds
    condition = _council_member(user, "council_id")
    for path in paths:
        condition |= Q(owner_unit__path__startswith=path)
        condition |= Q(owner_unit__path__in=_prefixes(path))
    return rounds.filter(condition)


def get_round_for_user(user: Any, pk: int) -> Round:
    round_ = visible_rounds(user).filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_


def visible_nominations(user: Any) -> QuerySet[Nomination]:
    nominations = Nomination.objects.select_related(
        "award_type",
        "unit__parent",
        "current_unit__parent",
        "proposing_unit",
        "round",
        "round__owner_unit",
    )
    paths = scope_paths(user, SCOPE_ACTION)
    if paths is None:
        return nominations
    condition = _council_member(user, "round__council_id")
    for path in paths:
        condition |= Q(unit__path__startswith=path) | Q(round__owner_unit__path__startswith=path)
    return nominations.filter(condition)


def get_nomination_for_user(user: Any, pk: int) -> Nomination:
    nomination = visible_nominations(user).filter(pk=pk).first()
    if nomination is None:
        raise Http404
    return nomination


def visible_decisions(user: Any) -> QuerySet[Decision]:
    decisions = Decision.objects.select_related("unit", "round")
    paths = scope_paths(user, SCOPE_ACTION)
    if paths is None:
        return decisions
    condition = _council_member(user, "round__council_id")
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return decisions.filter(condition)


def get_decision_for_user(user: Any, pk: int) -> Decision:
    decision = visible_decisions(user).filter(pk=pk).first()
    if decision is None:
        raise Http404
    return decision


def annex(decision: Decision) -> QuerySet[Honour]:
    """The decision's annex: one row per recipient with the certificate. One query."""
    return (
        Honour.objects.filter(decision=decision)
        .select_related("award_type", "unit__parent", "certificate")
        .order_by("award_type__order", "recipient_name", "id")
    )


def get_certificate_for_user(user: Any, pk: int) -> Certificate:
    certificate = (
        Certificate.objects.select_related(
            "honour", "honour__award_type", "honour__unit", "honour__decision__unit"
        )
        .filter(pk=pk)
        .first()
    )
    if certificate is None:
        raise Http404
    decision = certificate.honour.decision
    visible = decision is not None and visible_decisions(user).filter(pk=decision.pk).exists()
    if not visible and not registry(user).filter(pk=certificate.honour_id).exists():
        raise Http404
    return certificate


# --- the catalogue --------------------------------------------------------------------------


def catalogue(*, on: dt.date | None = None) -> list[AwardType]:
    """Active award types, each with `rule` (the one in force on `on`) and its conferring kinds.
    Three queries."""
    day = on or timezone.localdate()
    rules = (
        AwardRule.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .prefetch_related("prerequisites")
    )
    types = list(
        AwardType.objects.filter(is_active=True).prefetch_related(
            "conferring_kinds", Prefetch("rules", queryset=rules, to_attr="rules_in_force")
        )
    )
    for award_type in types:
        award_type.rule = award_type.rules_in_force[0] if award_type.rules_in_force else None
    return types


# --- the registry ---------------------------------------------------------------------------


def registry(
    user: Any,
    *,
    query: str = "",
    award_type: int | None = None,
    year: int | None = None,
    unit: Any = None,
) -> QuerySet[Honour]:
    """Honours in the user's part of the tree; search ignores case and diacritics."""
    honours = Honour.objects.select_related("award_type", "unit__parent", "decision", "certificate")
    paths = scope_paths(user, SCOPE_ACTION)
    if paths is not None:
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(unit_path__startswith=path)
        honours = honours.filter(condition)
    needle = normalise_search(query)
    if needle:
        honours = honours.filter(search_name__contains=needle)
    if award_type:
        honours = honours.filter(award_type_id=award_type)
    if year:
        honours = honours.filter(conferred_on__year=year)
    if unit is not None:
        honours = honours.filter(unit_path__startswith=unit.path)
    return honours.order_by("-conferred_on", "-id")


@dataclass(frozen=True)
class RegistryStatistics:
    total: int
    women: int
    direct_workers: int
    ethnic_minorities: int
    by_award: list[tuple[str, int]]

    def share(self, count: int) -> float:
        return round(100 * count / self.total, 1) if self.total else 0.0

    @property
    def women_share(self) -> float:
        return self.share(self.women)

    @property
    def direct_worker_share(self) -> float:
        return self.share(self.direct_workers)

    @property
    def ethnic_minority_share(self) -> float:
        return self.share(self.ethnic_minorities)

    # The same shares as fractions, for the `percent` filter (91,3 %)
    def ratio(self, count: int) -> float:
        return count / self.total if self.total else 0.0

    @property
    def women_ratio(self) -> float:
        return self.ratio(self.women)

    @property
    def direct_worker_ratio(self) -> float:
        return self.ratio(self.direct_workers)

    @property
    def ethnic_minority_ratio(self) -> float:
        return self.ratio(self.ethnic_minorities)


def registry_statistics(honours: QuerySet[Honour]) -> RegistryStatistics:
    """Shares of women, direct workers and ethnic minorities (of persons and households for
    women), and counts per award. Two queries."""
    base = honours.filter(revoked_at__isnull=True).order_by()
    figures = base.aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(gender=Gender.FEMALE)),
        direct=Count("id", filter=Q(is_direct_worker=True)),
        ethnic=Count("id", filter=Q(is_ethnic_minority=True)),
    )
    by_award = list(
        base.values("award_type__name_vi")
        .annotate(count=Count("id"))
        .order_by("-count")
        .values_list("award_type__name_vi", "count")
    )
    return RegistryStatistics(
        total=figures["total"],
        women=figures["women"],
        direct_workers=figures["direct"],
        ethnic_minorities=figures["ethnic"],
        by_award=by_award,
    )


# --- public verification --------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    status: str  # "valid", "revoked" or "invalid"
    certificate: Certificate | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == "valid"


def verify_certificate(serial: str, given_hash: str) -> Verification:
    """A certificate is valid when its serial exists, the given hash is its hash, and its stored
    content still hashes to it. Anything else says "not valid" and shows nothing."""
    certificate = (
        Certificate.objects.select_related(
            "honour", "honour__award_type", "honour__unit", "honour__decision__unit"
        )
        .filter(serial=serial.strip())
        .first()
    )
    if certificate is None or (given_hash or "").strip().lower() != certificate.content_hash:
        return Verification("invalid")
    if certificate_hash(certificate) != certificate.content_hash:
        return Verification("invalid")
    if certificate.revoked_at is not None:
        return Verification("revoked", certificate)
    return Verification("valid", certificate)


# --- time limits ----------------------------------------------------------------------------

WAITING = [Nomination.Status.SUBMITTED, Nomination.Status.AT_COUNCIL]


def due_from(user: Any, *, limit: int = 50) -> list[Nomination]:
    """Dossiers waiting for the user's own units to act (a leader endorses at a level, the
    conferring unit's leader for the council), earliest time limit first; `overdue` marks those
    past it. One query."""
    paths = scope_paths(user, "unit.approve")
    nominations = visible_nominations(user).filter(status__in=WAITING)
    if paths is not None:
        if not paths:
            return []
        nominations = nominations.filter(current_unit__path__in=paths)
    return list(nominations.order_by("level_due_on", "id")[:limit])


def overdue_count(nominations: QuerySet[Nomination], *, today: dt.date | None = None) -> int:
    """How many of these dossiers are past the time limit of the level where they sit."""
    today = today or timezone.localdate()
    return nominations.filter(status__in=WAITING, level_due_on__lt=today).count()
