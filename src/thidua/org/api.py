import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from thidua.api.cached import cached_list
from thidua.api.pagination import Pagination
from thidua.core.policy import scope_paths
from thidua.org import selectors
from thidua.org.models import Unit

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    depth: int
    valid_from: dt.date
    valid_to: dt.date | None
    population: int | None
    households: int | None

    @staticmethod
    def resolve_kind(obj: Unit) -> str:
        return obj.kind.code


class LineageOut(Schema):
    predecessor_id: int
    successor_id: int
    share: Decimal
    is_default: bool
    effective_date: dt.date

    @staticmethod
    def resolve_effective_date(obj) -> dt.date:
        return obj.restructuring.effective_date


class LineageBundle(Schema):
    predecessors: list[LineageOut]
    successors: list[LineageOut]


def _unit_scope(request) -> list[str] | None:
    return scope_paths(request.auth, "org.view_unit")


@router.get("", response=list[UnitOut])
@cached_list("units", schema=UnitOut, kinds=("org",), scope=_unit_scope)
@paginate(Pagination, page_size=100)
def list_units(request, as_of: dt.date | None = None, q: str = ""):
    """Units the caller may see, in force on `as_of` (default today), optionally searched."""
    day = as_of or timezone.localdate()
    units = Unit.objects.valid_on(day).select_related("kind")
    paths = scope_paths(request.auth, "org.view_unit")
    if paths is not None:
        units = units.filter(pk__in=selectors.visible_units(request.auth).values("pk"))
    if q:
        units = units.filter(search_name__contains=selectors.normalise_search(q))
    return units.order_by("path")


@router.get("/{int:unit_id}", response=UnitOut)
def get_unit(request, unit_id: int):
    return selectors.get_unit_for_user(request.auth, unit_id)


@router.get("/{int:unit_id}/subtree", response=list[UnitOut])
@paginate(Pagination, page_size=500)
def get_subtree(request, unit_id: int, as_of: dt.date | None = None):
    unit = selectors.get_unit_for_user(request.auth, unit_id)
    return selectors.subtree(unit, as_of=as_of or timezone.localdate())


@router.get("/{int:unit_id}/ancestors", response=list[UnitOut])
def get_ancestors(request, unit_id: int):
    unit = selectors.get_unit_for_user(request.auth, unit_id)
    return selectors.ancestors(unit)


@router.get("/{int:unit_id}/lineage", response=LineageBundle)
def get_lineage(request, unit_id: int):
    unit = selectors.get_unit_for_user(request.auth, unit_id)
    return selectors.lineage_of(unit)
