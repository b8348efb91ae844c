"""Reads of the newsroom: the staff's stories in scope, the public portal's lists, search across
the domains, and the stories told about a domain record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from thidua.core.policy import can, scope_filter
from thidua.core.uploads import Served, download_name
from thidua.initiatives import selectors as initiatives
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search
from thidua.practices import selectors as practices
from thidua.publishing.models import Column, Issue, IssueSlot, Photo, Story, StoryLink

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


# --- the public portal ----------------------------------------------------------------------

PUBLIC_RELATED = ("owner_unit__parent", "owner_unit__kind", "column")


def public_stories() -> QuerySet[Story]:
    return (
        Story.objects.filter(is_live=True)
        .select_related(*PUBLIC_RELATED)
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
    """The public columns of a unit (the top unit when None), each with its latest stories: one
    query for the columns, one per column (a handful)."""
    columns = public_columns()
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
    matched on their stored lower-case unaccented text ("dan chu" finds "Dân chủ"); exemplars and
    practices by their names, as their own lists search them."""
    needle = normalise_search(query)
    if not needle:
        return SearchResults(query, [], [], [], [])
    stories = list(public_stories().filter(search_text__contains=needle)[:limit])
    exemplars = list(
        practices.public_exemplars()
        .filter(Q(name__icontains=query) | Q(deeds__icontains=query))
        .order_by("-verified_at")[:limit]
    )
    practice_rows = list(
        practices.filter_practices(practices.public_practices(), query=query)
        .select_related("owner_unit__parent", "owner_unit__kind")
        .order_by("-started_on")[:limit]
    )
    recognised = list(initiatives.public_recognised(query=query)[:limit])
    return SearchResults(query, stories, exemplars, practice_rows, recognised)
