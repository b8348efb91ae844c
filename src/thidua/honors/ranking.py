"""Who fits in a round's quota for an award, and why: the tie-break rule.

Law 06/2022/QH15: when more nominees than the quota are equal on the council's votes, direct
workers (people who directly work, produce or do business) come first, then a woman, or a
collective at least 70% of whose members are women. Nominees still equal after both criteria
are left to the council's choice for the remaining places, never picked by the system.

Used where the quota is applied: the decision (`services.issue_decision`) and the pages that
prepare it. A bounded number of queries per award: the rule, the round's nominations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.honors.models import AwardType, Nomination, RecipientKind, Round

S = Nomination.Status
WOMEN_SHARE = Decimal("0.7")

IN, OUT, TIED = "in", "out", "tied"


def prefers_woman(nomination: Nomination) -> bool:
    if nomination.nominee_kind == RecipientKind.COLLECTIVE:
        return nomination.women_share is not None and nomination.women_share >= WOMEN_SHARE
    return nomination.gender == "female"


def _yes(nomination: Nomination) -> int:
    vote = getattr(nomination, "vote", None)
    return vote.yes if vote is not None else 0


def _tie_key(nomination: Nomination) -> tuple[bool, bool]:
    return (not nomination.is_direct_worker, not prefers_woman(nomination))


def _key(nomination: Nomination) -> tuple[int, bool, bool]:
    return (-_yes(nomination), *_tie_key(nomination))


def _criterion(winner: Nomination, loser: Nomination) -> str:
    if winner.is_direct_worker and not loser.is_direct_worker:
        return _("direct worker")
    if winner.nominee_kind == RecipientKind.COLLECTIVE:
        return _("a collective of at least 70% women")
    return _("woman")


@dataclass
class Ranked:
    nomination: Nomination
    position: int
    yes: int
    standing: str  # IN, OUT or TIED
    reason: str = ""


@dataclass
class QuotaRanking:
    award_type: AwardType
    quota: int | None
    conferred: int = 0
    rows: list[Ranked] = field(default_factory=list)
    tied_places: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.quota is None else max(0, self.quota - self.conferred)

    @property
    def chosen_ids(self) -> set[int]:
        return {r.nomination.pk for r in self.rows if r.standing == IN}

    @property
    def tied_ids(self) -> set[int]:
        return {r.nomination.pk for r in self.rows if r.standing == TIED}

    @property
    def contested(self) -> bool:
        return any(r.standing != IN for r in self.rows)

    def refusals(self, chosen: set[int]) -> list[str]:
        """Why a decision choosing these nominations (of this award) breaks the quota."""
        reasons = []
        for row in self.rows:
            if row.nomination.pk in chosen and row.standing == OUT:
                reasons.append(
                    _("%(nominee)s is outside the quota of %(quota)s for %(award)s: %(reason)s")
                    % {
                        "nominee": row.nomination.nominee_name,
                        "quota": self.quota,
                        "award": self.award_type.name,
                        "reason": row.reason,
                    }
                )
        if len(chosen & self.tied_ids) > self.tied_places:
            reasons.append(
                _(
                    "Only %(places)s of the nominees tied for the last places of %(award)s can "
                    "be chosen."
                )
                % {"places": self.tied_places, "award": self.award_type.name}
            )
        return reasons


def rank(
    nominations: list[Nomination], *, award_type: AwardType, quota: int | None, conferred: int = 0
) -> QuotaRanking:
    """Order approved nominations of one award by yes votes, then the tie-break rule, and say
    who is within the quota (`conferred` places already taken in the round)."""
    ordered = sorted(nominations, key=lambda n: (_key(n), n.nominated_on, n.pk))
    ranking = QuotaRanking(award_type=award_type, quota=quota, conferred=conferred)
    rows = [Ranked(n, index + 1, _yes(n), IN) for index, n in enumerate(ordered)]
    ranking.rows = rows
    remaining = ranking.remaining
    if remaining is None or len(rows) <= remaining:
        return ranking
    if remaining == 0:
        for row in rows:
            row.standing = OUT
            row.reason = _("the quota is already used in this round.")
        return ranking
    first_out = ordered[remaining]
    boundary = _key(first_out)
    unresolved = _key(ordered[remaining - 1]) == boundary
    if unresolved:
        better = sum(1 for n in ordered if _key(n) < boundary)
        ranking.tied_places = remaining - better
    last_in_yes = _yes(ordered[remaining - 1])
    for index, row in enumerate(rows):
        n = row.nomination
        if unresolved and _key(n) == boundary:
            row.standing = TIED
            row.reason = _(
                "Equal on votes and on the tie-break rule: the council chooses %(places)s of them."
            ) % {"places": ranking.tied_places}
        elif index < remaining:
            if row.yes == _yes(first_out):
                row.reason = _("Chosen on the tie-break rule: %(criterion)s.") % {
                    "criterion": _criterion(n, first_out)
                }
        else:
            row.standing = OUT
            row.reason = (
                _("not chosen on the tie-break rule (equal votes).")
                if row.yes == last_in_yes
                else _("fewer yes votes.")
            )
    return ranking


def rank_for_quota(round: Round, award_type: AwardType) -> QuotaRanking:
    """The ranking of the round's approved nominations for one award against the quota of the
    rule in force on the latest nomination's date."""
    from thidua.honors.rules import rule_in_force

    nominations = list(
        Nomination.objects.filter(round=round, award_type=award_type, status=S.APPROVED)
        .select_related("vote", "unit", "award_type")
        .order_by("id")
    )
    if not nominations:
        return QuotaRanking(award_type=award_type, quota=None)
    on = max((n.nominated_on for n in nominations), default=timezone.localdate())
    rule = rule_in_force(award_type, on)
    quota = rule.quota_per_round if rule is not None else None
    conferred = 0
    if quota is not None:
        conferred = Nomination.objects.filter(
            round=round, award_type=award_type, status=S.CONFERRED
        ).count()
    return rank(nominations, award_type=award_type, quota=quota, conferred=conferred)


def round_rankings(round: Round) -> list[QuotaRanking]:
    """The rankings of the round's awards that have approved nominations beyond their quota."""
    rankings = [rank_for_quota(round, award_type) for award_type in round.award_types.all()]
    return [r for r in rankings if r.quota is not None and r.contested]
