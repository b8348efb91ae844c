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

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.utils import check_csrf

from thidua.api.pagination import Pagination
from thidua.core import limits
from thidua.initiatives import selectors, services
from thidua.initiatives.models import (
    Assignment,
    Call,
    Conflict,
    Review,
    Submission,
)
from thidua.initiatives.schemas import (
    ApplicantStatusOut,
    AssignmentDetailOut,
    AssignmentOut,
    CallDetailOut,
    CallOut,
    ConflictIn,
    ConflictOut,
    ProgressOut,
    RankedOut,
    ReceiptOut,
    RecognisedOut,
    ReviewIn,
    ReviewOut,
    ScreenIn,
    StaffAssignmentOut,
    StaffSubmissionOut,
    SubmissionIn,
    _review_of,
)
from thidua.initiatives.selectors import ReviewerProgress
from thidua.initiatives.services.submission import confirm_email, submit_initiative
from thidua.org.models import Unit
from thidua.shared.models import Field

router = Router(tags=["initiatives"])


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
        submission = submit_initiative(
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
    confirm_email(token=_known_token(token))
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


@router.post("/submissions/{int:submission_id}/screen", response=StaffSubmissionOut)
def screen(request: HttpRequest, submission_id: int, payload: ScreenIn) -> Submission:
    """Screen a submitted initiative in or out (out needs a reason); the secretariat only."""
    call = selectors.get_call_of_submission_for_user(request.auth, submission_id)
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
    call = selectors.get_staff_call_for_user(request.auth, call_id)
    return services.auto_assign(request.auth, call=call)


@router.get("/calls/{int:call_id}/ranked", response=RankedOut)
def ranked(request: HttpRequest, call_id: int) -> dict[str, Any]:
    """The council's table: initiatives under review and after, by mean weighted score, with
    the spread, flags and the votes of the latest meeting (the secretariat and the council)."""
    call = selectors.get_staff_call_for_user(request.auth, call_id, members_too=True)
    meeting = call.meetings.first()
    return {"meeting": meeting, "rows": selectors.ranked_table(call, meeting=meeting)}


@router.get("/calls/{int:call_id}/progress", response=list[ProgressOut])
def progress(request: HttpRequest, call_id: int) -> list[ReviewerProgress]:
    """Reviews assigned, submitted and in draft, per council member (the secretariat only)."""
    return selectors.reviewer_progress(selectors.get_staff_call_for_user(request.auth, call_id))


@router.get("/assignments", response=list[AssignmentOut])
@paginate(Pagination, page_size=100)
def list_assignments(request: HttpRequest) -> QuerySet[Assignment]:
    """The caller's own assignments across calls (none on which they declared a conflict)."""
    return selectors.open_assignments(request.auth)


@router.get("/assignments/{int:assignment_id}", response=AssignmentDetailOut)
def get_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    """An assigned initiative as the reviewer may see it, the criteria and their review."""
    return _assignment_with_details(selectors.get_assignment_for_user(request.auth, assignment_id))


@router.api_operation(
    ["PUT", "POST"], "/assignments/{int:assignment_id}/review", response=ReviewOut
)
def save_review(request: HttpRequest, assignment_id: int, payload: ReviewIn) -> Review:
    """Save the caller's review as a draft, or submit it (`submit: true`: every criterion
    scored and a recommendation). A submitted review changes only with `amend_reason`."""
    assignment = selectors.get_assignment_for_user(request.auth, assignment_id)
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
    submission = selectors.get_submission_by_pk_for_user(request.auth, submission_id)
    return services.declare_conflict(request.auth, submission=submission, reason=payload.reason)
