"""The movements API: movements, registrations, works and reports, read and written.

Every write calls one function of `services` (which checks permission and validates); every
object is fetched through a check of the caller's part of the tree, so an object outside it
answers 404 exactly as a missing one does. Errors become JSON through the handlers of
`thidua.api.router`: PermissionDenied → 403, Http404 → 404, ValidationError → 422.
"""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import ReasonIn
from thidua.core.policy import scope_filter
from thidua.movements import selectors, services
from thidua.movements.models import (
    Indicator,
    Movement,
    Period,
    Registration,
    Report,
    ReportEvent,
    Work,
)
from thidua.movements.schemas import (
    MovementCoverageOut,
    MovementDetailOut,
    MovementIn,
    MovementOut,
    RegistrationDetailOut,
    RegistrationIn,
    RegistrationOut,
    ReportDetailOut,
    ReportIn,
    ReportOut,
    ResultsOut,
    WorkIn,
    WorkOut,
    WorkStatusIn,
)
from thidua.movements.selectors import Coverage
from thidua.org.models import UnitKind
from thidua.org.selectors import get_unit_for_user
from thidua.shared.models import Field

router = Router(tags=["movements"])


def _visible_in(movement: Movement, user: Any, model: type, unit_field: str) -> QuerySet:
    return model.objects.filter(movement=movement).filter(
        scope_filter(user, "movements.view", field=f"{unit_field}__path")
    )


def _with_details(movement: Movement) -> Movement:
    prefetch_related_objects(
        [movement],
        "fields",
        "scope_kinds",
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets__unit_kind")),
        "periods",
    )
    return movement


def _report_with_details(report: Report) -> Report:
    prefetch_related_objects(
        [report], "values", Prefetch("events", queryset=ReportEvent.objects.select_related("actor"))
    )
    return report


def _period(movement: Movement, *, label: str | int | None, pk: int | None = None) -> Period:
    periods = Period.objects.filter(movement=movement)
    if pk is not None:
        period = periods.filter(pk=pk).first()
    elif label not in (None, ""):
        period = periods.filter(label=str(label)).first()
    else:
        raise ValidationError({"period": _("Give the period, by its label or its id.")})
    if period is None:
        raise ValidationError({"period": _("Unknown period.")})
    return period


def _by_code(model: type, codes: list[str], *, field: str, message: str, key: str) -> list[Any]:
    found = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValidationError({field: [message % {key: code} for code in unknown]})
    return [found[code] for code in codes]


@router.get("", response=list[MovementOut])
@paginate(Pagination, page_size=50)
def list_movements(
    request: HttpRequest, status: Movement.Status | None = None, q: str = ""
) -> QuerySet[Movement]:
    """Movements the caller may see, newest first, optionally by status or searched by title."""
    movements = selectors.visible_movements(request.auth)
    if status:
        movements = movements.filter(status=status)
    if q.strip():
        movements = movements.filter(title__icontains=q.strip())
    return movements


@router.get("/{int:movement_id}", response=MovementDetailOut)
def get_movement(request: HttpRequest, movement_id: int) -> Movement:
    return _with_details(selectors.get_movement_for_user(request.auth, movement_id))


@router.post("", response={201: MovementDetailOut})
def create_movement(request: HttpRequest, payload: MovementIn) -> Status[Movement]:
    """Draft a movement for a unit's subtree, with indicators and their targets per unit kind."""
    actor = request.auth
    owner_unit = get_unit_for_user(actor, payload.owner_unit_id)
    parent = (
        selectors.get_movement_for_user(actor, payload.parent_id)
        if payload.parent_id is not None
        else None
    )
    movement = services.create_movement(
        actor,
        title=payload.title,
        owner_unit=owner_unit,
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        schedule=payload.schedule,
        description=payload.description,
        parent=parent,
        due_days=payload.due_days,
        reminder_days=payload.reminder_days,
        fields=_by_code(
            Field,
            payload.field_codes,
            field="field_codes",
            message=_("Unknown field %(code)s."),
            key="code",
        ),
        scope_kinds=_by_code(
            UnitKind,
            payload.scope_kind_codes,
            field="scope_kind_codes",
            message=_("Unknown unit kind %(kind)s."),
            key="kind",
        ),
        indicators=[indicator.model_dump() for indicator in payload.indicators],
    )
    return Status(201, _with_details(movement))


