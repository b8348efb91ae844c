"""Pages of the cultural titles: the commune's rounds and dashboard, an area's assessment,
posting and dossier, the decision; and the public pages (shares per area, the posted list only
inside its window, the decision's list)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core import limits
from thidua.core.excel import workbook_response
from thidua.core.forms import add_errors
from thidua.core.models import PostingComment
from thidua.core.pagination import paginate
from thidua.core.policy import can, require, scope_filter
from thidua.core.services import posting
from thidua.cultural_titles import selectors, services
from thidua.cultural_titles.forms import (
    AreaProposalForm,
    CloseForm,
    CommentForm,
    DecisionForm,
    FileForm,
    HouseholdForm,
    HouseholdImportForm,
    MeetingForm,
    MoveForm,
    ResolveForm,
    RoundForm,
    UploadForm,
    grid_rows,
)
from thidua.cultural_titles.models import CertificatePrint, TitleDecision
from thidua.honors import selectors as honor_selectors
from thidua.org.imports import ImportFailed, read_table
from thidua.org.models import Unit
from thidua.org.services import households as register

HOUSEHOLDS_PER_PAGE = 100


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _communes(user):
    return (
        Unit.objects.filter(
            scope_filter(user, "cultural_titles.manage"), kind__code="ward", valid_to__isnull=True
        )
        .select_related("parent")
        .order_by("name")[:300]
    )


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "cultural_titles.view")
    # a city sees a round per ward and year (126 a year): a page at a time
    rounds, query = paginate(
        request, selectors.visible_rounds(request.user).order_by("-year", "commune__name"), 50
    )
    form = RoundForm(
        request.POST or None,
        communes=_communes(request.user),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.open_round(
                request.user, commune=form.cleaned_data["commune"], year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            return redirect("cultural_titles:round", created.pk)
    return render(
        request,
        "cultural_titles/round_list.html",
        {
            "rounds": rounds,
            "query": query,
            "form": form,
            "may_open": can(request.user, "cultural_titles.manage"),
        },
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    today = timezone.localdate()
    figures = selectors.round_page(round_, today=today)
    return render(
        request,
        "cultural_titles/round_detail.html",
        {
            "round": round_,
            "states": figures.states,
            "totals": figures.totals,
            "timeline": services.timeline(round_),
            "today": today,
            # the certificate batch's progress is read live (its worker does not audit)
            "decisions": [(d, selectors.certificate_batch(d)) for d in figures.decisions],
            "may_decide": selectors.may_decide(request.user, round_),
            "decision_form": DecisionForm(initial={"signed_on": today.strftime("%d/%m/%Y")}),
            "import_form": HouseholdImportForm(),
            "may_import": can(request.user, "org.manage_households", round_.commune),
            "area_titles": figures.area_titles,
        },
    )


def _proposal_form(user, round_, data=None) -> AreaProposalForm:
    return AreaProposalForm(
        data,
        areas=Unit.objects.filter(pk__in=round_.areas.values("area_id")).order_by("code"),
        honors_rounds=honor_selectors.visible_rounds(user).filter(
            owner_unit=round_.commune, award_types__code="khu-dan-cu-van-hoa"
        ),
    )


@login_required
def propose_area(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    if request.method != "POST":
        require(request.user, "cultural_titles.decide", round_.commune)
        return render(
            request,
            "cultural_titles/propose_area.html",
            {"round": round_, "form": _proposal_form(request.user, round_)},
        )
    form = _proposal_form(request.user, round_, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("cultural_titles:round", pk)
    data = form.cleaned_data
    try:
        services.propose_area(
            request.user,
            round=round_,
            area=data["area"],
            honors_round_id=data["honors_round"].pk,
            report=data["report"],
            evidence=data["evidence"],
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The area is proposed to the council."))
    return redirect("cultural_titles:round", pk)


@login_required
@require_POST
def import_register(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    form = HouseholdImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to import."))
        return redirect("cultural_titles:round", pk)
    upload = form.cleaned_data["file"]
    try:
        rows = read_table(upload.name, upload.read())
        result = register.import_households(
            request.user,
            commune=round_.commune,
            rows=rows,
            effective_on=form.cleaned_data.get("effective_on"),
            source=upload.name,
        )
    except ImportFailed as failure:
        for error in failure.errors[:200]:
            messages.error(request, str(error))
    else:
        services.open_round(request.user, commune=round_.commune, year=round_.year)
        messages.success(
            request,
            _(
                "Register imported: %(created)s new, %(updated)s updated, %(moved)s moved, "
                "%(unchanged)s unchanged."
            )
            % result.__dict__,
        )
    return redirect("cultural_titles:round", pk)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("cultural_titles:round", pk)
    try:
        services.decide_families(request.user, round=round_, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect("cultural_titles:round", pk)


def _title_decision(request: HttpRequest, pk: int) -> TitleDecision:
    found = get_object_or_404(TitleDecision.objects.select_related("round", "decision"), pk=pk)
    selectors.get_round_for_user(request.user, found.round_id)
    return found


@login_required
@require_POST
def certificates(request: HttpRequest, pk: int) -> HttpResponse:
    title_decision = _title_decision(request, pk)
    services.start_certificates(request.user, title_decision=title_decision)
    messages.success(request, _("The certificates are being generated."))
    return redirect("cultural_titles:round", title_decision.round_id)


@login_required
def area_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(request.user, pk)
    today = timezone.localdate()
    versions = posting.versions(assessment.posting_key)
    comments = PostingComment.objects.filter(posting__in=versions).select_related("posting")
    may_view_register = can(request.user, "org.view_households", assessment.area)
    # names are for the staff of the area's subtree (council members see the counts); an area
    # holds a few hundred households, so they come a page at a time
    rows, rows_query = paginate(
        request,
        selectors.assessment_rows(assessment) if may_view_register else [],
        HOUSEHOLDS_PER_PAGE,
    )
    return render(
        request,
        "cultural_titles/area_detail.html",
        {
            "assessment": assessment,
            "round": assessment.round,
            "rows": rows,
            "rows_query": rows_query,
            "may_view_register": may_view_register,
            "versions": versions,
            "comments": comments,
            "today": today,
            "may_manage": selectors.may_manage(request.user, assessment),
            "upload_form": UploadForm(),
            "meeting_form": MeetingForm(
                initial={
                    "meeting_on": (assessment.meeting_on or today).strftime("%d/%m/%Y"),
                    "chair": assessment.chair,
                    "co_chair": assessment.co_chair,
                    "attendees": assessment.attendees,
                }
            ),
            "comment_form": CommentForm(),
            "file_form": FileForm(),
            "late": today > assessment.round.deadline,
            "can_file": assessment.posting_ends_on is not None
            and today > assessment.posting_ends_on,
        },
    )


@login_required
def area_template(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(request.user, pk)
    require(request.user, "cultural_titles.manage", assessment.area)
    workbook = services.template(assessment)
    return workbook_response(
        workbook, f"gia-dinh-van-hoa-{assessment.round.year}-{assessment.area.code}.xlsx"
    )


@login_required
def area_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(request.user, pk)
    try:
        pdf = services.minutes_pdf(assessment)
    except ValidationError as error:
        _errors(request, error)
        return redirect("cultural_titles:area", pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"bien-ban-{assessment.round.year}-{assessment.area.code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def area_pdf(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(request.user, pk)
    found = next(
        (v for v in posting.versions(assessment.posting_key) if v.version == version), None
    )
    if found is None or not found.pdf:
        raise Http404
    return FileResponse(found.pdf.open("rb"), content_type="application/pdf")


@login_required
@require_POST
def area_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(request.user, pk)
    user = request.user
    try:
        if action == "upload":
            form = UploadForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(_("Choose the filled-in template to upload."))
            count = services.upload_assessment(
                user, assessment=assessment, content=form.cleaned_data["file"].read()
            )
            messages.success(request, _("%(count)s households assessed.") % {"count": count})
        elif action == "meeting":
            form = MeetingForm(request.POST)
            if not form.is_valid():
                raise ValidationError([m for e in form.errors.values() for m in e])
            services.record_meeting(user, assessment=assessment, **form.cleaned_data)
            messages.success(request, _("The meeting is recorded."))
        elif action == "post":
            services.post_list(user, assessment=assessment)
            messages.success(request, _("The list is posted for comments."))
        elif action == "comment":
            form = CommentForm(request.POST)
            if not form.is_valid():
                raise ValidationError([m for e in form.errors.values() for m in e])
            services.comment(user, assessment=assessment, by_committee=True, **form.cleaned_data)
            messages.success(request, _("The comment is recorded."))
        elif action == "resolve":
            comments = PostingComment.objects.filter(posting__key=assessment.posting_key)
            form = ResolveForm(request.POST, comments=comments)
            if not form.is_valid():
                raise ValidationError([m for e in form.errors.values() for m in e])
            data = form.cleaned_data
            eligible = {"yes": True, "no": False}.get(data["eligible"])
            result = services.resolve(
                user,
                assessment=assessment,
                comment=data["comment"],
                resolution=data["resolution"],
                household_code=data["household_code"],
                eligible=eligible,
            )
            if result.version > 1 and result.pk != assessment.posting_id:
                messages.success(request, _("The list is reissued as a new version."))
            else:
                messages.success(request, _("The comment is resolved."))
        elif action == "file":
            form = FileForm(request.POST)
            form.is_valid()
            services.file_dossier(
                user, assessment=assessment, late_reason=form.cleaned_data.get("late_reason", "")
            )
            messages.success(request, _("The dossier is filed with the commune."))
        else:
            raise Http404
    except services.AssessmentRejected as error:
        for problem in error.problems[:200]:
            messages.error(request, str(problem))
    except ValidationError as error:
        _errors(request, error)
    except PermissionDenied:
        raise
    return redirect("cultural_titles:area", pk)


@login_required
def annex(request: HttpRequest, pk: int) -> HttpResponse:
    title_decision = _title_decision(request, pk)
    return render(
        request,
        "cultural_titles/annex.html",
        {"title_decision": title_decision, "groups": selectors.annex(title_decision)},
    )


# --- public ---------------------------------------------------------------------------------


def public_rounds(request: HttpRequest) -> HttpResponse:
    rounds, query = paginate(request, selectors.public_rounds(), 50)
    return render(
        request,
        "cultural_titles/public/rounds.html",
        {"rounds": rounds, "query": query},
    )


def public_round(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(selectors.public_rounds(), pk=pk)
    today = timezone.localdate()
    figures = selectors.round_page(round_, today=today)
    return render(
        request,
        "cultural_titles/public/round.html",
        {
            "round": round_,
            "states": figures.states,
            "totals": figures.totals,
            "today": today,
            "decisions": figures.decisions,
        },
    )


def public_area(request: HttpRequest, pk: int) -> HttpResponse:
    """The posted list: names only while the posting is open; comments taken meanwhile."""
    assessment = selectors.public_area(pk)
    today = timezone.localdate()
    current = assessment.posting if assessment.status == "posted" else None
    entries = posting.public_entries(current, today=today)
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not entries:
            raise Http404
        if form.is_valid():
            try:
                limits.check_client(request, "notice_comment")
                services.comment(
                    request.user, assessment=assessment, today=today, **form.cleaned_data
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                status = 400
            except limits.Refused as refused:
                form.add_error(None, refused.message)
                status = 429
            else:
                messages.success(request, _("Thank you: your comment was sent to the committee."))
                return redirect("public_cultural_titles:area", pk)
        else:
            status = 400
    return render(
        request,
        "cultural_titles/public/area.html",
        {
            "assessment": assessment,
            "posting": current if entries else None,
            "entries": entries,
            "form": form,
        },
        status=status,
    )


def public_area_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.public_area(pk)
    current = assessment.posting if assessment.status == "posted" else None
    if not posting.public_entries(current) or not current.pdf:
        raise Http404
    return FileResponse(current.pdf.open("rb"), content_type="application/pdf")


def public_annex(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision and its list, public as the law requires."""
    title_decision = get_object_or_404(
        TitleDecision.objects.select_related("round__commune", "decision"), pk=pk
    )
    return render(
        request,
        "cultural_titles/public/annex.html",
        {"title_decision": title_decision, "groups": selectors.annex(title_decision)},
    )


