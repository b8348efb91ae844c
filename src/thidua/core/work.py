"""Work items: what a person must act on, from every app, in one shape ("Việc của tôi").

Each app registers ONE function `work_items(user) -> Iterable[WorkItemSource]` in its
`AppConfig.ready()` (`register(work_items)`); `core` imports no app. A source gives a count and
the first items of one kind of work for the user, each in a bounded number of queries whatever
the number of items (a queryset with its related rows joined, counted and sliced in the
database). The inbox merges the sources: every item sorted by its due date (overdue first,
undated last), filtered by kind, unit and due date, paginated, and counted in full.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core import versioned

DUE_CHOICES = [
    ("all", gettext_lazy("Any time")),
    ("overdue", gettext_lazy("Overdue")),
    ("week", gettext_lazy("Due within a week")),
    ("month", gettext_lazy("Due within a month")),
]
PER_PAGE = 25
# Units whose names repeat across the tree (2,054 residential groups share ~30 names) are shown
# with their parent.
NAMED_WITH_PARENT_KINDS = frozenset({"residential_area"})


def unit_label(unit: Any) -> str:
    """The unit's name, with its parent's where names repeat ("Tổ dân phố 3 · Phường Bồ Đề").
    Reads `unit.kind` and `unit.parent`: select them with the unit."""
    if unit is None:
        return ""
    kind = getattr(unit, "kind", None)
    if unit.parent_id and kind is not None and kind.code in NAMED_WITH_PARENT_KINDS:
        return f"{unit.name} · {unit.parent.name}"
    return unit.name


@dataclass(frozen=True)
class WorkFilter:
    """What the inbox shows: some kinds (all when empty), one unit's subtree, a due window."""

    kinds: frozenset[str] = frozenset()
    unit_path: str = ""
    due: str = "all"
    today: dt.date = field(default_factory=lambda: timezone.localdate())

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def due_condition(self, due_field: str) -> Q:
        if self.due == "overdue":
            return Q(**{f"{due_field}__lt": self.today})
        if self.due == "week":
            return Q(**{f"{due_field}__lte": self.today + dt.timedelta(days=7)})
        if self.due == "month":
            return Q(**{f"{due_field}__lte": self.today + dt.timedelta(days=30)})
        return Q()

    def due_matches(self, due: dt.date | None) -> bool:
        """The same window as `due_condition`, for work listed in Python."""
        if self.due == "all":
            return True
        if due is None:
            return False
        if self.due == "overdue":
            return due < self.today
        days = 7 if self.due == "week" else 30
        return due <= self.today + dt.timedelta(days=days)


@dataclass(frozen=True)
class WorkItem:
    """One thing to do: what, for which unit, due when, and where the action is."""

    kind: str
    kind_label: str
    title: str
    unit: Any
    due: dt.date | None
    url: str
    action: str
    routed_from: Any = None  # the level where the item sits, when nobody there can act
    routed_to: Any = None  # the user's unit it was forwarded to
    order: int = 0  # a stable tie-break within a kind (the row's id)

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def unit_label(self) -> str:
        return unit_label(self.unit)

    @property
    def routing_note(self) -> str:
        if self.routed_from is None or self.routed_to is None:
            return ""
        return _("Forwarded to %(to)s because %(level)s has nobody in charge yet.") % {
            "to": unit_label(self.routed_to),
            "level": unit_label(self.routed_from),
        }

    def sort_key(self) -> tuple:
        return (self.due is None, self.due or dt.date.max, self.kind, self.order)


@dataclass(frozen=True)
class Counts:
    total: int = 0
    overdue: int = 0


class WorkItemSource:
    """One kind of work for one user. Subclasses give `count` and `items` (sorted by due date,
    undated last)."""

    kind: str = ""
    label: str = ""

    def count(self, work_filter: WorkFilter) -> Counts:
        raise NotImplementedError

    def items(self, work_filter: WorkFilter, limit: int) -> list[WorkItem]:
        raise NotImplementedError


