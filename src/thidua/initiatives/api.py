"""The initiatives API: public calls and submissions, the secretariat's and the reviewers' side.

Public operations (`auth=None`) need no account: the calls, the submission form, the applicant's
private link (the token sent by email) and the list of recognised initiatives. Staff operations
use the session. Every write calls one function of `services` (which checks permission and
validates); every object is fetched through a selector that checks the caller's reach, so an
object outside it answers 404 exactly as a missing one does. In a blind call the reviewer
endpoints carry no applicant field at all (no name, email, phone, co-authors or unit). Errors
become JSON through the handlers of `thidua.api.router`: PermissionDenied → 403, Http404 → 404,
ValidationError → 422.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.utils import check_csrf

from thidua.api.pagination import Pagination
from thidua.api.schemas import FieldOut, UnitRef
from thidua.core import limits
from thidua.initiatives import selectors, services
from thidua.initiatives.models import (
    Assignment,
    Attachment,
    Call,
    Conflict,
    Review,
    Submission,
    SubmissionEvent,
)
from thidua.initiatives.selectors import RankedRow, ReviewerProgress
from thidua.org.models import Unit
from thidua.shared.models import Field

router = Router(tags=["initiatives"])

# A score as the client sends it: the services parse it and answer with a field message.
Number = Decimal | str | None

# What the public form requires; the services check the rest (email, scope, admitted applicants).
REQUIRED = (
    "applicant_kind",
    "applicant_name",
    "unit_id",
    "field",
    "title",
    "summary",
    "description",
    "expected_benefit",
)


# --- schemas --------------------------------------------------------------------------------


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


# --- fetch-and-check ------------------------------------------------------------------------


def _public_call(slug: str) -> Call:
    return get_object_or_404(selectors.public_calls(), slug=slug)


def _known_token(token: str) -> str:
    """An unknown token answers 404 like any missing object (the services would say 422)."""
    if not Submission.objects.filter(token=token).exists():
        raise Http404
    return token


def _status_of(token: str) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("call", "field", "award_level"), token=token
    )
    prefetch_related_objects([submission], "events")
    return submission


def _public_actor(request: HttpRequest) -> Any:
    """The signed-in user when the request carries a valid CSRF token (an officer may then
    enter on behalf of a citizen); anyone else, including a forged cross-site request riding
    on a session, submits as the public does."""
    user = request.user
    if user.is_authenticated and check_csrf(request) is None:
        return user
    return AnonymousUser()


def _staff_call(user: Any, call_id: int, *, members_too: bool = False) -> Call:
    """A call whose secretariat the user belongs to (or, with `members_too`, whose council);
    404 otherwise."""
    call = selectors.get_call_for_user(user, call_id)
    if selectors.is_secretariat(user, call):
        return call
    if members_too and selectors.seat(user, call) is not None:
        return call
    raise Http404


def _call_of_submission(user: Any, pk: int) -> Call:
    """The call of a submission, when the user may see the call; 404 otherwise."""
    call_id = Submission.objects.filter(pk=pk).values_list("call_id", flat=True).first()
    if call_id is None:
        raise Http404
    return selectors.get_call_for_user(user, call_id)


def _submission_for_user(user: Any, pk: int) -> Submission:
    """A submission the user may see: the secretariat's, or assigned to them without conflict."""
    call = _call_of_submission(user, pk)
    submission, _may_see_applicant = selectors.get_submission_for_user(user, call, pk)
    return submission


def _open_assignments(user: Any) -> QuerySet[Assignment]:
    """The user's own assignments, less those on which they have declared a conflict (the
    service keeps an assignment that already has a review; the reviewer still loses it)."""
    conflicted = Conflict.objects.filter(
        member_id=OuterRef("reviewer_id"), submission_id=OuterRef("submission_id")
    )
    return (
        selectors.my_assignments(user)
        .exclude(Exists(conflicted))
        .select_related("submission__unit", "submission__call")
    )


