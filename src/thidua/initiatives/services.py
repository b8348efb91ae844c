"""Writes for calls for initiatives and their evaluation council.

Rules enforced here:
- a call is drafted and opened by the organising unit's staff; submissions are accepted only
  while it is open, from an applicant kind it admits, from a unit inside its scope;
- a public submission counts only once its email is confirmed; an officer may enter one on behalf
  of an offline citizen; a double-clicked form is saved once (client token);
- screening out needs a reason; the applicant is told by email, in their language, at each step;
- reviewers are council members with no declared conflict and not from the applicant's unit; a
  reviewer writes only their own review; a submitted review is locked and can be amended only with
  a reason, which the audit chain records;
- the council votes in a meeting with a quorum; a submission is recognised when the "yes" votes
  reach the call's share of ALL council members, absent members' written opinions included;
- the chair finalises one numbered decision; every step is audited.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from thidua.core import audit, limits, votes
from thidua.core.notifications import notify_all
from thidua.core.policy import can, require
from thidua.core.tasks import send_email_to_address
from thidua.core.text import clean_name
from thidua.core.uploads import accept, files_removed_on_failure
from thidua.initiatives.assignment import OPTIMAL_ASSIGNERS
from thidua.initiatives.duplicates import schedule_indexing
from thidua.initiatives.models import (
    Assignment,
    Attachment,
    AwardLevel,
    Call,
    Conflict,
    Criterion,
    Decision,
    Meeting,
    Review,
    Score,
    Submission,
    SubmissionEvent,
    Vote,
)
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search
from thidua.shared.models import Council, CouncilMember

S = Submission.Status

# The Vietnamese conditions for recognising an initiative, plus its reach (editable per call).
DEFAULT_CRITERIA = [
    (
        "Tính mới trong phạm vi đơn vị",
        "Chưa được đăng ký, công bố hay áp dụng trước đó tại đơn vị; không phải là giải pháp "
        "đã bắt buộc áp dụng.",
        Decimal("3"),
        10,
    ),
    ("Khả năng áp dụng", "Đã được áp dụng hoặc áp dụng thử có kết quả.", Decimal("2"), 10),
    (
        "Lợi ích kinh tế – xã hội",
        "Mang lại hiệu quả kinh tế hoặc lợi ích xã hội.",
        Decimal("3"),
        10,
    ),
    ("Phạm vi ảnh hưởng", "Khả năng nhân rộng ra các đơn vị khác.", Decimal("2"), 10),
]
MAX_ATTACHMENTS = 5


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# --- councils -------------------------------------------------------------------------------


def create_council(
    actor: Any, *, owner_unit: Unit, name: str, members: list[dict[str, Any]]
) -> Council:
    """members: [{"user": User, "role": "chair"|..., "unit": Unit|None, "expertise": [Field]}]"""
    require(actor, "initiatives.manage", owner_unit)
    roles = [m.get("role", "member") for m in members]
    if roles.count(CouncilMember.Role.CHAIR) != 1:
        raise ValidationError(_("A council has exactly one chair."))
    if len({m["user"].pk for m in members}) != len(members):
        raise ValidationError(_("A person sits only once in a council."))
    with transaction.atomic():
        council = Council.objects.create(owner_unit=owner_unit, name=clean_name(name))
        for spec in members:
            member = CouncilMember.objects.create(
                council=council,
                user=spec["user"],
                role=spec.get("role", "member"),
                unit=spec.get("unit"),
            )
            if spec.get("expertise"):
                member.expertise.set(spec["expertise"])
        audit.record(
            actor,
            "initiatives.create_council",
            council,
            {"members": [m["user"].get_username() for m in members]},
            unit=owner_unit,
        )
    return council


def _seat(actor: Any, council: Council | None) -> CouncilMember | None:
    if council is None or not getattr(actor, "pk", None):
        return None
    return CouncilMember.objects.filter(council=council, user=actor, is_active=True).first()


def require_secretariat(actor: Any, call: Call) -> None:
    """Organising staff, or the council's chair, vice chair or secretary."""
    if can(actor, "initiatives.manage", call.owner_unit):
        return
    seat = _seat(actor, call.council)
    if seat is None or seat.role == CouncilMember.Role.MEMBER:
        raise PermissionDenied(_("Only the council's secretariat can do this."))


# --- calls ----------------------------------------------------------------------------------


