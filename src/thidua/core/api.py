"""/api/v1/work/: the logged-in user's work items, as the inbox page shows them."""

import datetime as dt

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from thidua.api.pagination import MAX_PAGE, MAX_PAGE_SIZE
from thidua.core import work

router = Router(tags=["work"])


class WorkKindOut(Schema):
    kind: str
    label: str
    total: int
    overdue: int


class WorkItemOut(Schema):
    kind: str
    kind_label: str
    title: str
    unit: str
    due: dt.date | None
    overdue: bool
    url: str
    action: str
    routing_note: str


class InboxOut(Schema):
    total: int
    overdue: int
    page: int
    pages: int
    kinds: list[WorkKindOut]
    items: list[WorkItemOut]


@router.get("/", response=InboxOut)
def my_work(
    request,
    kind: str = "",
    unit: int | None = None,
    due: str = "all",
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(work.PER_PAGE, ge=1, le=MAX_PAGE_SIZE),
):
    """Counts per kind and one page (25 items) of what waits for the user, overdue first."""
    if due not in dict(work.DUE_CHOICES):
        raise ValidationError({"due": _("Choose overdue, week, month or all.")})
    kinds = {source.kind for source in work.sources(request.user)}
    if kind and kind not in kinds:
        raise ValidationError({"kind": _("Unknown kind of work.")})
    unit_path = ""
    if unit is not None:
        found = apps.get_model("org", "Unit").objects.filter(pk=unit).first()
        # an unknown unit, or one outside the user's part of the tree, simply matches nothing
        unit_path = found.path if found is not None else "-"
    inbox = work.inbox(
        request.user,
        work_filter=work.WorkFilter(
            kinds=frozenset([kind]) if kind else frozenset(), unit_path=unit_path, due=due
        ),
        page=page,
        per_page=page_size,
    )
    return {
        "total": inbox.total,
        "overdue": inbox.overdue,
        "page": inbox.page.number,
        "pages": inbox.page.paginator.num_pages,
        "kinds": [
            {"kind": k.kind, "label": k.label, "total": k.counts.total, "overdue": k.counts.overdue}
            for k in inbox.kinds
        ],
        "items": [
            {
                "kind": item.kind,
                "kind_label": item.kind_label,
                "title": item.title,
                "unit": item.unit_label,
                "due": item.due,
                "overdue": item.overdue,
                "url": item.url,
                "action": item.action,
                "routing_note": item.routing_note,
            }
            for item in inbox.items
        ],
    }
