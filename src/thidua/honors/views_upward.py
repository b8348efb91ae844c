"""Pages of the proposals upward ("Đề nghị cấp trên khen"): thin views over the services and
`upward_selectors`; the public check of an honour conferred by an outside decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.core.forms import add_errors
from thidua.core.pagination import paginate
from thidua.core.policy import can, refuse
from thidua.honors import upward_package, upward_rules
from thidua.honors import upward_selectors as selectors
from thidua.honors.models import AwardType, OutsideBody, UpwardProposal
from thidua.honors.services.upward import (
    acknowledge_upward_proposal,
    add_upward_document,
    create_upward_proposal,
    prepare_upward_package,
    record_outside_decision,
    record_upward_refusal,
    return_upward_proposal,
    send_upward_proposal,
)
from thidua.honors.upward_forms import (
    AcknowledgeForm,
    DocumentForm,
    OutsideDecisionForm,
    ProposalForm,
    RefusalForm,
    ReturnForm,
    SendForm,
    VerifyOutsideForm,
)
from thidua.honors.views import _flash_errors
from thidua.org.models import Unit

ACTION = "honors.propose_upward"


def _require_any(request: HttpRequest) -> None:
    if not can(request.user, ACTION):
        refuse()


@login_required
def upward_list(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    proposals = selectors.visible_upward_proposals(request.user).order_by("-dated", "-id")
    page, query = paginate(request, proposals, 20)
    units = selectors.proposing_units(request.user)
    waiting = sum(selectors.proposable_nominations(unit).count() for unit in units[:5])
    return render(
        request,
        "honors/upward_list.html",
        {
            "page": page,
            "query": query,
            "units": units,
            "waiting": waiting,
            "overdue": selectors.overdue_proposals(proposals),
        },
    )


@login_required
def upward_create(request: HttpRequest) -> HttpResponse:
    _require_any(request)
    units = selectors.proposing_units(request.user)
    if not units:
        refuse()
    chosen = request.POST.get("unit") or request.GET.get("unit") or ""
    unit = next((u for u in units if str(u.pk) == chosen), units[0])
    nominations = list(selectors.proposable_nominations(unit))
    award_types = list(
        AwardType.objects.filter(outside_rules__isnull=False).distinct().order_by("order", "code")
    )
    form = ProposalForm(
        request.POST or None,
        initial={"unit": unit.pk},
        units=units,
        bodies=list(OutsideBody.objects.order_by("order", "code")),
        award_types=award_types,
        nominations=nominations,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = create_upward_proposal(
                    request.user,
                    unit=Unit.objects.get(pk=data["unit"]),
                    body=OutsideBody.objects.get(pk=data["body"]),
                    award_type=next(a for a in award_types if a.pk == data["award_type"]),
                    number=data["number"],
                    dated=data["dated"],
                    signer=data["signer"],
                    summary=data["summary"],
                    nominations=[n for n in nominations if n.pk in set(data["nominations"])],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The proposal was prepared."))
                return redirect("honors:upward_detail", pk=proposal.pk)
        status = 400
    return render(
        request,
        "honors/upward_form.html",
        {"form": form, "unit": unit, "units": units, "nominations": nominations},
        status=status,
    )


def _detail_context(request: HttpRequest, proposal: UpwardProposal, **forms) -> dict:
    entries = selectors.entries(proposal)
    may_send = can(request.user, "honors.send_upward", proposal.unit)
    context = {
        "proposal": proposal,
        "entries": entries,
        "checklist": upward_rules.checklist(proposal),
        "events": proposal.events.select_related("actor"),
        "decision": getattr(proposal, "decision", None),
        "may_send": may_send,
        "document_form": DocumentForm(entries=entries),
        "send_form": SendForm(),
        "acknowledge_form": AcknowledgeForm(),
        "return_form": ReturnForm(),
        "refusal_form": RefusalForm(),
        "decision_form": OutsideDecisionForm(entries=entries),
    }
    context.update(forms)
    return context


@login_required
def upward_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_upward_proposal_for_user(request.user, pk)
    return render(request, "honors/upward_detail.html", _detail_context(request, proposal))


def _again(request: HttpRequest, proposal: UpwardProposal, **forms) -> HttpResponse:
    """The page again with the refused form's errors (nothing was written)."""
    return render(
        request,
        "honors/upward_detail.html",
        _detail_context(request, proposal, **forms),
        status=400,
    )


