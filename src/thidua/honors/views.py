"""Commendation pages: thin views over services and selectors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.selectors import units_user_may
from thidua.core.formatting import format_date
from thidua.core.forms import add_errors
from thidua.core.pagination import paginate
from thidua.core.policy import can, require, scope_filter
from thidua.honors import award_settings, notices, ranking, rules, selectors
from thidua.honors.forms import (
    AwardSettingsForm,
    DecisionForm,
    NominationForm,
    ReasonForm,
    RoundForm,
    VoteForm,
    WrittenOpinionForm,
)
from thidua.honors.models import (
    AwardType,
    DocumentKind,
    Nomination,
    Round,
)
from thidua.honors.services.award_settings import configure_award_type
from thidua.honors.services.decisions import issue_decision
from thidua.honors.services.nominations import (
    endorse_nomination,
    nominate,
    reject_nomination,
    return_nomination,
    submit_nomination,
)
from thidua.honors.services.notices import publish_notice
from thidua.honors.services.rounds import create_round
from thidua.honors.services.votes import cast_vote, close_vote
from thidua.org.models import Unit, UnitKind
from thidua.shared.models import Council, CouncilMember

S = Nomination.Status


def _flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


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
            "may_propose_upward": can(request.user, "honors.propose_upward"),
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
    rule = rules.rule_in_force(award_type, timezone.localdate())
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
            configure_award_type(
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
            add_errors(form, error)
        else:
            messages.success(request, _("The award's settings were saved."))
            return redirect("honors:catalogue")
    return render(
        request,
        "honors/award_settings.html",
        {"form": form, "award_type": award_type, "rule": rule},
    )


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, selectors.visible_rounds(request.user), 20)
    return render(
        request,
        "honors/round_list.html",
        {"page": page, "query": query, "can_create": can(request.user, "honors.manage")},
    )


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "honors.manage")
    units = units_user_may(request.user, "honors.manage")
    councils = Council.objects.filter(owner_unit__in=units).order_by("name")
    form = RoundForm(
        request.POST or None, units=units, councils=councils, kinds=UnitKind.objects.all()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = create_round(
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
            add_errors(form, error)
        else:
            messages.success(request, _("The round was opened."))
            return redirect("honors:round_detail", pk=round_.pk)
    return render(request, "honors/round_form.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    nominations = selectors.visible_nominations(request.user).filter(round=round_).order_by("id")
    page, query = paginate(request, nominations, 20)
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
            "notices": round_.notices.select_related("posting").annotate(
                comment_count=Count("comments")
            ),
            "awaiting_notice": notices.awaiting_notice(round_)
            if rules.is_secretariat(request.user, round_)
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
            links = {source.kind: source.record} if source.record is not None else {}
            links["proposing_unit"] = selectors.proposing_unit_for(request.user, unit)
        try:
            nomination = nominate(
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
            add_errors(form, error)
        else:
            messages.success(request, _("The nomination was saved. Submit it when ready."))
            return redirect("honors:nomination_detail", pk=nomination.pk)
    checklist = [(a, rules.rule_in_force(a, timezone.localdate())) for a in award_types]
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
    eligibility = rules.nomination_eligibility(nomination)
    vote = getattr(nomination, "vote", None)
    seat = rules.council_seat(user, round_.council)
    secretariat = rules.is_secretariat(user, round_)
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
            "can_submit": nomination.status in rules.TRANSITIONS["submit"]
            and can(user, "unit.enter_data", nomination.proposing_unit),
            "can_decide": nomination.status in (S.SUBMITTED, S.AT_COUNCIL)
            and can(user, "unit.approve", nomination.current_unit),
            "can_endorse": nomination.status == S.SUBMITTED,
            "short_path": rules.offers_short_path(nomination),
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
        submit_nomination(request.user, nomination=nomination)
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
            endorse_nomination(request.user, nomination=nomination)
            messages.success(request, _("The nomination was endorsed and forwarded."))
        elif decision == "straight":
            endorse_nomination(request.user, nomination=nomination, straight=True)
            messages.success(
                request, _("The nomination was sent straight to the conferring level.")
            )
        elif decision == "return":
            return_nomination(request.user, nomination=nomination, reason=reason)
            messages.success(request, _("The nomination was returned."))
        elif decision == "reject":
            reject_nomination(request.user, nomination=nomination, reason=reason)
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
            close_vote(request.user, nomination=nomination)
            messages.success(request, _("The vote was closed."))
        elif action == "written":
            member = CouncilMember.objects.filter(
                pk=request.POST.get("member") or 0, council_id=nomination.round.council_id
            ).first()
            cast_vote(
                request.user,
                nomination=nomination,
                choice=request.POST.get("choice", ""),
                member=member,
                written=True,
            )
            messages.success(request, _("The written opinion was recorded."))
        else:
            cast_vote(request.user, nomination=nomination, choice=request.POST.get("choice", ""))
            messages.success(request, _("Your vote was recorded."))
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect("honors:nomination_detail", pk=pk)


@login_required
@require_POST
def notice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    try:
        notice = publish_notice(request.user, round=round_)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(
            request,
            _("The proposed recipients are published for public notice until %(date)s.")
            % {"date": format_date(notice.ends_on)},
        )
    return redirect("honors:round_detail", pk=pk)


@login_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.get_round_for_user(request.user, pk)
    require(request.user, "unit.approve", round_.owner_unit)
    approved = list(
        # the awards the unit confers itself (an outside award is proposed upward instead)
        Nomination.objects.filter(
            round=round_,
            status=S.APPROVED,
            award_type__conferring_kinds=round_.owner_unit.kind_id,
        )
        .select_related("award_type", "unit", "notice")
        .order_by("id")
    )
    rankings = ranking.round_rankings(round_)
    form = DecisionForm(request.POST or None, nominations=approved, rankings=rankings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = issue_decision(
                request.user,
                round=round_,
                number=data["number"],
                signed_on=data["signed_on"],
                signer=data["signer"],
                nominations=[n for n in approved if n.pk in set(data["nominations"])],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The decision was issued."))
            return redirect("honors:decision_detail", pk=decision.pk)
    return render(
        request,
        "honors/decision_form.html",
        {"form": form, "round": round_, "rankings": rankings},
    )
