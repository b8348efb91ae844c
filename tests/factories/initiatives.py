"""Builders of initiative objects through the services the public form, the secretariat and the
council use: a call, a submission entered or taken to review, a submitted review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thidua.initiatives import services
from thidua.initiatives.models import Call, Submission
from thidua.shared.models import Council, CouncilMember

# Where each seat's holder comes from: a member may not review an initiative of their own unit or
# of a unit below it, so the vice chair (Long Biên) is out for every Long Biên initiative, and m5
# (the city) is out for every initiative at all.
SEATS = [
    ("chair", CouncilMember.Role.CHAIR, None),
    ("vice_chair", CouncilMember.Role.VICE_CHAIR, "long_bien"),
    ("secretary", CouncilMember.Role.SECRETARY, "tay_ho"),
    ("m1", CouncilMember.Role.MEMBER, "bo_de"),
    ("m2", CouncilMember.Role.MEMBER, "phuc_loi"),
    ("m3", CouncilMember.Role.MEMBER, "quang_an"),
    ("m4", CouncilMember.Role.MEMBER, "group"),
    ("m5", CouncilMember.Role.MEMBER, "city"),
    ("m6", CouncilMember.Role.MEMBER, None),
]


def open_call(actor: Any, *, owner_unit, council: Council | None, fields, **options: Any) -> Call:
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "title": "Sáng kiến vì cộng đồng 2026",
        "opens_on": today - dt.timedelta(days=10),
        "closes_on": today + dt.timedelta(days=30),
        "fields": list(fields.values()),
        "award_levels": [("Giải Nhất", Decimal("5000000")), ("Giải Nhì", Decimal("3000000"))],
        "reviews_per_submission": 2,
        "blind": True,
        "recognition_share": Decimal("0.5"),
        "strictly_more": True,
    }
    defaults.update(options)
    call = services.create_call(actor, owner_unit=owner_unit, council=council, **defaults)
    return services.set_call_status(actor, call=call, status=Call.Status.OPEN)


def enter(actor: Any, call: Call, data: dict[str, Any], **kwargs: Any) -> Submission:
    """An officer enters an initiative on behalf of a citizen: submitted at once."""
    return services.submit_initiative(actor, call=call, data=data, **kwargs)


def to_review(
    secretariat: Any,
    call: Call,
    data: dict[str, Any],
    reviewers: Sequence[CouncilMember] = (),
    **kwargs: Any,
) -> Submission:
    """Entered by the secretariat, screened in and assigned to `reviewers`."""
    submission = enter(secretariat, call, data, **kwargs)
    services.screen(secretariat, submission=submission, accept=True)
    for member in reviewers:
        services.assign(secretariat, submission=submission, member=member)
    submission.refresh_from_db()
    return submission


def full_scores(call: Call, *values: Any) -> dict[int, Any]:
    """Scores for the call's criteria in order; one value repeated when only one is given."""
    criteria = list(call.criteria.all())
    if len(values) == 1:
        values = values * len(criteria)
    return {c.pk: v for c, v in zip(criteria, values, strict=True)}


def submit_review(
    member: CouncilMember, submission: Submission, *values: Any, recommendation="recognise"
):
    assignment = submission.assignments.get(reviewer=member)
    return services.save_review(
        member.user,
        assignment=assignment,
        scores=full_scores(submission.call, *values),
        recommendation=recommendation,
        submit=True,
    )


def form_data(setup, tree, **extra):
    return {
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn An",
        "applicant_email": "an@example.org",
        "unit": tree["bo_de"].pk,
        "field": setup["field"].pk,
        "title": "Lọc nước sạch bằng than tre",
        "summary": "<script>alert(1)</script> Tóm tắt",
        "description": "Mô tả đầy đủ",
        "expected_benefit": "Nước sạch cho 200 hộ",
        "publish_names": "on",
        "client_token": "tok-1",
        **extra,
    }


def payload(setup, tree, **extra):
    return {
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn An",
        "applicant_email": "an@example.org",
        "unit_id": tree["bo_de"].pk,
        "field": setup["field"].code,
        "title": "Lọc nước sạch bằng than tre",
        "summary": "Tóm tắt",
        "description": "Mô tả đầy đủ",
        "expected_benefit": "Nước sạch cho 200 hộ",
        "publish_names": True,
        "client_token": "tok-1",
        **extra,
    }
