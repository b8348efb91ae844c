"""The newsroom API. Public reads (`auth=None`): live stories, columns, published issues.
Staff writes through the same services as the pages: write, edit, submit, review, return,
approve, schedule, publish; a draft's photos (multipart upload) and links (with a search for the
records to link, accents aside); issues: create, place, proof, approve, publish; writers' fees of
an issue or a month, and the dated versions of their rates; a unit's columns. Objects outside the
caller's part of the tree answer 404, as missing ones do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from thidua.api.pagination import Pagination
from thidua.api.schemas import ReasonIn
from thidua.core.policy import can
from thidua.org.models import Unit
from thidua.org.selectors import get_unit_for_user
from thidua.publishing import selectors, services
from thidua.publishing.models import Story
from thidua.publishing.services import fees as fee_services

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
    """The columns in use (a retired one takes no new story)."""
    return list(selectors.public_columns().filter(is_active=True))


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


# --- photos and links of a draft ------------------------------------------------------------


class PhotoOut(Schema):
    id: int
    caption: str
    credit: str
    width: int
    height: int
    url: str

    @staticmethod
    def resolve_url(photo) -> str:
        return photo.url(960, "webp")


class LinkOut(Schema):
    id: int
    kind: str
    object_id: int
    label: str
    url: str


class LinkIn(Schema):
    kind: str
    object_id: int


class CandidateOut(Schema):
    kind: str
    id: int
    label: str
    unit: str


@router.get("/drafts/{int:story_id}/photos", response=list[PhotoOut])
def list_photos(request: HttpRequest, story_id: int) -> Any:
    """The photos of the story's working revision, in order."""
    story = selectors.get_story_for_user(request.auth, story_id)
    return list(story.revision.photos.order_by("order", "id"))


@router.post("/drafts/{int:story_id}/photos", response={201: PhotoOut})
def add_photo(
    request: HttpRequest,
    story_id: int,
    photo: File[UploadedFile],
    caption: Form[str] = "",
    credit: Form[str] = "",
) -> Status[Any]:
    """Multipart upload (`photo`, `caption`, `credit`); renditions are made at once. On a
    published or approved story the photo goes to a new revision under review."""
    story = selectors.get_story_for_user(request.auth, story_id)
    made = services.add_photo(request.auth, story=story, file=photo, caption=caption, credit=credit)
    return Status(201, made)


@router.delete("/drafts/{int:story_id}/photos/{int:photo_id}", response={204: None})
def remove_photo(request: HttpRequest, story_id: int, photo_id: int) -> Status[None]:
    story = selectors.get_story_for_user(request.auth, story_id)
    photo = selectors.get_story_photo(story, photo_id)
    services.remove_photo(request.auth, story=story, photo=photo)
    return Status(204, None)


@router.get("/drafts/{int:story_id}/links", response=list[LinkOut])
def list_links(request: HttpRequest, story_id: int) -> Any:
    story = selectors.get_story_for_user(request.auth, story_id)
    return list(story.links.order_by("id"))


@router.post("/drafts/{int:story_id}/links", response={201: LinkOut})
def add_link(request: HttpRequest, story_id: int, payload: LinkIn) -> Status[Any]:
    """Link a public exemplar, practice, recognised initiative, movement, or an honour of the
    writer's part of the tree (`kind`: exemplar, practice, initiative, movement, honour)."""
    story = selectors.get_story_for_user(request.auth, story_id)
    link = services.link_story(
        request.auth, story=story, kind=payload.kind, object_id=payload.object_id
    )
    return Status(201, link)


@router.delete("/drafts/{int:story_id}/links/{int:link_id}", response={204: None})
def remove_link(request: HttpRequest, story_id: int, link_id: int) -> Status[None]:
    story = selectors.get_story_for_user(request.auth, story_id)
    services.unlink_story(request.auth, link=selectors.get_story_link(story, link_id))
    return Status(204, None)


@router.get("/link-targets", response=list[CandidateOut])
def link_targets(request: HttpRequest, kind: str, q: str) -> Any:
    """Records a story may link to, found by words ignoring accents and case (at most 20)."""
    if not can(request.auth, "publishing.write"):
        raise PermissionDenied
    return selectors.link_candidates(request.auth, kind, q[:200])


# --- writers' fees --------------------------------------------------------------------------


class FeeOut(Schema):
    id: int
    story_id: int
    story: str
    issue_id: int | None
    payee: str
    story_type: str
    published_on: dt.date | None
    rate: int
    rate_from: dt.date | None
    coefficient: float
    amount: int
    period: str
    status: str

    @staticmethod
    def resolve_story(fee) -> str:
        return str(fee.story)


class RateVersionOut(Schema):
    valid_from: dt.date
    note: str
    rates: dict[str, int]


class RateVersionIn(Schema):
    unit_id: int
    valid_from: dt.date
    rates: dict[str, int]
    note: str = ""


class PeriodIn(Schema):
    unit_id: int
    period: str


@router.get("/staff-issues/{int:issue_id}/fees", response=list[FeeOut])
def issue_fees(request: HttpRequest, issue_id: int) -> Any:
    issue = selectors.get_issue_for_user(request.auth, issue_id)
    return list(selectors.fees_of(issue=issue))


