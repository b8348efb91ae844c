"""The API of proposals upward ("khen cao"), under /api/v1/honors/upward/: the outside bodies
and what they confer, proposals and their tracking, the body's decision, the public check.

Every write calls one function of `services.upward`; every proposal is fetched through
`upward_selectors.get_upward_proposal_for_user` (404 outside the caller's part of the tree), as
the pages do.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.core.policy import can, refuse
from thidua.honors import upward_package, upward_rules
from thidua.honors import upward_selectors as selectors
from thidua.honors.models import (
    AwardType,
    Nomination,
    OutsideAwardRule,
    OutsideBody,
    UpwardProposal,
)
from thidua.honors.services.upward import (
    acknowledge_upward_proposal,
    add_upward_document,
    create_upward_proposal,
    prepare_upward_package,
    record_outside_decision,
    record_upward_refusal,
    return_upward_proposal,
    send_upward_proposal,
)
from thidua.org.models import Unit

router = Router(tags=["honors: proposals upward"])


class OutsideRuleOut(Schema):
    award_type: str
    award_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    legal_basis: str
    proposing_kinds: list[str]
    nominee_documents: list[str]
    dossier_documents: list[str]
    copies: int
    annex_form: str
    follow_up_days: int


class OutsideBodyOut(Schema):
    id: int
    code: str
    name: str
    addressee: str
    valid_from: dt.date
    valid_to: dt.date | None
    rules: list[OutsideRuleOut]


class UpwardProposalOut(Schema):
    id: int
    unit_id: int
    body: str
    award_type: str
    number: str
    dated: dt.date
    signer: str
    status: str
    sent_on: dt.date | None
    channel: str
    reference: str
    acknowledged_on: dt.date | None
    follow_up_due: dt.date | None

    @staticmethod
    def resolve_body(obj) -> str:
        return obj["body"] if isinstance(obj, dict) else obj.body.code

    @staticmethod
    def resolve_award_type(obj) -> str:
        return obj["award_type"] if isinstance(obj, dict) else obj.award_type.code


class UpwardEntryOut(Schema):
    nomination_id: int
    nominee_name: str
    unit_id: int
    honoured: bool | None
    honour_id: int | None


class UpwardChecklistOut(Schema):
    label: str
    done: bool
    entry_id: int | None
    kind: str


class UpwardEventOut(Schema):
    action: str
    on: dt.date | None
    channel: str
    reference: str
    reason: str
    at: dt.datetime


class OutsideDecisionOut(Schema):
    number: str
    signed_on: dt.date
    signer: str


class UpwardProposalDetailOut(UpwardProposalOut):
    entries: list[UpwardEntryOut]
    checklist: list[UpwardChecklistOut]
    history: list[UpwardEventOut]
    decision: OutsideDecisionOut | None


class UpwardProposalIn(Schema):
    unit_id: int
    body: str
    award_type: str
    number: str
    dated: dt.date
    signer: str
    summary: str = ""
    nomination_ids: list[int]


class UpwardSendIn(Schema):
    sent_on: dt.date
    channel: str
    reference: str = ""


class UpwardDatedIn(Schema):
    on: dt.date
    reference: str = ""
    reason: str = ""


class UpwardDocumentOut(Schema):
    id: int
    kind: str
    name: str
    size: int
    sha256: str


class OutsideVerificationOut(Schema):
    status: str
    recipient: str | None = None
    award: str | None = None
    body: str | None = None
    decision: str | None = None
    decision_date: dt.date | None = None


def _detail(proposal: UpwardProposal) -> dict:
    decision = getattr(proposal, "decision", None)
    return {
        **{field: getattr(proposal, field) for field in UpwardProposalOut.model_fields},
        "body": proposal.body.code,
        "award_type": proposal.award_type.code,
        "entries": [
            {
                "nomination_id": e.nomination_id,
                "nominee_name": e.nomination.nominee_name,
                "unit_id": e.nomination.unit_id,
                "honoured": e.honoured,
                "honour_id": getattr(getattr(e.nomination, "honour", None), "pk", None),
            }
            for e in selectors.entries(proposal)
        ],
        "checklist": [vars(item) for item in upward_rules.checklist(proposal)],
        "history": list(
            proposal.events.values("action", "on", "channel", "reference", "reason", "at")
        ),
        "decision": None
        if decision is None
        else {
            "number": decision.number,
            "signed_on": decision.signed_on,
            "signer": decision.signer,
        },
    }


def _proposal(request: HttpRequest, proposal_id: int) -> UpwardProposal:
    return selectors.get_upward_proposal_for_user(request.user, proposal_id)


@router.get("/bodies", response=list[OutsideBodyOut])
def bodies(request: HttpRequest, on: dt.date | None = None):
    """The bodies outside the Front in being on `on` (today), with the awards they confer then
    and the dossier each asks for."""
    day = on or timezone.localdate()
    found = selectors.bodies_on(day)
    rules = (
        OutsideAwardRule.objects.filter(body__in=found, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .select_related("award_type")
        .prefetch_related("proposing_kinds")
    )
    by_body: dict[int, list[dict]] = {}
    for rule in rules:
        by_body.setdefault(rule.body_id, []).append(
            {
                "award_type": rule.award_type.code,
                "award_name": rule.award_type.name,
                "valid_from": rule.valid_from,
                "valid_to": rule.valid_to,
                "legal_basis": rule.legal_basis,
                "proposing_kinds": [k.code for k in rule.proposing_kinds.all()],
                "nominee_documents": rule.nominee_documents,
                "dossier_documents": rule.dossier_documents,
                "copies": rule.copies,
                "annex_form": rule.annex_form,
                "follow_up_days": rule.follow_up_days,
            }
        )
    return [
        {
            "id": body.pk,
            "code": body.code,
            "name": body.name,
            "addressee": body.addressee,
            "valid_from": body.valid_from,
            "valid_to": body.valid_to,
            "rules": by_body.get(body.pk, []),
        }
        for body in found
    ]


@router.get("/proposals", response=list[UpwardProposalOut])
@paginate(Pagination, page_size=50)
def proposals(request: HttpRequest, status: str | None = None):
    if not can(request.user, "honors.propose_upward"):
        refuse()
    items = selectors.visible_upward_proposals(request.user).order_by("-dated", "-id")
    if status:
        items = items.filter(status=status)
    return items


@router.post("/proposals", response={201: UpwardProposalDetailOut})
def create(request: HttpRequest, payload: UpwardProposalIn):
    """Prepare a proposal from nominations the unit's council approved (ids)."""
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise ValidationError({"unit_id": _("Unknown unit.")})
    body = OutsideBody.objects.filter(code=payload.body).first()
    if body is None:
        raise ValidationError({"body": _("Unknown body.")})
    award_type = AwardType.objects.filter(code=payload.award_type).first()
    if award_type is None:
        raise ValidationError({"award_type": _("Unknown award.")})
    nominations = list(
        Nomination.objects.filter(pk__in=payload.nomination_ids).select_related("round")
    )
    if len(nominations) != len(set(payload.nomination_ids)):
        raise ValidationError({"nomination_ids": _("Unknown nomination.")})
    proposal = create_upward_proposal(
        request.user,
        unit=unit,
        body=body,
        award_type=award_type,
        number=payload.number,
        dated=payload.dated,
        signer=payload.signer,
        summary=payload.summary,
        nominations=nominations,
    )
    return 201, _detail(proposal)


