"""The newsroom's staff pages: stories and their workflow, bulletin issues, fees."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from thidua.core.excel import workbook_response
from thidua.core.formatting import format_count
from thidua.core.forms import add_errors
from thidua.core.policy import can, scope_filter
from thidua.core.uploads import file_url
from thidua.org.models import Unit
from thidua.publishing import forms, selectors, services
from thidua.publishing.fees_export import fees_workbook
from thidua.publishing.models import Column, Fee, IssueSlot, StaticPage, Story, StoryType
from thidua.publishing.services import fees as services_fees


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _writable_units(user):
    return (
        Unit.objects.filter(scope_filter(user, "publishing.write"))
        .select_related("kind", "parent")
        .order_by("path")
    )


def _columns_for(user):
    # columns of the units the user writes for and of the units above them
    paths = set()
    for unit in _writable_units(user)[:50]:
        paths.update(unit.path[: i + 1] for i, ch in enumerate(unit.path) if ch == "/")
    return Column.objects.filter(unit__path__in=paths, is_active=True).select_related("unit")


@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    stories = selectors.visible_stories(request.user)
    status = request.GET.get("status", "")
    if status in Story.Status.values:
        stories = stories.filter(status=status)
    page = Paginator(stories.order_by("-updated_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "publishing/staff/story_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Story.Status.choices,
            "to_review": selectors.stories_to_review(request.user).count()
            if can(request.user, "publishing.approve")
            else None,
            "may_write": can(request.user, "publishing.write"),
            "may_issue": can(request.user, "publishing.issue")
            or can(request.user, "publishing.approve_issue"),
        },
    )


@login_required
def story_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "publishing.write"):
        raise PermissionDenied
    units = _writable_units(request.user)
    form = forms.StoryForm(request.POST or None, units=units, columns=_columns_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            story = services.create_story(
                request.user,
                unit=data["unit"],
                column=data["column"],
                title=data["title"],
                lead=data["lead"],
                body=data["body"],
                language=data["language"],
                story_type=data["story_type"],
                tags=data["tags"],
                byline=data["byline"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("publishing:story_detail", story.pk)
    return render(request, "publishing/staff/story_form.html", {"form": form})


@login_required
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.get_story_for_user(request.user, pk)
    revision = story.revision
    initial = {
        "column": story.column_id,
        "title": revision.title,
        "lead": revision.lead,
        "body": revision.body,
        "story_type": story.story_type,
        "tags": story.tags,
        "byline": story.byline,
    }
    columns = _columns_for(request.user) | Column.objects.filter(pk=story.column_id)
    form = forms.StoryForm(
        request.POST or None,
        initial=initial,
        units=None,
        columns=columns.distinct(),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_story(
                request.user,
                story=story,
                title=data["title"],
                lead=data["lead"],
                body=data["body"],
                column=data["column"],
                tags=data["tags"],
                byline=data["byline"],
                story_type=data["story_type"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("A new revision is saved."))
            return redirect("publishing:story_detail", story.pk)
    return render(request, "publishing/staff/story_form.html", {"form": form, "story": story})


@login_required
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.get_story_for_user(request.user, pk)
    is_editor = can(request.user, "publishing.approve", story.owner_unit)
    may_edit = is_editor or (
        story.author_id == request.user.pk
        and can(request.user, "publishing.write", story.owner_unit)
    )
    transitions = services.TRANSITIONS
    link_search = forms.LinkSearchForm(
        request.GET if "q" in request.GET else None, auto_id="find_%s"
    )
    candidates = None
    if may_edit and link_search.is_valid():
        linked = {(link.kind, link.object_id) for link in story.links.all()}
        candidates = [
            found
            for found in selectors.link_candidates(
                request.user, link_search.cleaned_data["kind"], link_search.cleaned_data["q"]
            )
            if (found["kind"], found["id"]) not in linked
        ]
    return render(
        request,
        "publishing/staff/story_detail.html",
        {
            "story": story,
            "revision": story.revision,
            "photos": list(story.revision.photos.all()),
            "links": list(story.links.all()),
            "revisions": list(story.revisions.order_by("-number").select_related("author")[:20]),
            "is_editor": is_editor,
            "may_edit": may_edit,
            "may_submit": may_edit and story.status in transitions["submit"],
            "may_review": is_editor and story.status in transitions["start_review"],
            "may_return": is_editor and story.status in transitions["return"],
            "may_approve": is_editor and story.status in transitions["approve"],
            "may_schedule": is_editor and story.status in transitions["schedule"],
            "may_publish": is_editor and story.status in transitions["publish"],
            "may_unpublish": is_editor and story.status in transitions["unpublish"],
            "comment_form": forms.CommentForm(),
            "reason_form": forms.ReasonForm(),
            "schedule_form": forms.ScheduleForm(),
            "photo_form": forms.PhotoForm(),
            "link_form": forms.LinkForm(),
            "link_search": link_search,
            "candidates": candidates,
        },
    )


@login_required
@require_POST
def story_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    story = selectors.get_story_for_user(request.user, pk)
    user = request.user
    try:
        if action == "submit":
            form = forms.CommentForm(request.POST)
            services.submit_story(user, story=story, comment=form.data.get("comment", ""))
            messages.success(request, _("The story is sent to the editors."))
        elif action == "review":
            services.start_review(user, story=story)
        elif action == "return":
            services.return_story(user, story=story, reason=request.POST.get("reason", ""))
            messages.success(request, _("The story is returned to its author."))
        elif action == "approve":
            services.approve_story(user, story=story)
            messages.success(request, _("The story is approved."))
        elif action == "schedule":
            form = forms.ScheduleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose the date and time of publication."))
            services.schedule_story(user, story=story, publish_at=form.cleaned_data["publish_at"])
            messages.success(request, _("The story will be published at the time chosen."))
        elif action == "publish":
            services.publish_story(user, story=story)
            messages.success(request, _("The story is published."))
        elif action == "unpublish":
            services.unpublish_story(user, story=story, reason=request.POST.get("reason", ""))
        elif action == "photo":
            services.add_photo(
                user,
                story=story,
                file=request.FILES.get("photo"),
                caption=request.POST.get("caption", ""),
                credit=request.POST.get("credit", ""),
            )
        elif action == "link":
            form = forms.LinkForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose the kind of record and its number."))
            services.link_story(
                user,
                story=story,
                kind=form.cleaned_data["kind"],
                object_id=form.cleaned_data["object_id"],
            )
        elif action == "unphoto":
            photo = selectors.get_story_photo(story, _int(request.POST.get("photo")))
            services.remove_photo(user, story=story, photo=photo)
        elif action == "unlink":
            link = selectors.get_story_link(story, _int(request.POST.get("link")))
            services.unlink_story(user, link=link)
        else:
            raise PermissionDenied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("publishing:story_detail", story.pk)


# --- bulletin issues ------------------------------------------------------------------------


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    if not (can(request.user, "publishing.issue") or can(request.user, "publishing.approve_issue")):
        raise PermissionDenied
    issues = selectors.visible_issues(request.user)
    form = forms.IssueForm(request.POST or None)
    units = Unit.objects.filter(scope_filter(request.user, "publishing.issue")).order_by("path")
    if request.method == "POST" and form.is_valid():
        unit = units.first()
        if unit is None:
            raise PermissionDenied
        try:
            issue = services.create_issue(request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("publishing:issue_detail", issue.pk)
    return render(
        request,
        "publishing/staff/issue_list.html",
        {"issues": issues, "form": form, "may_create": units.exists()},
    )


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.get_issue_for_user(request.user, pk)
    may_build = can(request.user, "publishing.issue", issue.owner_unit)
    place_form = forms.PlaceForm(stories=selectors.placeable_stories(issue)[:200])
    return render(
        request,
        "publishing/staff/issue_detail.html",
        {
            "issue": issue,
            "slots": list(selectors.issue_slots(issue)),
            "place_form": place_form,
            "may_build": may_build and issue.status in {"draft", "proof"},
            "may_proof": may_build and issue.status == "draft",
            "may_approve": can(request.user, "publishing.approve_issue", issue.owner_unit)
            and issue.status == "proof",
            "may_publish": may_build and issue.status == "approved",
            "may_fees": may_build,
            "may_approve_fees": can(request.user, "publishing.approve_fees", issue.owner_unit),
            "fees": list(issue.fee_set.order_by("id")),
            "pdf_url": file_url("bulletin-pdf", issue.pk) if issue.pdf and issue.pdf_sha256 else "",
        },
    )


@login_required
@require_POST
def issue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    issue = selectors.get_issue_for_user(request.user, pk)
    user = request.user
    try:
        if action == "place":
            form = forms.PlaceForm(request.POST, stories=selectors.placeable_stories(issue))
            if not form.is_valid():
                raise ValidationError(_("Choose a story, a page and a layout."))
            services.place_story(user, issue=issue, **form.cleaned_data)
        elif action == "remove":
            slot = get_object_or_404(IssueSlot, issue=issue, pk=request.POST.get("slot"))
            services.remove_slot(user, slot=slot)
        elif action == "proof":
            services.send_to_proof(user, issue=issue)
            messages.success(request, _("The proof PDF is being prepared."))
        elif action == "approve":
            services.approve_issue(user, issue=issue)
        elif action == "publish":
            services.publish_issue(user, issue=issue)
            messages.success(request, _("The issue is published."))
        elif action == "fees":
            services.propose_fees(user, issue=issue)
        elif action == "approve-fees":
            services.approve_fees(user, issue=issue)
        else:
            raise PermissionDenied
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("publishing:issue_detail", issue.pk)


@login_required
def issue_fees_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    issue = selectors.get_issue_for_user(request.user, pk)
    workbook = fees_workbook(
        issue.fee_set.select_related("story__owner_unit").order_by("id"), title=str(issue)
    )
    return workbook_response(workbook, f"nhuan-but-{issue.number.replace('/', '-')}.xlsx")


# --- static pages ---------------------------------------------------------------------------


@login_required
def page_edit(request: HttpRequest, unit_pk: int, slug: str) -> HttpResponse:
    """About, contacts, documents of a unit's portal, edited by its editors."""
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not can(request.user, "publishing.approve", unit):
        raise Http404
    page = StaticPage.objects.filter(unit=unit, slug=slug).first()
    form = forms.PageForm(
        request.POST or None,
        initial={"title": page.title, "body": page.body} if page else {"title": slug},
    )
    if request.method == "POST" and form.is_valid():
        try:
            page = services.save_page(request.user, unit=unit, slug=slug, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The page is saved."))
            return redirect(page.get_absolute_url())
    return render(
        request, "publishing/staff/page_form.html", {"form": form, "unit": unit, "slug": slug}
    )


# the static pages of a unit's portal (about, contacts, documents)
PAGE_SLUGS = [
    ("gioi-thieu", gettext_lazy("About")),
    ("lien-he", gettext_lazy("Contacts")),
    ("van-ban", gettext_lazy("Documents")),
]


# --- columns --------------------------------------------------------------------------------


def _chosen_unit(request: HttpRequest, units: list, get_for_user) -> Unit:
    wanted = request.GET.get("unit", "")
    if wanted.isdigit():
        return get_for_user(request.user, int(wanted))
    if not units:
        raise PermissionDenied
    return units[0]


@login_required
def column_list(request: HttpRequest) -> HttpResponse:
    """A unit's columns (the editors of the unit or above manage them): create, rename, put in
    order, retire and bring back."""
    if not can(request.user, "publishing.approve"):
        raise PermissionDenied
    units = selectors.column_units(request.user)
    unit = _chosen_unit(request, units, selectors.get_column_unit_for_user)
    form = forms.ColumnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_column(request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The column is created."))
            return redirect(f"{reverse('publishing:column_list')}?unit={unit.pk}")
    return render(
        request,
        "publishing/staff/column_list.html",
        {
            "units": units,
            "unit": unit,
            "columns": list(selectors.unit_columns(unit)),
            "form": form,
            "page_slugs": PAGE_SLUGS,
            "existing_pages": set(
                StaticPage.objects.filter(unit=unit).values_list("slug", flat=True)
            ),
        },
    )


@login_required
def column_edit(request: HttpRequest, pk: int) -> HttpResponse:
    column = selectors.get_column_for_user(request.user, pk)
    form = forms.ColumnForm(
        request.POST or None,
        initial={
            "name": column.name,
            "name_en": column.name_en,
            "name_id": column.name_id,
            "description": column.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_column(request.user, column=column, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The column is saved."))
            return redirect(f"{reverse('publishing:column_list')}?unit={column.unit_id}")
    return render(request, "publishing/staff/column_form.html", {"form": form, "column": column})


@login_required
@require_POST
def column_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    column = selectors.get_column_for_user(request.user, pk)
    try:
        if action in {"up", "down"}:
            services.move_column(request.user, column=column, direction=action)
        elif action == "retire":
            services.retire_column(request.user, column=column)
            messages.success(request, _("The column is retired: its stories stay published."))
        elif action == "restore":
            services.retire_column(request.user, column=column, retire=False)
            messages.success(request, _("The column is in use again."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{reverse('publishing:column_list')}?unit={column.unit_id}")


# --- writers' fees and their rates ----------------------------------------------------------


def _period(request: HttpRequest) -> str:
    form = forms.PeriodForm(request.GET or None)
    if form.is_valid():
        return form.cleaned_data["period"]
    return timezone.localdate().strftime("%Y-%m")


@login_required
def fee_list(request: HttpRequest) -> HttpResponse:
    """A unit's fees of a month (issues' and web stories'), its rate versions, and the forms to
    propose the month's web fees, approve them and add a version of the rates."""
    if not any(can(request.user, action) for action in selectors.FEE_ACTIONS):
        raise PermissionDenied
    units = selectors.fee_units(request.user)
    unit = _chosen_unit(request, units, selectors.get_fee_unit_for_user)
    period = _period(request)
    may_rates = can(request.user, "publishing.approve_fees", unit)
    rate_form = forms.RateVersionForm(
        request.POST or None,
        initial={f"rate_{k}": f"{v:.0f}" for k, v in services_fees.DEFAULT_RATES.items()},
    )
    if request.method == "POST":
        if not may_rates:
            raise PermissionDenied
        if rate_form.is_valid():
            try:
                services.add_rate_version(
                    request.user,
                    unit=unit,
                    valid_from=rate_form.cleaned_data["valid_from"],
                    note=rate_form.cleaned_data["note"],
                    rates=rate_form.rates(),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        name = field if field in rate_form.fields else f"rate_{field}"
                        rate_form.add_error(name if name in rate_form.fields else None, errors)
                else:
                    rate_form.add_error(None, error.messages)
            else:
                messages.success(request, _("The new rates are saved."))
                return redirect(f"{reverse('publishing:fee_list')}?unit={unit.pk}&period={period}")
    fees = list(selectors.fees_of(unit=unit, period=period))
    return render(
        request,
        "publishing/staff/fee_list.html",
        {
            "units": units,
            "unit": unit,
            "period": period,
            "fees": fees,
            "total": sum(fee.amount for fee in fees),
            "versions": services_fees.rate_versions(unit),
            "types": StoryType.choices,
            "rate_form": rate_form,
            "may_rates": may_rates,
            "may_propose": can(request.user, "publishing.issue", unit),
            "may_approve": may_rates
            and any(f.status == Fee.Status.PROPOSED and f.issue_id is None for f in fees),
        },
    )


@login_required
@require_POST
def fee_action(request: HttpRequest, action: str) -> HttpResponse:
    unit = _chosen_unit(request, [], selectors.get_fee_unit_for_user)
    period = _period(request)
    try:
        if action == "propose":
            made = services.propose_month_fees(request.user, unit=unit, period=period)
            messages.success(
                request, _("%(count)s fees are proposed.") % {"count": format_count(len(made))}
            )
        elif action == "approve":
            services.approve_month_fees(request.user, unit=unit, period=period)
            messages.success(request, _("The month's fees are approved."))
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{reverse('publishing:fee_list')}?unit={unit.pk}&period={period}")


@login_required
def fee_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The month's fees of a unit as XLSX."""
    unit = _chosen_unit(request, [], selectors.get_fee_unit_for_user)
    period = _period(request)
    workbook = fees_workbook(
        selectors.fees_of(unit=unit, period=period),
        title=_("Writers' fees %(month)s") % {"month": period},
    )
    return workbook_response(workbook, f"nhuan-but-{period}.xlsx")
