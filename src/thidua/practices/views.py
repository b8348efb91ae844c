"""Practice and exemplar pages (staff and public): thin views over services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.selectors import my_units, units_user_may
from thidua.core.excel import add_table, new_workbook, workbook_response
from thidua.core.forms import add_errors
from thidua.core.pagination import paginate
from thidua.core.policy import can, refuse
from thidua.honors import selectors as honors_selectors
from thidua.org.models import Unit, UnitKind
from thidua.org.selectors import normalise_search, units_named
from thidua.practices import selectors, services
from thidua.practices.forms import (
    ExemplarForm,
    FilterForm,
    PlanForm,
    PracticeForm,
    ReplicateForm,
    StageForm,
    SummaryForm,
)
from thidua.practices.models import Exemplar, Practice, Stage


def _entry_units(user) -> list[Unit]:
    return units_user_may(user, "unit.enter_data")


def _filtered(request: HttpRequest, practices):
    form = FilterForm(request.GET or None)
    units = None
    if form.is_valid():
        data = form.cleaned_data
        if data["unit"]:
            units = units_named(data["unit"], current=True)
            if not units:
                form.add_error("unit", _("No unit has this name."))
                return form, practices.none()
        practices = selectors.filter_practices(
            practices, field=data["field"], stage=data["stage"], units=units, query=data["q"]
        )
    return form, practices


@login_required
def practice_list(request: HttpRequest) -> HttpResponse:
    form, practices = _filtered(request, selectors.visible_practices(request.user))
    if request.GET.get("format") == "xlsx":
        workbook = new_workbook()
        add_table(
            workbook,
            _("Practices"),
            [_("Title"), _("Unit"), _("Field"), _("Stage"), _("Started on"), _("Replicated from")],
            [
                [
                    p.title,
                    p.owner_unit.display_name,
                    p.field.name,
                    p.get_stage_display(),
                    p.started_on,
                    p.source.owner_unit.display_name if p.source else "",
                ]
                for p in practices.select_related("source__owner_unit")
            ],
        )
        return workbook_response(workbook, "practices.xlsx")
    page, query = paginate(request, practices, 25)
    return render(
        request,
        "practices/practice_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_record": bool(_entry_units(request.user)),
        },
    )


@login_required
def practice_create(request: HttpRequest) -> HttpResponse:
    units = _entry_units(request.user)
    if not units:
        refuse()  # may record in no unit
    form = PracticeForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            practice = services.record_practice(
                request.user,
                owner_unit=next(u for u in units if u.pk == data["owner_unit"]),
                title=data["title"],
                field=data["field"],
                description=data["description"],
                started_on=data["started_on"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The practice was recorded."))
            return redirect("practices:detail", pk=practice.pk)
    return render(request, "practices/practice_form.html", {"form": form})


def _detail_context(request: HttpRequest, practice: Practice, **forms) -> dict:
    unit = practice.owner_unit
    can_lead = can(request.user, "unit.approve", unit)
    adopting = [u for u in _entry_units(request.user) if u.pk != unit.pk]
    context = {
        "practice": practice,
        "history": practice.stage_changes.select_related("actor"),
        "plan": getattr(practice, "plan", None),
        "summary": getattr(practice, "summary", None),
        "tree": selectors.replication_tree(practice),
        "reach": selectors.reach(practice),
        "can_lead": can_lead,
        "can_edit": can(request.user, "unit.enter_data", unit),
        "stage_form": forms.get("stage_form") or StageForm(),
        "plan_form": forms.get("plan_form") or PlanForm(),
        "summary_form": forms.get("summary_form")
        or SummaryForm(
            initial=(
                {
                    "results": practice.summary.results,
                    "lessons": practice.summary.lessons,
                    "how_to_replicate": practice.summary.how_to_replicate,
                }
                if hasattr(practice, "summary")
                else None
            )
        ),
        "replicate_form": forms.get("replicate_form")
        or ReplicateForm(units=adopting, initial={"started_on": timezone.localdate()}),
        "can_replicate": bool(adopting),
        "can_nominate": practice.stage == Stage.REPLICATED
        and can(request.user, "unit.enter_data", unit),
        "nominations": honors_selectors.nominations_from(
            request.user, kind="practice", pk=practice.pk
        ),
        "stages": Stage.choices,
    }
    return context


@login_required
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = selectors.get_practice_for_user(request.user, pk)
    return render(request, "practices/practice_detail.html", _detail_context(request, practice))


@login_required
@require_POST
def practice_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The forms of the practice page: stage, plan, summary, replicate."""
    practice = selectors.get_practice_for_user(request.user, pk)
    forms = {}
    try:
        if action == "stage":
            form = forms["stage_form"] = StageForm(request.POST, request.FILES)
            if form.is_valid():
                services.move_stage(request.user, practice=practice, **form.cleaned_data)
                messages.success(request, _("The stage was changed."))
                return redirect("practices:detail", pk=practice.pk)
        elif action == "plan":
            form = forms["plan_form"] = PlanForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                mentor = Unit.objects.filter(
                    code=data["mentoring_unit"], valid_to__isnull=True
                ).first()
                if mentor is None:
                    form.add_error("mentoring_unit", _("No unit with this code."))
                else:
                    services.set_nurture_plan(
                        request.user,
                        practice=practice,
                        mentoring_unit=mentor,
                        goals=data["goals"],
                        checkpoints=data["checkpoints"],
                    )
                    messages.success(request, _("The nurture plan was saved."))
                    return redirect("practices:detail", pk=practice.pk)
        elif action == "summary":
            form = forms["summary_form"] = SummaryForm(request.POST)
            if form.is_valid():
                services.write_summary(request.user, practice=practice, **form.cleaned_data)
                messages.success(request, _("The summary report was saved."))
                return redirect("practices:detail", pk=practice.pk)
        elif action == "replicate":
            units = [u for u in _entry_units(request.user) if u.pk != practice.owner_unit_id]
            form = forms["replicate_form"] = ReplicateForm(request.POST, units=units)
            if form.is_valid():
                data = form.cleaned_data
                replica = services.replicate(
                    request.user,
                    source=practice,
                    adopting_unit=next(u for u in units if u.pk == data["adopting_unit"]),
                    started_on=data["started_on"],
                    adaptations=data["adaptations"],
                    override_reason=data["override_reason"],
                )
                messages.success(request, _("The practice was replicated."))
                return redirect("practices:detail", pk=replica.pk)
        else:
            raise Http404
    except ValidationError as error:
        add_errors(form, error)
    return render(
        request,
        "practices/practice_detail.html",
        _detail_context(request, practice, **forms),
        status=400,
    )


