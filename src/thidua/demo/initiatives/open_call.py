"""The demo's open call: submissions still coming in."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from thidua.core.policy import can
from thidua.demo.initiatives.call_2024 import _role
from thidua.demo.initiatives.common import _at, _compose, _fits, _plan
from thidua.demo.initiatives.data import (
    AWARDS,
    BO_DE,
    CALL_2024,
    CALL_OPEN,
    CALL_OPEN_TEXT,
    EMAIL_DOMAIN,
    OPEN_FOR,
    OPEN_PLAN,
    OPEN_SINCE,
    REVIEW_COMMENTS,
    SCREENING_REASONS,
    SEED,
    R,
    S,
)
from thidua.initiatives import services
from thidua.initiatives.models import (
    Assignment,
    Call,
    Review,
    Submission,
    SubmissionEvent,
)
from thidua.org.models import Unit
from thidua.shared.models import Council, CouncilMember, Field

# --- the open call ----------------------------------------------------------------------------


def _resubmission(call: Call, field: Field, data: dict[str, Any]) -> bool:
    """Make `data` a lightly edited copy of a 2024 submission in the same field, as when a citizen
    sends last year's initiative again: the secretariat's duplicate screening should catch it."""
    earlier = (
        Submission.objects.filter(call__title=CALL_2024, field=field)
        .exclude(call=call)
        .order_by("number")
        .first()
    )
    if earlier is None:
        return False
    data.update(
        title=earlier.title,
        summary=f"{earlier.summary} Đã bổ sung kết quả áp dụng năm 2025.",
        description=earlier.description.replace("năm 2024", "các năm 2024 – 2025"),
    )
    return True


def _seed_open_call(
    hanoi: Unit,
    organiser: Any,
    council: Council,
    seats: dict[str, CouncilMember],
    fields: dict[str, Field],
    legacy: list[Unit],
    current: list[Unit],
) -> Call:
    """Ten submissions of a call open today, at every stage of the work."""
    rng = random.Random(f"{SEED}:open")
    today = timezone.localdate()
    secretary = _role(seats, R.SECRETARY)
    call = services.create_call(
        organiser,
        owner_unit=hanoi,
        title=CALL_OPEN,
        description=CALL_OPEN_TEXT,
        opens_on=today - OPEN_SINCE,
        closes_on=today + OPEN_FOR,
        council=council,
        fields=list(fields.values()),
        award_levels=[(name, prize) for name, prize, _n in AWARDS],
        influence=Call.Influence.PROVINCIAL,
        review_deadline=today + OPEN_FOR + dt.timedelta(days=30),
    )
    services.set_call_status(organiser, call=call, status=Call.Status.OPEN)
    me = seats["hoidong"]
    # hoidong reviews #7 and #8: not from the ward of his seat
    homes = {m.unit_id for m in seats.values() if m.unit_id}
    units = [u for u in current if u.pk not in homes]
    # The demo officer of Phường Bồ Đề (`seed_demo`), where there is one, enters one submission
    # on behalf of a citizen of the ward; the others come through the public form.
    officer = get_user_model().objects.filter(username="canbo", is_active=True).first()
    bo_de = next((u for u in current if u.name == BO_DE), None)
    if officer is None or bo_de is None or not can(officer, "unit.enter_data", bo_de):
        officer = None
    plan = _plan(rng, len(OPEN_PLAN))
    submissions = []
    resubmitted = False
    for (field_code, combo), fate in zip(plan, OPEN_PLAN, strict=True):
        unit = rng.choice([u for u in units if _fits(field_code, combo, u)])
        on_behalf = officer is not None and fate == "submitted" and _fits(field_code, combo, bo_de)
        if on_behalf:
            unit, officer = bo_de, None  # once
        data = _compose(rng, field_code, combo, unit)
        data.update(field=fields[field_code], unit=unit)
        if fate == "submitted" and not on_behalf and not resubmitted:
            resubmitted = _resubmission(call, fields[field_code], data)
        if on_behalf:
            actor = get_user_model().objects.get(username="canbo")
        else:
            actor = AnonymousUser()
            data["applicant_email"] = f"sangkien{len(submissions) + 1}@{EMAIL_DOMAIN}"
        submission = services.submit_initiative(actor, call=call, data=data)
        if submission.status == S.DRAFT and fate != "draft":
            submission = services.confirm_email(token=submission.token)
        submissions.append((submission, fate))

    others = [m for m in seats.values() if m.pk != me.pk and m.role == R.MEMBER]
    for submission, fate in submissions:
        if fate in ("submitted", "draft"):
            continue
        if fate == "withdrawn":
            services.withdraw(token=submission.token)
            continue
        services.screen(
            secretary.user,
            submission=submission,
            accept=fate != "screened_out",
            reason=SCREENING_REASONS[2] if fate == "screened_out" else "",
        )
        if fate == "screened_in" or fate == "screened_out":
            continue
        submission.refresh_from_db()
        pair = [me, others[0]] if fate in ("review_draft", "review_todo") else others[1:3]
        for member in pair:
            services.assign(secretary.user, submission=submission, member=member)
        submission.refresh_from_db()
        criteria = list(call.criteria.all())
        for member in pair:
            assignment = Assignment.objects.select_related("submission__call").get(
                submission=submission, reviewer=member
            )
            if member.pk == me.pk and fate == "review_todo":
                continue
            if member.pk == me.pk:  # hoidong has started: two criteria scored, not submitted
                services.save_review(
                    me.user,
                    assignment=assignment,
                    scores={c.pk: Decimal(rng.randint(6, 9)) for c in criteria[:2]},
                    comment="Cần xem biên bản áp dụng thử trước khi chấm hai tiêu chí còn lại.",
                )
                continue
            scores = {c.pk: Decimal(rng.randint(5, 9)) for c in criteria}
            services.save_review(
                member.user,
                assignment=assignment,
                scores=scores,
                recommendation=Review.Recommendation.RECOGNISE,
                comment=REVIEW_COMMENTS[Review.Recommendation.RECOGNISE][0],
                submit=True,
            )
    # spread the submissions over the weeks the call has been open
    for number, (submission, _fate) in enumerate(submissions, start=1):
        day = today - OPEN_SINCE + dt.timedelta(days=round(number * OPEN_SINCE.days * 0.8 / 10))
        at = _at(day, 9 + number % 8)
        Submission.objects.filter(pk=submission.pk).update(
            created_at=at, submitted_at=None if submission.status == S.DRAFT else at
        )
        SubmissionEvent.objects.filter(
            submission=submission, status__in=[S.DRAFT, S.SUBMITTED]
        ).update(at=at)
    return call
