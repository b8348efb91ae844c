"""The practices API: practices through their four stages, replications and exemplars.

Every write calls one function of `services` (which checks permission and validates); every
object is fetched through a selector that checks the caller's part of the tree, so an object
outside it answers 404 exactly as a missing one does. Errors become JSON through the handlers of
`thidua.api.router`: PermissionDenied → 403, Http404 → 404, ValidationError → 422.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import FieldOut, UnitRef
from thidua.core.uploads import file_url
from thidua.org.models import Unit, UnitKind
from thidua.org.selectors import get_unit_for_user
from thidua.practices import selectors, services
from thidua.practices.models import (
    Checkpoint,
    Exemplar,
    NurturePlan,
    Practice,
    Stage,
    StageChange,
    Summary,
)
from thidua.practices.selectors import PracticeCoverage, TreeNode
from thidua.shared.models import Field

router = Router(tags=["practices"])


# --- schemas --------------------------------------------------------------------------------


class PracticeOut(Schema):
    id: int
    title: str
    owner_unit: UnitRef
    field: FieldOut
    description: str
    started_on: dt.date
    stage: str
    source_id: int | None
    origin_id: int | None
    adaptations: str
    is_active: bool
    created_at: dt.datetime


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    actor: str | None
    note: str
    values: dict[str, Any]
    evidence: str | None
    is_override: bool
    reason: str
    at: dt.datetime

    @staticmethod
    def resolve_actor(obj: StageChange) -> str | None:
        return str(obj.actor) if obj.actor_id else None

    @staticmethod
    def resolve_evidence(obj: StageChange) -> str | None:
        return obj.evidence_url or None


class CheckpointOut(Schema):
    title: str
    due_on: dt.date
    done_on: dt.date | None


class PlanOut(Schema):
    mentoring_unit: UnitRef
    goals: str
    checkpoints: list[CheckpointOut]

    @staticmethod
    def resolve_checkpoints(obj: Any) -> list[Checkpoint]:
        return list(obj.checkpoints.all())


class SummaryOut(Schema):
    results: str
    lessons: str
    how_to_replicate: str
    written_at: dt.datetime


class ReachOut(Schema):
    total: int
    by_kind: dict[str, int]  # distinct units reached, by unit kind code, top of the tree first
    units: list[UnitRef]


class PracticeDetailOut(PracticeOut):
    history: list[StageChangeOut]
    plan: PlanOut | None
    summary: SummaryOut | None
    reach: ReachOut


class PracticeIn(Schema):
    owner_unit_id: int
    title: str
    field: str = ""  # the field's code
    description: str = ""
    started_on: dt.date | None = None
    note: str = ""


class StageIn(Schema):
    to_stage: str  # one of the stage values; anything else is a field error
    note: str = ""
    override_reason: str = ""


class CheckpointIn(Schema):
    title: str
    due_on: dt.date


class PlanIn(Schema):
    mentoring_unit_id: int
    goals: str = ""
    checkpoints: list[CheckpointIn] | None = None  # None keeps the checkpoints there are


class SummaryIn(Schema):
    results: str = ""
    lessons: str = ""
    how_to_replicate: str = ""


class ReplicationIn(Schema):
    adopting_unit_id: int
    started_on: dt.date | None = None
    adaptations: str = ""
    override_reason: str = ""


class ActiveIn(Schema):
    active: bool


class ReplicationNodeOut(Schema):
    id: int
    title: str
    owner_unit: UnitRef
    stage: str
    started_on: dt.date
    adaptations: str
    is_active: bool
    children: list["ReplicationNodeOut"]


ReplicationNodeOut.model_rebuild()


class PracticeCoverageRowOut(Schema):
    unit: UnitRef
    fields: dict[str, int]  # active practices in the unit's subtree, by field code


class PracticeCoverageOut(Schema):
    root: UnitRef
    kind: str
    fields: list[FieldOut]
    rows: list[PracticeCoverageRowOut]
    gaps: dict[str, list[UnitRef]]  # by field code: units of `kind` without a practice
    complete: int  # units with a practice in every field
    stages: dict[str, dict[str, int]]  # by field code, then stage: practices in the subtree


class ExemplarOut(Schema):
    id: int
    kind: str
    name: str
    owner_unit: UnitRef
    deeds: str
    story: str
    photo: str | None
    status: str
    return_reason: str
    verified_at: dt.datetime | None
    is_featured: bool
    put_forward: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_photo(obj: Exemplar) -> str | None:
        return file_url("exemplar-photo", obj.pk) if obj.photo else None


class ExemplarDetailOut(ExemplarOut):
    verified_by: str | None
    practice_ids: list[int]

    @staticmethod
    def resolve_verified_by(obj: Exemplar) -> str | None:
        return str(obj.verified_by) if obj.verified_by_id else None

    @staticmethod
    def resolve_practice_ids(obj: Exemplar) -> list[int]:
        return [practice.pk for practice in obj.practices.all()]


class ExemplarIn(Schema):
    owner_unit_id: int
    kind: str  # "person" or "collective"; anything else is a field error
    name: str
    deeds: str = ""
    story: str = ""
    practice_ids: list[int] = []


class VerifyIn(Schema):
    accept: bool
    reason: str = ""


class FeatureIn(Schema):
    featured: bool = True
    put_forward: bool | None = None  # None leaves it as it is


# --- helpers --------------------------------------------------------------------------------


def _field(code: str) -> Field | None:
    """The field of a code; no code is left to the service (which says a field is needed)."""
    if not code.strip():
        return None
    field = Field.objects.filter(code=code.strip()).first()
    if field is None:
        raise ValidationError({"field": _("Unknown field %(code)s.") % {"code": code}})
    return field


def _current_unit(pk: int, *, name: str) -> Unit:
    """A unit in force, whatever part of the tree it is in (a mentoring unit is often above the
    caller's own); only whether it exists is told."""
    unit = Unit.objects.filter(pk=pk, valid_to__isnull=True).first()
    if unit is None:
        raise ValidationError({name: _("No unit in force with this id.")})
    return unit


def _detail(practice: Practice) -> dict[str, Any]:
    reach = selectors.reach(practice)
    plan = (
        NurturePlan.objects.select_related("mentoring_unit")
        .prefetch_related("checkpoints")
        .filter(practice=practice)
        .first()
    )
    return {
        **PracticeOut.model_validate(practice).model_dump(),
        "history": list(practice.stage_changes.select_related("actor")),
        "plan": plan,
        "summary": Summary.objects.filter(practice=practice).first(),
        "reach": {
            "total": reach.total,
            "by_kind": {kind.code: count for kind, count in reach.by_kind},
            "units": reach.units,
        },
    }


def _node(node: TreeNode) -> dict[str, Any]:
    practice = node.practice
    return {
        "id": practice.pk,
        "title": practice.title,
        "owner_unit": practice.owner_unit,
        "stage": practice.stage,
        "started_on": practice.started_on,
        "adaptations": practice.adaptations,
        "is_active": practice.is_active,
        "children": [_node(child) for child in node.children],
    }


def _exemplar_detail(exemplar: Exemplar) -> Exemplar:
    """The exemplar as it is stored now, with who verified it and its practices."""
    return (
        Exemplar.objects.select_related("owner_unit", "verified_by")
        .prefetch_related(Prefetch("practices", queryset=Practice.objects.only("pk")))
        .get(pk=exemplar.pk)
    )


# --- practices ------------------------------------------------------------------------------


@router.get("", response=list[PracticeOut])
@paginate(Pagination, page_size=50)
def list_practices(
    request: HttpRequest,
    field: str = "",
    stage: Stage | None = None,
    unit_id: int | None = None,
    q: str = "",
) -> QuerySet[Practice]:
    """Practices of the caller's part of the tree and summarised ones anywhere; by field code,
    stage, below a unit (`unit_id`, its whole subtree) and searched by title."""
    practices = selectors.visible_practices(request.auth)
    unit = None
    if unit_id is not None:
        # Only narrows what the caller sees already: a unit outside it simply finds nothing.
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            return practices.none()
    return selectors.filter_practices(
        practices, field=_field(field), stage=stage or "", unit=unit, query=q.strip()
    )


@router.post("", response={201: PracticeDetailOut})
def record_practice(request: HttpRequest, payload: PracticeIn) -> Status[dict[str, Any]]:
    """Record a newly discovered practice of a unit (it starts discovered)."""
    owner_unit = get_unit_for_user(request.auth, payload.owner_unit_id)
    practice = services.record_practice(
        request.auth,
        owner_unit=owner_unit,
        title=payload.title,
        field=_field(payload.field),
        description=payload.description,
        started_on=payload.started_on,
        note=payload.note,
    )
    return Status(201, _detail(practice))


@router.get("/coverage", response=PracticeCoverageOut)
def get_coverage(
    request: HttpRequest,
    unit_id: int | None = None,
    kind: str = "residential_area",
    field: list[str] = Query([]),  # noqa: B008 (ninja's way to declare a repeated parameter)
) -> dict[str, Any]:
    """For every unit of `kind` in force below `unit_id` (default: the caller's first unit):
    active practices per field (the `field` codes given, default every field) in its subtree,
    the gaps, and practices per field and stage."""
    root = selectors.coverage_root(request.auth, unit_id)
    unit_kind = UnitKind.objects.filter(code=kind).first()
    if unit_kind is None:
        raise ValidationError({"kind": _("Unknown unit kind %(kind)s.") % {"kind": kind}})
    if unit_kind.order <= root.kind.order:
        raise ValidationError(
            {"kind": _("Choose a kind of unit below %(unit)s.") % {"unit": root.name}}
        )
    fields = None
    if field:
        found = {f.code: f for f in Field.objects.filter(code__in=field)}
        unknown = [code for code in field if code not in found]
        if unknown:
            raise ValidationError(
                {"field": [_("Unknown field %(code)s.") % {"code": code} for code in unknown]}
            )
        fields = [found[code] for code in dict.fromkeys(field)]
    cover: PracticeCoverage = selectors.coverage(root, kind=unit_kind, fields=fields)
    codes = {field.pk: field.code for field in cover.fields}
    stages: dict[str, dict[str, int]] = {}
    for (field_id, stage), count in cover.stage_counts.items():
        stages.setdefault(codes.get(field_id, str(field_id)), {})[stage] = count
    return {
        "root": root,
        "kind": unit_kind.code,
        "fields": cover.fields,
        "rows": [
            {
                "unit": row.unit,
                "fields": {codes[pk]: count for pk, count in row.fields.items() if pk in codes},
            }
            for row in cover.rows
        ],
        "gaps": {field.code: cover.gaps(field.pk) for field in cover.fields},
        "complete": cover.complete,
        "stages": stages,
    }


@router.get("/{int:practice_id}", response=PracticeDetailOut)
def get_practice(request: HttpRequest, practice_id: int) -> dict[str, Any]:
    """A practice with its stage history, nurture plan, summary report and reach."""
    return _detail(selectors.get_practice_for_user(request.auth, practice_id))


@router.post("/{int:practice_id}/stage", response=PracticeDetailOut)
def move_stage(request: HttpRequest, practice_id: int, payload: StageIn) -> dict[str, Any]:
    """Move to the next stage; going back or skipping one is a leader's override with a reason."""
    practice = selectors.get_practice_for_user(request.auth, practice_id)
    services.move_stage(
        request.auth,
        practice=practice,
        to_stage=payload.to_stage,
        note=payload.note,
        override_reason=payload.override_reason,
    )
    return _detail(practice)


@router.post("/{int:practice_id}/plan", response=PlanOut)
def set_nurture_plan(request: HttpRequest, practice_id: int, payload: PlanIn) -> Any:
    """The nurture plan: a mentoring unit (any unit in force) and dated checkpoints."""
    practice = selectors.get_practice_for_user(request.auth, practice_id)
    mentoring_unit = _current_unit(payload.mentoring_unit_id, name="mentoring_unit_id")
    plan = services.set_nurture_plan(
        request.auth,
        practice=practice,
        mentoring_unit=mentoring_unit,
        goals=payload.goals,
        checkpoints=(
            [(checkpoint.title, checkpoint.due_on) for checkpoint in payload.checkpoints]
            if payload.checkpoints is not None
            else None
        ),
    )
    return plan


@router.post("/{int:practice_id}/summary", response=SummaryOut)
def write_summary(request: HttpRequest, practice_id: int, payload: SummaryIn) -> Any:
    """The summary report a practice needs before it counts as summarised."""
    practice = selectors.get_practice_for_user(request.auth, practice_id)
    return services.write_summary(
        request.auth,
        practice=practice,
        results=payload.results,
        lessons=payload.lessons,
        how_to_replicate=payload.how_to_replicate,
    )


@router.post("/{int:practice_id}/active", response=PracticeOut)
def set_active(request: HttpRequest, practice_id: int, payload: ActiveIn) -> Practice:
    practice = selectors.get_practice_for_user(request.auth, practice_id)
    return services.set_active(request.auth, practice=practice, active=payload.active)


@router.get("/{int:practice_id}/replications", response=ReplicationNodeOut)
def get_replications(request: HttpRequest, practice_id: int) -> dict[str, Any]:
    """The whole replication tree the practice belongs to, from its original, as nested JSON."""
    practice = selectors.get_practice_for_user(request.auth, practice_id)
    return _node(selectors.replication_tree(practice))


@router.post("/{int:practice_id}/replications", response={201: PracticeDetailOut})
def replicate(
    request: HttpRequest, practice_id: int, payload: ReplicationIn
) -> Status[dict[str, Any]]:
    """A unit of the caller's adopts the practice: its own practice, linked to the source.
    Before the source is summarised only a leader's override (with a reason) allows it."""
    source = selectors.get_practice_for_user(request.auth, practice_id)
    adopting_unit = get_unit_for_user(request.auth, payload.adopting_unit_id)
    replica = services.replicate(
        request.auth,
        source=source,
        adopting_unit=adopting_unit,
        started_on=payload.started_on,
        adaptations=payload.adaptations,
        override_reason=payload.override_reason,
    )
    return Status(201, _detail(replica))


# --- exemplars ------------------------------------------------------------------------------


@router.get("/exemplars", response=list[ExemplarOut])
@paginate(Pagination, page_size=50)
def list_exemplars(
    request: HttpRequest,
    status: Exemplar.Status | None = None,
    kind: Exemplar.Kind | None = None,
    featured: bool | None = None,
    unit_id: int | None = None,
) -> QuerySet[Exemplar]:
    """Exemplars proposed in the caller's part of the tree, newest first."""
    exemplars = selectors.visible_exemplars(request.auth)
    if status:
        exemplars = exemplars.filter(status=status)
    if kind:
        exemplars = exemplars.filter(kind=kind)
    if featured is not None:
        exemplars = exemplars.filter(is_featured=featured)
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            return exemplars.none()
        exemplars = exemplars.filter(owner_unit__path__startswith=unit.path)
    return exemplars


@router.post("/exemplars", response={201: ExemplarDetailOut})
def propose_exemplar(request: HttpRequest, payload: ExemplarIn) -> Status[Exemplar]:
    """A unit proposes a person or a collective, with deeds and a story, to the unit above."""
    owner_unit = get_unit_for_user(request.auth, payload.owner_unit_id)
    practices = []
    if payload.practice_ids:
        found = {
            p.pk: p
            for p in selectors.visible_practices(request.auth).filter(pk__in=payload.practice_ids)
        }
        unknown = [pk for pk in payload.practice_ids if pk not in found]
        if unknown:
            raise ValidationError(
                {"practice_ids": [_("Unknown practice %(id)s.") % {"id": pk} for pk in unknown]}
            )
        practices = [found[pk] for pk in payload.practice_ids]
    exemplar = services.propose_exemplar(
        request.auth,
        owner_unit=owner_unit,
        kind=payload.kind,
        name=payload.name,
        deeds=payload.deeds,
        story=payload.story,
        practices=practices,
    )
    return Status(201, _exemplar_detail(exemplar))


@router.get("/exemplars/{int:exemplar_id}", response=ExemplarDetailOut)
def get_exemplar(request: HttpRequest, exemplar_id: int) -> Exemplar:
    return _exemplar_detail(selectors.get_exemplar_for_user(request.auth, exemplar_id))


@router.post("/exemplars/{int:exemplar_id}/verify", response=ExemplarDetailOut)
def verify_exemplar(request: HttpRequest, exemplar_id: int, payload: VerifyIn) -> Exemplar:
    """A leader of the unit above verifies the deeds, or returns the proposal with a reason."""
    exemplar = selectors.get_exemplar_for_user(request.auth, exemplar_id)
    services.verify_exemplar(
        request.auth, exemplar=exemplar, accept=payload.accept, reason=payload.reason
    )
    return _exemplar_detail(exemplar)


@router.post("/exemplars/{int:exemplar_id}/feature", response=ExemplarDetailOut)
def feature_exemplar(request: HttpRequest, exemplar_id: int, payload: FeatureIn) -> Exemplar:
    """Editors feature a verified exemplar on the portal; leaders put it forward for awards."""
    exemplar = selectors.get_exemplar_for_user(request.auth, exemplar_id)
    services.feature_exemplar(
        request.auth,
        exemplar=exemplar,
        featured=payload.featured,
        put_forward=payload.put_forward,
    )
    return _exemplar_detail(exemplar)