def create_call(
    actor: Any,
    *,
    owner_unit: Unit,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    description: str = "",
    council: Council | None = None,
    fields: list[Any] | None = None,
    criteria: list[tuple[str, str, Decimal, int]] | None = None,
    award_levels: list[tuple[str, Decimal]] | None = None,
    **options: Any,
) -> Call:
    require(actor, "initiatives.manage", owner_unit)
    base = slugify(unidecode(title))[:60] or "call"
    slug, n = base, 2
    while Call.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    call = Call(
        owner_unit=owner_unit,
        title=clean_name(title),
        slug=slug,
        opens_on=opens_on,
        closes_on=closes_on,
        description=description,
        council=council,
        **options,
    )
    call.full_clean()
    with transaction.atomic():
        call.save()
        if fields:
            call.fields.set(fields)
        for order, (name, guidance, weight, max_score) in enumerate(
            criteria if criteria is not None else DEFAULT_CRITERIA
        ):
            Criterion.objects.create(
                call=call,
                name=name,
                guidance=guidance,
                weight=weight,
                max_score=max_score,
                order=order,
            )
        for order, (name, prize) in enumerate(award_levels or []):
            AwardLevel.objects.create(call=call, name=name, prize=prize, order=order)
        audit.record(actor, "initiatives.create_call", call, {"title": call.title})
    return call


def set_call_status(actor: Any, *, call: Call, status: str) -> Call:
    """draft → open → closed (decided is reached by the decision)."""
    require(actor, "initiatives.manage", call.owner_unit)
    allowed = {Call.Status.DRAFT: Call.Status.OPEN, Call.Status.OPEN: Call.Status.CLOSED}
    if allowed.get(call.status) != status:
        raise ValidationError(_("This call cannot move to that status."))
    if status == Call.Status.OPEN and call.council is None:
        raise ValidationError(_("Choose the council before opening the call."))
    with transaction.atomic():
        call.status = status
        call.save(update_fields=["status"])
        audit.record(actor, "initiatives.set_call_status", call, {"status": status})
    return call


# --- submissions ----------------------------------------------------------------------------


def _notify_applicant(submission: Submission, template: str, **extra: Any) -> None:
    if not submission.applicant_email:
        return
    from django.conf import settings

    context = {
        "site_url": settings.SITE_URL,
        "title": submission.title,
        "number": submission.number,
        "call": submission.call.title,
        "status": submission.status,
        "token": submission.token,
        **extra,
    }
    transaction.on_commit(
        lambda: send_email_to_address.enqueue(
            address=submission.applicant_email,
            language=submission.applicant_language,
            template=f"initiatives/email/{template}",
            context=context,
        )
    )


def _event(submission: Submission, actor: Any, note: str = "") -> None:
    SubmissionEvent.objects.create(
        submission=submission, status=submission.status, actor=_user(actor), note=note
    )


def _check_call_accepts(call: Call, *, on: dt.date | None = None) -> None:
    day = on or timezone.localdate()
    if call.status != Call.Status.OPEN or not (call.opens_on <= day <= call.closes_on):
        raise ValidationError(_("This call is not open for submissions."))


