"""The newsroom API. Public reads (`auth=None`): live stories, columns, published issues.
Staff writes through the same services as the pages: write, edit, submit, review, return,
approve, schedule, publish; issues: create, place, proof, approve, publish. Objects outside the
caller's part of the tree answer 404, as missing ones do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import ReasonIn
from thidua.org.models import Unit
from thidua.org.selectors import get_unit_for_user
from thidua.publishing import selectors, services
from thidua.publishing.models import Story

router = Router(tags=["publishing"])


class ColumnOut(Schema):
    id: int
    name: str
    unit_id: int
    url: str

    @staticmethod
    def resolve_name(column) -> str:
        return column.display_name

    @staticmethod
    def resolve_url(column) -> str:
        return column.get_absolute_url()


class StoryOut(Schema):
    id: int
    title: str
    lead: str
    column: str
    unit: str
    language: str
    published_at: dt.datetime | None
    url: str

    @staticmethod
    def resolve_title(story) -> str:
        return story.live_title

    @staticmethod
    def resolve_lead(story) -> str:
        return story.live_lead

    @staticmethod
    def resolve_column(story) -> str:
        return story.column.display_name

    @staticmethod
    def resolve_unit(story) -> str:
        return story.owner_unit.display_name

    @staticmethod
    def resolve_url(story) -> str:
        return story.get_absolute_url()


class StoryDetailOut(StoryOut):
    body: str
    links: list[dict]

    @staticmethod
    def resolve_body(story) -> str:
        return story.live_revision.body

    @staticmethod
    def resolve_links(story) -> list[dict]:
        return [
            {"kind": link.kind, "label": link.label, "url": link.url} for link in story.links.all()
        ]


class StaffStoryOut(Schema):
    id: int
    status: str
    title: str
    lead: str
    body: str
    revision: int
    is_live: bool
    return_reason: str
    publish_at: dt.datetime | None

    @staticmethod
    def resolve_title(story) -> str:
        return story.revision.title

    @staticmethod
    def resolve_lead(story) -> str:
        return story.revision.lead

    @staticmethod
    def resolve_body(story) -> str:
        return story.revision.body

    @staticmethod
    def resolve_revision(story) -> int:
        return story.revision.number


class StoryIn(Schema):
    unit_id: int
    column_id: int
    title: str
    lead: str
    body: str
    language: str = "vi"
    story_type: str = "news"
    tags: str = ""


class StoryEditIn(Schema):
    title: str
    lead: str
    body: str


class CommentIn(Schema):
    comment: str = ""


class ScheduleIn(Schema):
    publish_at: dt.datetime


class IssueOut(Schema):
    id: int
    bulletin: str
    number: str
    issued_on: dt.date
    status: str
    pdf_sha256: str
    pdf_pages: int
    headlines: list[str]

    @staticmethod
    def resolve_headlines(issue) -> list[str]:
        return [slot.revision.title for slot in selectors.issue_slots(issue)]


class IssueIn(Schema):
    unit_id: int
    number: str
    issued_on: dt.date
    editor_in_chief: str
    masthead: str = ""
    planned_pages: int = 8


class PlaceIn(Schema):
    story_id: int
    page: int
    layout: str = "two_col"


# --- public reads ---------------------------------------------------------------------------


@router.get("/stories", response=list[StoryOut], auth=None)
@paginate(Pagination, page_size=20)
def list_stories(
    request: HttpRequest, column_id: int | None = None, unit_id: int | None = None
) -> Any:
    """Live stories, newest first; by column or by a unit's subtree."""
    stories = selectors.public_stories()
    if column_id:
        stories = stories.filter(column_id=column_id)
    if unit_id:
        unit = get_object_or_404(Unit, pk=unit_id)
        stories = selectors.unit_stories(unit)
    return stories


@router.get("/stories/{int:story_id}", response=StoryDetailOut, auth=None)
def get_story(request: HttpRequest, story_id: int) -> Story:
    return selectors.get_public_story(story_id)


@router.get("/columns", response=list[ColumnOut], auth=None)
def list_columns(request: HttpRequest) -> Any:
    return list(selectors.public_columns())


@router.get("/issues", response=list[IssueOut], auth=None)
def list_issues(request: HttpRequest) -> Any:
    return list(selectors.public_issues()[:100])


