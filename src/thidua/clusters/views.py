"""The clusters' staff pages: thin views over services and selectors."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.accounts.selectors import my_units
from thidua.clusters import exports, selectors, services
from thidua.clusters.forms import (
    ChainForm,
    ClusterForm,
    CriterionForm,
    EditCriterionForm,
    ElectionForm,
    GroupForm,
    MembersForm,
    PledgeForm,
    ReviewForm,
    TableForm,
    TargetForm,
    TermForm,
)
from thidua.clusters.models import REVIEW_STEPS, Cluster, Criterion, ScoreTable, Step
from thidua.clusters.services.common import STEP_ACTION, chain_steps, runs_peer_scoring
from thidua.core.excel import workbook_response
from thidua.core.forms import add_errors
from thidua.core.policy import can, require, scope_filter
from thidua.core.uploads import file_url
from thidua.honors import selectors as honors_selectors
from thidua.org.models import Unit

PER_PAGE = 30


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _manage_units(user) -> list[Unit]:
    return [u for u in my_units(user) if u.is_current and can(user, "clusters.manage", u)]


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    clusters = selectors.visible_clusters(request.user)
    page = Paginator(clusters, PER_PAGE).get_page(request.GET.get("page"))
    if not page.object_list and not can(request.user, "clusters.view"):
        require(request.user, "clusters.self_assess")
    manage_units = _manage_units(request.user)
    # the chains of the units that organise clusters (not of every unit one manages)
    organising = set(
        Cluster.objects.filter(owner_unit__in=manage_units).values_list("owner_unit_id", flat=True)
    )
    return render(
        request,
        "clusters/cluster_list.html",
        {
            "page": page,
            "can_manage": bool(manage_units),
            "chain_units": [u for u in manage_units if u.pk in organising],
        },
    )


@login_required
def cluster_create(request: HttpRequest) -> HttpResponse:
    units = _manage_units(request.user)
    if not units:
        require(request.user, "clusters.manage")
    form = ClusterForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.pk == data.pop("owner_unit"))
        try:
            cluster = services.create_cluster(request.user, owner_unit=unit, **data)
        except ValidationError as error:
            _errors(request, error)
        else:
            return redirect("clusters:detail", cluster.pk)
    return render(request, "clusters/form.html", {"form": form, "title": _("New cluster")})


def _member_units(cluster):
    return selectors.current_members(cluster)


@login_required
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = selectors.get_cluster_for_user(request.user, pk)
    manage = can(request.user, "clusters.manage", cluster.owner_unit)
    members = _member_units(cluster)
    context = {
        "cluster": cluster,
        "members": members,
        "memberships": cluster.memberships.select_related("unit", "unit__kind", "unit__parent"),
        "terms": cluster.terms.select_related("head", "deputy"),
        "pledges": cluster.pledges.prefetch_related("targets__unit"),
        "reviews": cluster.reviews.select_related("table"),
        "manage": manage,
        "oversees": can(request.user, "clusters.view", cluster.owner_unit),
    }
    if manage:
        candidates = (
            Unit.objects.filter(path__startswith=cluster.owner_unit.path, valid_to__isnull=True)
            .exclude(pk=cluster.owner_unit_id)
            .exclude(kind__code="residential_area")
            .select_related("kind", "parent")
            .order_by("path")[:400]
        )
        context.update(
            members_form=MembersForm(units=candidates, prefix="m"),
            term_form=TermForm(units=members, prefix="t"),
            election_form=ElectionForm(units=members, prefix="e"),
            pledge_form=PledgeForm(prefix="p"),
            target_form=TargetForm(units=members, prefix="g"),
            review_form=ReviewForm(
                tables=ScoreTable.objects.filter(owner_unit=cluster.owner_unit, next_version=None),
                prefix="r",
            ),
        )
    return render(request, "clusters/cluster_detail.html", context)


@login_required
@require_POST
def cluster_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The set-up forms of the cluster page: members, term, election, pledge, target, review."""
    cluster = selectors.get_cluster_for_user(request.user, pk)
    require(request.user, "clusters.manage", cluster.owner_unit)
    members = {u.pk: u for u in _member_units(cluster)}
    try:
        if action == "members":
            candidates = Unit.objects.filter(path__startswith=cluster.owner_unit.path)
            form = MembersForm(request.POST, units=candidates, prefix="m")
            if form.is_valid():
                units = list(candidates.filter(pk__in=form.cleaned_data["units"]))
                services.add_members(
                    request.user,
                    cluster=cluster,
                    units=units,
                    joined_on=form.cleaned_data["joined_on"],
                )
        elif action == "term":
            form = TermForm(request.POST, units=members.values(), prefix="t")
            if form.is_valid():
                d = form.cleaned_data
                services.open_term(
                    request.user,
                    cluster=cluster,
                    year=d["year"],
                    head=members.get(d["head"]),
                    deputy=members.get(d["deputy"]),
                    rotation_order=list(members.values()) if d["head"] else None,
                )
        elif action == "election":
            form = ElectionForm(request.POST, units=members.values(), prefix="e")
            term = cluster.terms.order_by("-year").first()
            if form.is_valid() and term is not None:
                d = form.cleaned_data
                services.record_election(
                    request.user,
                    term=term,
                    head=members[d["head"]],
                    elected_on=d["elected_on"],
                    note=d["note"],
                    votes_for=d["votes_for"],
                    voters=d["voters"],
                )
        elif action == "pledge":
            form = PledgeForm(request.POST, prefix="p")
            if form.is_valid():
                services.record_pledge(request.user, cluster=cluster, **form.cleaned_data)
        elif action == "target":
            form = TargetForm(request.POST, units=members.values(), prefix="g")
            pledge = cluster.pledges.order_by("-year").first()
            if form.is_valid() and pledge is not None:
                d = form.cleaned_data
                services.add_pledge_target(
                    request.user,
                    pledge=pledge,
                    unit=members[d["unit"]],
                    description=d["description"],
                    value=d["value"],
                    measure=d["measure"],
                )
        elif action == "review":
            tables = ScoreTable.objects.filter(owner_unit=cluster.owner_unit)
            form = ReviewForm(request.POST, tables=tables, prefix="r")
            if form.is_valid():
                d = form.cleaned_data
                review = services.open_review(
                    request.user,
                    cluster=cluster,
                    year=d["year"],
                    table=tables.get(pk=d["table"]),
                    peer_count=d["peer_count"],
                    flag_quota=d["flag_quota"],
                    meeting_on=d["meeting_on"],
                )
                return redirect("clusters:review", review.pk)
        else:
            form = None
        if form is not None and not form.is_valid():
            for field, errors in form.errors.items():
                for message in errors:
                    messages.error(
                        request,
                        f"{form[field].label if field in form.fields else ''} {message}".strip(),
                    )
        else:
            messages.success(request, _("Saved."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("clusters:detail", cluster.pk)


@login_required
def pledge_pdf(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    cluster = selectors.get_cluster_for_user(request.user, pk)
    pledge = selectors.pledge_of(cluster, year)
    if pledge is None:
        raise Http404
    return _pdf(exports.pledge_pdf(pledge), f"giao-uoc-{year}.pdf")


# --- the review chain of an organising unit ---------------------------------------------------


@login_required
def chain(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """The review steps the unit's clusters run, and whether they run peer scoring; those who
    manage the unit's clusters change them (while no sheet is in review)."""
    unit = selectors.get_chain_unit_for_user(request.user, unit_pk)
    manage = can(request.user, "clusters.manage", unit)
    steps, peer_scoring = chain_steps(unit)
    form = None
    if request.method == "POST":
        require(request.user, "clusters.manage", unit)
    if manage:
        form = ChainForm(
            request.POST or None,
            steps=REVIEW_STEPS,
            initial={"steps": steps, "peer_scoring": peer_scoring},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.configure_chain(
                    request.user,
                    owner_unit=unit,
                    steps=form.cleaned_data["steps"],
                    peer_scoring=form.cleaned_data["peer_scoring"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The review chain is saved."))
                return redirect("clusters:chain", unit.pk)
    in_review = selectors.sheets_in_review(unit).count()
    return render(
        request,
        "clusters/chain.html",
        {
            "unit": unit,
            "form": form,
            "steps": [Step(s).label for s in steps],
            "peer_scoring": peer_scoring,
            "configured": selectors.chain_is_set(unit),
            "in_review": in_review,
            "all_steps": [(Step(s).label, s in steps) for s in REVIEW_STEPS],
        },
        status=400 if form is not None and form.errors else 200,
    )


# --- score tables --------------------------------------------------------------------------


@login_required
def table_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "clusters.view")
    tables = (
        ScoreTable.objects.filter(scope_filter(request.user, "clusters.view", "owner_unit__path"))
        .select_related("owner_unit")
        .order_by("-year", "title", "-version")
    )
    page = Paginator(tables, PER_PAGE).get_page(request.GET.get("page"))
    units = _manage_units(request.user)
    return render(
        request,
        "clusters/table_list.html",
        {"page": page, "form": TableForm(units=units) if units else None},
    )


@login_required
@require_POST
def table_create(request: HttpRequest) -> HttpResponse:
    units = _manage_units(request.user)
    if not units:
        require(request.user, "clusters.manage")
    form = TableForm(request.POST, units=units)
    if form.is_valid():
        d = form.cleaned_data
        unit = next(u for u in units if u.pk == d["owner_unit"])
        table = services.create_table(
            request.user, owner_unit=unit, year=d["year"], title=d["title"]
        )
        return redirect("clusters:table", table.pk)
    messages.error(request, _("Check the form."))
    return redirect("clusters:tables")


def _get_table(user, pk: int) -> ScoreTable:
    table = (
        ScoreTable.objects.filter(scope_filter(user, "clusters.view", "owner_unit__path"), pk=pk)
        .select_related("owner_unit", "previous")
        .first()
    )
    if table is None:
        raise Http404
    return table


@login_required
def table_detail(request: HttpRequest, pk: int) -> HttpResponse:
    table = _get_table(request.user, pk)
    manage = can(request.user, "clusters.manage", table.owner_unit)
    is_latest = not hasattr(table, "next_version")
    context = {
        "table": table,
        "groups": table.groups.prefetch_related("criteria"),
        "total": sum((c.max_points for c in selectors.leaves(table)), 0),
        "manage": manage and is_latest,
        "is_latest": is_latest,
    }
    if manage and is_latest:
        context["group_form"] = GroupForm(prefix="g")
        context["criterion_form"] = CriterionForm(table=table, prefix="c")
        context["edit_form"] = EditCriterionForm(table=table, prefix="x")
    return render(request, "clusters/table_detail.html", context)


@login_required
@require_POST
def table_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    table = _get_table(request.user, pk)
    require(request.user, "clusters.manage", table.owner_unit)
    target = table
    try:
        if action == "group":
            form = GroupForm(request.POST, prefix="g")
            if form.is_valid():
                services.add_group(request.user, table=table, **form.cleaned_data)
        elif action == "criterion":
            form = CriterionForm(request.POST, table=table, prefix="c")
            if form.is_valid():
                d = form.cleaned_data
                group = table.groups.get(pk=d.pop("group"))
                parent = table.criteria.filter(pk=d.pop("parent")).first() if d["parent"] else None
                d.pop("parent", None)
                services.add_criterion(request.user, group=group, parent=parent, **d)
        elif action == "edit":
            form = EditCriterionForm(request.POST, table=table, prefix="x")
            if form.is_valid():
                d = form.cleaned_data
                criterion = Criterion.objects.get(table=table, pk=d["criterion"])
                changed = services.edit_criterion(
                    request.user,
                    criterion=criterion,
                    note=d["note"],
                    max_points=d["max_points"],
                    evidence_required=d["evidence_required"],
                )
                target = changed.table
        else:
            form = None
        if form is not None and not form.is_valid():
            messages.error(request, _("Check the form."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("clusters:table", target.pk)


# --- reviews and sheets ----------------------------------------------------------------------


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_for_user(request.user, pk)
    owner = review.cluster.owner_unit
    sheets = selectors.review_sheets(review)
    if not can(request.user, "clusters.view", owner):
        mine = [s for s in sheets if can(request.user, "clusters.self_assess", s.unit)]
        sheets = mine
    scores = selectors.sheet_scores(sheets)
    steps, _peers = chain_steps(owner)
    rows = [(s, scores[s.pk]) for s in sheets]
    may_publish = (
        not review.is_published
        and can(request.user, STEP_ACTION[steps[-1]], owner)
        and all(s.status == steps[-1] for s in sheets)
        and bool(sheets)
    )
    rounds = []
    if review.is_published and can(request.user, "clusters.approve", owner):
        rounds = [
            r
            for r in honors_selectors.open_rounds_for(
                request.user, owner, nominee_kind="collective"
            )
            if r.award_types.filter(code="co-thi-dua").exists()
        ]
    return render(
        request,
        "clusters/review_detail.html",
        {
            "review": review,
            "rows": rows,
            "ranking": selectors.ranking_rows(review) if review.is_published else [],
            "may_publish": may_publish,
            "may_assign": runs_peer_scoring(review)
            and not review.is_published
            and can(request.user, "clusters.manage", owner),
            "rounds": rounds,
            "waiting_flags": review.is_published
            and review.ranking.filter(flag_proposed=True, nomination__isnull=True).exists(),
            "steps": [Step(s).label for s in steps],
            "peers_run": runs_peer_scoring(review),
            "oversees": can(request.user, "clusters.view", owner),
        },
    )


@login_required
@require_POST
def review_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    review = selectors.get_review_for_user(request.user, pk)
    try:
        if action == "publish":
            services.publish_review(request.user, review=review)
            messages.success(request, _("The review is published."))
        elif action == "peers":
            services.assign_peers(request.user, review=review)
            messages.success(request, _("Peers assigned."))
        elif action == "nominate":
            round_ = next(
                (
                    r
                    for r in honors_selectors.open_rounds_for(
                        request.user, review.cluster.owner_unit, nominee_kind="collective"
                    )
                    if str(r.pk) == request.POST.get("round")
                ),
                None,
            )
            if round_ is None:
                messages.error(request, _("Choose a commendation round."))
            else:
                services.nominate_flags(request.user, review=review, round=round_)
                messages.success(request, _("The flag nominations are in the commendation round."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("clusters:review", review.pk)


def _oversees(user, review) -> None:
    require(user, "clusters.view", review.cluster.owner_unit)


@login_required
def review_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_for_user(request.user, pk)
    _oversees(request.user, review)
    return workbook_response(exports.summary_xlsx(review), f"bang-tong-hop-diem-{review.year}.xlsx")


@login_required
def review_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_for_user(request.user, pk)
    _oversees(request.user, review)
    return _pdf(exports.minutes_pdf(review), f"bien-ban-hop-cum-{review.year}.pdf")


@login_required
def review_letter(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review_for_user(request.user, pk)
    _oversees(request.user, review)
    return _pdf(exports.flag_letter_pdf(review), f"to-trinh-co-thi-dua-{review.year}.pdf")


def _peer_units(user, sheet) -> list[Unit]:
    return [
        a.scorer.unit
        for a in sheet.peers.select_related("scorer__unit")
        if can(user, "clusters.self_assess", a.scorer.unit)
    ]


@login_required
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = selectors.get_sheet_for_user(request.user, pk)
    scores = selectors.sheet_scores([sheet])[sheet.pk]
    criteria = selectors.leaves(sheet.table)
    evidence: dict[int, list] = {}
    for item in sheet.evidence.all():
        item.url = file_url("cluster-evidence", item.pk)
        evidence.setdefault(item.criterion_id, []).append(item)
    acting = services.can_act(request.user, sheet) and not sheet.is_locked
    peer_units = _peer_units(request.user, sheet) if sheet.status == Step.PEER_SCORING else []
    scoring = (acting and sheet.status != Step.SUBMITTED) or bool(peer_units)
    today = timezone.localdate()
    lines = [
        {
            "criterion": c,
            "days_left": (c.deadline - today).days if c.deadline else None,
            "closed": services.deadline_passed(c, on=today),
            "self": scores.self_scores.get(c.pk),
            "peer": scores.peer.get(c.pk),
            "final": scores.final.get(c.pk),
            "history": scores.history.get(c.pk, []),
            "evidence": evidence.get(c.pk, []),
        }
        for c in criteria
    ]
    return render(
        request,
        "clusters/sheet_detail.html",
        {
            "sheet": sheet,
            "review": sheet.review,
            "lines": lines,
            "scores": scores,
            "acting": acting,
            "scoring": scoring,
            "peer_units": peer_units,
            "reasoned": sheet.status
            in (Step.BOARD_REVIEW, Step.COUNCIL_REVIEW, Step.STANDING_REVIEW),
            "self_assessing": sheet.status == Step.SELF_ASSESSING,
            "may_forward": acting
            and sheet.status != Step.SELF_ASSESSING
            and sheet.status != _last_step(sheet),
            "may_return": acting and sheet.status != Step.SELF_ASSESSING,
            "missing": _missing(sheet) if sheet.status == Step.SELF_ASSESSING else [],
            "events": sheet.events.select_related("actor"),
        },
    )


def _missing(sheet) -> list[tuple[str, str]]:
    """What stops the member from submitting, as (criterion code, what is missing)."""
    scored = set(
        sheet.entries.filter(step=Step.SELF_ASSESSING).values_list("criterion_id", flat=True)
    )
    evidenced = set(sheet.evidence.values_list("criterion_id", flat=True))
    missing = []
    for criterion in selectors.leaves(sheet.table):
        if criterion.required and criterion.pk not in scored:
            missing.append((criterion.code, _("not scored yet")))
        if criterion.evidence_required and criterion.pk not in evidenced:
            missing.append((criterion.code, _("evidence required")))
    return missing


def _last_step(sheet) -> str:
    steps, _peers = chain_steps(sheet.review.cluster.owner_unit)
    return steps[-1] if steps else REVIEW_STEPS[-1]


@login_required
@require_POST
def sheet_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Every criterion's input of the sheet form: a score is written where it changes."""
    sheet = selectors.get_sheet_for_user(request.user, pk)
    peer_unit = None
    if sheet.status == Step.PEER_SCORING:
        wanted = request.POST.get("scorer_unit", "")
        peer_unit = next((u for u in _peer_units(request.user, sheet) if str(u.pk) == wanted), None)
    current = selectors.sheet_scores([sheet])[sheet.pk]
    written = 0
    for criterion in selectors.leaves(sheet.table):
        raw = request.POST.get(f"value_{criterion.pk}", "").strip()
        if raw == "":
            continue
        bonus = request.POST.get(f"bonus_{criterion.pk}", "0") or "0"
        penalty = request.POST.get(f"penalty_{criterion.pk}", "0") or "0"
        comment = request.POST.get(f"comment_{criterion.pk}", "")
        try:
            if sheet.status != Step.PEER_SCORING:
                try:
                    new = (
                        Decimal(raw.replace(",", "."))
                        + Decimal(bonus.replace(",", "."))
                        - Decimal(penalty.replace(",", "."))
                    )
                except InvalidOperation:
                    new = None
                mine = current.self_scores if sheet.status == Step.SELF_ASSESSING else current.final
                if new is not None and mine.get(criterion.pk) == new:
                    continue
            if services.record_score(
                request.user,
                sheet=sheet,
                criterion=criterion,
                value=raw,
                bonus=bonus,
                penalty=penalty,
                comment=comment,
                scorer_unit=peer_unit,
            ):
                written += 1
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, f"{criterion.code}: {message}")
    if written:
        messages.success(request, _("Scores saved."))
    return redirect("clusters:sheet", sheet.pk)


@login_required
@require_POST
def sheet_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = selectors.get_sheet_for_user(request.user, pk)
    criterion = Criterion.objects.filter(
        table=sheet.table, pk=request.POST.get("criterion")
    ).first()
    file = request.FILES.get("file")
    if criterion is None or file is None:
        messages.error(request, _("Choose a criterion and a file."))
    else:
        try:
            services.add_evidence(request.user, sheet=sheet, criterion=criterion, file=file)
            messages.success(request, _("Evidence attached."))
        except ValidationError as error:
            _errors(request, error)
    return redirect("clusters:sheet", sheet.pk)


@login_required
@require_POST
def sheet_transition(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = selectors.get_sheet_for_user(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "submit":
            services.submit_sheet(request.user, sheet=sheet)
            messages.success(request, _("Submitted."))
        elif action == "forward":
            services.forward_sheet(request.user, sheet=sheet)
            messages.success(request, _("Sent to the next step."))
        elif action == "return":
            services.return_sheet(request.user, sheet=sheet, reason=request.POST.get("reason", ""))
            messages.success(request, _("Returned one step back."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("clusters:sheet", sheet.pk)


# --- public ---------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_reviews(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "clusters/public/list.html", {"page": page})


def public_review(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_public_review(pk)
    cluster = review.cluster
    ranking = list(selectors.ranking_rows(review))
    groups = list(review.table.groups.order_by("order", "pk"))
    for row in ranking:
        row.group_list = [row.group_totals.get(g.code) for g in groups]
    return render(
        request,
        "clusters/public/review.html",
        {
            "review": review,
            "cluster": cluster,
            "members": selectors.current_members(cluster),
            "term": selectors.term_of(cluster, review.year),
            "pledge": selectors.pledge_of(cluster, review.year),
            "ranking": ranking,
            "groups": groups,
            "flags": [r for r in ranking if r.flag_proposed],
        },
    )
