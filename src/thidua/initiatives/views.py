"""Initiative pages: public (call, submission form, private status link, recognised list) and
staff (calls, screening, assignment, reviews, deliberation, decision). Thin over services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.models import User
from thidua.accounts.selectors import units_user_may
from thidua.core.excel import add_table, new_workbook, workbook_response
from thidua.core.forms import add_errors
from thidua.core.policy import can
from thidua.honors import selectors as honors_selectors
from thidua.initiatives import duplicates, selectors, services
from thidua.initiatives.forms import (
    AssignForm,
    CallForm,
    ConflictForm,
    CouncilForm,
    DecisionForm,
    MeetingForm,
    ScreenForm,
    review_form_class,
)
from thidua.initiatives.minutes import request_minutes
from thidua.initiatives.models import (
    Assignment,
    AwardLevel,
    Call,
    Meeting,
    MinutesFile,
    Review,
    Submission,
)
from thidua.initiatives.services.assignment import assign, auto_assign, declare_conflict
from thidua.initiatives.services.calls import create_call, set_call_status
from thidua.initiatives.services.councils import create_council
from thidua.initiatives.services.deliberation import (
    cast_vote,
    finalise_decision,
    record_meeting,
    required_yes,
)
from thidua.initiatives.services.reviews import save_review
from thidua.initiatives.services.screening import screen
from thidua.org.models import Unit
from thidua.shared.models import Council, CouncilMember


def _applicant_units(call: Call) -> list[Unit]:
    """Units an applicant can name: the organiser and the wards/communes below it, today."""
    today = timezone.localdate()
    return list(
        Unit.objects.filter(
            path__startswith=call.owner_unit.path, kind__code__in=["province", "district", "ward"]
        )
        .valid_on(today)
        .select_related("parent")
        .order_by("depth", "name")
    )


def _manage_units(user) -> list[Unit]:
    return units_user_may(user, "initiatives.manage")


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.visible_calls(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/call_list.html",
        {
            "page": page,
            "query": "",
            "can_create": bool(_manage_units(request.user)),
            "assignments": selectors.my_assignments(request.user)[:50],
        },
    )


@login_required
def council_create(request: HttpRequest) -> HttpResponse:
    units = _manage_units(request.user)
    if not units:
        raise PermissionDenied(_("You do not have permission to do this."))
    form = CouncilForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        members, problems = [], []
        for number, line in enumerate(form.cleaned_data["members"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            user = User.objects.filter(username=parts[0]).first()
            role = parts[1] if len(parts) > 1 and parts[1] else "member"
            unit = (
                Unit.objects.filter(code=parts[2], valid_to__isnull=True).first()
                if len(parts) > 2 and parts[2]
                else None
            )
            if user is None:
                problems.append(_("Line %(n)s: no user %(u)s.") % {"n": number, "u": parts[0]})
            elif role not in CouncilMember.Role.values:
                problems.append(_("Line %(n)s: unknown role %(r)s.") % {"n": number, "r": role})
            else:
                members.append({"user": user, "role": role, "unit": unit})
        for problem in problems:
            form.add_error("members", problem)
        if not problems:
            try:
                create_council(
                    request.user,
                    owner_unit=next(u for u in units if u.pk == form.cleaned_data["owner_unit"]),
                    name=form.cleaned_data["name"],
                    members=members,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The council was created."))
                return redirect("initiatives:call_create")
    return render(request, "initiatives/council_form.html", {"form": form})


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    units = _manage_units(request.user)
    if not units:
        raise PermissionDenied(_("You do not have permission to do this."))
    councils = Council.objects.filter(owner_unit__in=units)
    form = CallForm(request.POST or None, units=units, councils=councils)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = create_call(
                request.user,
                owner_unit=next(u for u in units if u.pk == data["owner_unit"]),
                council=councils.filter(pk=data["council"]).first() if data["council"] else None,
                title=data["title"],
                description=data["description"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                fields=list(data["fields"]),
                award_levels=data["levels"],
                influence=data["influence"],
                reviews_per_submission=data["reviews_per_submission"],
                blind=data["blind"],
                recognition_share=data["recognition_share"],
                strictly_more=data["strictly_more"],
                secret_ballot=data["secret_ballot"],
                review_deadline=data["review_deadline"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The call was saved as a draft."))
            return redirect("initiatives:call_detail", pk=call.pk)
    return render(request, "initiatives/call_form.html", {"form": form})


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, pk)
    secretariat = selectors.is_secretariat(request.user, call)
    submissions = None
    if secretariat:
        submissions = selectors.submissions_for_secretariat(request.user, call)
        status = request.GET.get("status")
        if status in Submission.Status.values:
            submissions = submissions.filter(status=status)
        submissions = Paginator(submissions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/call_detail.html",
        {
            "call": call,
            "secretariat": secretariat,
            "can_manage": can(request.user, "initiatives.manage", call.owner_unit),
            "submissions": submissions,
            "statuses": Submission.Status.choices,
            "assignments": selectors.my_assignments(request.user, call),
            "query": "",
        },
    )


@login_required
@require_POST
def call_status(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, pk)
    try:
        set_call_status(request.user, call=call, status=request.POST.get("status", ""))
        messages.success(request, _("Saved."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("initiatives:call_detail", pk=call.pk)


@login_required
@require_POST
def call_auto_assign(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, pk)
    try:
        made = auto_assign(request.user, call=call)
        messages.success(request, _("%(n)s assignments made.") % {"n": len(made)})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("initiatives:progress", pk=call.pk)


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_staff_call_for_user(request.user, pk)
    return render(
        request,
        "initiatives/progress.html",
        {"call": call, "rows": selectors.reviewer_progress(call)},
    )


@login_required
def submission_detail(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, pk)
    submission, may_see_applicant = selectors.get_submission_for_user(request.user, call, sid)
    secretariat = selectors.is_secretariat(request.user, call)
    member = selectors.seat(request.user, call)
    assignment = (
        Assignment.objects.filter(submission=submission, reviewer=member).first()
        if member
        else None
    )
    return render(
        request,
        "initiatives/submission_detail.html",
        {
            "call": call,
            "submission": submission,
            "may_see_applicant": may_see_applicant,
            "secretariat": secretariat,
            "assignment": assignment,
            "assignments": submission.assignments.select_related("reviewer__user", "review")
            if secretariat
            else [],
            "attachments": submission.attachments.all(),
            "screen_form": ScreenForm(),
            "assign_form": AssignForm(council=call.council),
            "conflict_form": ConflictForm(),
            "is_member": member is not None,
            "duplicate_panel": duplicates.duplicate_panel(submission) if secretariat else None,
            "can_nominate": submission.status == Submission.Status.RECOGNISED
            and can(request.user, "unit.enter_data", submission.unit),
            "nominations": honors_selectors.nominations_from(
                request.user, kind="submission", pk=submission.pk
            ),
        },
    )


@login_required
@require_POST
def submission_action(request: HttpRequest, pk: int, sid: int, action: str) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, pk)
    submission, _may_see = selectors.get_submission_for_user(request.user, call, sid)
    try:
        if action == "screen":
            form = ScreenForm(request.POST)
            if form.is_valid():
                screen(
                    request.user,
                    submission=submission,
                    accept=form.cleaned_data["decision"] == "in",
                    reason=form.cleaned_data["reason"],
                )
        elif action == "assign":
            form = AssignForm(request.POST, council=call.council)
            if not form.is_valid():
                raise ValidationError(_("Choose a reviewer."))
            assign(request.user, submission=submission, member=form.cleaned_data["member"])
        elif action == "conflict":
            form = ConflictForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say what the conflict is."))
            declare_conflict(
                request.user, submission=submission, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Your conflict was recorded."))
            return redirect("initiatives:call_detail", pk=call.pk)
        else:
            raise Http404
        messages.success(request, _("Saved."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("initiatives:submission", pk=call.pk, sid=submission.pk)


@login_required
def review_edit(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, pk)
    submission, may_see_applicant = selectors.get_submission_for_user(request.user, call, sid)
    member = selectors.seat(request.user, call)
    assignment = (
        get_object_or_404(Assignment, submission=submission, reviewer=member) if member else None
    )
    if assignment is None:
        raise Http404
    criteria = list(call.criteria.all())
    review = Review.objects.filter(assignment=assignment).first()
    initial = {}
    if review is not None:
        initial = {"recommendation": review.recommendation, "comment": review.comment}
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.score
            initial[f"comment_{score.criterion_id}"] = score.comment
    form = review_form_class(criteria)(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_review(
                request.user,
                assignment=assignment,
                scores={c.pk: data.get(f"score_{c.pk}") for c in criteria},
                comments={c.pk: data.get(f"comment_{c.pk}", "") for c in criteria},
                recommendation=data["recommendation"],
                comment=data["comment"],
                submit=request.POST.get("submit") == "1",
                amend_reason=data["amend_reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The review was saved."))
            return redirect("initiatives:review", pk=call.pk, sid=submission.pk)
    return render(
        request,
        "initiatives/review_form.html",
        {
            "call": call,
            "submission": submission,
            "form": form,
            "review": review,
            "criteria": criteria,
            "may_see_applicant": may_see_applicant,
        },
    )


@login_required
def deliberation(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, pk)
    member = selectors.seat(request.user, call)
    secretariat = selectors.is_secretariat(request.user, call)
    if member is None and not secretariat:
        raise Http404
    meeting = call.meetings.prefetch_related("present").first()
    meeting_form = MeetingForm(
        request.POST or None, council=call.council, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and secretariat and meeting_form.is_valid():
        try:
            record_meeting(request.user, call=call, **meeting_form.cleaned_data)
        except ValidationError as error:
            add_errors(meeting_form, error)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect("initiatives:deliberation", pk=call.pk)
    page = Paginator(selectors.ranked_submissions(call), 100).get_page(request.GET.get("page"))
    rows = selectors.ranked_rows(call, list(page.object_list), meeting=meeting)
    my_votes = {}
    quorum = None
    absent = []
    if meeting is not None:
        quorum = services.quorum(meeting)
        if member is not None:
            my_votes = dict(
                meeting.votes.filter(
                    member=member, submission__in=[r.submission.pk for r in rows]
                ).values_list("submission_id", "choice")
            )
        present_ids = {m.pk for m in meeting.present.all()}
        absent = [
            m
            for m in call.council.members.filter(is_active=True).select_related("user")
            if m.pk not in present_ids
        ]
    tallies = {row.submission.pk: required_yes(call, quorum[1]) for row in rows} if quorum else {}
    return render(
        request,
        "initiatives/deliberation.html",
        {
            "call": call,
            "meeting": meeting,
            "meeting_form": meeting_form,
            "rows": rows,
            "page": page,
            "secretariat": secretariat,
            "member": member,
            "is_present": meeting is not None
            and member is not None
            and meeting.present.filter(pk=member.pk).exists(),
            "my_votes": my_votes,
            "quorum": quorum,
            "needed": next(iter(tallies.values()), None),
            "absent": absent,
            "decision_form": DecisionForm(initial={"decided_on": timezone.localdate()}),
            "levels": call.award_levels.all(),
            "is_chair": member is not None and member.role == CouncilMember.Role.CHAIR,
        },
    )


@login_required
@require_POST
def vote(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, pk)
    meeting = get_object_or_404(Meeting, call=call, pk=request.POST.get("meeting") or 0)
    submission = get_object_or_404(Submission, call=call, pk=sid)
    written_for = request.POST.get("member")
    try:
        cast_vote(
            request.user,
            meeting=meeting,
            submission=submission,
            choice=request.POST.get("choice", ""),
            member=CouncilMember.objects.filter(council=call.council, pk=written_for).first()
            if written_for
            else None,
            written=bool(written_for),
        )
        messages.success(request, _("The vote was recorded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("initiatives:deliberation", pk=call.pk)


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.get_call_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    meeting = call.meetings.first()
    if not form.is_valid() or meeting is None:
        messages.error(request, _("Give the decision number and date after the meeting."))
        return redirect("initiatives:deliberation", pk=call.pk)
    levels = {level.pk: level for level in AwardLevel.objects.filter(call=call)}
    awards = {}
    for key, value in request.POST.items():
        if key.startswith("award_") and value:
            try:
                awards[int(key[6:])] = levels[int(value)]
            except (KeyError, ValueError):
                messages.error(request, _("Unknown award level."))
                return redirect("initiatives:deliberation", pk=call.pk)
    try:
        finalise_decision(
            request.user, call=call, meeting=meeting, awards=awards, **form.cleaned_data
        )
        messages.success(request, _("The decision was finalised."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("initiatives:deliberation", pk=call.pk)


def _minutes_for_user(request: HttpRequest, pk: int):
    call = selectors.get_call_for_user(request.user, pk)
    if selectors.seat(request.user, call) is None and not selectors.is_secretariat(
        request.user, call
    ):
        raise Http404
    meeting = call.meetings.first()
    if meeting is None:
        raise Http404
    return call, meeting


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's minutes as a PDF, for council members and the secretariat: served from
    storage when built for what the meeting shows now, else queued and a progress page."""
    call, meeting = _minutes_for_user(request, pk)
    stored = request_minutes(call, meeting, language=get_language() or settings.LANGUAGE_CODE)
    if stored.status == MinutesFile.Status.DONE and stored.pdf:
        return FileResponse(
            stored.pdf.open("rb"),
            as_attachment=True,
            filename=f"{call.slug}-minutes.pdf",
            content_type="application/pdf",
        )
    context = {"call": call, "minutes": stored}
    if request.htmx:
        return render(request, "initiatives/partials/minutes_progress.html", context)
    return render(request, "initiatives/minutes_progress.html", context)