class QuerySetSource(WorkItemSource):
    """Work held in one queryset: counted with one aggregate query, listed with one query.

    `unit_path` names the field holding the path of the item's unit (the unit filter) and `due`
    the date field it is due by (or None when this kind has no time limit); `to_item` turns a
    row into a WorkItem without touching the database (select what it reads). The narrow
    part of the work (filter, count, sort) is done without the selected related rows."""

    def __init__(
        self,
        *,
        kind: str,
        label: str,
        queryset: QuerySet,
        unit_path: str,
        due: str | None,
        to_item: Callable[[Any], WorkItem],
    ) -> None:
        self.kind = kind
        self.label = label
        self.queryset = queryset
        self.unit_path = unit_path
        self.due = due
        self.to_item = to_item

    def _filtered(self, work_filter: WorkFilter) -> QuerySet | None:
        rows = self.queryset.select_related(None)
        if work_filter.unit_path:
            rows = rows.filter(**{f"{self.unit_path}__startswith": work_filter.unit_path})
        if work_filter.due != "all":
            if self.due is None:
                return None  # undated work is never "due this week"
            rows = rows.filter(work_filter.due_condition(self.due))
        return rows

    def count(self, work_filter: WorkFilter) -> Counts:
        rows = self._filtered(work_filter)
        if rows is None:
            return Counts()
        if self.due is None:
            return Counts(total=rows.order_by().count())
        figures = rows.order_by().aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(**{f"{self.due}__lt": work_filter.today})),
        )
        return Counts(total=figures["total"], overdue=figures["overdue"])

    def _ordering(self) -> list:
        return [F(self.due).asc(nulls_last=True), "pk"] if self.due else ["pk"]

    def keys(self, work_filter: WorkFilter, limit: int) -> list[tuple]:
        """The first `limit` items' sort keys (`WorkItem.sort_key`: due date, kind, id), read
        without the related rows: one narrow query. The inbox merges these across sources and
        reads the full rows of the items it shows only (`rows`)."""
        rows = self._filtered(work_filter)
        if rows is None or limit <= 0:
            return []
        if self.due:
            found = rows.order_by(*self._ordering()).values_list("pk", self.due)[:limit]
        else:
            found = ((pk, None) for pk in rows.order_by("pk").values_list("pk", flat=True)[:limit])
        return [(due is None, due or dt.date.max, self.kind, pk) for pk, due in found]

    def rows(self, ids: list[int]) -> list[WorkItem]:
        """The items of these ids, in the source's order: one query."""
        if not ids:
            return []
        chosen = self.queryset.filter(pk__in=ids).order_by(*self._ordering())
        return [self.to_item(row) for row in chosen]

    def items(self, work_filter: WorkFilter, limit: int) -> list[WorkItem]:
        # The page's ids first (a narrow sort over the matching rows), then the full rows of
        # those ids only: sorting thousands of rows joined to every related table they show
        # cost several times more. Two queries.
        return self.rows([key[-1] for key in self.keys(work_filter, limit)])


class ListSource(WorkItemSource):
    """Work computed in Python by a selector with a bounded number of queries (e.g. the reports
    a user's own units owe: a few units times a few periods)."""

    def __init__(self, *, kind: str, label: str, load: Callable[[], list[WorkItem]]) -> None:
        self.kind = kind
        self.label = label
        self._load = load
        self._loaded: list[WorkItem] | None = None

    def _matching(self, work_filter: WorkFilter) -> list[WorkItem]:
        if self._loaded is None:
            self._loaded = sorted(self._load(), key=WorkItem.sort_key)
        return [
            item
            for item in self._loaded
            if (
                not work_filter.unit_path
                or getattr(item.unit, "path", "").startswith(work_filter.unit_path)
            )
            and work_filter.due_matches(item.due)
        ]

    def count(self, work_filter: WorkFilter) -> Counts:
        matching = self._matching(work_filter)
        return Counts(total=len(matching), overdue=sum(1 for item in matching if item.overdue))

    def items(self, work_filter: WorkFilter, limit: int) -> list[WorkItem]:
        return self._matching(work_filter)[:limit]


# --- the registry ---------------------------------------------------------------------------

SourceFunction = Callable[[Any], Iterable[WorkItemSource]]
_registry: list[SourceFunction] = []


def register(function: SourceFunction) -> SourceFunction:
    """Add an app's `work_items(user)`; called once from its AppConfig.ready()."""
    if function not in _registry:
        _registry.append(function)
    # the app's audited writes move the summary on (`thidua.<app>.work` → `<app>`)
    package, _dot, rest = function.__module__.partition(".")
    if package == "thidua" and rest:
        _work_kinds.add(rest.split(".", 1)[0])
    return function


def sources(user: Any) -> list[WorkItemSource]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return [source for function in _registry for source in function(user)]


# --- the inbox ------------------------------------------------------------------------------


@dataclass
class KindCount:
    kind: str
    label: str
    counts: Counts


