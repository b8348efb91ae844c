"""Commendation pages: thin views over services and selectors."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.selectors import my_units
from thidua.core import limits
from thidua.core.excel import add_table, new_workbook, workbook_response
from thidua.core.formatting import EXCEL_MONEY, format_date
from thidua.core.policy import can, require, scope_filter
from thidua.honors import award_settings, batches, notices, ranking, selectors, services
from thidua.honors.certificates import certificate_pdf as render_certificate_pdf
from thidua.honors.forms import (
    AwardSettingsForm,
    DecisionForm,
    NominationForm,
    NoticeCommentForm,
    ReasonForm,
    RegistrySearchForm,
    RoundForm,
    VerifyForm,
    VoteForm,
    WrittenOpinionForm,
)
from thidua.honors.models import (
    AwardType,
    CertificateBatch,
    DocumentKind,
    Nomination,
    PublicNotice,
    Round,
)
from thidua.org.models import Unit, UnitKind
from thidua.shared.models import Council, CouncilMember

S = Nomination.Status


def _errors_to_form(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages_:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _page(request: HttpRequest, items, size: int = 20):
    params = request.GET.copy()
    params.pop("page", None)
    return Paginator(items, size).get_page(request.GET.get("page")), params.urlencode()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    worklist = list(
        selectors.visible_nominations(request.user)
        .filter(status__in=[S.SUBMITTED, S.AT_COUNCIL])
        .order_by("level_due_on", "id")[:20]
    )
    return render(
        request,
        "honors/home.html",
        {
            "rounds": selectors.visible_rounds(request.user).filter(status=Round.Status.OPEN)[:10],
            "worklist": worklist,
            "due": selectors.due_from(request.user, limit=20),
            "today": today,
            "may_search_registry": can(request.user, "unit.enter_data"),
        },
    )


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    context = {
        "award_types": selectors.catalogue(),
        "kinds": DocumentKind,
        "can_edit": award_settings.can_edit_catalogue(request.user),
    }
    return render(request, "honors/catalogue.html", context)


@login_required
def award_type_settings(request: HttpRequest, pk: int) -> HttpResponse:
    if not award_settings.can_edit_catalogue(request.user):
        raise PermissionDenied(_("Only an administrator of the catalogue can do this."))
    award_type = get_object_or_404(AwardType, pk=pk)
    rule = services.rule_in_force(award_type, timezone.localdate())
    initial = {}
    if rule is not None:
        initial = {
            "public_notice_days": rule.public_notice_days,
            "short_path": rule.short_path,
            "short_path_days": rule.short_path_days,
        }
    form = AwardSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award_settings.configure_award_type(
                request.user,
                award_type=award_type,
                emblem=data["emblem"],
                signature=data["signature"],
                remove_emblem=data["remove_emblem"],
                remove_signature=data["remove_signature"],
                public_notice_days=data["public_notice_days"] if rule is not None else None,
                short_path=data["short_path"] if rule is not None else None,
                short_path_days=data["short_path_days"] if rule is not None else None,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The award's settings were saved."))
            return redirect("honors:catalogue")
    return render(
        request,
        "honors/award_settings.html",
        {"form": form, "award_type": award_type, "rule": rule},
    )


# --- rounds ---------------------------------------------------------------------------------


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    page, query = _page(request, selectors.visible_rounds(request.user))
    return render(
        request,
        "honors/round_list.html",
        {"page": page, "query": query, "can_create": can(request.user, "honors.manage")},
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "honors.manage")
    units = [u for u in my_units(request.user) if can(request.user, "honors.manage", u)]
    if request.user.is_superuser and not units:
        units = list(Unit.objects.filter(parent__isnull=True, valid_to__isnull=True))
    councils = Council.objects.filter(owner_unit__in=units).order_by("name")
    form = RoundForm(
        request.POST or None, units=units, councils=councils, kinds=UnitKind.objects.all()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.create_round(
                request.user,
                title=data["title"],
                kind=data["kind"],
                owner_unit=next(u for u in units if u.pk == data["owner_unit"]),
                council=councils.filter(pk=data["council"]).first() if data["council"] else None,
                award_types=list(data["award_types"]),
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                deadline_days=data["deadline_days"],
                level_deadlines=form.level_deadlines(),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The round was opened."))
            return redirect("honors:round_detail", pk=round_.pk)
    return render(request, "honors/round_form.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    nominations = selectors.visible_nominations(request.user).filter(round=round_).order_by("id")
    page, query = _page(request, nominations)
    return render(
        request,
        "honors/round_detail.html",
        {
            "round": round_,
            "page": page,
            "query": query,
            "award_types": round_.award_types.all(),
            # the ones this reader may open (a ward sees the city's round, not its decisions)
            "decisions": selectors.visible_decisions(request.user).filter(round=round_),
            "today": timezone.localdate(),
            "overdue": selectors.overdue_count(nominations),
            "rankings": ranking.round_rankings(round_),
            "notices": round_.notices.annotate(comment_count=Count("comments")),
            "awaiting_notice": notices.awaiting_notice(round_)
            if services.is_secretariat(request.user, round_)
            else [],
            "level_deadlines": _level_deadlines(round_),
            "can_nominate": can(request.user, "unit.enter_data") and round_.status == "open",
            "can_decide": can(request.user, "unit.approve", round_.owner_unit)
            and nominations.filter(status=S.APPROVED).exists(),
        },
    )


def _level_deadlines(round_: Round) -> list[tuple[str, int]]:
    kinds = {k.code: k.name for k in UnitKind.objects.filter(code__in=round_.level_deadlines)}
    return [(kinds.get(code, code), days) for code, days in round_.level_deadlines.items()]


# --- nominations ----------------------------------------------------------------------------


def _nominee_units(user, round_: Round) -> list[Unit]:
    units = (
        Unit.objects.filter(scope_filter(user, "unit.enter_data"))
        .filter(path__startswith=round_.owner_unit.path, valid_to__isnull=True)
        .select_related("parent")
        .order_by("path")[:300]
    )
    return list(units)


def _source_from(request: HttpRequest):
    """The exemplar, practice or recognised initiative a nomination is started from
    (`?from=exemplar:12`), checked for the user; None without one."""
    token = request.GET.get("from", "")
    kind, _sep, pk = token.partition(":")
    if not token:
        return None
    if kind not in selectors.SOURCE_KINDS or not pk.isdigit():
        raise Http404
    source = selectors.nomination_source(request.user, kind, int(pk))
    require(request.user, "unit.enter_data", source.unit)
    return source


@login_required
def nomination_propose(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """ "Propose for commendation" from an exemplar, a recognised initiative or a replicated
    practice: straight to the nomination form of the one open round, or a choice among them."""
    if kind not in selectors.SOURCE_KINDS:
        raise Http404
    source = selectors.nomination_source(request.user, kind, pk)
    require(request.user, "unit.enter_data", source.unit)
    rounds = selectors.open_rounds_for(request.user, source.unit, nominee_kind=source.nominee_kind)
    if len(rounds) == 1:
        url = reverse("honors:nomination_create", args=[rounds[0].pk])
        return redirect(f"{url}?{urlencode({'from': source.token})}")
    return render(
        request,
        "honors/nomination_propose.html",
        {
            "source": source,
            "rounds": rounds,
            "query": urlencode({"from": source.token}),
            "earlier": selectors.nominations_from(request.user, kind=kind, pk=pk),
        },
    )


@login_required
def nomination_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    require(request.user, "unit.enter_data")
    source = _source_from(request)
    award_types = list(round_.award_types.all())
    units = _nominee_units(request.user, round_)
    initial = None
    if source is not None:
        if source.unit not in units:
            units.append(source.unit)
        initial = {
            "nominee_kind": source.nominee_kind,
            "nominee_name": source.nominee_name,
            "unit": source.unit.pk,
            "achievements": source.achievements,
        }
    form = NominationForm(
        request.POST or None,
        request.FILES or None,
        award_types=award_types,
        units=units,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.pk == data["unit"])
        links = {}
        if source is not None:
            links = {source.kind: source.record}
            links["proposing_unit"] = selectors.proposing_unit_for(request.user, unit)
        try:
            nomination = services.nominate(
                request.user,
                **links,
                round=round_,
                award_type=next(a for a in award_types if a.pk == data["award_type"]),
                nominee_kind=data["nominee_kind"],
                nominee_name=data["nominee_name"],
                unit=unit,
                birth_year=data["birth_year"],
                gender=data["gender"],
                age_band=data["age_band"],
                women_share=form.women_share_fraction(),
                is_direct_worker=data["is_direct_worker"],
                is_ethnic_minority=data["is_ethnic_minority"],
                under_discipline=data["under_discipline"],
                achievements=data["achievements"],
                documents=form.documents(),
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The nomination was saved. Submit it when ready."))
            return redirect("honors:nomination_detail", pk=nomination.pk)
    checklist = [(a, services.rule_in_force(a, timezone.localdate())) for a in award_types]
    return render(
        request,
        "honors/nomination_form.html",
        {
            "form": form,
            "round": round_,
            "checklist": checklist,
            "kinds": DocumentKind,
            "source": source,
        },
    )


@login_required
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.get_nomination_for_user(request.user, pk)
    user = request.user
    round_ = nomination.round
    eligibility = services.nomination_eligibility(nomination)
    vote = getattr(nomination, "vote", None)
    seat = services.council_seat(user, round_.council)
    secretariat = services.is_secretariat(user, round_)
    voted = vote is not None and seat is not None and vote.ballots.filter(member=seat).exists()
    at_council = nomination.status == S.AT_COUNCIL
    absent = []
    if at_council and secretariat and round_.council_id:
        absent = list(
            CouncilMember.objects.filter(council=round_.council, is_active=True)
            .exclude(honor_ballots__vote__nomination=nomination)
            .select_related("user")
        )
    return render(
        request,
        "honors/nomination_detail.html",
        {
            "nomination": nomination,
            "round": round_,
            "eligibility": eligibility,
            "documents": nomination.documents.all(),
            "events": nomination.events.select_related("unit", "actor"),
            "vote": vote,
            "ballots": vote.ballots.select_related("member__user") if vote else [],
            "can_submit": nomination.status in services.TRANSITIONS["submit"]
            and can(user, "unit.enter_data", nomination.proposing_unit),
            "can_decide": nomination.status in (S.SUBMITTED, S.AT_COUNCIL)
            and can(user, "unit.approve", nomination.current_unit),
            "can_endorse": nomination.status == S.SUBMITTED,
            "short_path": services.offers_short_path(nomination),
            "can_vote": at_council and seat is not None and not voted,
            "can_close": at_council and secretariat,
            "reason_form": ReasonForm(),
            "vote_form": VoteForm(),
            "written_form": WrittenOpinionForm(members=absent) if absent else None,
            "overdue": nomination.is_overdue(timezone.localdate()),
            "notice": nomination.notice,
            "public_comments": notices.comments_for(user, nomination),
        },
    )


@login_required
@require_POST
def nomination_submit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.get_nomination_for_user(request.user, pk)
    try:
        services.submit_nomination(request.user, nomination=nomination)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("The nomination was submitted."))
    return redirect("honors:nomination_detail", pk=pk)


@login_required
@require_POST
def nomination_decide(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.get_nomination_for_user(request.user, pk)
    decision = request.POST.get("decision")
    reason = request.POST.get("reason", "")
    try:
        if decision == "endorse":
            services.endorse_nomination(request.user, nomination=nomination)
            messages.success(request, _("The nomination was endorsed and forwarded."))
        elif decision == "straight":
            services.endorse_nomination(request.user, nomination=nomination, straight=True)
            messages.success(
                request, _("The nomination was sent straight to the conferring level.")
            )
        elif decision == "return":
            services.return_nomination(request.user, nomination=nomination, reason=reason)
            messages.success(request, _("The nomination was returned."))
        elif decision == "reject":
            services.reject_nomination(request.user, nomination=nomination, reason=reason)
            messages.success(request, _("The nomination was rejected."))
        else:
            raise Http404
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect("honors:nomination_detail", pk=pk)


@login_required
@require_POST
def nomination_vote(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.get_nomination_for_user(request.user, pk)
    action = request.POST.get("action", "vote")
    try:
        if action == "close":
            services.close_vote(request.user, nomination=nomination)
            messages.success(request, _("The vote was closed."))
        elif action == "written":
            member = CouncilMember.objects.filter(
                pk=request.POST.get("member") or 0, council_id=nomination.round.council_id
            ).first()
            services.cast_vote(
                request.user,
                nomination=nomination,
                choice=request.POST.get("choice", ""),
                member=member,
                written=True,
            )
            messages.success(request, _("The written opinion was recorded."))
        else:
            services.cast_vote(
                request.user, nomination=nomination, choice=request.POST.get("choice", "")
            )
            messages.success(request, _("Your vote was recorded."))
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect("honors:nomination_detail", pk=pk)


@login_required
@require_POST
def notice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    try:
        notice = notices.publish_notice(request.user, round=round_)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(
            request,
            _("The proposed recipients are published for public notice until %(date)s.")
            % {"date": format_date(notice.ends_on)},
        )
    return redirect("honors:round_detail", pk=pk)


# --- decisions and certificates -------------------------------------------------------------


@login_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    require(request.user, "unit.approve", round_.owner_unit)
    approved = list(
        Nomination.objects.filter(round=round_, status=S.APPROVED)
        .select_related("award_type", "unit", "notice")
        .order_by("id")
    )
    rankings = ranking.round_rankings(round_)
    form = DecisionForm(request.POST or None, nominations=approved, rankings=rankings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.issue_decision(
                request.user,
                round=round_,
                number=data["number"],
                signed_on=data["signed_on"],
                signer=data["signer"],
                nominations=[n for n in approved if n.pk in set(data["nominations"])],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The decision was issued."))
            return redirect("honors:decision_detail", pk=decision.pk)
    return render(
        request,
        "honors/decision_form.html",
        {"form": form, "round": round_, "rankings": rankings},
    )


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.get_decision_for_user(request.user, pk)
    can_approve = can(request.user, "unit.approve", decision.unit)
    return render(
        request,
        "honors/decision_detail.html",
        {
            "decision": decision,
            "rows": selectors.annex(decision),
            "can_revoke": can_approve,
            "can_generate": can_approve,
            "batch": decision.certificate_batches.first() if can_approve else None,
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def certificate_batch_start(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.get_decision_for_user(request.user, pk)
    batch = batches.start_certificate_batch(request.user, decision=decision)
    return redirect("honors:certificate_batch", pk=decision.pk, batch_id=batch.pk)


def _batch_for_user(request: HttpRequest, pk: int, batch_id: int):
    decision = selectors.get_decision_for_user(request.user, pk)
    require(request.user, "unit.approve", decision.unit)
    return get_object_or_404(CertificateBatch, pk=batch_id, decision=decision)


@login_required
def certificate_batch(request: HttpRequest, pk: int, batch_id: int) -> HttpResponse:
    batch = _batch_for_user(request, pk, batch_id)
    context = {"decision": batch.decision, "batch": batch}
    if request.htmx:
        return render(request, "honors/partials/batch_progress.html", context)
    return render(request, "honors/certificate_batch.html", context)


@login_required
def certificate_batch_archive(request: HttpRequest, pk: int, batch_id: int) -> HttpResponse:
    batch = _batch_for_user(request, pk, batch_id)
    if batch.status != CertificateBatch.Status.DONE or not batch.archive:
        raise Http404
    number = "".join(ch if ch.isalnum() else "-" for ch in batch.decision.number)
    response = FileResponse(
        batch.archive.open("rb"),
        as_attachment=True,
        filename=f"decision-{number}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def decision_export(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.get_decision_for_user(request.user, pk)
    rows = [
        [
            index,
            honour.recipient_name,
            honour.get_recipient_kind_display(),
            honour.unit.display_name,
            honour.award_type.name,
            int(honour.cash),
            honour.certificate.serial,
        ]
        for index, honour in enumerate(selectors.annex(decision), start=1)
    ]
    workbook = new_workbook()
    add_table(
        workbook,
        _("Annex"),
        [
            _("No."),
            _("Recipient"),
            _("Recipient kind"),
            _("Unit"),
            _("Award"),
            _("Cash reward (VND)"),
            _("Certificate number"),
        ],
        rows + [["", _("Total"), "", "", "", int(decision.total_cash), ""]],
        formats=[None, None, None, None, None, EXCEL_MONEY, None],
    )
    return workbook_response(workbook, f"decision-{decision.pk}-annex.xlsx")


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.get_certificate_for_user(request.user, pk)
    if certificate.pdf:  # generated by a batch
        with certificate.pdf.open("rb") as file:
            pdf = file.read()
    else:
        pdf = render_certificate_pdf(certificate, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
    return response


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.get_certificate_for_user(request.user, pk)
    try:
        services.revoke_certificate(
            request.user, certificate=certificate, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("The certificate was revoked."))
    decision_id = certificate.honour.decision_id
    if decision_id:
        return redirect("honors:decision_detail", pk=decision_id)
    return redirect("honors:registry")


# --- registry -------------------------------------------------------------------------------


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
    page, query = _page(request, honours, 50)
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


# --- public ---------------------------------------------------------------------------------


def public_notices(request: HttpRequest) -> HttpResponse:
    return render(request, "honors/public_notices.html", {"notices": notices.open_notices()[:100]})


def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = PublicNotice.objects.select_related("round", "round__owner_unit").filter(pk=pk).first()
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
                notices.comment_on_notice(
                    notice=notice,
                    nomination_id=data["nomination"],
                    name=data["name"],
                    contact=data["contact"],
                    text=data["text"],
                    client=notices.client_key(limits.client_ip(request)),
                    author=request.user,
                )
            except ValidationError as error:
                _errors_to_form(form, error)
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
