"""Reads of the newsroom: the staff's stories in scope, the public portal's lists, search across
the domains, and the stories told about a domain record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from thidua.accounts.selectors import units_user_may
from thidua.core import versioned
from thidua.core.policy import can, scope_filter, scope_paths
from thidua.core.uploads import Served, download_name
from thidua.honors import selectors as honors
from thidua.initiatives import selectors as initiatives
from thidua.mobilization import selectors as mobilization
from thidua.movements import selectors as movements
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search
from thidua.practices import selectors as practices
from thidua.publishing.models import (
    Column,
    Fee,
    Issue,
    IssueSlot,
    LinkKind,
    Photo,
    Story,
    StoryLink,
)

STAFF_RELATED = ("owner_unit__parent", "owner_unit__kind", "column", "revision", "author")


# --- the staff side -------------------------------------------------------------------------


def visible_stories(user: Any) -> QuerySet[Story]:
    """Stories of the units the user writes for, and the user's own."""
    if not getattr(user, "is_authenticated", False):
        return Story.objects.none()
    scope = scope_filter(user, "publishing.write", "owner_unit__path")
    return Story.objects.filter(scope | Q(author=user)).select_related(*STAFF_RELATED)


def get_story_for_user(user: Any, pk: int) -> Story:
    story = visible_stories(user).filter(pk=pk).first()
    if story is None:
        raise Http404
    return story


def stories_to_review(user: Any) -> QuerySet[Story]:
    scope = scope_filter(user, "publishing.approve", "owner_unit__path")
    return Story.objects.filter(
        scope, status__in=[Story.Status.SUBMITTED, Story.Status.IN_REVIEW, Story.Status.APPROVED]
    )


def visible_issues(user: Any) -> QuerySet[Issue]:
    if not getattr(user, "is_authenticated", False):
        return Issue.objects.none()
    scope = scope_filter(user, "publishing.issue", "owner_unit__path") | scope_filter(
        user, "publishing.approve_issue", "owner_unit__path"
    )
    return Issue.objects.filter(scope).select_related("owner_unit")


def get_issue_for_user(user: Any, pk: int) -> Issue:
    issue = visible_issues(user).filter(pk=pk).first()
    if issue is None:
        raise Http404
    return issue


def placeable_stories(issue: Issue) -> QuerySet[Story]:
    return (
        Story.objects.filter(owner_unit__path__startswith=issue.owner_unit.path)
        .filter(
            Q(status__in=[Story.Status.APPROVED, Story.Status.SCHEDULED, Story.Status.PUBLISHED])
            | Q(is_live=True)
        )
        .exclude(pk__in=issue.slots.values("story_id"))
        .select_related("revision", "owner_unit")
        .order_by("-updated_at")
    )


def issue_pdf_for_user(user: Any, pk: int) -> Served:
    """The print PDF: anyone once the issue is published, the board and the editor-in-chief
    before."""
    issue = Issue.objects.filter(pk=pk).select_related("owner_unit").first()
    if issue is None or not issue.pdf:
        raise Http404
    if issue.status != Issue.Status.PUBLISHED and not (
        can(user, "publishing.issue", issue.owner_unit)
        or can(user, "publishing.approve_issue", issue.owner_unit)
    ):
        raise Http404
    name = f"{issue.bulletin} so {issue.number.replace('/', '-')}.pdf"
    return Served(file=issue.pdf, name=download_name(name, issue.pdf.name))


def get_story_photo(story: Story, pk: int) -> Photo:
    photo = Photo.objects.filter(story=story, pk=pk).first()
    if photo is None:
        raise Http404
    return photo


def get_story_link(story: Story, pk: int) -> StoryLink:
    link = StoryLink.objects.filter(story=story, pk=pk).first()
    if link is None:
        raise Http404
    return link


# --- columns and fees: the units a person manages ------------------------------------------


