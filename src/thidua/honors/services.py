"""Writes for commendation: rounds, nominations up the tree, council votes, decisions,
certificates and their revocation.

Rules enforced here:
- an award is conferred only by a unit of a kind its type allows (a ward cannot confer an award
  reserved to the province); a round offers only such awards;
- a nomination is judged by the award rule in force on its date: not the same award within the
  rule's window, prerequisites held (ad hoc and thematic honours are never a basis for a merit
  award), nobody under discipline or investigation, the quota of the round, the dossier's
  required documents; every refusal states its reasons and writes nothing;
- a dossier starts at the proposing unit; the leader of the level where it sits endorses it and
  forwards it to the unit above, returns it with a reason (to the proposing unit, history kept)
  or rejects it; when it reaches the conferring unit it goes before the council;
- the council's threshold is a share of ALL its active members; a secret ballot keeps the tally
  and who voted, never who voted how; the secretariat records absent members' written opinions;
- a decision number is used once per conferring unit; the total cash is the sum of coefficient ×
  the base salary in force on the decision's date; each recipient gets a certificate with a
  unique serial and a SHA-256 hash over its canonical content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.selectors import deciders
from thidua.core import audit, votes
from thidua.core.audit import canonical_json
from thidua.core.formatting import format_date
from thidua.core.notifications import notify, notify_all
from thidua.core.policy import can, require
from thidua.core.text import clean_name
from thidua.core.uploads import Upload, accept, files_removed_on_failure
from thidua.core.work import unit_label
from thidua.honors.models import (
    AwardKind,
    AwardRule,
    AwardType,
    Ballot,
    BaseSalary,
    Certificate,
    Decision,
    DocumentKind,
    Honour,
    Nomination,
    NominationDocument,
    NominationEvent,
    RecipientKind,
    Round,
    Vote,
)
from thidua.honors.working_days import add_working_days
from thidua.org.models import Unit, UnitKind
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


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check_transition(nomination: Nomination, action: str) -> None:
    if nomination.status not in TRANSITIONS[action]:
        raise ValidationError(
            _("This cannot be done to a nomination that is %(status)s.")
            % {"status": nomination.get_status_display().lower()}
        )


# --- rules in force -------------------------------------------------------------------------


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


# --- time limits ---------------------------------------------------------------------------


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


def _clean_level_deadlines(level_deadlines: dict[str, Any] | None) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    known = set(UnitKind.objects.values_list("code", flat=True))
    for code, days in (level_deadlines or {}).items():
        if days in (None, ""):
            continue
        if code not in known:
            raise ValidationError(
                {"level_deadlines": _("Unknown level: %(code)s.") % {"code": code}}
            )
        try:
            days = int(days)
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= 365:
            raise ValidationError(
                {"level_deadlines": _("A time limit is between 1 and 365 working days.")}
            )
        cleaned[code] = days
    return cleaned


# --- rounds ---------------------------------------------------------------------------------


def _reserved_error(award_type: AwardType, unit: Unit) -> ValidationError:
    return ValidationError(
        _("%(award)s cannot be conferred by %(unit)s: it is reserved to another level.")
        % {"award": award_type.name, "unit": unit.name}
    )


def create_round(
    actor: Any,
    *,
    title: str,
    kind: str,
    owner_unit: Unit,
    opens_on: dt.date,
    closes_on: dt.date,
    award_types: list[AwardType],
    council: Council | None = None,
    movement: Any = None,
    deadline_days: int = 20,
    level_deadlines: dict[str, int] | None = None,
) -> Round:
    """Open a round at the organising unit, which confers its awards. Time limits are in working
    days: `deadline_days` at each level, or `level_deadlines[kind code]` where a level has its
    own."""
    require(actor, "honors.manage", owner_unit)
    level_deadlines = _clean_level_deadlines(level_deadlines)
    round_ = Round(
        title=clean_name(title),
        kind=kind,
        owner_unit=owner_unit,
        opens_on=opens_on,
        closes_on=closes_on,
        council=council,
        movement=movement,
        deadline_days=deadline_days,
        level_deadlines=level_deadlines,
        created_by=_user(actor),
    )
    round_.full_clean()
    if not award_types:
        raise ValidationError({"award_types": _("Choose at least one award.")})
    for award_type in award_types:
        if not may_confer(award_type, owner_unit):
            raise _reserved_error(award_type, owner_unit)
    if council is not None and council.owner_unit_id != owner_unit.pk:
        raise ValidationError({"council": _("The council must belong to the organising unit.")})
    with transaction.atomic():
        round_.save()
        round_.award_types.set(award_types)
        audit.record(
            actor,
            "honors.create_round",
            round_,
            {"title": round_.title, "kind": kind, "awards": [a.code for a in award_types]},
            unit=owner_unit,
        )
    return round_


# --- nominations ----------------------------------------------------------------------------


def _event(nomination: Nomination, action: str, actor: Any, unit: Unit, reason: str = "") -> None:
    NominationEvent.objects.create(
        nomination=nomination, action=action, unit=unit, actor=_user(actor), reason=reason
    )


def _live_duplicate(nomination: Nomination) -> Nomination | None:
    return (
        Nomination.objects.filter(
            round_id=nomination.round_id,
            award_type_id=nomination.award_type_id,
            nominee_key=nomination.nominee_key,
        )
        .exclude(status__in=Nomination.DEAD)
        .exclude(pk=nomination.pk)
        .select_related("unit", "proposing_unit")
        .first()
    )


def _duplicate_error(existing: Nomination) -> ValidationError:
    return ValidationError(
        _(
            "%(nominee)s is already nominated for %(award)s in this round: the dossier proposed "
            "by %(unit)s on %(date)s (%(status)s). Continue that dossier instead of making a "
            "second one."
        )
        % {
            "nominee": existing.nominee_name,
            "award": existing.award_type.name,
            "unit": existing.proposing_unit.name,
            "date": existing.nominated_on.strftime("%d/%m/%Y"),
            "status": existing.get_status_display(),
        }
    )


def _refuse_second_live_nomination(nomination: Nomination) -> None:
    """One live dossier (neither rejected nor not approved) per nominee, award and round."""
    existing = _live_duplicate(nomination)
    if existing is not None:
        raise _duplicate_error(existing)


def nominate(
    actor: Any,
    *,
    round: Round,
    award_type: AwardType,
    nominee_kind: str,
    nominee_name: str,
    unit: Unit,
    achievements: str,
    documents: list[tuple[str, Any]] | None = None,
    proposing_unit: Unit | None = None,
    birth_year: int | None = None,
    gender: str = "",
    women_share: Decimal | None = None,
    is_direct_worker: bool = False,
    is_ethnic_minority: bool = False,
    age_band: str = "",
    under_discipline: bool = False,
    exemplar: Any = None,
    submission: Any = None,
    practice: Any = None,
    on: dt.date | None = None,
) -> Nomination:
    """Propose a person, household or collective of `unit` for an award of the round; the
    dossier (documents by kind) is checked against the rule in force on the nomination's date.

    A nomination may come from a verified exemplar, a recognised initiative or a replicated
    practice; it keeps the link, so the source shows the nomination."""
    proposing_unit = proposing_unit or unit
    require(actor, "unit.enter_data", proposing_unit)
    on = on or timezone.localdate()
    if not unit.is_within(proposing_unit):
        raise ValidationError({"unit": _("The nominee must belong to the proposing unit.")})
    if not proposing_unit.is_within(round.owner_unit):
        raise ValidationError(
            _("This round is for units under %(unit)s.") % {"unit": round.owner_unit.name}
        )
    if round.status != Round.Status.OPEN or not (round.opens_on <= on <= round.closes_on):
        raise ValidationError(_("This round is not open for nominations."))
    if not round.award_types.filter(pk=award_type.pk).exists():
        raise ValidationError({"award_type": _("This award is not offered in this round.")})
    if not may_confer(award_type, round.owner_unit):
        raise _reserved_error(award_type, round.owner_unit)
    if submission is not None and submission.status != "recognised":
        raise ValidationError(_("Only a recognised initiative can be the basis of a nomination."))
    if exemplar is not None and exemplar.status != "verified":
        raise ValidationError(_("Only a verified exemplar can be the basis of a nomination."))
    if practice is not None and practice.stage != "replicated":
        raise ValidationError(_("Only a replicated practice can be the basis of a nomination."))
    documents = [(kind, file) for kind, file in (documents or []) if file]
    uploads: list[tuple[str, Upload]] = []
    for kind, file in documents:
        if kind not in DocumentKind.values:
            raise ValidationError({"documents": _("Unknown kind of document.")})
        uploads.append((kind, accept(file, field=f"doc_{kind}")))
    nomination = Nomination(
        round=round,
        award_type=award_type,
        nominee_kind=nominee_kind,
        nominee_name=clean_name(nominee_name),
        search_name=normalise_search(clean_name(nominee_name)),
        birth_year=birth_year,
        unit=unit,
        proposing_unit=proposing_unit,
        current_unit=proposing_unit,
        gender=gender,
        women_share=women_share,
        is_direct_worker=is_direct_worker,
        is_ethnic_minority=is_ethnic_minority,
        age_band=age_band,
        under_discipline=under_discipline,
        exemplar=exemplar,
        submission=submission,
        practice=practice,
        achievements=achievements.strip(),
        nominated_on=on,
        created_by=_user(actor),
    )
    nomination.nominee_key = recipient_key(nomination.nominee_name, birth_year, unit.pk)[:300]
    nomination.full_clean(exclude=["search_name", "nominee_key"])
    _refuse_second_live_nomination(nomination)
    if women_share is not None and not (0 <= Decimal(women_share) <= 1):
        raise ValidationError({"women_share": _("The share of women is between 0 and 100%.")})
    eligibility = check_eligibility(
        award_type=award_type,
        round=round,
        nominee_kind=nominee_kind,
        nominee_name=nomination.nominee_name,
        birth_year=birth_year,
        unit=unit,
        under_discipline=under_discipline,
        on=on,
        document_kinds={kind for kind, _file in documents},
    )
    if not eligibility.eligible:
        raise ValidationError(eligibility.reasons)
    try:
        with files_removed_on_failure(), transaction.atomic():
            nomination.save()
            for kind, upload in uploads:
                NominationDocument.objects.create(
                    nomination=nomination,
                    kind=kind,
                    file=upload.file,
                    name=upload.name,
                    content_type=upload.mime,
                    size=upload.size,
                )
            _event(nomination, Action.CREATED, actor, proposing_unit)
            audit.record(
                actor,
                "honors.nominate",
                nomination,
                {
                    "award": award_type.code,
                    "round": round.pk,
                    "rule": eligibility.rule.pk,
                    **_source_of(exemplar=exemplar, submission=submission, practice=practice),
                },
                unit=unit,
            )
    except IntegrityError:
        # Another request made the same dossier between the check above and this insert.
        existing = _live_duplicate(nomination)
        if existing is None:
            raise
        raise _duplicate_error(existing) from None
    return nomination


def _source_of(**sources: Any) -> dict[str, int]:
    return {f"{kind}_id": source.pk for kind, source in sources.items() if source is not None}


def submit_nomination(actor: Any, *, nomination: Nomination) -> Nomination:
    """Send the dossier to the proposing unit's leader; eligibility is checked again."""
    require(actor, "unit.enter_data", nomination.proposing_unit)
    _check_transition(nomination, "submit")
    eligibility = nomination_eligibility(nomination)
    if not eligibility.eligible:
        raise ValidationError(eligibility.reasons)
    with transaction.atomic():
        nomination.status = S.SUBMITTED
        nomination.current_unit = nomination.proposing_unit
        nomination.level_due_on = level_due_date(nomination, nomination.current_unit)
        nomination.save(update_fields=["status", "current_unit", "level_due_on"])
        _event(nomination, Action.SUBMITTED, actor, nomination.current_unit)
        audit.record(actor, "honors.submit", nomination, {}, unit=nomination.unit)
        _notify_level(actor, nomination)
    return nomination


