"""The commendation API: catalogue, rounds, nominations (with their moves up the tree and the
council vote), decisions and public certificate verification.

Every write calls one function of `services`; every object is fetched through a selector that
checks the caller's part of the tree (404 outside it). Errors become JSON through the handlers
of `thidua.api.router`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import ReasonIn
from thidua.core.policy import require
from thidua.honors import rules, selectors
from thidua.honors.api_upward import router as upward_router
from thidua.honors.models import AwardType, Nomination
from thidua.honors.services.nominations import (
    endorse_nomination,
    reject_nomination,
    return_nomination,
    submit_nomination,
)
from thidua.honors.services.votes import cast_vote

router = Router(tags=["honors"])
router.add_router("/upward/", upward_router)  # proposals to bodies outside the Front


class RuleOut(Schema):
    valid_from: dt.date
    valid_to: dt.date | None
    legal_basis: str
    window_years: int
    prerequisites: list[str]
    quota_per_round: int | None
    required_documents: list[str]
    vote_share: Decimal
    strictly_more: bool
    secret_ballot: bool
    public_notice_days: int
    short_path: bool
    short_path_days: int


class AwardTypeOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    for_person: bool
    for_household: bool
    for_collective: bool
    conferring_kinds: list[str]
    cash_coefficient: Decimal
    rule: RuleOut | None


class RoundOut(Schema):
    id: int
    title: str
    kind: str
    owner_unit_id: int
    council_id: int | None
    opens_on: dt.date
    closes_on: dt.date
    deadline_days: int
    level_deadlines: dict[str, int]
    status: str


class NominationOut(Schema):
    id: int
    round_id: int
    award_type: str
    nominee_kind: str
    nominee_name: str
    unit_id: int
    current_unit_id: int
    status: str
    nominated_on: dt.date
    level_due_on: dt.date | None

    @staticmethod
    def resolve_award_type(obj) -> str:
        return obj["award_type"] if isinstance(obj, dict) else obj.award_type.code


class NominationDetailOut(NominationOut):
    eligible: bool
    reasons: list[str]
    history: list[dict]


class VoteIn(Schema):
    choice: str


class HonourRow(Schema):
    recipient_name: str
    unit_id: int
    award_type: str
    cash: Decimal
    serial: str


class DecisionOut(Schema):
    id: int
    unit_id: int
    number: str
    signed_on: dt.date
    signer: str
    base_salary: Decimal
    total_cash: Decimal
    annex: list[HonourRow]


class VerificationOut(Schema):
    status: str
    serial: str | None = None
    recipient: str | None = None
    award: str | None = None
    decision: str | None = None
    decision_date: dt.date | None = None
    hash: str | None = None
    check_code: str | None = None
    revocation_reason: str | None = None


def _award_out(award: AwardType) -> dict:
    rule = award.rule
    return {
        "id": award.pk,
        "code": award.code,
        "name": award.name,
        "kind": award.kind,
        "for_person": award.for_person,
        "for_household": award.for_household,
        "for_collective": award.for_collective,
        "conferring_kinds": [k.code for k in award.conferring_kinds.all()],
        "cash_coefficient": award.cash_coefficient,
        "rule": None
        if rule is None
        else {
            **{f: getattr(rule, f) for f in RuleOut.model_fields if f != "prerequisites"},
            "prerequisites": [p.code for p in rule.prerequisites.all()],
        },
    }


def _nomination_out(nomination: Nomination, *, detail: bool = False) -> dict:
    out = {
        "id": nomination.pk,
        "round_id": nomination.round_id,
        "award_type": nomination.award_type.code,
        "nominee_kind": nomination.nominee_kind,
        "nominee_name": nomination.nominee_name,
        "unit_id": nomination.unit_id,
        "current_unit_id": nomination.current_unit_id,
        "status": nomination.status,
        "nominated_on": nomination.nominated_on,
        "level_due_on": nomination.level_due_on,
    }
    if detail:
        eligibility = rules.nomination_eligibility(nomination)
        out["eligible"] = eligibility.eligible
        out["reasons"] = eligibility.reasons
        out["history"] = [
            {"action": e.action, "unit_id": e.unit_id, "reason": e.reason, "at": e.at.isoformat()}
            for e in nomination.events.all()
        ]
    return out


@router.get("/catalogue", response=list[AwardTypeOut])
def catalogue(request: HttpRequest, on: dt.date | None = None):
    return [_award_out(a) for a in selectors.catalogue(on=on)]


@router.get("/rounds", response=list[RoundOut])
@paginate(Pagination, page_size=50)
def rounds(request: HttpRequest):
    return selectors.visible_rounds(request.user)


@router.get("/rounds/{int:round_id}", response=RoundOut)
def round_detail(request: HttpRequest, round_id: int):
    return selectors.get_round_for_user(request.user, round_id)


class NominationDraftOut(Schema):
    """What "propose for commendation" pre-fills from an exemplar, practice or initiative."""

    source: str  # "exemplar:12"
    nominee_kind: str
    nominee_name: str
    unit_id: int
    achievements: str
    open_round_ids: list[int]


@router.get("/nomination-drafts/{kind}/{int:source_id}", response=NominationDraftOut)
def nomination_draft(request: HttpRequest, kind: str, source_id: int):
    """The pre-filled nomination of a verified exemplar (`exemplar`), a replicated practice
    (`practice`), a recognised initiative (`submission`) or a learner a training course proposed
    among its best (`learner`), with the rounds open for it."""
    if kind not in selectors.SOURCE_KINDS:
        raise Http404
    source = selectors.nomination_source(request.user, kind, source_id)
    require(request.user, "unit.enter_data", source.unit)
    return {
        "source": source.token,
        "nominee_kind": source.nominee_kind,
        "nominee_name": source.nominee_name,
        "unit_id": source.unit.pk,
        "achievements": source.achievements,
        "open_round_ids": [
            r.pk
            for r in selectors.open_rounds_for(
                request.user, source.unit, nominee_kind=source.nominee_kind
            )
        ],
    }


@router.get("/nominations", response=list[NominationOut])
@paginate(Pagination, page_size=50)
def nominations(request: HttpRequest, round_id: int | None = None, status: str | None = None):
    items = selectors.visible_nominations(request.user).order_by("id")
    if round_id:
        items = items.filter(round_id=round_id)
    if status:
        items = items.filter(status=status)
    return items


@router.get("/nominations/{int:nomination_id}", response=NominationDetailOut)
def nomination_detail(request: HttpRequest, nomination_id: int):
    nomination = selectors.get_nomination_for_user(request.user, nomination_id)
    return _nomination_out(nomination, detail=True)


@router.post("/nominations/{int:nomination_id}/submit", response=NominationDetailOut)
def submit(request: HttpRequest, nomination_id: int):
    nomination = selectors.get_nomination_for_user(request.user, nomination_id)
    submit_nomination(request.user, nomination=nomination)
    return _nomination_out(nomination, detail=True)


@router.post("/nominations/{int:nomination_id}/endorse", response=NominationDetailOut)
def endorse(request: HttpRequest, nomination_id: int, straight: bool = False):
    """Endorse one level up; `?straight=true` takes the short path of an ad hoc award."""
    nomination = selectors.get_nomination_for_user(request.user, nomination_id)
    endorse_nomination(request.user, nomination=nomination, straight=straight)
    return _nomination_out(nomination, detail=True)


@router.post("/nominations/{int:nomination_id}/return", response=NominationDetailOut)
def return_(request: HttpRequest, nomination_id: int, payload: ReasonIn):
    nomination = selectors.get_nomination_for_user(request.user, nomination_id)
    return_nomination(request.user, nomination=nomination, reason=payload.reason)
    return _nomination_out(nomination, detail=True)


@router.post("/nominations/{int:nomination_id}/reject", response=NominationDetailOut)
def reject(request: HttpRequest, nomination_id: int, payload: ReasonIn):
    nomination = selectors.get_nomination_for_user(request.user, nomination_id)
    reject_nomination(request.user, nomination=nomination, reason=payload.reason)
    return _nomination_out(nomination, detail=True)


@router.post("/nominations/{int:nomination_id}/vote", response=NominationDetailOut)
def vote(request: HttpRequest, nomination_id: int, payload: VoteIn):
    nomination = selectors.get_nomination_for_user(request.user, nomination_id)
    cast_vote(request.user, nomination=nomination, choice=payload.choice)
    return _nomination_out(nomination, detail=True)


@router.get("/decisions/{int:decision_id}", response=DecisionOut)
def decision_detail(request: HttpRequest, decision_id: int):
    decision = selectors.get_decision_for_user(request.user, decision_id)
    return {
        "id": decision.pk,
        "unit_id": decision.unit_id,
        "number": decision.number,
        "signed_on": decision.signed_on,
        "signer": decision.signer,
        "base_salary": decision.base_salary,
        "total_cash": decision.total_cash,
        "annex": [
            {
                "recipient_name": h.recipient_name,
                "unit_id": h.unit_id,
                "award_type": h.award_type.code,
                "cash": h.cash,
                "serial": h.certificate.serial,
            }
            for h in selectors.annex(decision)
        ],
    }


@router.get("/verify/{serial}", response=VerificationOut, auth=None)
def verify(request: HttpRequest, serial: str, h: str = "", code: str = ""):
    """`h` is the full hash (the QR link) and `code` the short check code printed on the
    certificate; either proves the number. Status: valid, revoked, code_needed, wrong_code,
    not_found or invalid (the record no longer matches what was issued)."""
    result = selectors.verify_certificate(serial, h or code)
    certificate = result.certificate
    if certificate is None:
        return {"status": result.status}
    honour = certificate.honour
    return {
        "status": result.status,
        "serial": certificate.serial,
        "recipient": honour.recipient_name,
        "award": honour.award_type.name,
        "decision": honour.decision.number if honour.decision else None,
        "decision_date": honour.decision.signed_on if honour.decision else None,
        "hash": certificate.content_hash,
        "check_code": certificate.check_code,
        "revocation_reason": certificate.revocation_reason or None,
    }
