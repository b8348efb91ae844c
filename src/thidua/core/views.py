from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.core import selectors
from thidua.core.forms import AuditFilterForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit chain in plain words, newest first, filtered by unit (picked by name), person,
    area and dates."""
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    matched_units = None
    if filters.get("unit"):
        matched_units = selectors.audit_units(request.user, filters.pop("unit"))
    events = selectors.audit_events(request.user, units=matched_units, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "matched_units": matched_units,
        "unit_choices": selectors.audit_unit_choices(request.user),
    }
    return render(request, "core/audit_log.html", context)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