def _notify_level(actor: Any, nomination: Nomination) -> None:
    """Tell the people who decide at the level the dossier just reached (forwarded up to the
    nearest level where somebody decides) that it waits for them."""
    level = nomination.current_unit
    target, users = deciders(level)
    link = f"/honors/nominations/{nomination.pk}/"
    notify_all(
        users,
        template="honors/email/arrived",
        context={
            "nominee": nomination.nominee_name,
            "award": nomination.award_type.name_vi,
            "level": unit_label(level),
            "due": nomination.level_due_on.strftime("%d/%m/%Y") if nomination.level_due_on else "",
            "routed_from": unit_label(level) if target is not None and target != level else "",
            "link": link,
            "site_url": settings.SITE_URL,
        },
        link=link,
        actor=actor,
    )


def _require_level_leader(actor: Any, nomination: Nomination) -> None:
    if not can(actor, "unit.approve", nomination.current_unit):
        raise PermissionDenied(_("Only a leader of the level where the dossier sits can do this."))


def endorse_nomination(actor: Any, *, nomination: Nomination, straight: bool = False) -> Nomination:
    """The leader of the current level endorses and forwards the dossier one level up; at the
    conferring unit it goes before the council. With `straight`, an ad hoc award whose rule
    allows the short path goes to the conferring level at once, without the endorsements of the
    levels in between."""
    _require_level_leader(actor, nomination)
    _check_transition(nomination, "endorse")
    if straight and short_path_rule(nomination) is None:
        raise ValidationError(
            _(
                "Only an ad hoc award whose rule allows the short path can go straight to the "
                "conferring level."
            )
        )
    level = nomination.current_unit
    conferring = nomination.round.owner_unit
    reason = _("Short path: straight to the conferring level.") if straight else ""
    with transaction.atomic():
        if straight or level.pk == conferring.pk or level.parent_id == conferring.pk:
            nomination.status = S.AT_COUNCIL
            nomination.current_unit = conferring
        else:
            if level.parent_id is None:
                raise ValidationError(_("There is no level above this one."))
            nomination.current_unit = Unit.objects.select_related("kind").get(pk=level.parent_id)
        nomination.level_due_on = level_due_date(nomination, nomination.current_unit)
        nomination.save(update_fields=["status", "current_unit", "level_due_on"])
        _event(nomination, Action.ENDORSED, actor, level, reason)
        audit.record(
            actor,
            "honors.endorse",
            nomination,
            {"level": level.pk, "to": nomination.current_unit_id, "short_path": straight},
            unit=nomination.unit,
        )
        _notify_level(actor, nomination)
    return nomination