@router.get("/proposals/{int:proposal_id}", response=UpwardProposalDetailOut)
def detail(request: HttpRequest, proposal_id: int):
    return _detail(_proposal(request, proposal_id))


@router.post("/proposals/{int:proposal_id}/documents", response={201: UpwardDocumentOut})
def add_document(
    request: HttpRequest,
    proposal_id: int,
    kind: Form[str],
    file: File[UploadedFile],
    entry_nomination_id: Form[int | None] = None,
):
    """Add a document to the dossier; `entry_nomination_id` names the nominee it belongs to."""
    proposal = _proposal(request, proposal_id)
    entry = None
    if entry_nomination_id is not None:
        entry = proposal.entries.filter(nomination_id=entry_nomination_id).first()
        if entry is None:
            raise ValidationError(
                {"entry_nomination_id": _("This nominee is not in the proposal.")}
            )
    document = add_upward_document(
        request.user, proposal=proposal, kind=kind, file=file, entry=entry
    )
    return 201, document


@router.get("/proposals/{int:proposal_id}/package")
def package(request: HttpRequest, proposal_id: int):
    """The package (ZIP): the letter, the annex (XLSX, PDF), the documents and the manifest."""
    proposal = _proposal(request, proposal_id)
    prepare_upward_package(request.user, proposal=proposal)
    return FileResponse(
        proposal.package.open("rb"),
        as_attachment=True,
        filename=upward_package.download_name(proposal),
        content_type="application/zip",
    )