@router.get("/issues/{int:issue_id}", response=IssueOut, auth=None)
def get_issue(request: HttpRequest, issue_id: int) -> Any:
    return selectors.get_public_issue(issue_id)


# --- staff ----------------------------------------------------------------------------------


@router.post("/drafts", response={201: StaffStoryOut})
def create_story(request: HttpRequest, payload: StoryIn) -> Status[Story]:
    unit = get_unit_for_user(request.auth, payload.unit_id)
    column = selectors.public_columns().filter(pk=payload.column_id).first()
    if column is None:
        raise Http404
    story = services.create_story(
        request.auth,
        unit=unit,
        column=column,
        title=payload.title,
        lead=payload.lead,
        body=payload.body,
        language=payload.language,
        story_type=payload.story_type,
        tags=payload.tags,
    )
    return Status(201, story)


@router.get("/drafts/{int:story_id}", response=StaffStoryOut)
def get_draft(request: HttpRequest, story_id: int) -> Story:
    return selectors.get_story_for_user(request.auth, story_id)


@router.put("/drafts/{int:story_id}", response=StaffStoryOut)
def edit_story(request: HttpRequest, story_id: int, payload: StoryEditIn) -> Story:
    story = selectors.get_story_for_user(request.auth, story_id)
    return services.edit_story(
        request.auth, story=story, title=payload.title, lead=payload.lead, body=payload.body
    )


@router.post("/drafts/{int:story_id}/submit", response=StaffStoryOut)
def submit_story(request: HttpRequest, story_id: int, payload: CommentIn) -> Story:
    story = selectors.get_story_for_user(request.auth, story_id)
    return services.submit_story(request.auth, story=story, comment=payload.comment)


@router.post("/drafts/{int:story_id}/return", response=StaffStoryOut)
def return_story(request: HttpRequest, story_id: int, payload: ReasonIn) -> Story:
    story = selectors.get_story_for_user(request.auth, story_id)
    return services.return_story(request.auth, story=story, reason=payload.reason)


@router.post("/drafts/{int:story_id}/approve", response=StaffStoryOut)
def approve_story(request: HttpRequest, story_id: int) -> Story:
    story = selectors.get_story_for_user(request.auth, story_id)
    return services.approve_story(request.auth, story=story)


@router.post("/drafts/{int:story_id}/schedule", response=StaffStoryOut)
def schedule_story(request: HttpRequest, story_id: int, payload: ScheduleIn) -> Story:
    story = selectors.get_story_for_user(request.auth, story_id)
    return services.schedule_story(request.auth, story=story, publish_at=payload.publish_at)


@router.post("/drafts/{int:story_id}/publish", response=StaffStoryOut)
def publish_story(request: HttpRequest, story_id: int) -> Story:
    story = selectors.get_story_for_user(request.auth, story_id)
    return services.publish_story(request.auth, story=story)


@router.post("/staff-issues", response={201: IssueOut})
def create_issue(request: HttpRequest, payload: IssueIn) -> Status[Any]:
    unit = get_unit_for_user(request.auth, payload.unit_id)
    data = payload.dict()
    data.pop("unit_id")
    return Status(201, services.create_issue(request.auth, unit=unit, **data))


@router.post("/staff-issues/{int:issue_id}/place", response=IssueOut)
def place_story(request: HttpRequest, issue_id: int, payload: PlaceIn) -> Any:
    issue = selectors.get_issue_for_user(request.auth, issue_id)
    story = selectors.placeable_stories(issue).filter(pk=payload.story_id).first()
    if story is None:
        raise Http404
    services.place_story(
        request.auth, issue=issue, story=story, page=payload.page, layout=payload.layout
    )
    return issue


@router.post("/staff-issues/{int:issue_id}/{action}", response=IssueOut)
def issue_step(request: HttpRequest, issue_id: int, action: str) -> Any:
    """`proof`, `approve` (the editor-in-chief) or `publish`."""
    issue = selectors.get_issue_for_user(request.auth, issue_id)
    steps = {
        "proof": services.send_to_proof,
        "approve": services.approve_issue,
        "publish": services.publish_issue,
    }
    if action not in steps:
        raise Http404
    return steps[action](request.auth, issue=issue)