def _managed_units(user: Any, actions: tuple[str, ...], having: QuerySet | None) -> list[Unit]:
    """The top units of the user's scope for these actions, and the units in that scope that
    already have columns or rates (`having`: their ids), by path; at most 200."""
    tops: set[str] = set()
    condition = Q(pk__in=[])
    for action in actions:
        paths = scope_paths(user, action)
        if paths is None:  # everywhere
            tops.update(
                Unit.objects.filter(parent__isnull=True, valid_to__isnull=True).values_list(
                    "path", flat=True
                )
            )
            condition = Q()
            break
        tops.update(paths)
        condition |= scope_filter(user, action)
    wanted = Q(path__in=tops)
    if having is not None:
        wanted |= Q(pk__in=having)
    return list(
        Unit.objects.filter(condition)
        .filter(wanted)
        .select_related("kind", "parent")
        .order_by("path")[:200]
    )


def column_units(user: Any) -> list[Unit]:
    return _managed_units(user, ("publishing.approve",), Column.objects.values("unit_id"))


def get_column_unit_for_user(user: Any, pk: int) -> Unit:
    """A unit whose columns the user manages (an editor of it or above); 404 otherwise."""
    unit = Unit.objects.select_related("kind", "parent").filter(pk=pk).first()
    if unit is None or not can(user, "publishing.approve", unit):
        raise Http404
    return unit


def unit_columns(unit: Unit) -> QuerySet[Column]:
    return (
        Column.objects.filter(unit=unit)
        .annotate(story_count=Count("stories"))
        .order_by("order", "name")
    )


def get_column_for_user(user: Any, pk: int) -> Column:
    column = Column.objects.select_related("unit").filter(pk=pk).first()
    if column is None or not can(user, "publishing.approve", column.unit):
        raise Http404
    return column


FEE_ACTIONS = ("publishing.issue", "publishing.approve_fees")


def fee_units(user: Any) -> list[Unit]:
    return _managed_units(user, FEE_ACTIONS, Fee.objects.values("owner_unit_id"))


def get_fee_unit_for_user(user: Any, pk: int) -> Unit:
    """A unit whose fees and rates the user sees (its board or editor-in-chief); 404 else."""
    unit = Unit.objects.select_related("kind", "parent").filter(pk=pk).first()
    if unit is None or not any(can(user, action, unit) for action in FEE_ACTIONS):
        raise Http404
    return unit


def default_fee_unit_for_user(user: Any) -> Unit:
    """The first unit (top of the tree first) whose fees the user sees; 404 when none."""
    for action in FEE_ACTIONS:
        units = units_user_may(user, action)
        if units:
            return units[0]
    raise Http404


def fees_of(*, unit: Unit | None = None, issue: Issue | None = None, period: str = ""):
    """The fees of an issue, or the fees a unit's board proposed for a month (issue and web)."""
    fees = Fee.objects.select_related("story__owner_unit", "issue")
    if issue is not None:
        fees = fees.filter(issue=issue)
    if unit is not None:
        fees = fees.filter(owner_unit=unit)
    if period:
        fees = fees.filter(period=period)
    return fees.order_by("published_on", "id")


# --- what a story may link to --------------------------------------------------------------