@router.post("/{int:movement_id}/launch", response=MovementDetailOut)
def launch_movement(request: HttpRequest, movement_id: int) -> Movement:
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    return _with_details(services.launch_movement(request.auth, movement=movement))


@router.post("/{int:movement_id}/close", response=MovementDetailOut)
def close_movement(request: HttpRequest, movement_id: int) -> Movement:
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    return _with_details(services.close_movement(request.auth, movement=movement))


@router.get("/{int:movement_id}/registrations", response=list[RegistrationOut])
@paginate(Pagination, page_size=100)
def list_registrations(
    request: HttpRequest,
    movement_id: int,
    status: Registration.Status | None = None,
    unit_id: int | None = None,
) -> QuerySet[Registration]:
    """Registrations of the units in the caller's part of the tree."""
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    registrations = _visible_in(movement, request.auth, Registration, "unit")
    if status:
        registrations = registrations.filter(status=status)
    if unit_id is not None:
        registrations = registrations.filter(unit_id=unit_id)
    return (
        registrations.select_related("unit")
        .prefetch_related("pledged_targets")
        .order_by("unit__path", "pk")
    )


@router.get(
    "/{int:movement_id}/registrations/{int:registration_id}", response=RegistrationDetailOut
)
def get_registration(request: HttpRequest, movement_id: int, registration_id: int) -> Registration:
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    registration = selectors.get_registration_for_user(request.auth, movement, registration_id)
    prefetch_related_objects(
        [registration],
        "pledged_targets",
        Prefetch("works", queryset=Work.objects.select_related("owner_unit", "field")),
    )
    return registration


@router.post("/{int:movement_id}/registrations", response=RegistrationOut)
def register(request: HttpRequest, movement_id: int, payload: RegistrationIn) -> Registration:
    """Register a unit (or register it again after a return) with its pledged targets."""
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    unit = get_unit_for_user(request.auth, payload.unit_id)
    return services.register(
        request.auth, movement=movement, unit=unit, note=payload.note, targets=payload.targets
    )


@router.post(
    "/{int:movement_id}/registrations/{int:registration_id}/accept", response=RegistrationOut
)
def accept_registration(
    request: HttpRequest, movement_id: int, registration_id: int
) -> Registration:
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    registration = selectors.get_registration_for_user(request.auth, movement, registration_id)
    return services.accept_registration(request.auth, registration=registration)


@router.post(
    "/{int:movement_id}/registrations/{int:registration_id}/return", response=RegistrationOut
)
def return_registration(
    request: HttpRequest, movement_id: int, registration_id: int, payload: ReasonIn
) -> Registration:
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    registration = selectors.get_registration_for_user(request.auth, movement, registration_id)
    return services.return_registration(
        request.auth, registration=registration, reason=payload.reason
    )


@router.get("/{int:movement_id}/works", response=list[WorkOut])
@paginate(Pagination, page_size=100)
def list_works(
    request: HttpRequest,
    movement_id: int,
    registration_id: int | None = None,
    unit_id: int | None = None,
    status: Work.Status | None = None,
    is_congress_work: bool | None = None,
) -> QuerySet[Work]:
    """Pledged works of the units in the caller's part of the tree."""
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    works = _visible_in(movement, request.auth, Work, "owner_unit")
    if registration_id is not None:
        works = works.filter(registration_id=registration_id)
    if unit_id is not None:
        works = works.filter(owner_unit_id=unit_id)
    if status:
        works = works.filter(status=status)
    if is_congress_work is not None:
        works = works.filter(is_congress_work=is_congress_work)
    return works.select_related("owner_unit", "field").order_by("deadline", "title", "pk")


@router.post("/{int:movement_id}/works", response={201: WorkOut})
def add_work(request: HttpRequest, movement_id: int, payload: WorkIn) -> Status[Work]:
    """Pledge a work for a registration (a congress work welcomes the Front Congress)."""
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    registration = selectors.get_registration_for_user(
        request.auth, movement, payload.registration_id
    )
    field = None
    if payload.field:
        field = _by_code(
            Field,
            [payload.field],
            field="field",
            message=_("Unknown field %(code)s."),
            key="code",
        )[0]
    work = services.add_work(
        request.auth,
        registration=registration,
        title=payload.title,
        field=field,
        deadline=payload.deadline,
        budget=payload.budget,
        is_congress_work=payload.is_congress_work,
    )
    return Status(201, work)


