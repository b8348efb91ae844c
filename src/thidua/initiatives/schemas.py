"""The shapes the initiatives API reads and writes (django-ninja schemas)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Schema

from thidua.api.schemas import FieldOut, UnitRef
from thidua.initiatives.models import (
    Assignment,
    Attachment,
    Call,
    Review,
    Submission,
    SubmissionEvent,
)
from thidua.initiatives.selectors import RankedRow
from thidua.shared.models import Field

# A score as the client sends it: the services parse it and answer with a field message.
Number = Decimal | str | None


class CriterionOut(Schema):
    id: int
    name: str
    guidance: str
    weight: Decimal
    max_score: int


class AwardLevelOut(Schema):
    id: int
    name: str
    prize: Decimal


class CallRef(Schema):
    id: int
    slug: str
    title: str


class CallOut(CallRef):
    owner_unit: UnitRef
    status: str
    opens_on: dt.date
    closes_on: dt.date
    is_open: bool
    influence: str
    individuals_may_apply: bool
    collectives_may_apply: bool

    @staticmethod
    def resolve_is_open(obj: Call) -> bool:
        today = timezone.localdate()
        return obj.status == Call.Status.OPEN and obj.opens_on <= today <= obj.closes_on


class CallDetailOut(CallOut):
    description: str
    blind: bool
    review_deadline: dt.date | None
    fields: list[FieldOut]
    criteria: list[CriterionOut]
    award_levels: list[AwardLevelOut]

    @staticmethod
    def resolve_fields(obj: Call) -> list[Field]:
        return list(obj.fields.all())


class SubmissionIn(Schema):
    """Defaults everywhere so that every missing field is named in one 422 answer."""

    applicant_kind: str = ""  # "person" or "collective"
    applicant_name: str = ""
    applicant_email: str = ""
    applicant_phone: str = ""
    co_authors: str = ""  # one per line
    unit_id: int | None = None  # the unit of origin, inside the call's scope
    field: str = ""  # a field's code
    title: str = ""
    summary: str = ""
    description: str = ""
    expected_benefit: str = ""
    publish_names: bool = True
    client_token: str = ""  # the same token twice saves one submission


class ReceiptOut(Schema):
    # The private token is not returned: it travels only by email, which is what makes the
    # confirmation prove that the applicant owns the address.
    number: int
    status: str


class EventOut(Schema):
    status: str
    note: str
    at: dt.datetime


class ApplicantStatusOut(Schema):
    """What the holder of the private link sees: the page of the emailed link, in JSON."""

    number: int
    title: str
    call: CallRef
    field: FieldOut
    status: str
    award_level: str | None
    screening_reason: str
    submitted_at: dt.datetime | None
    email_confirmed_at: dt.datetime | None
    history: list[EventOut]

    @staticmethod
    def resolve_award_level(obj: Submission) -> str | None:
        return obj.award_level.name if obj.award_level_id else None

    @staticmethod
    def resolve_history(obj: Submission) -> list[SubmissionEvent]:
        return list(obj.events.all())


class DecisionRef(Schema):
    number: str
    decided_on: dt.date


class RecognisedOut(Schema):
    number: int
    title: str
    summary: str
    call: CallRef
    field: FieldOut
    unit: UnitRef
    award_level: str | None
    decision: DecisionRef | None
    applicant_name: str | None  # only when the applicant agreed to publish it
    co_authors: str | None

    @staticmethod
    def resolve_award_level(obj: Submission) -> str | None:
        return obj.award_level.name if obj.award_level_id else None

    @staticmethod
    def resolve_decision(obj: Submission) -> Any:
        return getattr(obj.call, "decision", None)

    @staticmethod
    def resolve_applicant_name(obj: Submission) -> str | None:
        return obj.applicant_name if obj.publish_names else None

    @staticmethod
    def resolve_co_authors(obj: Submission) -> str | None:
        return obj.co_authors if obj.publish_names else None


class StaffSubmissionOut(Schema):
    id: int
    call_id: int
    number: int
    title: str
    summary: str
    field: FieldOut
    unit: UnitRef
    status: str
    applicant_kind: str
    applicant_name: str
    applicant_email: str
    applicant_phone: str
    co_authors: str
    publish_names: bool
    entered_by_officer: bool
    screening_reason: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    email_confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_entered_by_officer(obj: Submission) -> bool:
        return obj.entered_by_id is not None


class ScreenIn(Schema):
    accept: bool
    reason: str = ""  # required when screening out


class MemberRef(Schema):
    id: int
    name: str
    role: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user)


class StaffAssignmentOut(Schema):
    id: int
    submission_id: int
    reviewer: MemberRef
    method: str
    explanation: str


class ProgressOut(Schema):
    member: MemberRef
    assigned: int
    submitted: int
    drafts: int
    missing: int


class RankedSubmissionOut(Schema):
    id: int
    number: int
    title: str
    status: str
    field: str
    award_level: str | None

    @staticmethod
    def resolve_field(obj: Submission) -> str:
        return obj.field.name

    @staticmethod
    def resolve_award_level(obj: Submission) -> str | None:
        return obj.award_level.name if obj.award_level_id else None


class RankedRowOut(Schema):
    submission: RankedSubmissionOut
    mean: Decimal | None  # weighted, 0–100
    spread: Decimal | None
    reviews: int
    reviews_expected: int
    recommend_yes: int
    flags: list[str]
    votes: dict[str, int]  # of the latest meeting

    @staticmethod
    def resolve_reviews(obj: RankedRow) -> int:
        return obj.review_count


class MeetingRef(Schema):
    id: int
    held_on: dt.date


class RankedOut(Schema):
    meeting: MeetingRef | None
    rows: list[RankedRowOut]


class ApplicantOut(Schema):
    kind: str
    name: str
    email: str
    phone: str
    co_authors: str
    unit: UnitRef


class ReviewerCallRef(CallRef):
    blind: bool
    review_deadline: dt.date | None


class ReviewerSubmissionOut(Schema):
    """A submission as a reviewer sees it: in a blind call `applicant` is null."""

    id: int
    number: int
    title: str
    summary: str
    field: FieldOut
    status: str
    applicant: ApplicantOut | None

    @staticmethod
    def resolve_applicant(obj: Submission) -> dict[str, Any] | None:
        if obj.call.blind:
            return None
        return {
            "kind": obj.applicant_kind,
            "name": obj.applicant_name,
            "email": obj.applicant_email,
            "phone": obj.applicant_phone,
            "co_authors": obj.co_authors,
            "unit": obj.unit,
        }


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj: Attachment) -> str:
        return obj.download_url


class ReviewerSubmissionDetailOut(ReviewerSubmissionOut):
    description: str
    expected_benefit: str
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj: Submission) -> list[Attachment]:
        return list(obj.attachments.all())


class ReviewSummaryOut(Schema):
    id: int
    status: str
    recommendation: str
    weighted_score: Decimal | None
    submitted_at: dt.datetime | None
    updated_at: dt.datetime


class ReviewOut(ReviewSummaryOut):
    comment: str
    scores: dict[int, Decimal]  # by criterion id
    comments: dict[int, str]  # by criterion id

    @staticmethod
    def resolve_scores(obj: Review) -> dict[int, Decimal]:
        return {score.criterion_id: score.score for score in obj.scores.all()}

    @staticmethod
    def resolve_comments(obj: Review) -> dict[int, str]:
        return {score.criterion_id: score.comment for score in obj.scores.all() if score.comment}


def _review_of(assignment: Assignment) -> Review | None:
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


class AssignmentOut(Schema):
    id: int
    call: ReviewerCallRef
    submission: ReviewerSubmissionOut
    review: ReviewSummaryOut | None

    @staticmethod
    def resolve_call(obj: Assignment) -> Call:
        return obj.submission.call

    @staticmethod
    def resolve_review(obj: Assignment) -> Review | None:
        return _review_of(obj)


class AssignmentDetailOut(AssignmentOut):
    submission: ReviewerSubmissionDetailOut
    criteria: list[CriterionOut]
    review: ReviewOut | None

    @staticmethod
    def resolve_criteria(obj: Assignment) -> list[Any]:
        return list(obj.submission.call.criteria.all())


class ReviewIn(Schema):
    scores: dict[int, Number] = {}  # by criterion id
    comments: dict[int, str] = {}  # by criterion id
    recommendation: str = ""  # "recognise", "reject" or "unsure"
    comment: str = ""
    submit: bool = False
    amend_reason: str = ""  # required to change a submitted review


class ConflictIn(Schema):
    reason: str = ""


class ConflictOut(Schema):
    id: int
    submission_id: int
    reason: str
    declared_at: dt.datetime