def _assignment_for_user(user: Any, pk: int) -> Assignment:
    assignment = _open_assignments(user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    # The one rule of who sees a submission also holds here (it raises 404 otherwise).
    selectors.get_submission_for_user(user, assignment.submission.call, assignment.submission_id)
    return assignment


def _assignment_with_details(assignment: Assignment) -> Assignment:
    prefetch_related_objects([assignment], "submission__attachments", "submission__call__criteria")
    review = _review_of(assignment)
    if review is not None:
        prefetch_related_objects([review], "scores")
    return assignment


def _with_input_names(error: ValidationError) -> ValidationError:
    """The services name the unit `unit`; the client sent `unit_id`."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            ("unit_id" if name == "unit" else name): errors
            for name, errors in error.error_dict.items()
        }
    )


# --- public: calls and submissions ----------------------------------------------------------


@router.get("/calls", response=list[CallOut], auth=None)
@paginate(Pagination, page_size=50)
def list_calls(request: HttpRequest) -> QuerySet[Call]:
    """Calls the public may see (every call past its draft), newest first."""
    return selectors.public_calls()


@router.get("/calls/{slug}", response=CallDetailOut, auth=None)
def get_call(request: HttpRequest, slug: str) -> Call:
    call = _public_call(slug)
    prefetch_related_objects([call], "fields", "criteria", "award_levels")
    return call


# One path for both operations: a call's id for the secretariat's list, its slug for the public
# form (two patterns would shadow each other for a slug made of digits).
@router.get("/calls/{call_ref}/submissions", response=list[StaffSubmissionOut])
@paginate(Pagination, page_size=100)
def list_submissions(
    request: HttpRequest, call_ref: str, status: Submission.Status | None = None
) -> QuerySet[Submission]:
    """Every submission of a call, with its applicant (the secretariat only; `call_ref` is the
    call's id)."""
    if not call_ref.isdigit():
        raise Http404
    call = selectors.get_call_for_user(request.auth, int(call_ref))
    submissions = selectors.submissions_for_secretariat(request.auth, call)
    if status:
        submissions = submissions.filter(status=status)
    return submissions.order_by("number")


@router.post("/calls/{call_ref}/submissions", response={201: ReceiptOut}, auth=None)
def submit(request: HttpRequest, call_ref: str, payload: SubmissionIn) -> Status[Submission]:
    """Submit an initiative to an open call (`call_ref` is the call's slug). It stays a draft
    until the applicant opens the link emailed to them; entered by an officer of the unit of
    origin it is submitted at once."""
    call = _public_call(call_ref)
    values = payload.model_dump()
    errors = {
        name: [_("This field is required.")]
        for name in REQUIRED
        if values[name] is None or not str(values[name]).strip()
    }
    unit = None
    if payload.unit_id is not None:
        unit = Unit.objects.filter(pk=payload.unit_id).valid_on(timezone.localdate()).first()
        if unit is None:
            errors["unit_id"] = [_("Choose a unit inside this call's scope.")]
    field = None
    if payload.field.strip():
        field = Field.objects.filter(code=payload.field.strip()).first()
        if field is None:
            errors["field"] = [_("Unknown field %(code)s.") % {"code": payload.field.strip()}]
    if errors:
        raise ValidationError(errors)
    data = {
        name: values[name]
        for name in (
            "applicant_kind",
            "applicant_name",
            "applicant_email",
            "applicant_phone",
            "co_authors",
            "title",
            "summary",
            "description",
            "expected_benefit",
            "publish_names",
        )
    }
    actor = _public_actor(request)
    if not actor.is_authenticated:
        limits.check_client(request, "initiative_submission")
    try:
        submission = services.submit_initiative(
            actor,
            call=call,
            data={**data, "unit": unit, "field": field},
            client_token=payload.client_token.strip() or None,
            language=(get_language() or "vi")[:2],
        )
    except ValidationError as error:
        raise _with_input_names(error) from error
    return Status(201, submission)


@router.get("/submissions/{token}", response=ApplicantStatusOut, auth=None)
def get_own_submission(request: HttpRequest, token: str) -> Submission:
    """The applicant's submission, by the token of the emailed link: its status and history."""
    return _status_of(token)


@router.post("/submissions/{token}/confirm", response=ApplicantStatusOut, auth=None)
def confirm(request: HttpRequest, token: str) -> Submission:
    """The applicant confirms their email: the draft is submitted (again: no change)."""
    services.confirm_email(token=_known_token(token))
    return _status_of(token)


@router.post("/submissions/{token}/withdraw", response=ApplicantStatusOut, auth=None)
def withdraw(request: HttpRequest, token: str) -> Submission:
    """The applicant withdraws their initiative (not once it is decided or screened out)."""
    services.withdraw(token=_known_token(token))
    return _status_of(token)


@router.get("/recognised", response=list[RecognisedOut], auth=None)
@paginate(Pagination, page_size=50)
def list_recognised(
    request: HttpRequest,
    q: str = "",
    field: str = "",
    unit_id: int | None = None,
    year: int | None = Query(None, ge=1, le=9999),  # noqa: B008 (a date's year, or 500)
) -> QuerySet[Submission]:
    """Recognised initiatives, newest decision first; searched (`q`), by field code, by the
    unit of origin's subtree, by the year of the decision. Names only where the applicants
    agreed to publish them."""
    field_id = None
    if field.strip():
        field_id = Field.objects.filter(code=field.strip()).values_list("pk", flat=True).first()
        if field_id is None:
            raise ValidationError({"field": _("Unknown field %(code)s.") % {"code": field}})
    return selectors.public_recognised(
        query=q.strip(), field_id=field_id, unit_id=unit_id, year=year
    )


# --- staff: the secretariat and the council -------------------------------------------------


@router.post("/submissions/{int:submission_id}/screen", response=StaffSubmissionOut)
def screen(request: HttpRequest, submission_id: int, payload: ScreenIn) -> Submission:
    """Screen a submitted initiative in or out (out needs a reason); the secretariat only."""
    call = _call_of_submission(request.auth, submission_id)
    submission = get_object_or_404(
        selectors.submissions_for_secretariat(request.auth, call).select_related("call"),
        pk=submission_id,
    )
    return services.screen(
        request.auth, submission=submission, accept=payload.accept, reason=payload.reason
    )


@router.post("/calls/{int:call_id}/auto-assign", response=list[StaffAssignmentOut])
def auto_assign(request: HttpRequest, call_id: int) -> list[Assignment]:
    """Give every screened-in initiative the call's number of reviewers, least loaded first
    (no declared conflict, not from the applicant's unit). Answers the assignments made."""
    call = _staff_call(request.auth, call_id)
    return services.auto_assign(request.auth, call=call)


@router.get("/calls/{int:call_id}/ranked", response=RankedOut)
def ranked(request: HttpRequest, call_id: int) -> dict[str, Any]:
    """The council's table: initiatives under review and after, by mean weighted score, with
    the spread, flags and the votes of the latest meeting (the secretariat and the council)."""
    call = _staff_call(request.auth, call_id, members_too=True)
    meeting = call.meetings.first()
    return {"meeting": meeting, "rows": selectors.ranked_table(call, meeting=meeting)}


@router.get("/calls/{int:call_id}/progress", response=list[ProgressOut])
def progress(request: HttpRequest, call_id: int) -> list[ReviewerProgress]:
    """Reviews assigned, submitted and in draft, per council member (the secretariat only)."""
    return selectors.reviewer_progress(_staff_call(request.auth, call_id))


# --- reviewers ------------------------------------------------------------------------------


@router.get("/assignments", response=list[AssignmentOut])
@paginate(Pagination, page_size=100)
def list_assignments(request: HttpRequest) -> QuerySet[Assignment]:
    """The caller's own assignments across calls (none on which they declared a conflict)."""
    return _open_assignments(request.auth)


@router.get("/assignments/{int:assignment_id}", response=AssignmentDetailOut)
def get_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    """An assigned initiative as the reviewer may see it, the criteria and their review."""
    return _assignment_with_details(_assignment_for_user(request.auth, assignment_id))


@router.api_operation(
    ["PUT", "POST"], "/assignments/{int:assignment_id}/review", response=ReviewOut
)
def save_review(request: HttpRequest, assignment_id: int, payload: ReviewIn) -> Review:
    """Save the caller's review as a draft, or submit it (`submit: true`: every criterion
    scored and a recommendation). A submitted review changes only with `amend_reason`."""
    assignment = _assignment_for_user(request.auth, assignment_id)
    review = services.save_review(
        request.auth,
        assignment=assignment,
        scores=payload.scores,
        comments=payload.comments,
        recommendation=payload.recommendation,
        comment=payload.comment,
        submit=payload.submit,
        amend_reason=payload.amend_reason,
    )
    prefetch_related_objects([review], "scores")
    return review


@router.post("/submissions/{int:submission_id}/conflict", response=ConflictOut)
def declare_conflict(request: HttpRequest, submission_id: int, payload: ConflictIn) -> Conflict:
    """A council member declares a conflict of interest: they lose the assignment."""
    submission = _submission_for_user(request.auth, submission_id)
    return services.declare_conflict(request.auth, submission=submission, reason=payload.reason)
