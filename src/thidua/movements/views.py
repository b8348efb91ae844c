"""Movement pages: thin views over services and selectors."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.selectors import my_units, units_user_may
from thidua.core import versioned
from thidua.core.forms import LocalDecimalField, add_errors
from thidua.core.pagination import paginate
from thidua.core.policy import can, require
from thidua.movements import charts, selectors, services
from thidua.movements.exports import dashboard_workbook, workbook_response
from thidua.movements.forms import (
    DashboardForm,
    EvidenceForm,
    IndicatorFormSet,
    MovementForm,
    ReasonForm,
    WorkForm,
    WorkStatusForm,
)
from thidua.movements.models import Indicator, Movement, Period, Registration, Report, Work
from thidua.org.models import Unit
from thidua.org.selectors import get_unit_for_user, normalise_search


@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    movements = selectors.visible_movements(request.user)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if query:
        movements = movements.filter(title__icontains=query)
    if status in Movement.Status.values:
        movements = movements.filter(status=status)
    page, params = paginate(request, movements, 20)
    return render(
        request,
        "movements/movement_list.html",
        {
            "page": page,
            "q": query,
            "status": status,
            "statuses": Movement.Status.choices,
            "query": params,
            "can_create": can(request.user, "movements.manage"),
        },
    )


@login_required
def movement_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "movements.manage")
    units = units_user_may(request.user, "movements.manage")
    parents = selectors.visible_movements(request.user).filter(status=Movement.Status.LAUNCHED)
    form = MovementForm(request.POST or None, units=units, parents=parents)
    formset = IndicatorFormSet(request.POST or None, prefix="ind")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        indicators = [spec for f in formset if (spec := f.spec())]
        try:
            movement = services.create_movement(
                request.user,
                title=data["title"],
                description=data["description"],
                owner_unit=Unit.objects.get(pk=data["owner_unit"]),
                parent=Movement.objects.filter(pk=data["parent"]).first()
                if data["parent"]
                else None,
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                schedule=data["schedule"],
                due_days=data["due_days"],
                reminder_days=data["reminder_days"],
                fields=list(data["fields"]),
                scope_kinds=list(data["scope_kinds"]),
                indicators=indicators,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The movement was saved as a draft. Launch it when ready."))
            return redirect("movements:detail", pk=movement.pk)
    return render(request, "movements/movement_form.html", {"form": form, "formset": formset})


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    today = timezone.localdate()
    mine = [u for u in my_units(request.user) if services.in_scope(movement, u)]
    registrations = {
        r.unit_id: r for r in Registration.objects.filter(movement=movement, unit__in=mine)
    }
    return render(
        request,
        "movements/movement_detail.html",
        {
            "movement": movement,
            "indicators": movement.indicators.prefetch_related("targets__unit_kind"),
            "periods": movement.periods.all(),
            "can_manage": can(request.user, "movements.manage", movement.owner_unit),
            "my_participation": [(u, registrations.get(u.pk)) for u in mine],
            "counts": selectors.registration_counts(movement),
            "today": today,
        },
    )


@login_required
@require_POST
def movement_launch(request: HttpRequest, pk: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    action = services.close_movement if request.POST.get("close") else services.launch_movement
    try:
        action(request.user, movement=movement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The movement was closed.")
            if request.POST.get("close")
            else _("The movement was launched."),
        )
    return redirect("movements:detail", pk=movement.pk)


def _unit_in_scope_for_user(request: HttpRequest, movement: Movement, unit_id) -> Unit:
    try:
        unit = get_unit_for_user(request.user, int(unit_id))
    except (TypeError, ValueError) as error:
        raise Http404 from error
    return unit


def _targets_form(movement: Movement, data=None, initial=None) -> forms.Form:
    fields = {
        "note": forms.CharField(
            label=gettext_lazy("Commitment"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    }
    for indicator in movement.indicators.all():
        fields[f"target_{indicator.pk}"] = LocalDecimalField(
            label=_("Pledged target: %(indicator)s") % {"indicator": indicator},
            required=False,
            min_value=0,
            max_digits=14,
        )
    return type("RegistrationForm", (forms.Form,), fields)(data, initial=initial)


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    unit = _unit_in_scope_for_user(request, movement, request.GET.get("unit"))
    if not can(request.user, "unit.enter_data", unit):
        raise PermissionDenied(_("You do not have permission to do this."))
    registration = Registration.objects.filter(movement=movement, unit=unit).first()
    initial = {}
    if registration is not None:
        initial = {"note": registration.note} | {
            f"target_{t.indicator_id}": t.target for t in registration.pledged_targets.all()
        }
    form = _targets_form(movement, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(
                request.user,
                movement=movement,
                unit=unit,
                note=form.cleaned_data["note"],
                targets={
                    int(name.split("_")[1]): value
                    for name, value in form.cleaned_data.items()
                    if name.startswith("target_") and value is not None
                },
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The registration was sent to the unit above."))
            return redirect("movements:registration", pk=movement.pk, rid=registration.pk)
    return render(
        request,
        "movements/register.html",
        {"movement": movement, "unit": unit, "form": form, "registration": registration},
    )


@login_required
def registration_detail(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    registration = selectors.get_registration_for_user(request.user, movement, rid)
    work_form = WorkForm(request.POST or None)
    if request.method == "POST" and work_form.is_valid():
        try:
            services.add_work(request.user, registration=registration, **work_form.cleaned_data)
        except ValidationError as error:
            add_errors(work_form, error)
        else:
            messages.success(request, _("The work was added."))
            return redirect("movements:registration", pk=movement.pk, rid=registration.pk)
    unit = registration.unit
    return render(
        request,
        "movements/registration_detail.html",
        {
            "movement": movement,
            "registration": registration,
            "works": registration.works.select_related("field").prefetch_related("evidence"),
            "targets": registration.pledged_targets.select_related("indicator"),
            "can_edit": can(request.user, "unit.enter_data", unit),
            "can_decide": unit.parent is not None
            and can(request.user, "unit.approve", unit.parent),
            "work_form": work_form,
            "reason_form": ReasonForm(),
            "status_form": WorkStatusForm(),
            "evidence_form": EvidenceForm(),
        },
    )


@login_required
@require_POST
def registration_decide(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    registration = selectors.get_registration_for_user(request.user, movement, rid)
    try:
        if request.POST.get("decision") == "accept":
            services.accept_registration(request.user, registration=registration)
            messages.success(request, _("The registration was accepted."))
        else:
            services.return_registration(
                request.user, registration=registration, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The registration was returned."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("movements:registration", pk=movement.pk, rid=registration.pk)


@login_required
@require_POST
def work_update(request: HttpRequest, pk: int, wid: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    work = selectors.get_work_for_user(request.user, movement, wid)
    try:
        if "file" in request.FILES:
            form = EvidenceForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError([m for errors in form.errors.values() for m in errors])
            services.add_evidence(
                request.user,
                work=work,
                file=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        else:
            services.set_work_status(request.user, work=work, status=request.POST.get("status"))
        messages.success(request, _("The work was updated."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("movements:registration", pk=movement.pk, rid=work.registration_id)


def _report_form(movement: Movement, data=None, initial=None) -> forms.Form:
    fields = {}
    for indicator in movement.indicators.all():
        fields[f"value_{indicator.pk}"] = LocalDecimalField(
            label=str(indicator), required=False, min_value=0, max_digits=16, decimal_places=2
        )
        if indicator.aggregation == Indicator.Aggregation.RATIO:
            fields[f"base_{indicator.pk}"] = LocalDecimalField(
                label=_("Base for %(indicator)s") % {"indicator": indicator.name},
                required=False,
                min_value=0,
                max_digits=16,
                decimal_places=2,
            )
    fields["narrative"] = forms.CharField(
        label=gettext_lazy("Narrative"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    return type("ReportForm", (forms.Form,), fields)(data, initial=initial)


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    unit = _unit_in_scope_for_user(request, movement, request.GET.get("unit"))
    period = get_object_or_404(Period, movement=movement, pk=request.GET.get("period") or 0)
    if not can(request.user, "unit.enter_data", unit):
        raise PermissionDenied(_("You do not have permission to do this."))
    report = Report.objects.filter(movement=movement, unit=unit, period=period).first()
    initial = {}
    if report is not None:
        initial = {"narrative": report.narrative}
        for value in report.values.all():
            initial[f"value_{value.indicator_id}"] = value.value
            initial[f"base_{value.indicator_id}"] = value.base
    form = _report_form(movement, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.save_report(
                request.user,
                movement=movement,
                unit=unit,
                period=period,
                values={int(k[6:]): v for k, v in data.items() if k.startswith("value_")},
                bases={int(k[5:]): v for k, v in data.items() if k.startswith("base_")},
                narrative=data["narrative"],
                submit=request.POST.get("submit") == "1",
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The report was submitted.")
                if report.status == Report.Status.SUBMITTED
                else _("The draft was saved."),
            )
            return redirect("movements:report", pk=movement.pk, rid=report.pk)
    return render(
        request,
        "movements/report_form.html",
        {"movement": movement, "unit": unit, "period": period, "form": form, "report": report},
    )


@login_required
def report_detail(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    report = selectors.get_report_for_user(request.user, movement, rid)
    unit = report.unit
    return render(
        request,
        "movements/report_detail.html",
        {
            "movement": movement,
            "report": report,
            "values": report.values.select_related("indicator"),
            "events": report.events.select_related("actor"),
            "can_edit": can(request.user, "unit.enter_data", unit)
            and report.status in (Report.Status.DRAFT, Report.Status.RETURNED),
            "can_decide": unit.parent is not None
            and can(request.user, "unit.approve", unit.parent)
            and report.status == Report.Status.SUBMITTED,
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def report_decide(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    report = selectors.get_report_for_user(request.user, movement, rid)
    try:
        if request.POST.get("decision") == "accept":
            services.accept_report(request.user, report=report)
            messages.success(request, _("The report was accepted."))
        else:
            services.return_report(
                request.user, report=report, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The report was returned."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("movements:report", pk=movement.pk, rid=report.pk)


DASHBOARD_PAGE = 25


@dataclass
class DashboardRow:
    """One unit below the dashboard's root: its coverage and its figure for each indicator."""

    unit: Unit
    cover: selectors.CoverageRow
    values: list = field(default_factory=list)  # in the order of the results
    cells: list = field(default_factory=list)  # (value, how it is written), for the page shown


