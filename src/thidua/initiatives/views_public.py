"""The public pages of calls for initiatives: the calls, the form, the applicant's status
page and the recognised initiatives."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core import limits
from thidua.core.forms import add_errors
from thidua.core.pagination import paginate
from thidua.initiatives import selectors
from thidua.initiatives.forms import (
    SubmissionForm,
)
from thidua.initiatives.models import (
    Call,
    Submission,
)
from thidua.initiatives.services.submission import confirm_email, submit_initiative, withdraw
from thidua.initiatives.views import _applicant_units
from thidua.publishing import selectors as publishing
from thidua.shared.models import Field


def public_call_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_calls(), 20).get_page(request.GET.get("page"))
    return render(request, "initiatives/public/call_list.html", {"page": page, "query": ""})


def public_call(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(selectors.public_calls(), slug=slug)
    today = timezone.localdate()
    return render(
        request,
        "initiatives/public/call_detail.html",
        {
            "call": call,
            "criteria": call.criteria.all(),
            "levels": call.award_levels.all(),
            "is_open": call.status == Call.Status.OPEN and call.opens_on <= today <= call.closes_on,
        },
    )


def public_submit(request: HttpRequest, slug: str) -> HttpResponse:
    """The public form (no account needed) — also used by officers entering on behalf."""
    call = get_object_or_404(selectors.public_calls(), slug=slug)
    units = _applicant_units(call)
    form = SubmissionForm(request.POST or None, request.FILES or None, units=units)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("website", None)
        data["unit"] = next((u for u in units if u.pk == data["unit"]), None)
        try:
            if form.cleaned_data.get("website"):  # the hidden field a person never fills
                raise ValidationError(_("Your submission could not be accepted."))
            if not request.user.is_authenticated:
                limits.check_client(request, "initiative_submission")
            submission = submit_initiative(
                request.user,
                call=call,
                data=data,
                files=data.pop("attachments"),
                client_token=data.pop("client_token") or None,
                language=(get_language() or "vi")[:2],
            )
        except ValidationError as error:
            add_errors(form, error)
        except limits.Refused as refused:
            form.add_error(None, refused.message)
            status = 429
        else:
            if submission.status == Submission.Status.DRAFT:
                # The private link goes only by email: whoever opens it proves the address.
                return render(
                    request,
                    "initiatives/public/check_email.html",
                    {"call": call, "submission": submission},
                )
            return redirect("public_initiatives:status", token=submission.token)
    return render(
        request, "initiatives/public/submit.html", {"call": call, "form": form}, status=status
    )


def submission_status(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's private page: status and history, confirm, withdraw."""
    submission = get_object_or_404(
        Submission.objects.select_related("call", "unit", "award_level"), token=token
    )
    return render(
        request,
        "initiatives/public/status.html",
        {
            "submission": submission,
            "events": submission.events.all(),
            "can_withdraw": submission.status
            not in (
                Submission.Status.RECOGNISED,
                Submission.Status.NOT_RECOGNISED,
                Submission.Status.WITHDRAWN,
                Submission.Status.SCREENED_OUT,
            ),
        },
    )


@require_POST
def submission_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        confirm_email(token=token)
    except ValidationError as error:
        raise Http404 from error
    messages.success(request, _("Thank you: your submission is confirmed."))
    return redirect("public_initiatives:status", token=token)


@require_POST
def submission_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    try:
        withdraw(token=token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("public_initiatives:status", token=token)


def public_recognised(request: HttpRequest) -> HttpResponse:
    def to_int(name):
        try:
            return int(request.GET.get(name) or 0) or None
        except ValueError:
            return None

    submissions = selectors.public_recognised(
        query=request.GET.get("q", "").strip(),
        field_id=to_int("field"),
        unit_id=to_int("unit"),
        # a year no date can have (45637) would fail in the database: no such filter
        year=year if (year := to_int("year")) and 1 <= year <= 9999 else None,
    )
    page, query = paginate(request, submissions, 20)
    # the newsroom's stories about each initiative of the page (links shown on both sides)
    page.object_list = list(page.object_list)
    about = publishing.stories_about_many("initiative", [s.pk for s in page.object_list])
    for submission in page.object_list:
        submission.stories = about.get(submission.pk, [])
    return render(
        request,
        "initiatives/public/recognised.html",
        {
            "page": page,
            "query": query,
            "fields": Field.objects.all(),
            "q": request.GET.get("q", ""),
        },
    )
