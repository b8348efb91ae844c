"""Staff pages for support cases (board by state, survey, approval, disbursement, settlement,
the handover minute), the warehouse and the XLSX exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.context_processors import current_unit
from thidua.core.pagination import paginate
from thidua.core.pdf import render_pdf
from thidua.core.policy import can, require, scope_filter
from thidua.mobilization import exports, selectors, services
from thidua.mobilization.forms import (
    ApproveForm,
    CaseForm,
    DisburseForm,
    ExportForm,
    PhotoForm,
    PostingForm,
    SettleForm,
    StockOutForm,
)
from thidua.mobilization.models import SupportCase
from thidua.org.models import Unit

Status = SupportCase.Status
BOARD = [
    Status.SURVEYED,
    Status.APPROVED,
    Status.IN_PROGRESS,
    Status.HANDED_OVER,
    Status.SETTLED,
    Status.PAUSED,
    Status.REJECTED,
]


@login_required
def case_board(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.get_fund_for_user(request.user, pk)
    cases = selectors.visible_cases(request.user).filter(fund=fund).order_by("-surveyed_on", "pk")
    columns = {state: [] for state in BOARD}
    counts = {state: 0 for state in BOARD}
    for state, n in cases.values_list("status").annotate(n=Count("pk")).order_by():
        counts[state] = n
    for state in BOARD:
        columns[state] = list(cases.filter(status=state)[:20])
    # a column shows its first 20; ?status= lists all of that state, a page at a time
    state = request.GET.get("status")
    state_page, state_query = (
        paginate(request, cases.filter(status=state), 50) if state in BOARD else (None, "")
    )
    areas = _areas(request.user, fund, "mobilization.manage")
    posting = PostingForm(request.POST or None, units=areas)
    if request.method == "POST":
        if not areas:
            raise PermissionDenied(_("You do not have permission to do this."))
        if posting.is_valid():
            unit = next(u for u in areas if u.pk == posting.cleaned_data["unit"])
            try:
                count = services.post_names(
                    request.user, fund=fund, unit=unit, until=posting.cleaned_data["until"]
                )
            except ValidationError as error:
                fields = getattr(error, "message_dict", {None: error.messages})
                for field_name, messages_ in fields.items():
                    posting.add_error(
                        field_name if field_name in posting.fields else None, messages_
                    )
            else:
                messages.success(
                    request,
                    _("The full names of %(count)s households are posted until %(day)s.")
                    % {"count": count, "day": posting.cleaned_data["until"].strftime("%d/%m/%Y")}
                    if posting.cleaned_data["until"]
                    else _("The posting of full names is closed."),
                )
                return redirect("mobilization:case_board", pk=fund.pk)
    return render(
        request,
        "mobilization/case_board.html",
        {
            "fund": fund,
            "columns": [(s, Status(s).label, columns[s], counts[s]) for s in BOARD],
            "state": Status(state).label if state_page is not None else None,
            "state_page": state_page,
            "state_query": state_query,
            "may_record": can(request.user, "mobilization.record", fund.unit),
            "posting": posting if areas else None,
        },
    )


def _areas(user, fund, action: str) -> list[Unit]:
    return list(
        Unit.objects.filter(path__startswith=fund.unit.path)
        .filter(scope_filter(user, action))
        .valid_on(timezone.localdate())
        .order_by("path")[:300]
    )


@login_required
def case_new(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.get_fund_for_user(request.user, pk)
    units = list(
        Unit.objects.filter(path__startswith=fund.unit.path)
        .filter(scope_filter(request.user, "mobilization.record"))
        .valid_on(timezone.localdate())
        .order_by("path")[:300]
    )
    if not units:
        raise PermissionDenied(_("You do not have permission to do this."))
    drives = list(fund.drives.all()[:100])
    form = CaseForm(request.POST or None, units=units, drives=drives)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.pk == data.pop("unit"))
        data["drive"] = next((d for d in drives if d.pk == data["drive"]), None)
        try:
            case = services.survey_case(request.user, fund=fund, unit=unit, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("mobilization:case", pk=case.pk)
    return render(request, "mobilization/case_form.html", {"fund": fund, "form": form})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, pk)
    action = request.POST.get("action", "")
    approve = ApproveForm(request.POST if action == "approve" else None)
    disburse = DisburseForm(request.POST if action == "disburse" else None)
    settle = SettleForm(request.POST if action == "settle" else None)
    if request.method == "POST":
        try:
            if action == "approve" and approve.is_valid():
                services.approve_case(request.user, case=case, **approve.cleaned_data)
            elif action == "disburse" and disburse.is_valid():
                services.disburse(request.user, case=case, **disburse.cleaned_data)
            elif action == "settle" and settle.is_valid():
                services.settle_case(request.user, case=case, **settle.cleaned_data)
            elif action in (
                Status.IN_PROGRESS,
                Status.HANDED_OVER,
                Status.PAUSED,
                Status.REJECTED,
                "resume",
            ):
                target = case.paused_from if action == "resume" else action
                services.change_case_status(
                    request.user, case=case, to=target, reason=request.POST.get("reason", "")
                )
            else:
                raise ValidationError(_("Check the form."))
        except ValidationError as error:
            messages.error(
                request,
                " ".join(
                    m
                    for ms in getattr(error, "message_dict", {"": error.messages}).values()
                    for m in ms
                ),
            )
            case.refresh_from_db()
        else:
            messages.success(request, _("Saved."))
            return redirect("mobilization:case", pk=case.pk)
    may_see_people = can(request.user, "mobilization.view_donors", case.unit)
    may_record = can(request.user, "mobilization.record", case.unit)
    may_manage = can(request.user, "mobilization.manage", case.unit)
    return render(
        request,
        "mobilization/case_detail.html",
        {
            "case": case,
            "disbursements": list(case.disbursements.all()),
            "paid": services.cases.disbursed_total(case),
            "approve": approve,
            "disburse": disburse,
            "settle": settle,
            # on screen only the last four digits (the printed minutes carry the whole number)
            "id_number": _masked(services.id_number_of(request.user, case))
            if may_see_people
            else "",
            "may_print": may_see_people,
            "may_manage": may_manage,
            "state_actions": _state_actions(case, may_record=may_record, may_manage=may_manage),
            "final": case.status in (Status.SETTLED, Status.REJECTED),
            "photos": list(selectors.case_photos(case)),
            "photo_form": PhotoForm() if may_record and case.status != Status.REJECTED else None,
        },
    )


def _state_actions(case: SupportCase, *, may_record: bool, may_manage: bool) -> list[tuple]:
    """The buttons of the "change the state" form: only moves the case can make and the user
    may order (none on a settled or rejected case: the page says it is final)."""
    if not may_record:
        return []
    actions = []
    moves = services.cases.TRANSITIONS[case.status]
    if Status.IN_PROGRESS in moves:
        actions.append(("in_progress", _("Start the work")))
    if Status.HANDED_OVER in moves:
        actions.append(("handed_over", _("Hand over")))
    if case.status == Status.PAUSED:
        actions.append(("resume", _("Resume")))
    if Status.PAUSED in moves:
        actions.append(("paused", _("Pause")))
    if Status.REJECTED in moves and may_manage:
        actions.append(("rejected", _("Reject")))
    return actions


@login_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case_for_user(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_case_photo(
                request.user,
                case=case,
                file=form.cleaned_data["file"],
                stage=form.cleaned_data["stage"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The photo is added."))
    else:
        messages.error(request, _("Choose a photo and whether it is before or after."))
    return redirect("mobilization:case", pk=case.pk)


@login_required
@require_POST
def photo_public(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.get_photo_for_user(request.user, pk)
    case = photo.case
    try:
        services.set_photo_public(
            request.user, photo=photo, public=request.POST.get("public") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("mobilization:case", pk=case.pk)


def _masked(id_number: str) -> str:
    return "•" * max(len(id_number) - 4, 0) + id_number[-4:] if id_number else ""


MINUTES = {"survey", "handover", "completion"}


@login_required
def minute(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The three printed minutes of a case: survey, cash handover (decision number, amount in
    figures and in words, witness) and completion."""

    if kind not in MINUTES:
        raise Http404
    case = selectors.get_case_for_user(request.user, pk)
    require(request.user, "mobilization.view_donors", case.unit)
    html = render_to_string(
        f"mobilization/pdf/{kind}.html",
        {
            "case": case,
            "disbursements": list(case.disbursements.all()),
            "paid": services.cases.disbursed_total(case),
            "id_number": services.id_number_of(request.user, case),
            "today": timezone.localdate(),
        },
    )
    pdf = render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-{kind}-{case.pk}.pdf"'
    return response


@login_required
def warehouse(request: HttpRequest) -> HttpResponse:
    unit, _units = current_unit(request)
    if unit is None:
        raise PermissionDenied(_("You do not have permission to do this."))
    require(request.user, "mobilization.view", unit)
    items = list(selectors.warehouse(unit))
    form = StockOutForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        item = next(i for i in items if i.pk == form.cleaned_data["item"])
        try:
            services.stock_out(
                request.user,
                item=item,
                quantity=form.cleaned_data["quantity"],
                recipient=form.cleaned_data["recipient"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("mobilization:warehouse")
    return render(
        request, "mobilization/warehouse.html", {"unit": unit, "items": items, "form": form}
    )


@login_required
def export(request: HttpRequest, pk: int, book: str) -> HttpResponse:
    drive = selectors.get_drive_for_user(request.user, pk)
    require(request.user, "mobilization.view_donors", drive.owner_unit)
    form = ExportForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    unit = None
    if data.get("unit"):
        unit = Unit.objects.filter(pk=data["unit"], path__startswith=drive.owner_unit.path).first()
    period = exports.Period(date_from=data.get("date_from"), date_to=data.get("date_to"), unit=unit)
    return exports.response(drive, book, period)