@login_required
@require_POST
def upward_document(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_upward_proposal_for_user(request.user, pk)
    entries = selectors.entries(proposal)
    form = DocumentForm(request.POST, request.FILES, entries=entries)
    if form.is_valid():
        data = form.cleaned_data
        entry = next((e for e in entries if e.pk == data["entry"]), None)
        try:
            add_upward_document(
                request.user, proposal=proposal, kind=data["kind"], file=data["file"], entry=entry
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The document was added to the dossier."))
            return redirect("honors:upward_detail", pk=proposal.pk)
    return _again(request, proposal, document_form=form)


@login_required
def upward_package_download(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_upward_proposal_for_user(request.user, pk)
    prepare_upward_package(request.user, proposal=proposal)
    return FileResponse(
        proposal.package.open("rb"),
        as_attachment=True,
        filename=upward_package.download_name(proposal),
        content_type="application/zip",
    )


@login_required
@require_POST
def upward_send(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_upward_proposal_for_user(request.user, pk)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            send_upward_proposal(request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            _flash_errors(request, error)
        else:
            messages.success(request, _("The dossier is marked sent."))
            return redirect("honors:upward_detail", pk=proposal.pk)
    return _again(request, proposal, send_form=form)


@login_required
@require_POST
def upward_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_upward_proposal_for_user(request.user, pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            acknowledge_upward_proposal(request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The receipt by the body is recorded."))
            return redirect("honors:upward_detail", pk=proposal.pk)
    return _again(request, proposal, acknowledge_form=form)


@login_required
@require_POST
def upward_return(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_upward_proposal_for_user(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            return_upward_proposal(request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The dossier is reopened for completion."))
            return redirect("honors:upward_detail", pk=proposal.pk)
    return _again(request, proposal, return_form=form)


@login_required
@require_POST
def upward_refusal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_upward_proposal_for_user(request.user, pk)
    form = RefusalForm(request.POST)
    if form.is_valid():
        try:
            record_upward_refusal(request.user, proposal=proposal, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The body's refusal is recorded."))
            return redirect("honors:upward_detail", pk=proposal.pk)
    return _again(request, proposal, refusal_form=form)


@login_required
@require_POST
def upward_decision(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_upward_proposal_for_user(request.user, pk)
    entries = selectors.entries(proposal)
    form = OutsideDecisionForm(request.POST, request.FILES, entries=entries)
    if form.is_valid():
        data = form.cleaned_data
        chosen = set(data["honoured"])
        try:
            record_outside_decision(
                request.user,
                proposal=proposal,
                number=data["number"],
                signed_on=data["signed_on"],
                signer=data["signer"],
                honoured=[e.nomination for e in entries if e.nomination_id in chosen],
                file=data["file"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded and its honours registered."))
            return redirect("honors:upward_detail", pk=proposal.pk)
    return _again(request, proposal, decision_form=form)


# --- public ---------------------------------------------------------------------------------


def verify_outside(request: HttpRequest) -> HttpResponse:
    """Check an honour conferred by a body outside the Front on its proposal: the decision's
    number and the person's name, both printed on the decision."""
    form = VerifyOutsideForm(request.GET or None)
    result = None
    if form.is_valid():
        result = selectors.verify_outside_honour(
            form.cleaned_data["number"], form.cleaned_data["name"]
        )
    return render(
        request,
        "honors/verify_outside.html",
        {"form": form, "result": result, "honour": result.honour if result else None},
    )