@router.post("/staff-issues/{int:issue_id}/fees", response=list[FeeOut])
def propose_issue_fees(request: HttpRequest, issue_id: int) -> Any:
    """The editorial board proposes a fee for each story of the issue without one."""
    issue = selectors.get_issue_for_user(request.auth, issue_id)
    services.propose_fees(request.auth, issue=issue)
    return list(selectors.fees_of(issue=issue))


@router.post("/staff-issues/{int:issue_id}/fees/approve", response=list[FeeOut])
def approve_issue_fees(request: HttpRequest, issue_id: int) -> Any:
    """The editor-in-chief approves the issue's proposed fees."""
    issue = selectors.get_issue_for_user(request.auth, issue_id)
    services.approve_fees(request.auth, issue=issue)
    return list(selectors.fees_of(issue=issue))


@router.get("/fees", response=list[FeeOut])
@paginate(Pagination, page_size=50)
def list_fees(request: HttpRequest, unit_id: int | None = None, period: str = "") -> Any:
    """The fees a unit's board proposed for a month (`period`: 2024-10), issues' and web's;
    without `unit_id`, the first unit whose fees the user sees; without `period`, this month."""
    if unit_id is None:
        unit = selectors.default_fee_unit_for_user(request.auth)
    else:
        unit = selectors.get_fee_unit_for_user(request.auth, unit_id)
    return selectors.fees_of(unit=unit, period=period or timezone.localdate().strftime("%Y-%m"))


@router.post("/fees/propose", response=list[FeeOut])
def propose_month_fees(request: HttpRequest, payload: PeriodIn) -> Any:
    unit = selectors.get_fee_unit_for_user(request.auth, payload.unit_id)
    return services.propose_month_fees(request.auth, unit=unit, period=payload.period)


@router.post("/fees/approve", response=dict[str, int])
def approve_month_fees(request: HttpRequest, payload: PeriodIn) -> Any:
    unit = selectors.get_fee_unit_for_user(request.auth, payload.unit_id)
    count = services.approve_month_fees(request.auth, unit=unit, period=payload.period)
    return {"approved": count}


@router.get("/fee-rates", response=list[RateVersionOut])
def list_rate_versions(request: HttpRequest, unit_id: int) -> Any:
    """The unit's versions of the writers' fee rates, newest first."""
    unit = selectors.get_fee_unit_for_user(request.auth, unit_id)
    return fee_services.rate_versions(unit)


@router.post("/fee-rates", response={201: RateVersionOut})
def add_rate_version(request: HttpRequest, payload: RateVersionIn) -> Status[Any]:
    """A new version of the rates (one per story type), in force from `valid_from`."""
    unit = selectors.get_fee_unit_for_user(request.auth, payload.unit_id)
    services.add_rate_version(
        request.auth,
        unit=unit,
        valid_from=payload.valid_from,
        rates=payload.rates,
        note=payload.note,
    )
    version = next(
        v for v in fee_services.rate_versions(unit) if v["valid_from"] == payload.valid_from
    )
    return Status(201, version)


# --- a unit's columns -----------------------------------------------------------------------


class StaffColumnOut(Schema):
    id: int
    unit_id: int
    slug: str
    name: str
    name_en: str
    name_id: str
    description: str
    order: int
    is_active: bool


class ColumnIn(Schema):
    name: str
    name_en: str = ""
    name_id: str = ""
    description: str = ""


class NewColumnIn(ColumnIn):
    unit_id: int


@router.get("/staff-columns", response=list[StaffColumnOut])
def list_unit_columns(request: HttpRequest, unit_id: int) -> Any:
    """A unit's columns, retired ones included, in their order (its editors manage them)."""
    unit = selectors.get_column_unit_for_user(request.auth, unit_id)
    return list(selectors.unit_columns(unit))


@router.post("/staff-columns", response={201: StaffColumnOut})
def create_column(request: HttpRequest, payload: NewColumnIn) -> Status[Any]:
    unit = selectors.get_column_unit_for_user(request.auth, payload.unit_id)
    data = payload.dict()
    data.pop("unit_id")
    return Status(201, services.create_column(request.auth, unit=unit, **data))


@router.put("/staff-columns/{int:column_id}", response=StaffColumnOut)
def rename_column(request: HttpRequest, column_id: int, payload: ColumnIn) -> Any:
    column = selectors.get_column_for_user(request.auth, column_id)
    return services.rename_column(request.auth, column=column, **payload.dict())


@router.post("/staff-columns/{int:column_id}/{action}", response=StaffColumnOut)
def column_step(request: HttpRequest, column_id: int, action: str) -> Any:
    """`up`, `down`, `retire` or `restore`."""
    column = selectors.get_column_for_user(request.auth, column_id)
    if action in {"up", "down"}:
        services.move_column(request.auth, column=column, direction=action)
    elif action in {"retire", "restore"}:
        services.retire_column(request.auth, column=column, retire=action == "retire")
    else:
        raise Http404
    column.refresh_from_db()
    return column


# Last: its `{action}` would otherwise answer (405) the GETs of /staff-issues/<id>/<name> above.
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
