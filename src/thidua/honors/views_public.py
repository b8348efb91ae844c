"""The registry of honours (staff), and the pages anyone may open: certificate verification
and the public notices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from thidua.core import limits
from thidua.core.forms import add_errors
from thidua.core.pagination import paginate
from thidua.core.policy import require
from thidua.honors import notices, selectors
from thidua.honors.forms import (
    NoticeCommentForm,
    RegistrySearchForm,
    VerifyForm,
)
from thidua.honors.models import (
    PublicNotice,
)
from thidua.honors.services.notices import comment_on_notice


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    require(request.user, "unit.enter_data")
    form = RegistrySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    honours = selectors.registry(
        request.user,
        query=filters.get("q") or "",
        award_type=filters["award_type"].pk if filters.get("award_type") else None,
        year=filters.get("year"),
    )
    page, query = paginate(request, honours, 50)
    # Decisions of a unit above (the city's, for a ward's honour) are named, not linked.
    decision_ids = {h.decision_id for h in page if h.decision_id}
    linked = set(
        selectors.visible_decisions(request.user)
        .filter(pk__in=decision_ids)
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "honors/registry.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "linked_decisions": linked,
            "stats": selectors.registry_statistics(honours),
        },
    )


def public_notices(request: HttpRequest) -> HttpResponse:
    return render(request, "honors/public_notices.html", {"notices": notices.open_notices()[:100]})


def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = (
        PublicNotice.objects.select_related("round", "round__owner_unit", "posting")
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise Http404
    nominees = list(
        notice.nominations.select_related("award_type", "unit").order_by("award_type", "id")
    )
    form = NoticeCommentForm(request.POST or None, nominees=nominees)
    status = 200
    if request.method == "POST":
        if form.is_valid() and not form.cleaned_data.get("website"):
            data = form.cleaned_data
            try:
                limits.check_client(request, "notice_comment")
                comment_on_notice(
                    notice=notice,
                    nomination_id=data["nomination"],
                    name=data["name"],
                    contact=data["contact"],
                    text=data["text"],
                    client=notices.client_key(limits.client_ip(request)),
                    author=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
                status = 400
            except limits.Refused as refused:
                form.add_error(None, refused.message)
                status = 429
            else:
                messages.success(request, _("Thank you: your comment was sent to the council."))
                return redirect("public_honors:notice", pk=notice.pk)
        else:
            if form.is_valid():  # the hidden field a person never fills
                form.add_error(None, _("Your comment could not be accepted."))
            status = 400
    return render(
        request,
        "honors/public_notice.html",
        {"notice": notice, "nominees": nominees, "form": form, "open": notice.is_open},
        status=status,
    )


def verify_form(request: HttpRequest) -> HttpResponse:
    """The certificate check typed by hand: the number and the check code printed on it."""
    form = VerifyForm(request.GET or None)
    result = None
    if form.is_valid():
        result = selectors.verify_certificate(
            form.cleaned_data["serial"], form.cleaned_data["code"]
        )
        if result.status == "code_needed":
            form.add_error("code", _("Type the check code printed beside the QR code."))
            form.fields["code"].widget.attrs["autofocus"] = True
    return _verification_page(request, form, result)


def verify(request: HttpRequest, serial: str) -> HttpResponse:
    """The page the QR code opens: the number in the address, the full hash in `h`."""
    check = request.GET.get("h", "")
    result = selectors.verify_certificate(serial, check)
    return _verification_page(request, VerifyForm(), result)


def _verification_page(request: HttpRequest, form: VerifyForm, result) -> HttpResponse:
    certificate = result.certificate if result else None
    return render(
        request,
        "honors/verify.html",
        {"form": form, "result": result, "certificate": certificate},
    )
