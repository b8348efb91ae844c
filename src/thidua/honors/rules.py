"""Rules of the honours domain that write nothing: which rule is in force, eligibility, time
limits, who sits on the council, which transitions a nomination may take, certificate hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.core.audit import canonical_json
from thidua.core.formatting import format_date
from thidua.core.policy import can
from thidua.honors.models import (
    AwardKind,
    AwardRule,
    AwardType,
    BaseSalary,
    Certificate,
    DocumentKind,
    Honour,
    Nomination,
    NominationEvent,
    RecipientKind,
    Round,
)
from thidua.honors.working_days import add_working_days
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search
from thidua.shared.models import Council, CouncilMember

S = Nomination.Status


Action = NominationEvent.Action


# Which status a nomination may leave by which action.
TRANSITIONS: dict[str, set[str]] = {
    "submit": {S.DRAFT, S.RETURNED},
    "endorse": {S.SUBMITTED},
    "return": {S.SUBMITTED, S.AT_COUNCIL},
    "reject": {S.SUBMITTED, S.AT_COUNCIL},
    "vote": {S.AT_COUNCIL},
    "confer": {S.APPROVED},
}


# Kinds of honour that count as a basis (prerequisite) for a merit award.
MERIT_BASIS_KINDS = {AwardKind.MERIT, AwardKind.LIFETIME, AwardKind.LONG_SERVICE}


def _check_transition(nomination: Nomination, action: str) -> None:
    if nomination.status not in TRANSITIONS[action]:
        raise ValidationError(
            _("This cannot be done to a nomination that is %(status)s.")
            % {"status": nomination.get_status_display().lower()}
        )


def rule_in_force(award_type: AwardType, on: dt.date) -> AwardRule | None:
    return (
        AwardRule.objects.filter(award_type=award_type, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .prefetch_related("prerequisites")
        .order_by("-valid_from")
        .first()
    )


def base_salary_on(day: dt.date) -> Decimal | None:
    row = BaseSalary.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    return row.amount if row else None


def may_confer(award_type: AwardType, unit: Unit) -> bool:
    return award_type.conferring_kinds.filter(pk=unit.kind_id).exists()


def recipient_key(name: str, birth_year: int | None, unit_id: int) -> str:
    """Who a registry row is about: the normalised name, year of birth and unit."""
    return f"{normalise_search(name)}|{birth_year or ''}|{unit_id}"


@dataclass
class Eligibility:
    rule: AwardRule | None
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def check_eligibility(
    *,
    award_type: AwardType,
    round: Round,
    nominee_kind: str,
    nominee_name: str,
    birth_year: int | None,
    unit: Unit,
    under_discipline: bool,
    on: dt.date,
    document_kinds: set[str],
    exclude_nomination: int | None = None,
) -> Eligibility:
    """Every reason the nomination cannot go forward, against the registry and the rule in force
    on `on`. A bounded number of queries: the rule, the registry rows of this nominee, the
    round's count for the award."""
    rule = rule_in_force(award_type, on)
    result = Eligibility(rule=rule)
    reasons = result.reasons
    if rule is None:
        reasons.append(
            _("No rule for %(award)s is in force on %(date)s.")
            % {"award": award_type.name, "date": format_date(on)}
        )
        return result
    if not award_type.accepts(nominee_kind):
        reasons.append(
            _("%(award)s is not conferred on a %(kind)s.")
            % {"award": award_type.name, "kind": RecipientKind(nominee_kind).label.lower()}
        )
    if under_discipline:
        reasons.append(_("Nobody is honoured while under discipline or investigation."))
    held = list(
        Honour.objects.filter(
            recipient_key=recipient_key(nominee_name, birth_year, unit.pk), revoked_at__isnull=True
        ).select_related("award_type")
    )
    if rule.window_years:
        since = _years_before(on, rule.window_years)
        for honour in held:
            if honour.award_type_id == award_type.pk and honour.conferred_on > since:
                reasons.append(
                    _(
                        "Already received %(award)s on %(date)s: not the same award within "
                        "%(years)s years."
                    )
                    % {
                        "award": award_type.name,
                        "date": format_date(honour.conferred_on),
                        "years": rule.window_years,
                    }
                )
                break
    since = _years_before(on, rule.prerequisite_years) if rule.prerequisite_years else None
    for prerequisite in rule.prerequisites.all():
        matching = [
            h
            for h in held
            if h.award_type_id == prerequisite.pk
            and h.conferred_on <= on
            and (since is None or h.conferred_on > since)
        ]
        basis = matching
        if award_type.kind in MERIT_BASIS_KINDS:
            basis = [h for h in matching if h.kind in MERIT_BASIS_KINDS]
        if matching and not basis:
            reasons.append(
                _(
                    "%(prerequisite)s was received only as an ad hoc or thematic award, which is "
                    "not a basis for a merit award."
                )
                % {"prerequisite": prerequisite.name}
            )
        elif not basis:
            reasons.append(
                _("Requires %(prerequisite)s (within %(years)s years).")
                % {"prerequisite": prerequisite.name, "years": rule.prerequisite_years}
                if rule.prerequisite_years
                else _("Requires %(prerequisite)s.") % {"prerequisite": prerequisite.name}
            )
    if rule.quota_per_round is not None:
        # The quota limits recipients, not proposals: it is applied at the decision, where
        # the council's votes and the tie-break rule rank the approved nominees (ranking.py).
        taken = Nomination.objects.filter(
            round=round, award_type=award_type, status=S.CONFERRED
        ).count()
        if taken >= rule.quota_per_round:
            reasons.append(
                _("The quota of %(quota)s for %(award)s in this round is already conferred.")
                % {"quota": rule.quota_per_round, "award": award_type.name}
            )
    missing = [kind for kind in rule.required_documents if kind not in document_kinds]
    if missing:
        reasons.append(
            _("Missing documents: %(documents)s.")
            % {"documents": ", ".join(str(DocumentKind(kind).label) for kind in missing)}
        )
    return result


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def nomination_eligibility(nomination: Nomination) -> Eligibility:
    return check_eligibility(
        award_type=nomination.award_type,
        round=nomination.round,
        nominee_kind=nomination.nominee_kind,
        nominee_name=nomination.nominee_name,
        birth_year=nomination.birth_year,
        unit=nomination.unit,
        under_discipline=nomination.under_discipline,
        on=nomination.nominated_on,
        document_kinds={d.kind for d in nomination.documents.all()},
        exclude_nomination=nomination.pk,
    )


