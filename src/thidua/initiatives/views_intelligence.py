"""The council's intelligence page: raw and calibrated rankings side by side, with flags and
agreement, the chair's choice of ranking, and the secretariat's optimal reviewer assignment.
Thin: parse, call `calibration` / `assignment` / `services`, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.initiatives import assignment, calibration, selectors
from thidua.initiatives.models import Assignment, Call
from thidua.initiatives.services.assignment import auto_assign
from thidua.initiatives.services.calibration import choose_ranking
from thidua.shared.models import CouncilMember

RANKING_PAGE = 25  # places per page of the rankings (and assignments made)
OUTLIERS_SHOWN = 20  # outlying reviews listed before "more"
PREVIEW_SHOWN = 50  # rows of an assignment preview shown (the summary counts them all)

ASSIGNER_LABELS = {
    "optimal": gettext_lazy("Optimal: the best total match"),
    "fair": gettext_lazy("Fair: the weakest reviewer match as strong as possible first"),
    "optimal_outside": gettext_lazy(
        "Optimal, with at least one reviewer from outside the applicant's district or commune"
    ),
    "fair_outside": gettext_lazy(
        "Fair, with at least one reviewer from outside the applicant's district or commune"
    ),
}


def _places(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if value >= 0 else None


def _page_url(call: Call, **query: object) -> str:
    url = reverse("initiatives:intelligence", args=[call.pk])
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


@login_required
def intelligence(request: HttpRequest, pk: int) -> HttpResponse:
    """For the call's secretariat and council members; anyone else gets 404."""
    call = selectors.get_call_for_user(request.user, pk)
    member = selectors.seat(request.user, call)
    secretariat = selectors.is_secretariat(request.user, call)
    if member is None and not secretariat:
        raise Http404
    method = (
        request.GET.get("method") if request.GET.get("method") in ("zscore", "bayes") else "bayes"
    )
    places = _places(request.GET.get("places"))

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "choose":
            try:
                choose_ranking(
                    request.user,
                    call=call,
                    ranking=request.POST.get("ranking", ""),
                    method=method,
                    places=places,
                )
                messages.success(request, _("The choice of ranking was recorded."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        elif action == "assign":
            assigner = request.POST.get("assigner", "")
            if assigner not in ASSIGNER_LABELS:
                messages.error(request, _("Unknown assignment method."))
            else:
                try:
                    made = auto_assign(request.user, call=call, method=assigner)
                    messages.success(request, _("%(n)s assignments made.") % {"n": len(made)})
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
        return redirect(_page_url(call, method=method, places=places))

    # Computed once per request; the page then shows one page of each ranking.
    report = calibration.calibration_report(call, method=method, places=places)
    raw_page = Paginator(report.raw_order, RANKING_PAGE).get_page(request.GET.get("page"))
    calibrated_page = Paginator(report.calibrated_order, RANKING_PAGE).get_page(
        request.GET.get("page")
    )
    preview = preview_error = None
    made = None
    if secretariat:
        chosen = request.GET.get("preview")
        if chosen in ASSIGNER_LABELS:
            options = assignment.ASSIGNER_METHODS[chosen]
            try:
                context, plan = assignment.plan_for_call(call, **options)
            except ValidationError as error:
                preview_error = " ".join(error.messages)
            else:
                preview = {
                    "method": ASSIGNER_LABELS[chosen],
                    "key": chosen,
                    "plan": plan,
                    "worst": plan.worst_off(context.instance),
                    "max_load": context.max_load,
                    "rows": [
                        (context.submissions[s], context.members[r], context.explain(s, r))
                        for s, r in zip(
                            plan.submissions.tolist(), plan.reviewers.tolist(), strict=True
                        )
                    ],
                }
        made = Paginator(
            Assignment.objects.filter(submission__call=call, method__in=list(ASSIGNER_LABELS))
            .select_related("submission", "reviewer__user")
            .order_by("submission__number", "reviewer_id"),
            RANKING_PAGE,
        ).get_page(request.GET.get("assigned"))
    return render(
        request,
        "initiatives/intelligence_page.html",
        {
            "call": call,
            "report": report,
            "raw_page": raw_page,
            "calibrated_page": calibrated_page,
            "page_query": urlencode(
                {"method": method, "places": report.places}
                | ({"preview": request.GET["preview"]} if request.GET.get("preview") else {})
            ),
            "outliers_shown": report.outlier_notes[:OUTLIERS_SHOWN],
            "outliers_more": report.outlier_notes[OUTLIERS_SHOWN:],
            "preview_shown": preview["rows"][:PREVIEW_SHOWN] if preview else [],
            "method": method,
            "methods": [(key, label) for key, label in calibration.METHODS.items() if key != "raw"],
            "rankings": list(calibration.RANKINGS.items()),
            "secretariat": secretariat,
            "is_chair": member is not None and member.role == CouncilMember.Role.CHAIR,
            "assigners": list(ASSIGNER_LABELS.items()),
            "preview": preview,
            "preview_error": preview_error,
            "made": made,
            "decided": call.status == Call.Status.DECIDED,
        },
    )
