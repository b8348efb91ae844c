from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts import services as account_services
from thidua.accounts.forms import GrantRoleForm
from thidua.accounts.models import RoleGrant
from thidua.accounts.selectors import grants_on_unit
from thidua.core.policy import can, require, scope_paths
from thidua.org import selectors, services
from thidua.org.forms import RestructuringForm, TreeFilterForm
from thidua.org.models import Restructuring, Unit


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """Browse the tree from the top units the user may see, on any date, or search it."""
    form = TreeFilterForm(request.GET or None)
    as_of = timezone.localdate()
    query = ""
    if form.is_valid():
        as_of = form.cleaned_data["as_of"] or as_of
        query = form.cleaned_data["q"]
    paths = scope_paths(request.user, "org.view_unit")
    results = None
    if query:
        results = [
            unit
            for unit in selectors.search_units(query, as_of=as_of, limit=200)
            if paths is None or any(unit.path.startswith(p) for p in paths)
        ][:50]
        top = []
    elif paths is None:
        top = list(selectors.roots(as_of=as_of))
    else:
        top = list(
            selectors.children_annotated(Unit.objects.filter(path__in=paths).valid_on(as_of))
        )
    return render(
        request,
        "org/tree.html",
        {"form": form, "as_of": as_of, "top": top, "results": results, "query": query},
    )


@login_required
def children_partial(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, pk)
    form = TreeFilterForm(request.GET or None)
    as_of = (form.cleaned_data.get("as_of") if form.is_valid() else None) or timezone.localdate()
    return render(
        request,
        "org/partials/children.html",
        {"units": selectors.children(unit, as_of=as_of), "as_of": as_of},
    )


def _breadcrumbs(user, unit) -> list[tuple[Unit, bool]]:
    """The unit's ancestors, each with whether the user may open it: one outside their part of
    the tree is named, not linked (the link would be a 404)."""
    return [(a, can(user, "org.view_unit", a)) for a in selectors.ancestors(unit)]


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, pk)
    today = timezone.localdate()
    context = {
        "unit": unit,
        "ancestors": _breadcrumbs(request.user, unit),
        "children": selectors.children(unit, as_of=unit.valid_to or today),
        "lineage": selectors.lineage_of(unit),
        "can_grant": can(request.user, "accounts.grant_role", unit),
        "grants": None,
        "grant_form": GrantRoleForm(initial={"valid_from": today}),
    }
    if can(request.user, "accounts.view_grants", unit):
        context["grants"] = grants_on_unit(request.user, unit=unit)
    return render(request, "org/unit_detail.html", context)


@login_required
@require_POST
def grant_role(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, pk)
    form = GrantRoleForm(request.POST)
    if form.is_valid():
        try:
            account_services.grant_role(
                request.user,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                unit=unit,
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The role was granted."))
            return redirect("org:unit_detail", pk=unit.pk)
    today = timezone.localdate()
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "ancestors": _breadcrumbs(request.user, unit),
            "children": selectors.children(unit, as_of=today),
            "lineage": selectors.lineage_of(unit),
            "can_grant": can(request.user, "accounts.grant_role", unit),
            "grants": grants_on_unit(request.user, unit=unit)
            if can(request.user, "accounts.view_grants", unit)
            else None,
            "grant_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def end_grant(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, pk)
    grant = get_object_or_404(RoleGrant, pk=grant_pk, unit=unit)
    try:
        account_services.end_grant(request.user, grant=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role was ended."))
    return redirect("org:unit_detail", pk=unit.pk)


@login_required
def restructuring_list(request: HttpRequest) -> HttpResponse:

    require(request.user, "org.restructure")
    page = Paginator(selectors.restructurings(), 25).get_page(request.GET.get("page"))
    return render(request, "org/restructuring_list.html", {"page": page, "query": ""})


@login_required
def restructuring_new(request: HttpRequest) -> HttpResponse:
    """The wizard: describe one operation, preview every unit closed and opened, then apply."""

    require(request.user, "org.restructure")
    form = RestructuringForm(request.POST or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        apply = request.POST.get("confirm") == "apply"
        try:
            restructuring, plan = services.apply_restructuring(
                request.user,
                effective_date=form.cleaned_data["effective_date"],
                title=form.cleaned_data["title"],
                legal_basis=form.cleaned_data["legal_basis"],
                operations=form.operations(),
                dry_run=not apply,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if apply:
                messages.success(request, _("The restructuring was applied."))
                return redirect("org:restructuring_list")
    return render(request, "org/restructuring_form.html", {"form": form, "plan": plan})


@login_required
def restructuring_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then undo: a restructuring that closed many units needs its name typed."""

    require(request.user, "org.restructure")
    restructuring = get_object_or_404(Restructuring, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.undo_restructuring(
                request.user,
                restructuring=restructuring,
                confirmation=request.POST.get("confirmation", ""),
            )
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            messages.success(request, _("The restructuring was undone."))
            return redirect("org:restructuring_list")
    context = {
        "restructuring": restructuring,
        "closed_count": restructuring.closed_units.count(),
        "opened_count": restructuring.opened_units.count(),
        "needs_name": services.undo_needs_typed_name(restructuring),
        "error": error,
    }
    return render(request, "org/restructuring_undo.html", context, status=400 if error else 200)