def level_working_days(round: Round, unit: Unit) -> int:
    """The time limit of a level in working days: the round's limit for the unit's kind if it
    sets one (e.g. 20 at commune level), else the round's limit for every level."""
    kind_code = unit.kind.code if unit.kind_id else ""
    return int((round.level_deadlines or {}).get(kind_code, round.deadline_days))


def short_path_rule(nomination: Nomination) -> AwardRule | None:
    """The rule in force when the dossier may take the short path: an ad hoc award (an ad hoc
    round, or an award of the ad hoc kind) whose rule allows it; otherwise None."""
    ad_hoc = (
        nomination.round.kind == Round.Kind.AD_HOC or nomination.award_type.kind == AwardKind.AD_HOC
    )
    if not ad_hoc:
        return None
    rule = rule_in_force(nomination.award_type, nomination.nominated_on)
    return rule if rule is not None and rule.short_path else None


def offers_short_path(nomination: Nomination) -> bool:
    """Whether to offer the short path on a submitted dossier: it may take it, and it would skip
    at least one level (from the conferring unit or the level just below, the next step is the
    council anyway)."""
    level = nomination.current_unit
    conferring = nomination.round.owner_unit_id
    return (
        nomination.status == Nomination.Status.SUBMITTED
        and level.pk != conferring
        and level.parent_id != conferring
        and short_path_rule(nomination) is not None
    )


def level_due_date(nomination: Nomination, unit: Unit, start: dt.date | None = None) -> dt.date:
    """The day by which the level `unit` must act on the dossier, counted in working days
    (Saturdays, Sundays and Vietnamese public holidays skipped) from `start` (today). A dossier
    that may take the short path has the rule's shortened limit at every level."""
    start = start or timezone.localdate()
    rule = short_path_rule(nomination)
    days = rule.short_path_days if rule is not None else level_working_days(nomination.round, unit)
    return add_working_days(start, days)


def council_seat(actor: Any, council: Council | None) -> CouncilMember | None:
    if council is None or not getattr(actor, "pk", None):
        return None
    return CouncilMember.objects.filter(council=council, user=actor, is_active=True).first()


def is_secretariat(actor: Any, round: Round) -> bool:
    """Organising staff, or the council's chair, vice chair or secretary."""
    if can(actor, "honors.manage", round.owner_unit):
        return True
    seat = council_seat(actor, round.council)
    return seat is not None and seat.role != CouncilMember.Role.MEMBER


def certificate_payload(certificate: Certificate) -> dict[str, Any]:
    """The canonical content a certificate's hash covers."""
    honour = certificate.honour
    decision = honour.decision
    return {
        "serial": certificate.serial,
        "recipient": honour.recipient_name,
        "recipient_kind": honour.recipient_kind,
        "award": honour.award_type.code,
        "award_name": honour.award_type.name_vi,
        "conferred_on": honour.conferred_on.isoformat(),
        "unit": honour.unit.name,
        "decision": decision.number if decision else "",
        "decision_date": decision.signed_on.isoformat() if decision else "",
        "conferring_unit": decision.unit.name if decision else "",
        "signer": decision.signer if decision else "",
    }


def certificate_hash(certificate: Certificate) -> str:
    return hashlib.sha256(canonical_json(certificate_payload(certificate)).encode()).hexdigest()