def _sort_key(sort: str, results: list):
    """The key of a column header ("reported", "-late", "i3" …): (key function, descending)."""
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name == "name":
        return (lambda row: row.unit.name.casefold()), descending
    if name in ("registered", "reported"):
        # Units that take no part (a closed district with old results) go last either way.
        def share(row, name=name):
            outside = not row.cover.expected
            return (outside != descending, getattr(row.cover, f"{name}_share"), row.unit.name)

        return share, descending
    if name in ("late", "expected"):
        return (lambda row: (getattr(row.cover, name), row.unit.name)), descending
    for index, result in enumerate(results):
        if name == f"i{result.indicator.pk}":
            # Units without a figure go last whichever the direction.
            def key(row, index=index):
                value = row.values[index]
                missing = value is None
                return (missing != descending, value if value is not None else 0)

            return key, descending
    return None, False


def _dashboard_rows(cover, results) -> list[DashboardRow]:
    rows = {row.unit.pk: DashboardRow(unit=row.unit, cover=row) for row in cover.rows}
    for index, result in enumerate(results):
        for unit, value in result.by_child:
            if unit.pk not in rows:
                if not value:  # a unit taking no part and without a figure is not shown
                    continue
                rows[unit.pk] = DashboardRow(unit=unit, cover=selectors.CoverageRow(unit=unit))
            row = rows[unit.pk]
            row.values.extend([None] * (index + 1 - len(row.values)))
            row.values[index] = value
    for row in rows.values():
        row.values.extend([None] * (len(results) - len(row.values)))
    return list(rows.values())


