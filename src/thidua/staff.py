"""The staff home: composes what every app has for the officer (a project-level page, like
urls.py, so that no app has to import the apps above it)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from thidua.accounts.context_processors import current_unit
from thidua.accounts.selectors import staff_home_summary
from thidua.core.models import Notification
from thidua.core.policy import can
from thidua.honors.selectors import due_from as dossiers_due_from
from thidua.movements.selectors import due_from, pending_decisions


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The unit the officer works in, what is due from them, what waits for their decision.
    Someone with no staff role (a citizen) lands on their own public page instead."""
    if not can(request.user, "core.use_workspace"):
        return redirect("my_page")
    unit, units = current_unit(request)
    context = {
        "unit": unit,
        "units": units,
        "due": due_from(request.user),
        "dossiers": dossiers_due_from(request.user, limit=20),
        "decisions": pending_decisions(request.user, limit=20),
        "notifications": Notification.objects.filter(user=request.user, read_at__isnull=True)[:10],
    }
    if unit is not None:
        context.update(staff_home_summary(request.user, unit=unit))
    return render(request, "staff_home.html", context)