class MergedItems(Sequence):
    """All the sources' items in due-date order, as a sequence a Paginator can slice: a slice
    takes the sort keys of the first `stop` items of each source (one narrow query each),
    merges them, and reads the full rows of the items in the slice only (one query for each
    source that has some). With `cache_parts`, a slice is kept until an object of work_kinds()
    or the tree changes, like the counts (`core.versioned`)."""

    def __init__(
        self,
        chosen: list[WorkItemSource],
        work_filter: WorkFilter,
        total: int,
        *,
        cache_parts: list | None = None,
    ):
        self.chosen = chosen
        self.work_filter = work_filter
        self.total = total
        self.cache_parts = cache_parts

    def __len__(self) -> int:
        return self.total

    def _slice(self, start: int, stop: int) -> list[WorkItem]:
        keyed: list[list[tuple]] = []
        listed: dict[tuple, WorkItem] = {}
        for position, source in enumerate(self.chosen):
            if isinstance(source, QuerySetSource):
                keys = source.keys(self.work_filter, stop)
            else:
                items = source.items(self.work_filter, stop)
                keys = [item.sort_key() for item in items]
                listed.update(
                    ((position, *key), item) for key, item in zip(keys, items, strict=True)
                )
            # the source's position breaks ties as heapq.merge did between whole lists
            keyed.append([(*key[:3], position, key[3]) for key in keys])
        merged = heapq.merge(*keyed, key=lambda key: (key[0], key[1], key[2], key[4]))
        shown = list(merged)[start:stop]
        wanted: dict[int, list[int]] = {}
        for key in shown:
            wanted.setdefault(key[3], []).append(key[4])
        found: dict[tuple, WorkItem] = {}
        for position, ids in wanted.items():
            source = self.chosen[position]
            if isinstance(source, QuerySetSource):
                found.update(((position, item.order), item) for item in source.rows(ids))
        result = []
        for due_missing, due, kind, position, order in shown:
            item = found.get((position, order)) or listed.get(
                (position, due_missing, due, kind, order)
            )
            if item is not None:  # a row gone between the two queries is not shown
                result.append(item)
        return result

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            start, stop, _step = index.indices(self.total)
            if stop <= start:
                return []
            if self.cache_parts is None:
                return self._slice(start, stop)
            return versioned.cached(
                "work.items",
                [*self.cache_parts, start, stop, translation.get_language()],
                kinds=work_kinds(),
                compute=lambda: self._slice(start, stop),
            )
        items = self[index : index + 1]
        if not items:
            raise IndexError(index)
        return items[0]


@dataclass
class Inbox:
    kinds: list[KindCount]
    total: int
    overdue: int
    page: Page
    work_filter: WorkFilter

    @property
    def items(self) -> list[WorkItem]:
        return list(self.page.object_list)


def inbox(
    user: Any,
    *,
    work_filter: WorkFilter | None = None,
    page: int | str | None = 1,
    per_page: int = PER_PAGE,
    from_sources: list[WorkItemSource] | None = None,
) -> Inbox:
    """The user's work: counts per kind (with the unit and due filters, whatever the kind
    filter), and one page of the chosen kinds' items, overdue first. Two queries per source."""
    work_filter = work_filter or WorkFilter()
    all_sources = sources(user) if from_sources is None else from_sources
    unfiltered_kinds = WorkFilter(
        unit_path=work_filter.unit_path, due=work_filter.due, today=work_filter.today
    )

    def count_all() -> list[Counts]:
        return [source.count(unfiltered_kinds) for source in all_sources]

    # the counts, computed once until an object of work_kinds() or the tree changes
    counts = versioned.cached(
        "work.counts",
        [
            user.pk,
            [source.kind for source in all_sources],
            unfiltered_kinds.unit_path,
            unfiltered_kinds.due,
            unfiltered_kinds.today,
        ],
        kinds=work_kinds(),
        compute=count_all,
    )
    kinds = [
        KindCount(source.kind, source.label, found)
        for source, found in zip(all_sources, counts, strict=True)
    ]
    counted = {id(source): kind.counts for source, kind in zip(all_sources, kinds, strict=True)}
    chosen = [source for source in all_sources if work_filter.wants(source.kind)]
    total = sum(counted[id(source)].total for source in chosen)
    overdue = sum(counted[id(source)].overdue for source in chosen)
    with_items = [source for source in chosen if counted[id(source)].total]
    merged = MergedItems(
        with_items,
        work_filter,
        total,
        cache_parts=[
            user.pk,
            [source.kind for source in with_items],
            sorted(work_filter.kinds),
            work_filter.unit_path,
            work_filter.due,
            work_filter.today,
        ],
    )
    paginator = Paginator(merged, per_page, allow_empty_first_page=True)
    return Inbox(
        kinds=kinds,
        total=total,
        overdue=overdue,
        page=paginator.get_page(page),
        work_filter=work_filter,
    )


# The kinds of objects work is made of (the sources' apps, added as they register; the grants that
# route it to people; the tree is always part of a version key): an audited write of any moves the
# summary and the inbox's counts on.
_work_kinds: set[str] = {"accounts", "unit", "content"}


def work_kinds() -> tuple[str, ...]:
    return tuple(sorted(_work_kinds))


@dataclass(frozen=True)
class Summary:
    """The staff home's and the header badge's view of the inbox: counts per kind, in all, and
    the first items."""

    kinds: list[KindCount]
    total: int
    overdue: int
    items: list[WorkItem]


def summary(user: Any, *, items: int = 5) -> Summary:
    """The inbox's counts and first `items`, computed once until an object of work_kinds() or the
    tree changes (versions, `core.versioned`), the day turns or the language differs."""

    def compute() -> Summary:
        found = inbox(user, per_page=items)
        return Summary(
            kinds=found.kinds, total=found.total, overdue=found.overdue, items=found.items
        )

    return versioned.cached(
        "work.summary",
        [user.pk, items, timezone.localdate(), translation.get_language()],
        kinds=work_kinds(),
        compute=compute,
    )


def work_count(user: Any) -> Counts:
    """How much work waits for the user (the header's badge): the summary's counts."""
    found = summary(user)
    return Counts(total=found.total, overdue=found.overdue)