def _dashboard_scope(request: HttpRequest, movement: Movement) -> dict:
    """The question the dashboard answers (root, period, tree), the root checked against the
    user's scope (`dashboard_root`: 404 outside it)."""
    periods = list(movement.periods.all())
    form = DashboardForm(request.GET or None, periods=periods)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    root = selectors.dashboard_root(request.user, movement, data.get("unit") or None)
    period = next((p for p in periods if p.pk == data.get("period")), None)
    tree_choice = data.get("tree") or "then"
    if tree_choice == "now" and not root.is_current:
        raise Http404
    return {
        "movement": movement,
        "periods": periods,
        "form": form,
        "root": root,
        "period": period,
        "tree_choice": tree_choice,
    }


def _dashboard_context(request: HttpRequest, movement: Movement) -> dict:
    context = _dashboard_scope(request, movement)
    return _dashboard_figures(context)


def _dashboard_figures(context: dict) -> dict:
    movement, root, period = context["movement"], context["root"], context["period"]
    tree = "then" if context["tree_choice"] == "then" else timezone.localdate()
    cover = selectors.coverage(movement, root=root, period=period, periods=context["periods"])
    results = selectors.results(
        movement, root=root, periods=[period] if period else None, tree=tree
    )
    return {**context, "coverage": cover, "results": results}


