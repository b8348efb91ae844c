"""The clusters API: clusters, review sheets, scores and the sheets' transitions.

Objects are fetched through the same selectors as the pages (404 outside the caller's scope);
writes call the same services (permission, validation, audit), so a published review refuses a
score here exactly as on the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import UnitRef
from thidua.clusters import selectors, services
from thidua.clusters.models import REVIEW_STEPS, Cluster, Criterion, ScoreSheet
from thidua.clusters.services.common import chain_steps
from thidua.core.policy import can, refuse, require
from thidua.org.models import Unit

router = Router(tags=["clusters"])


class ClusterOut(Schema):
    id: int
    name: str
    kind: str
    note: str
    min_members: int
    owner_unit: UnitRef


class ClusterDetailOut(ClusterOut):
    members: list[UnitRef]


class SheetOut(Schema):
    id: int
    review_id: int
    year: int
    unit: UnitRef
    status: str
    table_id: int
    table_version: int
    return_reason: str


class CriterionScoreOut(Schema):
    criterion_id: int
    code: str
    title: str
    max_points: Decimal
    deadline: dt.date | None  # the member's own score and evidence close after this day
    self_score: Decimal | None
    peer_score: Decimal | None
    final_score: Decimal | None


class SheetDetailOut(SheetOut):
    self_total: Decimal
    peer_total: Decimal | None
    final_total: Decimal
    criteria: list[CriterionScoreOut]


class ClusterScoreIn(Schema):
    criterion_id: int
    value: Decimal
    bonus: Decimal = Decimal(0)
    penalty: Decimal = Decimal(0)
    comment: str = ""
    scorer_unit_id: int | None = None


class TransitionIn(Schema):
    action: Literal["submit", "forward", "return"]
    reason: str = ""


class ChainOut(Schema):
    owner_unit: UnitRef
    steps: list[str]
    peer_scoring: bool
    configured: bool
    available_steps: list[str]
    sheets_in_review: int


class ChainIn(Schema):
    steps: list[str]
    peer_scoring: bool = False


class PublishedOut(Schema):
    review_id: int
    published_at: dt.datetime


def _sheet_out(sheet: ScoreSheet) -> dict:
    return {
        "id": sheet.pk,
        "review_id": sheet.review_id,
        "year": sheet.review.year,
        "unit": sheet.unit,
        "status": sheet.status,
        "table_id": sheet.table_id,
        "table_version": sheet.table.version,
        "return_reason": sheet.return_reason,
    }


def _sheet_detail(sheet: ScoreSheet) -> dict:
    scores = selectors.sheet_scores([sheet])[sheet.pk]
    return {
        **_sheet_out(sheet),
        "self_total": scores.self_total,
        "peer_total": scores.peer_total,
        "final_total": scores.final_total,
        "criteria": [
            {
                "criterion_id": c.pk,
                "code": c.code,
                "title": c.title,
                "max_points": c.max_points,
                "deadline": c.deadline,
                "self_score": scores.self_scores.get(c.pk),
                "peer_score": scores.peer.get(c.pk),
                "final_score": scores.final.get(c.pk),
            }
            for c in selectors.leaves(sheet.table)
        ],
    }


@router.get("", response=list[ClusterOut])
@paginate(Pagination, page_size=50)
def list_clusters(request: HttpRequest) -> QuerySet[Cluster]:
    """Clusters the caller oversees or belongs to."""
    return selectors.visible_clusters(request.auth)


@router.get("/{int:cluster_id}", response=ClusterDetailOut)
def get_cluster(request: HttpRequest, cluster_id: int) -> dict:
    cluster = selectors.get_cluster_for_user(request.auth, cluster_id)
    return {
        "id": cluster.pk,
        "name": cluster.name,
        "kind": cluster.kind,
        "note": cluster.note,
        "min_members": cluster.min_members,
        "owner_unit": cluster.owner_unit,
        "members": selectors.current_members(cluster),
    }


@router.get("/reviews/{int:review_id}/sheets", response=list[SheetOut])
@paginate(Pagination, page_size=50)
def list_review_sheets(request: HttpRequest, review_id: int) -> list[dict]:
    """The review's sheets the caller may see (all of them for the organising unit's staff)."""
    review = selectors.get_review_for_user(request.auth, review_id)
    sheets = selectors.visible_sheets(request.auth).filter(review=review).select_related("table")
    return [_sheet_out(s) for s in sheets]


@router.get("/sheets/{int:sheet_id}", response=SheetDetailOut)
def get_sheet(request: HttpRequest, sheet_id: int) -> dict:
    sheet = selectors.get_sheet_for_user(request.auth, sheet_id)
    return _sheet_detail(sheet)


@router.post("/sheets/{int:sheet_id}/scores", response={201: SheetDetailOut})
def record_score(request: HttpRequest, sheet_id: int, payload: ClusterScoreIn) -> Status[dict]:
    """Give a score at the sheet's current step (refused once the review is published)."""
    sheet = selectors.get_sheet_for_user(request.auth, sheet_id)
    criterion = Criterion.objects.filter(pk=payload.criterion_id, table=sheet.table).first()
    if criterion is None:
        refuse()
    scorer_unit = None
    if payload.scorer_unit_id is not None:
        scorer_unit = next(
            (
                a.scorer.unit
                for a in sheet.peers.select_related("scorer__unit")
                if a.scorer.unit_id == payload.scorer_unit_id
                and can(request.auth, "clusters.self_assess", a.scorer.unit)
            ),
            None,
        )
        if scorer_unit is None:
            refuse()
    services.record_score(
        request.auth,
        sheet=sheet,
        criterion=criterion,
        value=payload.value,
        bonus=payload.bonus,
        penalty=payload.penalty,
        comment=payload.comment,
        scorer_unit=scorer_unit,
    )
    return Status(201, _sheet_detail(selectors.get_sheet_for_user(request.auth, sheet_id)))


