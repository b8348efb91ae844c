"""The staff home and the inbox ("Việc của tôi"): they compose what every app has for the
officer (project-level pages, like urls.py, so that no app has to import the apps above it)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from thidua.accounts.context_processors import current_unit
from thidua.accounts.selectors import children_in_force, staff_home_summary, work_units
from thidua.core import notifications, versioned, work
from thidua.core.forms import WorkFilterForm
from thidua.core.models import Notification
from thidua.core.policy import GRANT_KINDS, can

HOME_ITEMS = 5
UNIT_PLACEHOLDER = 987654321


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The unit the officer works in, their work (counts and the first items), notifications.
    Someone with no staff role (a citizen) lands on their own public page instead."""
    if not can(request.user, "core.use_workspace"):
        return redirect("my_page")
    unit, units = current_unit(request)
    context = {
        "unit": unit,
        "units": units,
        "work": work.summary(request.user, items=HOME_ITEMS),
        "notifications": Notification.objects.filter(user=request.user, read_at__isnull=True)[:10],
    }
    if unit is not None:
        context.update(staff_home_summary(request.user, unit=unit))
        context["children_list"] = _children_list(unit, linked=context["may_view_units"])
    return render(request, "staff_home.html", context)


def _children_list(unit, *, linked: bool) -> str:
    """The units below, rendered once per unit, links or not, language and day until the tree
    changes (`core.versioned`: a city has a hundred of them, most of the page's rendering)."""

    def render_list() -> str:
        children = children_in_force(unit)
        # one reverse() for all their links
        pattern = reverse("org:unit_detail", args=[UNIT_PLACEHOLDER])
        for child in children:
            child.detail_url = pattern.replace(str(UNIT_PLACEHOLDER), str(child.pk))
        return render_to_string(
            "includes/staff_children.html", {"children": children, "may_view_units": linked}
        )

    return versioned.cached(
        "staff.children",
        [unit.pk, linked, get_language(), timezone.localdate()],
        kinds=("org",),
        compute=render_list,
    )


@login_required
def work_inbox(request: HttpRequest) -> HttpResponse:
    """Every item the user must act on, counted per kind, overdue first, filtered, paginated."""
    user = request.user
    sources = work.sources(user)
    kinds = [(source.kind, source.label) for source in sources]
    today = timezone.localdate()
    # the units to narrow to: the user's own and those just below (a city's hundred wards), kept
    # until a grant or the tree changes
    units = versioned.cached(
        "work.units", [user.pk, today], kinds=GRANT_KINDS, compute=lambda: work_units(user)
    )
    form = WorkFilterForm(request.GET or None, kinds=kinds, units=units)
    chosen = [(name, request.GET.getlist(name)) for name in form.fields]
    # the filters' HTML (a select of those units, drawn by Django's widgets, was a quarter of
    # the page): a function of the choices and what was chosen
    filters = versioned.cached(
        "work.filters",
        [user.pk, kinds, chosen, get_language(), today],
        kinds=GRANT_KINDS,
        compute=lambda: render_to_string("work/_filters.html", {"form": form}),
    )
    inbox = work.inbox(
        user,
        work_filter=form.work_filter(),
        page=request.GET.get("page"),
        from_sources=sources,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "work/inbox.html",
        {
            "form": form,
            "filters": filters,
            "inbox": inbox,
            "page": inbox.page,
            "query": query.urlencode(),
            "notifications": Notification.objects.filter(user=request.user, read_at__isnull=True)[
                :20
            ],
        },
    )


@login_required
def work_badge(request: HttpRequest) -> HttpResponse:
    """The header's counts (work waiting, unread notifications), loaded after the page."""
    return render(
        request,
        "work/badge.html",
        {
            "counts": work.work_count(request.user),
            "unread": notifications.unread_count(request.user),
        },
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark the user's notifications read (one of them with `pk`)."""
    raw = request.POST.get("pk") or ""
    notifications.mark_read(request.user, pk=int(raw) if raw.isdigit() else None)
    return redirect("work")
