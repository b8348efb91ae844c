"""A call for initiatives judged by a council of nine, and helpers that walk a submission through
the same services the public form, the secretariat and the council use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tests.factories import UserFactory
from thidua.initiatives import services
from thidua.initiatives.models import Call, Submission
from thidua.shared.models import Council, CouncilMember, Field

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


@pytest.fixture
def fields(db):
    environment, _ = Field.objects.get_or_create(
        code="environment",
        defaults={
            "name_vi": "Mỹ quan đô thị – môi trường",
            "name_en": "Urban beauty and environment",
            "name_id": "Keindahan kota dan lingkungan",
        },
    )
    social, _ = Field.objects.get_or_create(
        code="social-security",
        defaults={
            "name_vi": "An sinh xã hội",
            "name_en": "Social security",
            "name_id": "Jaminan sosial",
        },
    )
    return {"environment": environment, "social": social}


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def council(tree, admin_user) -> Council:
    members = [
        {
            "user": UserFactory(username=f"council-{name}"),
            "role": role,
            "unit": tree[unit] if unit else None,
        }
        for name, role, unit in SEATS
    ]
    return services.create_council(
        admin_user, owner_unit=tree["city"], name="Hội đồng sáng kiến", members=members
    )


@pytest.fixture
def seats(council) -> dict[str, CouncilMember]:
    """Seat name ("chair", "m1"…) → CouncilMember; `seats["m1"].user` is the person."""
    by_user = {m.user.username: m for m in council.members.select_related("user", "unit")}
    return {name: by_user[f"council-{name}"] for name, _role, _unit in SEATS}


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


@pytest.fixture
def call(tree, admin_user, council, fields) -> Call:
    return open_call(admin_user, owner_unit=tree["city"], council=council, fields=fields)


@pytest.fixture
def data(tree, fields):
    """A builder of public-form data: `data(unit=tree["quang_an"], title=…)`."""

    def build(**overrides: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "title": "Nước sạch cho tổ dân phố",
            "summary": "Lọc nước mưa cho các hộ dân.",
            "description": "Bể lọc ba tầng đặt ở nhà văn hoá.",
            "expected_benefit": "Tiết kiệm 30% tiền nước.",
            "field": fields["environment"],
            "unit": tree["bo_de"],
            "applicant_kind": Submission.ApplicantKind.PERSON,
            "applicant_name": "Nguyễn Văn An",
            "applicant_email": "an@example.org",
        }
        values.update(overrides)
        return values

    return build


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