@login_required
def minutes_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of the minutes being built (polled by the progress page), without queuing."""
    call, meeting = _minutes_for_user(request, pk)
    stored = MinutesFile.objects.filter(
        meeting=meeting, language=get_language() or settings.LANGUAGE_CODE
    ).first()
    if stored is None:
        raise Http404
    return render(
        request, "initiatives/partials/minutes_progress.html", {"call": call, "minutes": stored}
    )


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every submission with its scores, votes and outcome (secretariat)."""
    call = selectors.get_staff_call_for_user(request.user, pk)
    rows = selectors.ranked_table(call, meeting=call.meetings.first())
    workbook = new_workbook()
    add_table(
        workbook,
        _("Ranked"),
        [
            _("Number"),
            _("Title"),
            _("Unit of origin"),
            _("Field"),
            _("Mean score"),
            _("Spread"),
            _("Reviews"),
            _("Yes votes"),
            _("Status"),
            _("Award level"),
        ],
        [
            [
                r.submission.number,
                r.submission.title,
                r.submission.unit.display_name,
                r.submission.field.name,
                r.mean,
                r.spread,
                r.review_count,
                r.votes.get("yes", 0),
                r.submission.get_status_display(),
                r.submission.award_level.name if r.submission.award_level else "",
            ]
            for r in rows
        ],
    )
    submissions = (
        Submission.objects.filter(call=call)
        .select_related("unit__parent", "field")
        .order_by("number")
    )
    add_table(
        workbook,
        _("Submissions"),
        [_("Number"), _("Title"), _("Applicant"), _("Email"), _("Unit of origin"), _("Status")],
        [
            [
                s.number,
                s.title,
                s.applicant_name,
                s.applicant_email,
                s.unit.display_name,
                s.get_status_display(),
            ]
            for s in submissions
        ],
    )
    return workbook_response(workbook, f"{call.slug}.xlsx")