def _dashboard_page(request: HttpRequest, context: dict) -> dict:
    """What the page adds to the export's figures: the summary's charts, and the units below the
    root ranked, searched, filtered to the late ones and paginated."""
    cover, results = context["coverage"], context["results"]
    rows = _dashboard_rows(cover, results)
    query = request.GET.get("q", "").strip()
    late_only = request.GET.get("late") == "1"
    sort = request.GET.get("sort") or "reported"
    key, descending = _sort_key(sort, results)
    if key is None:
        sort, (key, descending) = "reported", _sort_key("reported", results)
    shown = rows
    if query:
        wanted = normalise_search(query)
        shown = [row for row in shown if wanted in normalise_search(row.unit.name)]
    if late_only:
        shown = [row for row in shown if row.cover.late]
    shown = sorted(shown, key=key, reverse=descending)
    page = Paginator(shown, DASHBOARD_PAGE).get_page(request.GET.get("page"))
    kinds = [_figure_kind(result) for result in results]
    for row in page.object_list:
        row.cells = list(zip(row.values, kinds, strict=True))
    base = {
        "period": context["period"].pk if context["period"] else "",
        "tree": context["tree_choice"],
    }
    if context["root"] != context["movement"].owner_unit:
        base["unit"] = context["root"].pk
    filters = {**base, "q": query, "late": "1" if late_only else ""}
    columns = [
        ("name", _("Unit")),
        ("expected", _("Expected")),
        ("registered", _("Registered")),
        ("reported", _("Reported")),
        ("late", _("Late")),
    ] + [(f"i{r.indicator.pk}", r.indicator.name) for r in results]
    headers = [
        {
            "label": label,
            "key": key_,
            "sorted": sort.lstrip("-") == key_,
            "descending": sort.startswith("-"),
            # a second click on the sorted column turns it round; numbers open highest first
            "query": urlencode(
                _clean(
                    {
                        **filters,
                        "sort": (key_ if sort == f"-{key_}" else f"-{key_}")
                        if key_ != "name"
                        else ("-name" if sort == "name" else "name"),
                    }
                )
            ),
        }
        for key_, label in columns
    ]
    return {
        "rows_page": page,
        "rows_total": len(rows),
        "rows_taking_part": sum(1 for row in rows if row.cover.expected),
        "rows_shown": len(shown),
        "q": query,
        "late_only": late_only,
        "sort": sort,
        "headers": headers,
        "page_query": urlencode(_clean({**filters, "sort": sort})),
        "base_query": urlencode(_clean(base)),
        "late_query": urlencode(_clean({**base, "late": "1", "sort": "-late"})),
        "distribution": charts.distribution(
            row.cover.reported_share for row in rows if row.cover.expected
        ),
        "ranked": [
            (
                result,
                charts.ranked(
                    ((row.unit.name, row.values[index]) for row in rows), kind=kinds[index]
                ),
            )
            for index, result in enumerate(results)
        ],
    }


def _figure_kind(result) -> str:
    """How an indicator's figures are written: ratios as shares (91,3 %), others as numbers."""
    return "percent" if result.indicator.aggregation == Indicator.Aggregation.RATIO else "number"


def _clean(query: dict) -> dict:
    return {k: v for k, v in query.items() if v not in (None, "")}


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The page's body is the same for everyone allowed to see this root: rendered once per
    address, root, language and day until the movement or the tree changes (`core.versioned`);
    the permission checks (the movement, the root) run on every request, before it is read."""
    movement = selectors.get_movement_for_user(request.user, pk)
    scope = _dashboard_scope(request, movement)

    def body() -> str:
        context = _dashboard_figures(scope)
        context.update(_dashboard_page(request, context))
        context["export_query"] = request.GET.urlencode()
        return render_to_string("movements/_dashboard_body.html", context)

    return render(
        request,
        "movements/dashboard.html",
        {
            "movement": movement,
            "root": scope["root"],
            "body": versioned.cached(
                "movements.dashboard_body",
                [
                    movement.pk,
                    scope["root"].pk,
                    request.get_full_path(),
                    get_language(),
                    timezone.localdate(),
                ],
                kinds=selectors.DASHBOARD_KINDS,
                compute=body,
            ),
        },
    )


@login_required
def dashboard_export(request: HttpRequest, pk: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    context = _dashboard_context(request, movement)
    workbook = dashboard_workbook(context)
    return workbook_response(workbook, f"{movement.slug}-dashboard.xlsx")


def public_movement_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_movements(), 20).get_page(request.GET.get("page"))
    return render(request, "movements/public_list.html", {"page": page, "query": ""})


def public_movement(request: HttpRequest, slug: str) -> HttpResponse:
    movement = get_object_or_404(selectors.public_movements(), slug=slug)
    cover = selectors.coverage(movement, root=movement.owner_unit)
    results = selectors.results(movement, root=movement.owner_unit)
    return render(
        request,
        "movements/public_detail.html",
        {
            "movement": movement,
            "coverage": cover,
            "results": results,
            "congress_works": Work.objects.filter(movement=movement, is_congress_work=True)
            .select_related("owner_unit")
            .order_by("-status", "deadline")[:30],
        },
    )