# --- certificates printed per area ----------------------------------------------------------


@login_required
def prints(request: HttpRequest, pk: int) -> HttpResponse:
    """Every decided area of the decision with its latest print in each layout."""
    title_decision = _title_decision(request, pk)
    require(request.user, "cultural_titles.decide", title_decision.round.commune)
    if request.method == "POST" and request.POST.get("area") == "all":
        try:
            jobs = services.start_all_prints(
                request.user, title_decision=title_decision, layout=request.POST.get("layout", "")
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request, _("%(count)s areas are being printed.") % {"count": len(jobs)}
            )
        return redirect("cultural_titles:prints", pk)
    if request.method == "POST":
        assessment = get_object_or_404(title_decision.round.areas, pk=request.POST.get("area") or 0)
        try:
            job = services.start_print(
                request.user,
                title_decision=title_decision,
                assessment=assessment,
                layout=request.POST.get("layout", ""),
            )
        except ValidationError as error:
            _errors(request, error)
            return redirect("cultural_titles:prints", pk)
        return redirect("cultural_titles:print", job.pk)
    return render(
        request,
        "cultural_titles/prints.html",
        {"title_decision": title_decision, "rows": selectors.prints_of(title_decision)},
    )


def _print_for_user(request: HttpRequest, pk: int):
    job = get_object_or_404(
        CertificatePrint.objects.select_related(
            "title_decision__decision", "title_decision__round__commune", "assessment__area"
        ),
        pk=pk,
    )
    selectors.get_round_for_user(request.user, job.title_decision.round_id)
    require(request.user, "cultural_titles.decide", job.title_decision.round.commune)
    return job