def link_candidates(user: Any, kind: str, query: str, *, limit: int = 20) -> list[dict]:
    """Records a story may tell about, found by words ignoring accents and case ("nguyen van"
    finds "Nguyễn Văn"): public exemplars, practices, recognised initiatives, movements, and
    honours of the writer's part of the tree. Each: {kind, id, label, unit}."""
    query = (query or "").strip()
    if not query:
        return []
    needle = normalise_search(query)
    found: list[tuple[int, str, Any]] = []
    if kind == LinkKind.EXEMPLAR:
        rows = practices.search_exemplars(practices.public_exemplars(), query).order_by("name")
        found = [(e.pk, e.name, e.owner_unit) for e in rows[:limit]]
    elif kind == LinkKind.PRACTICE:
        rows = practices.filter_practices(practices.public_practices(), query=query)
        found = [(p.pk, p.title, p.owner_unit) for p in rows.order_by("title", "pk")[:limit]]
    elif kind == LinkKind.INITIATIVE:
        rows = initiatives.public_recognised(query=query)
        found = [(s.pk, s.title, s.unit) for s in rows[:limit]]
    elif kind == LinkKind.MOVEMENT:
        # a few hundred at most: folded here, as movements keep no folded column
        rows = movements.public_movements().order_by("-starts_on")[:500]
        found = [
            (m.pk, m.title, m.owner_unit) for m in rows if needle in normalise_search(m.title)
        ][:limit]
    elif kind == LinkKind.DRIVE:
        rows = mobilization.visible_drives(user).order_by("-opens_on")[:500]
        found = [
            (d.pk, f"{d.title} – {d.fund.name}", d.owner_unit)
            for d in rows
            if needle in normalise_search(f"{d.title} {d.fund.name}")
        ][:limit]
    elif kind == LinkKind.HONOUR:
        rows = honors.registry(user, query=query)[:limit]
        found = [(h.pk, f"{h.award_type} – {h.recipient_name}", h.unit) for h in rows]
    return [
        {"kind": kind, "id": pk, "label": label, "unit": unit.display_name if unit else ""}
        for pk, label, unit in found
    ]


# --- the public portal ----------------------------------------------------------------------

PUBLIC_RELATED = ("owner_unit__parent", "owner_unit__kind", "column")


# never shown on a public page: the folded search text is the size of the whole story
PUBLIC_DEFERRED = ("search_text", "submit_comment", "return_reason")


def public_stories() -> QuerySet[Story]:
    return (
        Story.objects.filter(is_live=True)
        .select_related(*PUBLIC_RELATED)
        .defer(*PUBLIC_DEFERRED)
        .order_by("-published_at", "-id")
    )


def get_public_story(pk: int) -> Story:
    story = (
        public_stories()
        .select_related("live_revision")
        .prefetch_related("live_revision__photos", "links", "translations")
        .filter(pk=pk)
        .first()
    )
    if story is None:
        raise Http404
    return story


def public_columns() -> QuerySet[Column]:
    return Column.objects.filter(is_public=True).select_related("unit")


def latest_by_column(*, per_column: int = 3, unit: Unit | None = None) -> list[dict]:
    """The public columns in use of a unit (the top unit when None), each with its latest
    stories: one query for the columns, one per column (a handful) — computed once per change
    of the newsroom (`core.versioned`, keyed on publishing's public version), so the front
    door, the newsroom's home and a unit's portal read it from the cache between changes."""
    return versioned.cached(
        "publishing.latest_by_column",
        [per_column, unit.pk if unit is not None else ""],
        kinds=("publishing",),
        compute=lambda: _latest_by_column(per_column=per_column, unit=unit),
    )


def _latest_by_column(*, per_column: int, unit: Unit | None) -> list[dict]:
    columns = public_columns().filter(is_active=True)
    if unit is None:
        top = columns.order_by("unit__path").first()
        if top is None:
            return []
        columns = columns.filter(unit=top.unit)
    else:
        columns = columns.filter(unit=unit)
    sections = []
    for column in columns:
        stories = list(public_stories().filter(column=column)[:per_column])
        if stories:
            sections.append({"column": column, "stories": stories})
    return sections


def unit_stories(unit: Unit) -> QuerySet[Story]:
    return public_stories().filter(owner_unit__path__startswith=unit.path)


def public_issues() -> QuerySet[Issue]:
    return (
        Issue.objects.filter(status=Issue.Status.PUBLISHED)
        .select_related("owner_unit")
        .order_by("-issued_on", "-id")
    )


def get_public_issue(pk: int) -> Issue:
    issue = public_issues().filter(pk=pk).first()
    if issue is None:
        raise Http404
    return issue


