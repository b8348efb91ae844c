"""Offline units: download a pre-filled Excel template, fill it, upload it back, follow the import.

Thin views over `movements.offline` (the template), `movements.services.offline` (the import)
and `movements.tasks.run_import`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unidecode import unidecode

from thidua.accounts.selectors import units_user_may
from thidua.core.excel import XLSX, workbook_response
from thidua.core.policy import can
from thidua.movements import offline, selectors
from thidua.movements.models import ImportJob, Movement, Period
from thidua.movements.offline import limits
from thidua.movements.services.offline import start_import
from thidua.org.models import Unit
from thidua.org.selectors import get_unit_for_user


class TemplateForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int)
    period = forms.TypedChoiceField(
        label=gettext_lazy("Period"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, units=(), periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.display_name) for u in units]
        self.fields["period"].choices = [("", gettext_lazy("Every period"))] + [
            (p.pk, p.label) for p in periods
        ]


class UploadForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int)
    file = forms.FileField(
        label=gettext_lazy("Filled template (.xlsx)"),
        help_text=gettext_lazy(
            "All or nothing: if one row is wrong, nothing is imported and every problem is listed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.display_name) for u in units]


def _entry_units(user, movement: Movement) -> list[Unit]:
    """The user's units (their grants) inside the movement's tree, where they may enter data."""
    units = units_user_may(user, "unit.enter_data", within=movement.owner_unit)
    if not units and can(user, "unit.enter_data", movement.owner_unit):
        units = [movement.owner_unit]  # a superuser holds no grant of their own
    return units


def _unit_for_entry(request: HttpRequest, movement: Movement, unit_id) -> Unit:
    """Fetch-and-check: a unit the user cannot see is a 404; one they see but may not enter data
    for is a 403."""
    try:
        unit = get_unit_for_user(request.user, int(unit_id))
    except (TypeError, ValueError) as error:
        raise Http404 from error
    if not unit.path.startswith(movement.owner_unit.path):
        raise Http404
    if not can(request.user, "unit.enter_data", unit):
        raise PermissionDenied(_("You do not have permission to do this."))
    return unit


@login_required
def template_download(request: HttpRequest, pk: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    unit = _unit_for_entry(request, movement, request.GET.get("unit"))
    periods = None
    if request.GET.get("period"):
        try:
            period_id = int(request.GET["period"])
        except ValueError as error:
            raise Http404 from error
        periods = [get_object_or_404(Period, movement=movement, pk=period_id)]
    if movement.status != Movement.Status.LAUNCHED:
        messages.error(request, _("This movement is not open for registrations and reports."))
        return redirect("movements:offline_upload", pk=movement.pk)
    try:
        workbook = offline.build_template(movement, unit=unit, periods=periods)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("movements:offline_upload", pk=movement.pk)
    name = slugify(unidecode(f"{movement.slug} {unit.code} {periods[0].label if periods else ''}"))
    return workbook_response(workbook, f"{name}.xlsx")


@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    units = _entry_units(request.user, movement)
    if not units:
        raise PermissionDenied(_("You do not have permission to do this."))
    periods = list(movement.periods.all())
    template_form = TemplateForm(units=units, periods=periods)
    form = UploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = _unit_for_entry(request, movement, form.cleaned_data["unit"])
        try:
            job = start_import(
                request.user, movement=movement, unit=unit, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            return redirect("movements:offline_job", pk=movement.pk, job_id=job.pk)
    jobs = ImportJob.objects.filter(movement=movement, created_by=request.user).select_related(
        "unit"
    )[:10]
    return render(
        request,
        "movements/offline_upload.html",
        {
            "movement": movement,
            "is_open": movement.status == Movement.Status.LAUNCHED,
            "template_form": template_form,
            "form": form,
            "jobs": jobs,
            "max_mb": limits.MAX_BYTES // (1024 * 1024),
            "max_rows": limits.MAX_ROWS,
        },
    )


@login_required
def job_status(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    movement = selectors.get_movement_for_user(request.user, pk)
    # Only the uploader follows a job: anyone else gets the 404 of a missing one.
    job = get_object_or_404(
        ImportJob.objects.select_related("unit"),
        pk=job_id,
        movement=movement,
        created_by=request.user,
    )
    errors = [e for e in job.errors if "more" not in e]
    more = next((e["more"] for e in job.errors if "more" in e), 0)
    context = {
        "movement": movement,
        "job": job,
        "errors": errors,
        "more": more,
        "working": job.status in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING),
    }
    if request.htmx:
        return render(request, "movements/offline_job_progress.html", context)
    return render(request, "movements/offline_job.html", context)