@router.post("/sheets/{int:sheet_id}/transitions", response=SheetOut)
def transition(request: HttpRequest, sheet_id: int, payload: TransitionIn) -> dict:
    """Submit (the member), forward to the next step, or return one step back with a reason."""
    sheet = selectors.get_sheet_for_user(request.auth, sheet_id)
    if payload.action == "submit":
        services.submit_sheet(request.auth, sheet=sheet)
    elif payload.action == "forward":
        services.forward_sheet(request.auth, sheet=sheet)
    else:
        services.return_sheet(request.auth, sheet=sheet, reason=payload.reason)
    return _sheet_out(selectors.get_sheet_for_user(request.auth, sheet_id))


@router.post("/reviews/{int:review_id}/publish", response=PublishedOut)
def publish(request: HttpRequest, review_id: int) -> dict:
    """The last step publishes the whole review; its scores are locked from then on."""
    review = selectors.get_review_for_user(request.auth, review_id)
    review = services.publish_review(request.auth, review=review)
    return {"review_id": review.pk, "published_at": review.published_at}


def _chain_out(unit: Unit) -> dict:
    steps, peer_scoring = chain_steps(unit)
    return {
        "owner_unit": unit,
        "steps": steps,
        "peer_scoring": peer_scoring,
        "configured": selectors.chain_is_set(unit),
        "available_steps": [str(s) for s in REVIEW_STEPS],
        "sheets_in_review": selectors.sheets_in_review(unit).count(),
    }


@router.get("/chains/{int:unit_id}", response=ChainOut)
def get_chain(request: HttpRequest, unit_id: int) -> dict:
    """The review steps an organising unit's clusters run, in order, and peer scoring (the
    default chain, Đồng Nai's four steps without peer scoring, until one is set)."""
    return _chain_out(selectors.get_chain_unit_for_user(request.auth, unit_id))


@router.put("/chains/{int:unit_id}", response=ChainOut)
def put_chain(request: HttpRequest, unit_id: int, payload: ChainIn) -> dict:
    """Set the chain: the steps (any of `available_steps`, run in that order) and peer scoring.
    Refused while a sheet of the unit's unpublished reviews is past its submission."""
    unit = selectors.get_chain_unit_for_user(request.auth, unit_id)
    require(request.auth, "clusters.manage", unit)
    services.configure_chain(
        request.auth, owner_unit=unit, steps=payload.steps, peer_scoring=payload.peer_scoring
    )
    return _chain_out(unit)