def issue_slots(issue: Issue) -> QuerySet[IssueSlot]:
    return (
        IssueSlot.objects.filter(issue=issue)
        .select_related("revision", "story__owner_unit", "story__column")
        .prefetch_related("revision__photos")
        .order_by("page", "position", "id")
    )


def archive(limit: int = 50) -> list[dict]:
    """Published issues with their headlines (two queries)."""
    issues = list(public_issues()[:limit])
    headlines: dict[int, list[str]] = {issue.pk: [] for issue in issues}
    for issue_id, title in (
        IssueSlot.objects.filter(issue__in=issues)
        .order_by("page", "position", "id")
        .values_list("issue_id", "revision__title")
    ):
        headlines[issue_id].append(title)
    return [{"issue": issue, "headlines": headlines[issue.pk]} for issue in issues]


def public_photo(pk: int, user: Any) -> Photo:
    """A photo of a live story's published revision, or of a story the user may see, or of a
    published issue's frozen revision."""
    photo = Photo.objects.select_related("story").filter(pk=pk).first()
    if photo is None:
        raise Http404
    story = photo.story
    if story.is_live and photo.revisions.filter(pk=story.live_revision_id).exists():
        return photo
    if photo.revisions.filter(
        pk__in=IssueSlot.objects.filter(issue__status=Issue.Status.PUBLISHED).values("revision_id")
    ).exists():
        return photo
    if visible_stories(user).filter(pk=story.pk).exists():
        return photo
    raise Http404


def stories_about(kind: str, object_id: int, limit: int = 10) -> list[Story]:
    """The live stories linked to a domain record (its page lists them)."""
    ids = StoryLink.objects.filter(kind=kind, object_id=object_id).values("story_id")
    return list(public_stories().filter(pk__in=ids)[:limit])


def stories_about_many(kind: str, object_ids: list[int], limit: int = 3) -> dict[int, list[Story]]:
    """The live stories linked to each of several records (a list page), in two queries: at most
    `limit` each, newest first."""
    links = list(
        StoryLink.objects.filter(kind=kind, object_id__in=object_ids).values_list(
            "object_id", "story_id"
        )
    )
    stories = {story.pk: story for story in public_stories().filter(pk__in={s for _o, s in links})}
    found: dict[int, list[Story]] = {}
    for object_id, story_id in links:
        if story_id in stories:
            found.setdefault(object_id, []).append(stories[story_id])
    for object_id, listed in found.items():
        listed.sort(key=lambda story: (story.published_at, story.pk), reverse=True)
        found[object_id] = listed[:limit]
    return found


# --- search ---------------------------------------------------------------------------------


@dataclass
class SearchResults:
    query: str
    stories: list
    exemplars: list
    practices: list
    initiatives: list

    @property
    def total(self) -> int:
        return len(self.stories) + len(self.exemplars) + len(self.practices) + len(self.initiatives)


def search(query: str, *, limit: int = 20) -> SearchResults:
    """Stories, exemplars, practices and recognised initiatives. Stories and initiatives are
    matched on their stored lower-case unaccented text ("dan chu" finds "Dân chủ"); so are
    exemplars (name and deeds) and practices (title), on their apps' folded columns."""
    needle = normalise_search(query)
    if not needle:
        return SearchResults(query, [], [], [], [])
    stories = list(public_stories().filter(search_text__contains=needle)[:limit])
    exemplars = list(
        practices.search_exemplars(practices.public_exemplars(), query).order_by("-verified_at")[
            :limit
        ]
    )
    practice_rows = list(
        practices.filter_practices(practices.public_practices(), query=query)
        .select_related("owner_unit__parent", "owner_unit__kind")
        .order_by("-started_on")[:limit]
    )
    recognised = list(initiatives.public_recognised(query=query)[:limit])
    return SearchResults(query, stories, exemplars, practice_rows, recognised)