def submit_initiative(
    actor: Any,
    *,
    call: Call,
    data: dict[str, Any],
    files: list[Any] | None = None,
    client_token: str | None = None,
    language: str = "vi",
) -> Submission:
    """A submission from the public form (email confirmation pending) or, when `actor` is an
    officer of the unit of origin, entered on behalf of an offline citizen (submitted at once)."""
    _check_call_accepts(call)
    if client_token:
        # Scoped to the call, so a token can never reveal another call's submission.
        client_token = f"{call.pk}:{client_token}"[:64]
        existing = Submission.objects.filter(client_token=client_token, call=call).first()
        if existing is not None:
            return existing  # a double click: the first request already saved it
    unit = data.get("unit")
    if (
        not isinstance(unit, Unit)
        or not unit.path.startswith(call.owner_unit.path)
        or not unit.is_valid_on(timezone.localdate())
    ):
        raise ValidationError({"unit": _("Choose a unit inside this call's scope.")})
    call_fields = set(call.fields.values_list("pk", flat=True))
    if data.get("field") is not None and call_fields and data["field"].pk not in call_fields:
        raise ValidationError({"field": _("This call does not take initiatives in this field.")})
    kind = data.get("applicant_kind")
    if kind == Submission.ApplicantKind.PERSON and not call.individuals_may_apply:
        raise ValidationError({"applicant_kind": _("This call does not admit individuals.")})
    if kind == Submission.ApplicantKind.COLLECTIVE and not call.collectives_may_apply:
        raise ValidationError({"applicant_kind": _("This call does not admit collectives.")})
    on_behalf = getattr(actor, "is_authenticated", False) and can(actor, "unit.enter_data", unit)
    if not on_behalf and not data.get("applicant_email"):
        raise ValidationError({"applicant_email": _("Give an email address to confirm.")})
    files = files or []
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(n)s files.") % {"n": MAX_ATTACHMENTS}})
    uploads = [accept(f, field="attachments") for f in files]
    fields = {
        k: data.get(k, "")
        for k in (
            "title",
            "summary",
            "description",
            "expected_benefit",
            "applicant_name",
            "applicant_email",
            "applicant_phone",
            "co_authors",
        )
    }
    for name in ("title", "applicant_name"):
        fields[name] = clean_name(fields[name])
    submission = Submission(
        call=call,
        number=0,
        field=data.get("field"),
        unit=unit,
        applicant_kind=kind,
        publish_names=bool(data.get("publish_names", True)),
        applicant_language=language,
        client_token=client_token,
        entered_by=actor if on_behalf else None,
        **fields,
    )
    submission.search_text = normalise_search(" ".join([submission.title, submission.summary]))
    # client_token is left to the database: a concurrent double click meets IntegrityError
    # below and gets the saved submission back.
    submission.full_clean(
        exclude=["number", "client_token", "field"]
        if data.get("field")
        else ["number", "client_token"]
    )
    if data.get("field") is None:
        raise ValidationError({"field": _("This field is required.")})
    if not on_behalf:
        # A few confirmation emails a day per address: the form cannot mail-bomb anyone.
        limits.check_value("confirmation_email", submission.applicant_email)
    try:
        with files_removed_on_failure(), transaction.atomic():
            Call.objects.select_for_update().get(pk=call.pk)
            submission.number = (
                Submission.objects.filter(call=call).aggregate(n=Max("number"))["n"] or 0
            ) + 1
            if on_behalf:
                submission.status = S.SUBMITTED
                submission.submitted_at = timezone.now()
                submission.email_confirmed_at = None
            submission.save()
            for upload in uploads:
                Attachment.objects.create(
                    submission=submission,
                    file=upload.file,
                    name=upload.name,
                    content_type=upload.mime,
                    size=upload.size,
                )
            _event(submission, actor, _("Entered by an officer") if on_behalf else "")
            audit.record(
                actor if on_behalf else f"applicant:{submission.applicant_email}",
                "initiatives.submit",
                submission,
                {"number": submission.number},
                unit=unit,
            )
            _notify_applicant(submission, "received" if on_behalf else "confirm")
            schedule_indexing(submission)
    except IntegrityError:
        existing = Submission.objects.filter(client_token=client_token, call=call).first()
        if existing is not None:
            return existing
        raise
    return submission