@router.api_operation(
    ["POST", "PATCH"], "/{int:movement_id}/works/{int:work_id}/status", response=WorkOut
)
def set_work_status(
    request: HttpRequest, movement_id: int, work_id: int, payload: WorkStatusIn
) -> Work:
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    work = selectors.get_work_for_user(request.auth, movement, work_id)
    return services.set_work_status(request.auth, work=work, status=payload.status)


@router.get("/{int:movement_id}/reports", response=list[ReportOut])
@paginate(Pagination, page_size=100)
def list_reports(
    request: HttpRequest,
    movement_id: int,
    unit_id: int | None = None,
    period: str | None = None,
    status: Report.Status | None = None,
) -> QuerySet[Report]:
    """Reports of the units in the caller's part of the tree; `period` is a period's label."""
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    reports = _visible_in(movement, request.auth, Report, "unit")
    if unit_id is not None:
        reports = reports.filter(unit_id=unit_id)
    if period:
        reports = reports.filter(period__label=period)
    if status:
        reports = reports.filter(status=status)
    return (
        reports.select_related("unit", "period")
        .prefetch_related("values")
        .order_by("period__starts_on", "unit__path", "pk")
    )


@router.post("/{int:movement_id}/reports", response=ReportDetailOut)
def save_report(request: HttpRequest, movement_id: int, payload: ReportIn) -> Report:
    """Save a unit's report for a period as a draft, or submit it (`submit: true`)."""
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    unit = get_unit_for_user(request.auth, payload.unit_id)
    period = _period(movement, label=payload.period, pk=payload.period_id)
    report = services.save_report(
        request.auth,
        movement=movement,
        unit=unit,
        period=period,
        values=payload.values,
        bases=payload.bases,
        narrative=payload.narrative,
        submit=payload.submit,
    )
    return _report_with_details(report)


@router.get("/{int:movement_id}/reports/{int:report_id}", response=ReportDetailOut)
def get_report(request: HttpRequest, movement_id: int, report_id: int) -> Report:
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    return _report_with_details(selectors.get_report_for_user(request.auth, movement, report_id))


@router.post("/{int:movement_id}/reports/{int:report_id}/accept", response=ReportDetailOut)
def accept_report(request: HttpRequest, movement_id: int, report_id: int) -> Report:
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    report = selectors.get_report_for_user(request.auth, movement, report_id)
    return _report_with_details(services.accept_report(request.auth, report=report))


@router.post("/{int:movement_id}/reports/{int:report_id}/return", response=ReportDetailOut)
def return_report(
    request: HttpRequest, movement_id: int, report_id: int, payload: ReasonIn
) -> Report:
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    report = selectors.get_report_for_user(request.auth, movement, report_id)
    return _report_with_details(
        services.return_report(request.auth, report=report, reason=payload.reason)
    )


@router.get("/{int:movement_id}/coverage", response=MovementCoverageOut)
def get_coverage(
    request: HttpRequest,
    movement_id: int,
    unit_id: int | None = None,
    period: str | None = None,
) -> Coverage:
    """Who registered, reported for `period` (a label), is late, has no congress work, below
    `unit_id` (default: the launching unit)."""
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    root = selectors.dashboard_root(request.auth, movement, unit_id)
    chosen = _period(movement, label=period) if period else None
    return selectors.coverage(movement, root=root, period=chosen)


@router.get("/{int:movement_id}/results", response=ResultsOut)
def get_results(
    request: HttpRequest,
    movement_id: int,
    unit_id: int | None = None,
    period: str | None = None,
    tree: Literal["then", "now"] = "then",
) -> dict[str, Any]:
    """Accepted values rolled up below `unit_id`, under the tree in force when they were
    reported (`then`) or carried to today's tree (`now`), with the pledged targets."""
    movement = selectors.get_movement_for_user(request.auth, movement_id)
    root = selectors.dashboard_root(request.auth, movement, unit_id)
    chosen = _period(movement, label=period) if period else None
    if tree == "now" and not root.is_current:
        raise ValidationError(
            {"tree": _("%(unit)s is no longer in force: ask for tree=then.") % {"unit": root}}
        )
    indicators = selectors.results(
        movement,
        root=root,
        periods=[chosen] if chosen else None,
        tree="then" if tree == "then" else timezone.localdate(),
    )
    return {
        "root": root,
        "period": chosen.label if chosen else None,
        "tree": tree,
        "indicators": indicators,
    }