def return_nomination(actor: Any, *, nomination: Nomination, reason: str) -> Nomination:
    """Send the dossier back to the proposing unit with a reason; it may be corrected and
    submitted again. Its history is kept."""
    _require_level_leader(actor, nomination)
    _check_transition(nomination, "return")
    if hasattr(nomination, "vote") and nomination.vote.yes + nomination.vote.no:
        raise ValidationError(_("The council has started voting on this nomination."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning it.")})
    level = nomination.current_unit
    with transaction.atomic():
        nomination.status = S.RETURNED
        nomination.current_unit = nomination.proposing_unit
        nomination.level_due_on = None
        nomination.save(update_fields=["status", "current_unit", "level_due_on"])
        _event(nomination, Action.RETURNED, actor, level, reason)
        audit.record(actor, "honors.return", nomination, {"reason": reason}, unit=nomination.unit)
        if nomination.created_by_id and nomination.created_by_id != getattr(actor, "pk", None):
            notify(
                nomination.created_by,
                template="honors/email/returned",
                context={"nominee": nomination.nominee_name, "reason": reason},
                link=f"/honors/nominations/{nomination.pk}/",
            )
    return nomination


def reject_nomination(actor: Any, *, nomination: Nomination, reason: str) -> Nomination:
    _require_level_leader(actor, nomination)
    _check_transition(nomination, "reject")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting it.")})
    level = nomination.current_unit
    with transaction.atomic():
        nomination.status = S.REJECTED
        nomination.level_due_on = None
        nomination.save(update_fields=["status", "level_due_on"])
        _event(nomination, Action.REJECTED, actor, level, reason)
        audit.record(actor, "honors.reject", nomination, {"reason": reason}, unit=nomination.unit)
    return nomination


# --- council vote ---------------------------------------------------------------------------


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


def _open_vote(nomination: Nomination) -> Vote:
    rule = rule_in_force(nomination.award_type, nomination.nominated_on)
    vote, _created = Vote.objects.get_or_create(
        nomination=nomination,
        defaults={
            "council": nomination.round.council,
            "secret": bool(rule and rule.secret_ballot),
        },
    )
    return vote


def cast_vote(
    actor: Any,
    *,
    nomination: Nomination,
    choice: str,
    member: CouncilMember | None = None,
    written: bool = False,
) -> Ballot:
    """A member votes for themself; the secretariat records an absent member's written opinion.
    Each member counts once. In a secret ballot only the tally learns the choice."""
    _check_transition(nomination, "vote")
    council = nomination.round.council
    if council is None:
        raise ValidationError(_("This round has no council."))
    if choice not in Ballot.Choice.values:
        raise ValidationError({"choice": _("Unknown choice.")})
    if written:
        if not is_secretariat(actor, nomination.round):
            raise PermissionDenied(_("Only the council's secretariat can do this."))
        if member is None or member.council_id != council.pk or not member.is_active:
            raise ValidationError(_("Choose a member of this council."))
    else:
        member = council_seat(actor, council)
        if member is None:
            raise PermissionDenied(_("Only a member of the council can vote."))
    try:
        with transaction.atomic():
            vote = _open_vote(nomination)
            if vote.closed_at is not None:
                raise ValidationError(_("The vote is closed."))
            ballot = Ballot.objects.create(
                vote=vote, member=member, written=written, choice="" if vote.secret else choice
            )
            Vote.objects.filter(pk=vote.pk).update(**{choice: F(choice) + 1})
            audit.record(
                actor,
                "honors.vote",
                nomination,
                {
                    "written": written,
                    "member": member.user.get_username(),
                    **({} if vote.secret else {"choice": choice}),
                },
                unit=nomination.unit,
            )
    except IntegrityError as error:
        raise ValidationError(_("This member has already voted on this nomination.")) from error
    return ballot


def close_vote(actor: Any, *, nomination: Nomination) -> Vote:
    """Count the yes votes against the rule's share of ALL active members."""
    if not is_secretariat(actor, nomination.round):
        raise PermissionDenied(_("Only the council's secretariat can do this."))
    _check_transition(nomination, "vote")
    rule = rule_in_force(nomination.award_type, nomination.nominated_on)
    if rule is None:
        raise ValidationError(_("No rule is in force for this nomination."))
    with transaction.atomic():
        vote = _open_vote(nomination)
        vote = Vote.objects.select_for_update().get(pk=vote.pk)
        vote.members = CouncilMember.objects.filter(council=vote.council, is_active=True).count()
        vote.needed = votes.required_yes(rule.vote_share, rule.strictly_more, vote.members)
        vote.passed = vote.yes >= vote.needed
        vote.closed_at = timezone.now()
        vote.save()
        nomination.status = S.APPROVED if vote.passed else S.NOT_APPROVED
        nomination.level_due_on = None
        nomination.save(update_fields=["status", "level_due_on"])
        tally = {"yes": vote.yes, "no": vote.no, "abstain": vote.abstain}
        _event(
            nomination,
            Action.VOTED,
            actor,
            nomination.current_unit,
            _("%(yes)s yes of %(members)s members; %(needed)s needed.")
            % {"yes": vote.yes, "members": vote.members, "needed": vote.needed},
        )
        audit.record(
            actor,
            "honors.close_vote",
            nomination,
            {**tally, "members": vote.members, "needed": vote.needed, "passed": vote.passed},
            unit=nomination.unit,
        )
    return vote


# --- decisions, registry, certificates ------------------------------------------------------


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


def _serial(unit: Unit, day: dt.date, honour: Honour) -> str:
    code = re.sub(r"[^0-9A-Za-z]", "", unit.code).upper() or "U"
    return f"{code}-{day:%Y}-{honour.pk:07d}"


def _issue_certificate(honour: Honour, conferring: Unit) -> Certificate:
    serial = _serial(conferring, honour.conferred_on, honour)
    certificate = Certificate(honour=honour, serial=serial)
    certificate.content_hash = certificate_hash(certificate)
    certificate.save()
    return certificate


def issue_decision(
    actor: Any,
    *,
    round: Round,
    number: str,
    signed_on: dt.date,
    signer: str,
    nominations: list[Nomination],
) -> Decision:
    """Confer the awards the council approved: one registry row and one certificate each."""
    conferring = round.owner_unit
    require(actor, "unit.approve", conferring)
    number = (number or "").strip()
    decision = Decision(
        unit=conferring,
        round=round,
        number=number,
        signed_on=signed_on,
        signer=(signer or "").strip(),
        created_by=_user(actor),
    )
    decision.full_clean(validate_constraints=False)
    if Decision.objects.filter(unit=conferring, number=number).exists():
        raise ValidationError(
            {"number": _("Decision number %(number)s is already used.") % {"number": number}}
        )
    if not nominations:
        raise ValidationError(_("Choose at least one approved nomination."))
    for nomination in nominations:
        if nomination.round_id != round.pk or nomination.status != S.APPROVED:
            raise ValidationError(
                _("%(nominee)s has not been approved by the council in this round.")
                % {"nominee": nomination.nominee_name}
            )
        if not may_confer(nomination.award_type, conferring):
            raise _reserved_error(nomination.award_type, conferring)
    from thidua.honors.notices import decision_obstacles
    from thidua.honors.ranking import rank_for_quota

    obstacles = decision_obstacles(nominations, signed_on=signed_on)
    for award_type in {n.award_type_id: n.award_type for n in nominations}.values():
        chosen = {n.pk for n in nominations if n.award_type_id == award_type.pk}
        obstacles += rank_for_quota(round, award_type).refusals(chosen)
    if obstacles:
        raise ValidationError(obstacles)
    base = base_salary_on(signed_on)
    if base is None:
        raise ValidationError(_("No base salary is in force on this date."))
    try:
        with transaction.atomic():
            decision.base_salary = base
            decision.save()
            total = Decimal(0)
            for nomination in nominations:
                cash = (nomination.award_type.cash_coefficient * base).quantize(Decimal(1))
                total += cash
                honour = Honour.objects.create(
                    recipient_kind=nomination.nominee_kind,
                    recipient_name=nomination.nominee_name,
                    search_name=nomination.search_name,
                    recipient_key=recipient_key(
                        nomination.nominee_name, nomination.birth_year, nomination.unit_id
                    ),
                    birth_year=nomination.birth_year,
                    unit=nomination.unit,
                    unit_path=nomination.unit.path,
                    award_type=nomination.award_type,
                    kind=_honour_kind(nomination.award_type, round),
                    decision=decision,
                    nomination=nomination,
                    conferred_on=signed_on,
                    gender=nomination.gender,
                    is_direct_worker=nomination.is_direct_worker,
                    is_ethnic_minority=nomination.is_ethnic_minority,
                    age_band=nomination.age_band,
                    cash=cash,
                )
                _issue_certificate(honour, conferring)
                nomination.status = S.CONFERRED
                nomination.save(update_fields=["status"])
                _event(nomination, Action.CONFERRED, actor, conferring, number)
            decision.total_cash = total
            decision.save(update_fields=["total_cash"])
            audit.record(
                actor,
                "honors.issue_decision",
                decision,
                {
                    "number": number,
                    "recipients": [n.pk for n in nominations],
                    "base_salary": base,
                    "total_cash": total,
                },
                unit=conferring,
            )
    except IntegrityError as error:  # a concurrent decision took the number
        raise ValidationError(
            {"number": _("Decision number %(number)s is already used.") % {"number": number}}
        ) from error
    return decision


def _honour_kind(award_type: AwardType, round: Round | None) -> str:
    if award_type.kind != AwardKind.MERIT or round is None:
        return award_type.kind
    return round.honour_kind


def record_honour(
    actor: Any,
    *,
    award_type: AwardType,
    recipient_name: str,
    unit: Unit,
    conferred_on: dt.date,
    recipient_kind: str = RecipientKind.PERSON,
    kind: str | None = None,
    birth_year: int | None = None,
    gender: str = "",
    is_direct_worker: bool = False,
    is_ethnic_minority: bool = False,
    age_band: str = "",
) -> Honour:
    """Enter a past honour (conferred before the platform, or elsewhere) into the registry."""
    require(actor, "unit.approve", unit)
    honour = Honour(
        recipient_kind=recipient_kind,
        recipient_name=clean_name(recipient_name),
        search_name=normalise_search(clean_name(recipient_name)),
        recipient_key=recipient_key(clean_name(recipient_name), birth_year, unit.pk),
        birth_year=birth_year,
        unit=unit,
        unit_path=unit.path,
        award_type=award_type,
        kind=kind or award_type.kind,
        conferred_on=conferred_on,
        gender=gender,
        is_direct_worker=is_direct_worker,
        is_ethnic_minority=is_ethnic_minority,
        age_band=age_band,
    )
    honour.full_clean(exclude=["search_name", "recipient_key", "unit_path"])
    with transaction.atomic():
        honour.save()
        audit.record(actor, "honors.record_honour", honour, {"award": award_type.code}, unit=unit)
    return honour


def revoke_certificate(actor: Any, *, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (and its registry row) with a reason shown on verification."""
    require(actor, "unit.approve", certificate.unit)
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate is already revoked."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking it.")})
    with transaction.atomic():
        now = timezone.now()
        certificate.revoked_at = now
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_at", "revocation_reason"])
        Honour.objects.filter(pk=certificate.honour_id).update(revoked_at=now)
        audit.record(
            actor,
            "honors.revoke_certificate",
            certificate,
            {"serial": certificate.serial, "reason": reason},
            unit=certificate.unit,
        )
    return certificate