COVERAGE_PAGE = 25


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """Which units have a practice in each field, under a unit of mine (default: my first)."""
    units = my_units(request.user)
    unit_id = request.GET.get("unit")
    try:
        root = selectors.coverage_root(request.user, int(unit_id) if unit_id else None)
    except ValueError as error:
        raise Http404 from error
    kinds = UnitKind.objects.filter(order__gt=root.kind.order)
    # It opens on the next level down (the root's own children: wards under a city since the
    # 2025 reform, residential groups under a ward), not on the thousands of leaves.
    kind = (
        (kinds.filter(code=request.GET.get("kind")).first() if request.GET.get("kind") else None)
        or selectors.next_level(root)
        or kinds.first()
    )
    if kind is None:
        raise Http404
    cover = selectors.coverage(root, kind=kind)
    if request.GET.get("format") == "xlsx":
        workbook = new_workbook()
        add_table(
            workbook,
            _("Coverage"),
            [_("Code"), _("Unit"), *[f.name for f in cover.fields]],
            [
                [row.unit.code, row.unit.name, *[row.fields.get(f.pk, 0) for f in cover.fields]]
                for row in cover.rows
            ],
        )
        add_table(
            workbook,
            _("Gaps"),
            [_("Field"), _("Code"), _("Unit")],
            [[f.name, u.code, u.name] for f in cover.fields for u in cover.gaps(f.pk)],
        )
        return workbook_response(workbook, f"practice-coverage-{root.code}.xlsx")
    stage_table: dict[int, dict[str, int]] = {}
    for (field_id, stage), count in cover.stage_counts.items():
        stage_table.setdefault(field_id, {})[stage] = count
    rows = cover.gaps_first()
    query = request.GET.get("q", "").strip()
    if query:
        wanted = normalise_search(query)
        rows = [row for row in rows if wanted in normalise_search(row.unit.name)]
    page = Paginator(rows, COVERAGE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practices/coverage.html",
        {
            "page": page,
            "q": query,
            "rows_shown": len(rows),
            "query": urlencode({"unit": root.pk, "kind": kind.code, "q": query}),
            "per_field": [(f, cover.covered(f.pk)) for f in cover.fields],
            "cover": cover,
            "root": root,
            "kinds": kinds,
            "kind": kind,
            "units": units,
            "stages": Stage.choices,
            "stage_table": stage_table,
        },
    )