@login_required
def print_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _print_for_user(request, pk)
    if request.htmx:
        return render(request, "cultural_titles/partials/print_progress.html", {"job": job})
    return render(request, "cultural_titles/print.html", {"job": job})


@login_required
def print_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = _print_for_user(request, pk)
    if job.status != CertificatePrint.Status.DONE or not job.pdf:
        raise Http404
    name = f"giay-khen-{job.title_decision.round.year}-{job.assessment.area.code}-{job.layout}.pdf"
    response = FileResponse(
        job.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the keyboard grid ----------------------------------------------------------------------


@login_required
def area_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The area's households as a grid (criteria as columns) to assess by keyboard; on a phone
    the same form shows as a list."""
    assessment = selectors.get_assessment_for_user(request.user, pk)
    require(request.user, "cultural_titles.manage", assessment.area)
    criteria = assessment.round.criteria.mandatory
    codes = [item["code"] for item in criteria]
    status = 200
    if request.method == "POST":
        try:
            count = services.assess_grid(
                request.user, assessment=assessment, rows=grid_rows(request.POST, codes)
            )
        except services.AssessmentRejected as error:
            for problem in error.problems[:200]:
                messages.error(request, str(problem))
            status = 400
        except ValidationError as error:
            _errors(request, error)
            status = 400
        else:
            messages.success(request, _("%(count)s households assessed.") % {"count": count})
            return redirect("cultural_titles:area", pk)
    lines = services.grid(assessment)
    if status == 400:  # show what was typed, not the saved draft
        typed = {row.household_id: row for row in grid_rows(request.POST, codes)}
        for line in lines:
            row = typed.get(line["household"].pk)
            if row is not None:
                line.update(
                    answers=row.answers,
                    eligible=row.eligible,
                    reason=row.reason,
                    override=row.override,
                )
    for line in lines:
        line["cells"] = [(item, bool(line["answers"].get(item["code"]))) for item in criteria]
    return render(
        request,
        "cultural_titles/grid.html",
        {"assessment": assessment, "criteria": criteria, "lines": lines},
        status=status,
    )


# --- the household register -----------------------------------------------------------------


@login_required
def register_area(request: HttpRequest, pk: int) -> HttpResponse:
    """An area's households: search, pages, and a form to add one."""
    area = register.get_area_for_user(request.user, pk)
    may_manage = can(request.user, "org.manage_households", area)
    form = HouseholdForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(request.user, "org.manage_households", area)
        if form.is_valid():
            try:
                household = register.add_household(request.user, area=area, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The household is added to the register."))
                return redirect("cultural_titles:household", household.pk)
        status = 400
    closed = request.GET.get("closed") == "1"
    query = request.GET.get("q", "").strip()[:100]
    page, params = paginate(
        request, register.register_of(request.user, area, query=query, closed=closed), 50
    )
    return render(
        request,
        "cultural_titles/register.html",
        {
            "area": area,
            "page": page,
            "query": params,
            "q": query,
            "closed": closed,
            "form": form,
            "may_manage": may_manage,
        },
        status=status,
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A household: its details, moves and titles year by year; edit, move, close."""
    household = register.get_household_for_user(request.user, pk)
    may_manage = can(request.user, "org.manage_households", household.unit)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    edit = HouseholdForm(
        request.POST if action == "edit" else None,
        initial={
            "code": household.code,
            "head_name": household.head_name,
            "address": household.address,
            "members": household.members,
            "phone": household.phone,
        },
    )
    move = MoveForm(
        request.POST if action == "move" else None,
        areas=register.move_targets(request.user, household),
    )
    close = CloseForm(request.POST if action == "close" else None)
    status = 200
    if request.method == "POST":
        require(request.user, "org.manage_households", household.unit)
        form = {"edit": edit, "move": move, "close": close}.get(action)
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "edit":
                    register.edit_household(request.user, household=household, **data)
                elif action == "move":
                    register.move_household(request.user, household=household, **data)
                else:
                    register.close_household(request.user, household=household, **data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The register is updated."))
                return redirect("cultural_titles:household", pk)
        status = 400
    return render(
        request,
        "cultural_titles/household.html",
        {
            "household": household,
            "moves": register.moves_of(household),
            "history": selectors.household_history(household),
            "may_manage": may_manage and household.is_active,
            "edit_form": edit,
            "move_form": move,
            "close_form": close,
        },
        status=status,
    )


@login_required
def council_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Form 06: the council's assessment of the proposed areas, with each vote."""
    round_ = selectors.get_round_for_user(request.user, pk)
    try:
        pdf = services.council_minutes_pdf(round_)
    except ValidationError as error:
        _errors(request, error)
        return redirect("cultural_titles:round", pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-06-{round_.year}.pdf"'
    return response