def confirm_email(*, token: str) -> Submission:
    """The applicant clicked the link in the confirmation email: the submission counts."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(token=token).first()
        if submission is None:
            raise ValidationError(_("This link is not valid."))
        if submission.status != S.DRAFT:
            return submission
        submission.status = S.SUBMITTED
        submission.email_confirmed_at = timezone.now()
        submission.submitted_at = timezone.now()
        submission.save(update_fields=["status", "email_confirmed_at", "submitted_at"])
        _event(submission, None, _("Email confirmed"))
        audit.record(
            f"applicant:{submission.applicant_email}",
            "initiatives.confirm",
            submission,
            {},
            unit=submission.unit,
        )
        _notify_applicant(submission, "received")
        schedule_indexing(submission)
    return submission


def withdraw(*, token: str) -> Submission:
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(token=token).first()
        if submission is None:
            raise ValidationError(_("This link is not valid."))
        if submission.status in (S.RECOGNISED, S.NOT_RECOGNISED, S.WITHDRAWN, S.SCREENED_OUT):
            raise ValidationError(_("This submission can no longer be withdrawn."))
        submission.status = S.WITHDRAWN
        submission.save(update_fields=["status"])
        _event(submission, None)
        audit.record(
            f"applicant:{submission.applicant_email}",
            "initiatives.withdraw",
            submission,
            {},
            unit=submission.unit,
        )
        _notify_applicant(submission, "status")
    return submission


def screen(actor: Any, *, submission: Submission, accept: bool, reason: str = "") -> Submission:
    require_secretariat(actor, submission.call)
    if submission.status != S.SUBMITTED:
        raise ValidationError(_("Only a submitted initiative can be screened."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why it is screened out.")})
    with transaction.atomic():
        submission.status = S.SCREENED_IN if accept else S.SCREENED_OUT
        submission.screening_reason = reason.strip()
        submission.save(update_fields=["status", "screening_reason"])
        _event(submission, actor, reason.strip())
        audit.record(
            actor,
            "initiatives.screen",
            submission,
            {"accept": accept, "reason": reason.strip()},
            unit=submission.unit,
        )
        _notify_applicant(submission, "status", reason=reason.strip())
    return submission


# --- conflicts and assignments --------------------------------------------------------------


def declare_conflict(actor: Any, *, submission: Submission, reason: str) -> Conflict:
    seat = _seat(actor, submission.call.council)
    if seat is None:
        raise PermissionDenied(_("Only a council member can declare a conflict."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the conflict is.")})
    with transaction.atomic():
        conflict, _created = Conflict.objects.get_or_create(
            member=seat, submission=submission, defaults={"reason": reason.strip()}
        )
        # A conflicted reviewer loses the assignment unless they already reviewed it.
        Assignment.objects.filter(
            reviewer=seat, submission=submission, review__isnull=True
        ).delete()
        audit.record(
            actor,
            "initiatives.declare_conflict",
            submission,
            {"reason": reason},
            unit=submission.unit,
        )
    return conflict


def conflict_reason(
    member: CouncilMember, submission: Submission, declared: set[tuple[int, int]] | None = None
) -> str | None:
    """Why a member may not review a submission (declared conflict, same unit), or None."""
    if declared is not None:
        if (member.pk, submission.pk) in declared:
            return _("declared conflict")
    elif Conflict.objects.filter(member=member, submission=submission).exists():
        return _("declared conflict")
    if member.unit_id and (
        member.unit_id == submission.unit_id or submission.unit.path.startswith(member.unit.path)
    ):
        return _("same unit as the applicant")
    return None


def assign(
    actor: Any,
    *,
    submission: Submission,
    member: CouncilMember,
    method: str = "manual",
    explanation: str = "",
    notify_reviewer: bool = True,
) -> Assignment:
    """Assign a screened-in initiative to a council member without a conflict; the reviewer
    is told (`auto_assign` tells each reviewer once for the whole batch)."""
    call = submission.call
    require_secretariat(actor, call)
    if member.council_id != call.council_id or not member.is_active:
        raise ValidationError(_("The reviewer is not a member of this call's council."))
    if submission.status not in (S.SCREENED_IN, S.UNDER_REVIEW):
        raise ValidationError(_("Only a screened-in initiative can be assigned."))
    reason = conflict_reason(member, submission)
    if reason:
        raise ValidationError(
            _("%(member)s cannot review this: %(reason)s.")
            % {"member": member.user, "reason": reason}
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    submission=submission,
                    reviewer=member,
                    method=method,
                    explanation=explanation[:300],
                )
        except IntegrityError as error:
            raise ValidationError(_("This reviewer is already assigned.")) from error
        if submission.status == S.SCREENED_IN:
            submission.status = S.UNDER_REVIEW
            submission.save(update_fields=["status"])
            _event(submission, actor)
            _notify_applicant(submission, "status")
        audit.record(
            actor,
            "initiatives.assign",
            submission,
            {"reviewer": member.user.get_username(), "method": method},
            unit=submission.unit,
        )
        if notify_reviewer:
            _notify_reviewer(actor, member, call, 1)
    return assignment


def _notify_reviewer(actor: Any, member: CouncilMember, call: Call, count: int) -> None:
    link = f"/initiatives/{call.pk}/"
    notify_all(
        [member.user],
        template="initiatives/email/review_assigned",
        context={
            "call": call.title,
            "count": count,
            "due": call.review_deadline.strftime("%d/%m/%Y") if call.review_deadline else "",
            "link": link,
            "site_url": settings.SITE_URL,
        },
        link=link,
        actor=actor,
    )


def balanced_assignment(call: Call) -> list[tuple[Submission, CouncilMember, str]]:
    """The simple automatic assigner: each screened-in submission gets the call's number of
    reviews (or as many eligible members as it has) from eligible members (no conflict, not from
    the applicant's unit or above), with the members' loads as even as any valid plan allows.
    The optimal and fair assigners (`assignment.py`) also weigh expertise."""
    members = list(
        CouncilMember.objects.filter(council=call.council, is_active=True).select_related(
            "user", "unit"
        )
    )
    submissions = list(
        Submission.objects.filter(call=call, status__in=[S.SCREENED_IN, S.UNDER_REVIEW])
        .select_related("unit")
        .order_by("number")
    )
    declared = set(
        Conflict.objects.filter(submission__call=call).values_list("member_id", "submission_id")
    )
    existing: dict[int, set[int]] = {}
    load = {m.pk: 0 for m in members}
    for submission_id, member_id in Assignment.objects.filter(submission__call=call).values_list(
        "submission_id", "reviewer_id"
    ):
        existing.setdefault(submission_id, set()).add(member_id)
        load[member_id] = load.get(member_id, 0) + 1
    eligible_for = {
        s.pk: [
            m
            for m in members
            if m.pk not in existing.get(s.pk, set()) and conflict_reason(m, s, declared) is None
        ]
        for s in submissions
    }
    need = {
        s.pk: max(0, min(call.reviews_per_submission - len(existing.get(s.pk, ())), len(eligible)))
        for s in submissions
        for eligible in [eligible_for[s.pk]]
    }
    chosen = _balanced_flow(submissions, members, eligible_for, need, load)
    plan = []
    for submission in submissions:
        for member in chosen.get(submission.pk, []):
            load[member.pk] += 1
            plan.append(
                (submission, member, _("balanced load: %(n)s assigned") % {"n": load[member.pk]})
            )
    return plan


def _balanced_flow(
    submissions: list[Submission],
    members: list[CouncilMember],
    eligible_for: dict[int, list[CouncilMember]],
    need: dict[int, int],
    load: dict[int, int],
) -> dict[int, list[CouncilMember]]:
    """The plan whose final loads lie in the narrowest band [low, low + width]: each band is a
    feasibility question for a flow with lower bounds (submission → eligible member → sink, the
    member's arc to the sink carrying between low − load and low + width − load), tried from
    the narrowest band around the mean outwards. A band of width 1 is found whenever one exists;
    a wide enough band always exists (no bound at all), so a plan is always returned."""
    from ortools.graph.python import min_cost_flow

    total = sum(need.values())
    # Members no pending initiative can have keep their load; the band is over the others,
    # and of two bands as narrow, the one that also holds the others' loads comes first.
    usable = {m.pk for s in submissions if need[s.pk] for m in eligible_for[s.pk]}
    fixed = [load.get(member.pk, 0) for member in members if member.pk not in usable]
    members = [member for member in members if member.pk in usable]
    if not total or not members:
        return {}
    index = {m.pk: i for i, m in enumerate(members)}
    n, m = len(submissions), len(members)
    current = [load.get(member.pk, 0) for member in members]
    mean = (sum(current) + total) / m
    for width in range(1, total + max(current) + 2):
        lows = range(max(0, math.ceil(mean) - width), math.floor(mean) + 1)
        for low in sorted(lows, key=lambda lo: (not all(lo <= f <= lo + width for f in fixed), lo)):
            lower = [max(0, low - c) for c in current]
            upper = [low + width - c for c in current]
            if any(u < lo for u, lo in zip(upper, lower, strict=True)) or sum(lower) > total:
                continue
            graph = min_cost_flow.SimpleMinCostFlow()
            arcs = []
            for i, submission in enumerate(submissions):
                for member in eligible_for[submission.pk] if need[submission.pk] else ():
                    # cost by member order: the same instance always gives the same plan
                    arc = graph.add_arc_with_capacity_and_unit_cost(
                        i, n + index[member.pk], 1, index[member.pk]
                    )
                    arcs.append((arc, submission.pk, member))
            sink = n + m
            for j in range(m):
                graph.add_arc_with_capacity_and_unit_cost(n + j, sink, upper[j] - lower[j], 0)
            for i, submission in enumerate(submissions):
                graph.set_node_supply(i, need[submission.pk])
            for j in range(m):
                graph.set_node_supply(n + j, -lower[j])
            graph.set_node_supply(sink, sum(lower) - total)
            if graph.solve() != graph.OPTIMAL:
                continue
            chosen: dict[int, list[CouncilMember]] = {}
            for arc, submission_id, member in arcs:
                if graph.flow(arc):
                    chosen.setdefault(submission_id, []).append(member)
            return chosen
    return {}  # not reached: the widest band bounds nothing


ASSIGNERS = {"balanced": balanced_assignment, **OPTIMAL_ASSIGNERS}


def auto_assign(actor: Any, *, call: Call, method: str = "balanced") -> list[Assignment]:
    require_secretariat(actor, call)
    if method not in ASSIGNERS:
        raise ValidationError(_("Unknown assignment method."))
    plan = ASSIGNERS[method](call)
    with transaction.atomic():
        assignments = [
            assign(
                actor, submission=s, member=m, method=method, explanation=why, notify_reviewer=False
            )
            for s, m, why in plan
        ]
        per_reviewer: dict[int, list[Assignment]] = {}
        for assignment in assignments:
            per_reviewer.setdefault(assignment.reviewer_id, []).append(assignment)
        for batch in per_reviewer.values():
            _notify_reviewer(actor, batch[0].reviewer, call, len(batch))
        return assignments


# --- reviews --------------------------------------------------------------------------------


def refresh_review_figures(submissions: Any) -> int:
    """Recompute the review roll-up (count, mean, min, max, recommendations) of submissions from
    their submitted reviews: one UPDATE whatever their number."""
    from django.db.models import Avg, Count, DecimalField, IntegerField, OuterRef, Subquery
    from django.db.models import Max as MaxAgg
    from django.db.models import Min as MinAgg
    from django.db.models.functions import Coalesce

    reviews = Review.objects.filter(
        assignment__submission=OuterRef("pk"), status=Review.Status.SUBMITTED
    ).values("assignment__submission")

    def figure(aggregate, output):
        return Subquery(reviews.annotate(v=aggregate).values("v")[:1], output_field=output)

    decimal = DecimalField(max_digits=7, decimal_places=3)
    return submissions.update(
        review_count=Coalesce(figure(Count("weighted_score"), IntegerField()), 0),
        review_mean=figure(Avg("weighted_score"), decimal),
        review_min=figure(MinAgg("weighted_score"), decimal),
        review_max=figure(MaxAgg("weighted_score"), decimal),
        recommend_yes=Coalesce(
            figure(
                Count("pk", filter=Q(recommendation=Review.Recommendation.RECOGNISE)),
                IntegerField(),
            ),
            0,
        ),
    )


def _number(raw: Any) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(_("Enter a number.")) from error
    if not value.is_finite():
        raise ValidationError(_("Enter a number."))
    return value


def weighted_score(scores: dict[int, Decimal], criteria: list[Criterion]) -> Decimal | None:
    """0–100: each score as a share of its maximum, weighted."""
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    if not total_weight or any(c.pk not in scores for c in criteria):
        return None
    value = sum(scores[c.pk] / c.max_score * c.weight for c in criteria) / total_weight * 100
    return value.quantize(Decimal("0.001"))


def save_review(
    actor: Any,
    *,
    assignment: Assignment,
    scores: dict[int, Any],
    comments: dict[int, str] | None = None,
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
    amend_reason: str = "",
) -> Review:
    """Only the assigned reviewer writes; a submitted review is locked unless amended with a
    reason (audited)."""
    if assignment.reviewer.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the assigned reviewer can write this review."))
    submission = assignment.submission
    if Conflict.objects.filter(member=assignment.reviewer, submission=submission).exists():
        raise PermissionDenied(_("You declared a conflict of interest with this initiative."))
    if submission.status != S.UNDER_REVIEW:
        raise ValidationError(_("This initiative is not under review."))
    criteria = list(submission.call.criteria.all())
    by_id = {c.pk: c for c in criteria}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, Decimal] = {}
    for raw_id, raw in scores.items():
        try:
            criterion = by_id.get(int(raw_id))
        except (TypeError, ValueError):
            criterion = None
        if criterion is None:
            errors.setdefault("scores", []).append(_("Unknown criterion."))
            continue
        if raw in (None, ""):
            continue
        try:
            value = _number(raw)
        except ValidationError as error:
            errors.setdefault(f"score_{criterion.pk}", []).extend(error.messages)
            continue
        if not 0 <= value <= criterion.max_score:
            errors.setdefault(f"score_{criterion.pk}", []).append(
                _("Give a score from 0 to %(max)s.") % {"max": criterion.max_score}
            )
            continue
        cleaned[criterion.pk] = value
    if recommendation and recommendation not in Review.Recommendation.values:
        errors.setdefault("recommendation", []).append(_("Unknown recommendation."))
    locked = Review.objects.filter(assignment=assignment, status=Review.Status.SUBMITTED).exists()
    if submit or locked:  # an amendment keeps the review submitted, so it must stay complete
        missing = [c for c in criteria if c.pk not in cleaned]
        for criterion in missing:
            errors.setdefault(f"score_{criterion.pk}", []).append(
                _("Score every criterion before submitting.")
            )
        if not recommendation:
            errors.setdefault("recommendation", []).append(_("Give a recommendation."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = Review.objects.select_for_update().filter(assignment=assignment).first()
        amending = review is not None and review.status == Review.Status.SUBMITTED
        if amending and not amend_reason.strip():
            raise ValidationError(
                {"amend_reason": _("This review is locked; give a reason to amend it.")}
            )
        before = {str(s.criterion_id): str(s.score) for s in review.scores.all()} if review else {}
        if review is None:
            review = Review(assignment=assignment)
        review.recommendation = recommendation
        review.comment = comment
        if submit or amending:
            review.status = Review.Status.SUBMITTED
            review.submitted_at = review.submitted_at or timezone.now()
        review.weighted_score = weighted_score(cleaned, criteria)
        review.save()
        review.scores.all().delete()
        Score.objects.bulk_create(
            Score(review=review, criterion_id=pk, score=value, comment=(comments or {}).get(pk, ""))
            for pk, value in cleaned.items()
        )
        refresh_review_figures(Submission.objects.filter(pk=submission.pk))
        verb = (
            "initiatives.amend_review"
            if amending
            else "initiatives.submit_review"
            if submit
            else "initiatives.save_review"
        )
        audit.record(
            actor,
            verb,
            submission,
            {
                "review": review.pk,
                "reason": amend_reason.strip(),
                "before": before,
                "after": {str(k): str(v) for k, v in cleaned.items()},
                "recommendation": recommendation,
            },
            unit=submission.unit,
        )
    return review


# --- deliberation ---------------------------------------------------------------------------


def record_meeting(
    actor: Any, *, call: Call, held_on: dt.date, present: list[CouncilMember], notes: str = ""
) -> Meeting:
    require_secretariat(actor, call)
    members = set(
        CouncilMember.objects.filter(council=call.council, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if any(m.pk not in members for m in present):
        raise ValidationError(_("Only members of the council can be present."))
    with transaction.atomic():
        meeting = Meeting.objects.create(call=call, held_on=held_on, notes=notes)
        meeting.present.set(present)
        audit.record(
            actor,
            "initiatives.record_meeting",
            meeting,
            {"present": len(present), "members": len(members)},
            unit=call.owner_unit,
        )
    return meeting


def quorum(meeting: Meeting) -> tuple[int, int, bool]:
    """(present, all members, quorum met)"""
    total = CouncilMember.objects.filter(council=meeting.call.council, is_active=True).count()
    present = meeting.present.count()
    needed = votes.quorum_needed(meeting.call.quorum_share, total)
    return present, total, present >= needed


def required_yes(call: Call, total_members: int) -> int:
    return votes.required_yes(call.recognition_share, call.strictly_more, total_members)


def cast_vote(
    actor: Any,
    *,
    meeting: Meeting,
    submission: Submission,
    choice: str,
    member: CouncilMember | None = None,
    written: bool = False,
) -> Vote:
    """A present member votes for themself; the secretariat records an absent member's written
    opinion. Each member counts once per submission and meeting."""
    call = meeting.call
    if submission.call_id != call.pk or submission.status not in (S.UNDER_REVIEW, S.DELIBERATED):
        raise ValidationError(_("This initiative is not on the council's agenda."))
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": _("Unknown choice.")})
    if written:
        require_secretariat(actor, call)
        if member is not None and (member.council_id != call.council_id or not member.is_active):
            raise ValidationError(_("This person is not a member of this council."))
        if member is None or meeting.present.filter(pk=member.pk).exists():
            raise ValidationError(_("A written opinion is for a member who is absent."))
    else:
        member = _seat(actor, call.council)
        if member is None or not meeting.present.filter(pk=member.pk).exists():
            raise PermissionDenied(_("Only a member present at the meeting can vote."))
    if not quorum(meeting)[2]:
        raise ValidationError(_("The meeting has no quorum; votes cannot be taken."))
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                meeting=meeting,
                submission=submission,
                member=member,
                choice=choice,
                written=written,
            )
            audit.record(
                actor,
                "initiatives.vote",
                submission,
                {
                    "meeting": meeting.pk,
                    "written": written,
                    **(
                        {}
                        if call.secret_ballot
                        else {"member": member.user.get_username(), "choice": choice}
                    ),
                },
                unit=submission.unit,
            )
    except IntegrityError as error:
        raise ValidationError(_("This member has already voted on this initiative.")) from error
    return vote


def tally(meeting: Meeting, submission: Submission) -> dict[str, Any]:
    """The rule evaluated in the open: yes votes against the share of ALL members."""
    counts = {c: 0 for c in Vote.Choice.values}
    for choice in Vote.objects.filter(meeting=meeting, submission=submission).values_list(
        "choice", flat=True
    ):
        counts[choice] += 1
    present, total, has_quorum = quorum(meeting)
    needed = required_yes(meeting.call, total)
    return {
        **counts,
        "members": total,
        "present": present,
        "quorum": has_quorum,
        "needed": needed,
        "recognised": has_quorum and counts["yes"] >= needed,
    }


def finalise_decision(
    actor: Any,
    *,
    call: Call,
    number: str,
    decided_on: dt.date,
    meeting: Meeting,
    awards: dict[int, AwardLevel | None] | None = None,
) -> Decision:
    """The chair signs the numbered decision: the submissions the vote recognised are
    recognised (with their award level); the others under review are not."""
    seat = _seat(actor, call.council)
    if seat is None or seat.role != CouncilMember.Role.CHAIR:
        raise PermissionDenied(_("Only the council's chair finalises the decision."))
    if not number.strip():
        raise ValidationError({"number": _("Give the decision number.")})
    if meeting.call_id != call.pk:
        raise ValidationError(_("This meeting belongs to another call."))
    if Decision.objects.filter(call=call).exists():
        raise ValidationError(_("This call already has its decision."))
    awards = awards or {}
    levels = {level.pk for level in call.award_levels.all()}
    if any(level is not None and level.pk not in levels for level in awards.values()):
        raise ValidationError(_("Unknown award level."))
    with transaction.atomic():
        decision = Decision.objects.create(
            call=call, number=number.strip(), decided_on=decided_on, signer=actor
        )
        recognised = []
        for submission in Submission.objects.select_for_update().filter(
            call=call, status__in=[S.UNDER_REVIEW, S.DELIBERATED]
        ):
            result = tally(meeting, submission)
            submission.status = S.RECOGNISED if result["recognised"] else S.NOT_RECOGNISED
            submission.award_level = awards.get(submission.pk) if result["recognised"] else None
            submission.save(update_fields=["status", "award_level"])
            _event(submission, actor, decision.number)
            _notify_applicant(submission, "status", decision=decision.number)
            if result["recognised"]:
                recognised.append(submission.number)
        call.status = Call.Status.DECIDED
        call.save(update_fields=["status"])
        audit.record(
            actor,
            "initiatives.finalise_decision",
            call,
            {"number": decision.number, "recognised": recognised, "decided_on": decided_on},
            unit=call.owner_unit,
        )
    return decision


def send_review_reminders(actor: Any, *, on: dt.date | None = None, days_before: int = 3) -> int:
    """Remind each reviewer with unfinished reviews, `days_before` days before the call's review
    deadline (once per reviewer and call: the audit chain records that it was sent)."""
    from thidua.core.models import AuditEvent
    from thidua.core.notifications import notify

    today = on or timezone.localdate()
    sent = 0
    calls = Call.objects.filter(
        review_deadline__gte=today, review_deadline__lte=today + dt.timedelta(days=days_before)
    ).exclude(status=Call.Status.DECIDED)
    for call in calls:
        already = set(
            AuditEvent.objects.filter(
                verb="initiatives.review_reminder",
                target_type="initiatives.call",
                target_id=str(call.pk),
            ).values_list("data__member", flat=True)
        )
        pending: dict[int, int] = {}
        for assignment in Assignment.objects.filter(submission__call=call).select_related("review"):
            review = getattr(assignment, "review", None)
            if review is None or review.status != Review.Status.SUBMITTED:
                pending[assignment.reviewer_id] = pending.get(assignment.reviewer_id, 0) + 1
        with transaction.atomic():
            for member in CouncilMember.objects.filter(pk__in=pending).select_related("user"):
                if member.pk in already:
                    continue
                notify(
                    member.user,
                    template="initiatives/email/review_reminder",
                    context={
                        "call": call.title,
                        "count": pending[member.pk],
                        "deadline": call.review_deadline.isoformat(),
                    },
                    link=f"/initiatives/{call.pk}/",
                )
                audit.record(
                    actor,
                    "initiatives.review_reminder",
                    call,
                    {"member": member.pk, "pending": pending[member.pk]},
                    unit=call.owner_unit,
                )
                sent += 1
    return sent