@login_required
def exemplar_list(request: HttpRequest) -> HttpResponse:
    exemplars = selectors.visible_exemplars(request.user)
    page = Paginator(exemplars, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "practices/exemplar_list.html",
        {"page": page, "query": "", "can_propose": bool(_entry_units(request.user))},
    )


@login_required
def exemplar_create(request: HttpRequest) -> HttpResponse:
    units = _entry_units(request.user)
    if not units:
        refuse()  # may propose in no unit
    form = ExemplarForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exemplar = services.propose_exemplar(
                request.user,
                owner_unit=next(u for u in units if u.pk == data["owner_unit"]),
                kind=data["kind"],
                name=data["name"],
                deeds=data["deeds"],
                story=data["story"],
                photo=data["photo"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The exemplar was proposed to the unit above."))
            return redirect("practices:exemplar_detail", pk=exemplar.pk)
    return render(request, "practices/exemplar_form.html", {"form": form})


@login_required
def exemplar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = selectors.get_exemplar_for_user(request.user, pk)
    unit = exemplar.owner_unit
    return render(
        request,
        "practices/exemplar_detail.html",
        {
            "exemplar": exemplar,
            "can_verify": unit.parent_id is not None
            and can(request.user, "unit.approve", unit.parent),
            "can_feature": can(request.user, "content.edit", unit),
            "can_nominate": exemplar.status == Exemplar.Status.VERIFIED
            and can(request.user, "unit.enter_data", unit),
            "nominations": honors_selectors.nominations_from(
                request.user, kind="exemplar", pk=exemplar.pk
            ),
        },
    )


@login_required
@require_POST
def exemplar_decide(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = selectors.get_exemplar_for_user(request.user, pk)
    decision = request.POST.get("decision")
    try:
        if decision in ("verify", "return"):
            services.verify_exemplar(
                request.user,
                exemplar=exemplar,
                accept=decision == "verify",
                reason=request.POST.get("reason", ""),
            )
        elif decision in ("feature", "unfeature"):
            services.feature_exemplar(
                request.user, exemplar=exemplar, featured=decision == "feature"
            )
        elif decision == "put_forward":
            services.feature_exemplar(
                request.user, exemplar=exemplar, featured=exemplar.is_featured, put_forward=True
            )
        else:
            raise Http404
        messages.success(request, _("Saved."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("practices:exemplar_detail", pk=exemplar.pk)


# --- public ---------------------------------------------------------------------------------


def public_practice_list(request: HttpRequest) -> HttpResponse:
    form, practices = _filtered(request, selectors.public_practices())
    page, query = paginate(request, practices, 20)
    return render(
        request,
        "practices/public/practice_list.html",
        {"form": form, "page": page, "query": query},
    )


def public_practice(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(selectors.public_practices(), pk=pk)
    return render(
        request,
        "practices/public/practice_detail.html",
        {
            "practice": practice,
            "reach": selectors.reach(practice),
            "summary": getattr(practice, "summary", None),
            "exemplars": practice.exemplars.filter(status=Exemplar.Status.VERIFIED),
        },
    )


def public_exemplar_list(request: HttpRequest) -> HttpResponse:
    exemplars = selectors.public_exemplars().order_by("-is_featured", "-verified_at")
    page = Paginator(exemplars, 20).get_page(request.GET.get("page"))
    return render(request, "practices/public/exemplar_list.html", {"page": page, "query": ""})


def public_exemplar(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_object_or_404(selectors.public_exemplars(), pk=pk)
    return render(request, "practices/public/exemplar_detail.html", {"exemplar": exemplar})