@router.post("/proposals/{int:proposal_id}/send", response=UpwardProposalDetailOut)
def send(request: HttpRequest, proposal_id: int, payload: UpwardSendIn):
    proposal = _proposal(request, proposal_id)
    send_upward_proposal(
        request.user,
        proposal=proposal,
        sent_on=payload.sent_on,
        channel=payload.channel,
        reference=payload.reference,
    )
    return _detail(proposal)


@router.post("/proposals/{int:proposal_id}/acknowledge", response=UpwardProposalDetailOut)
def acknowledge(request: HttpRequest, proposal_id: int, payload: UpwardDatedIn):
    proposal = _proposal(request, proposal_id)
    acknowledge_upward_proposal(
        request.user, proposal=proposal, on=payload.on, reference=payload.reference
    )
    return _detail(proposal)


@router.post("/proposals/{int:proposal_id}/return", response=UpwardProposalDetailOut)
def return_(request: HttpRequest, proposal_id: int, payload: UpwardDatedIn):
    proposal = _proposal(request, proposal_id)
    return_upward_proposal(request.user, proposal=proposal, on=payload.on, reason=payload.reason)
    return _detail(proposal)


@router.post("/proposals/{int:proposal_id}/refusal", response=UpwardProposalDetailOut)
def refusal(request: HttpRequest, proposal_id: int, payload: UpwardDatedIn):
    proposal = _proposal(request, proposal_id)
    record_upward_refusal(request.user, proposal=proposal, on=payload.on, reason=payload.reason)
    return _detail(proposal)


@router.post("/proposals/{int:proposal_id}/decision", response=UpwardProposalDetailOut)
def decision(
    request: HttpRequest,
    proposal_id: int,
    number: Form[str],
    signed_on: Form[dt.date],
    signer: Form[str],
    honoured: Form[list[int]],
    file: File[UploadedFile],
):
    """Record the body's decision (multipart): `honoured` lists the nomination ids it honours,
    `file` is the decision itself."""
    proposal = _proposal(request, proposal_id)
    nominations = list(Nomination.objects.filter(pk__in=honoured))
    unknown = set(honoured) - {n.pk for n in nominations}
    if unknown:
        raise ValidationError({"honoured": _("This nominee is not in the proposal.")})
    record_outside_decision(
        request.user,
        proposal=proposal,
        number=number,
        signed_on=signed_on,
        signer=signer,
        honoured=nominations,
        file=file,
    )
    return _detail(proposal)


@router.get("/verify", response=OutsideVerificationOut, auth=None)
def verify(request: HttpRequest, number: str = "", name: str = ""):
    """Public: whether the outside decision `number` honoured `name` (both required)."""
    result = selectors.verify_outside_honour(number, name)
    honour = result.honour
    if honour is None:
        return {"status": result.status}
    return {
        "status": result.status,
        "recipient": honour.recipient_name,
        "award": honour.award_type.name,
        "body": honour.outside_decision.body.name,
        "decision": honour.outside_decision.number,
        "decision_date": honour.outside_decision.signed_on,
    }
