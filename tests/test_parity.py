"""Web/API parity: the page and the endpoint of the same object answer the same for every role.
(The helpers are in `tests/parity.py`; the newer apps have their own `test_parity.py`.)

Both go through one fetch-and-check in the app's selectors (`get_<thing>_for_user`), so a person
who may see an object on the web may read it from the API, and one refused on the web is refused
by the API. Statuses compare by class: 200 ↔ 200; a web 403/404 ↔ an API 403/404; the web's
redirect to the sign-in page ↔ the API's 401.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import UserFactory, ensure_kinds, grant
from tests.factories.initiatives import open_call, to_review
from tests.parity import API, assert_parity
from tests.parity import answers as parity_answers
from thidua.honors import services as honors
from thidua.honors.catalogue import ensure_catalogue
from thidua.honors.models import AwardType, DocumentKind
from thidua.initiatives import services as initiatives
from thidua.initiatives.models import Call, Submission
from thidua.movements import services as movements
from thidua.movements.models import Movement
from thidua.org.models import UnitKind
from thidua.practices import services as practices
from thidua.shared.models import Field

PDF = b"%PDF-1.4\n% test\n%%EOF\n"

ROLES = [
    "admin",
    "city_leader",
    "ward_leader",
    "ward_officer",
    "sibling_officer",
    "council_member",
    "citizen",
    "anonymous",
]


@pytest.fixture
def people(db, tree, superuser):
    made = {"admin": superuser, "anonymous": AnonymousUser()}
    for name, role, unit in [
        ("city_leader", "leader", "city"),
        ("ward_leader", "leader", "bo_de"),
        ("ward_officer", "officer", "bo_de"),
        ("sibling_officer", "officer", "phuc_loi"),
        ("council_member", "council_member", "city"),
    ]:
        made[name] = UserFactory(username=f"parity-{name.replace('_', '-')}")
        grant(made[name], role, tree[unit])
    made["citizen"] = UserFactory(username="parity-citizen")
    return made


@pytest.fixture
def field(db):
    found, _ = Field.objects.get_or_create(
        code="environment",
        defaults={
            "name_vi": "Mỹ quan đô thị – môi trường",
            "name_en": "Urban beauty and environment",
            "name_id": "Keindahan kota dan lingkungan",
        },
    )
    return found


@pytest.fixture
def movement_world(tree, superuser, people):
    created = movements.create_movement(
        superuser,
        title="Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư",
        owner_unit=tree["city"],
        kind=Movement.Kind.STANDING,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        schedule=Movement.Schedule.QUARTERLY,
        scope_kinds=[UnitKind.objects.get(code="ward")],
        indicators=[
            {
                "name": "Gia đình văn hóa",
                "unit_of_measure": "hộ",
                "aggregation": "sum",
                "targets": {"ward": 100},
            }
        ],
    )
    movement = movements.launch_movement(superuser, movement=created)
    officer = people["ward_officer"]
    registration = movements.register(officer, movement=movement, unit=tree["bo_de"])
    indicator = movement.indicators.get()
    report = movements.save_report(
        officer,
        movement=movement,
        unit=tree["bo_de"],
        period=movement.periods.order_by("starts_on").first(),
        values={indicator.pk: 42},
        submit=True,
    )
    return {"movement": movement, "registration": registration, "report": report}


def answers(people, web: str, api: str, *, roles=ROLES) -> dict[str, tuple[str, str]]:
    """Role → (the page's status class, the endpoint's), for the eight roles in order."""
    return parity_answers(people, web, api, roles=roles)


STAFF_OF_CITY = {"admin", "city_leader", "council_member"}
EVERY_STAFF = STAFF_OF_CITY | {"ward_leader", "ward_officer", "sibling_officer"}


def test_unit(people, tree):
    unit = tree["bo_de"]
    seen = answers(people, f"/units/{unit.pk}/", f"{API}/units/{unit.pk}")
    assert_parity(seen, allowed=STAFF_OF_CITY | {"ward_leader", "ward_officer"})


def test_movement(people, movement_world):
    pk = movement_world["movement"].pk
    seen = answers(people, f"/movements/{pk}/", f"{API}/movements/{pk}")
    assert_parity(seen, allowed=EVERY_STAFF)


def test_movement_dashboard_and_roll_ups(people, movement_world):
    """The pair that had drifted: a ward officer's dashboard opens on their ward, and so do the
    coverage and results endpoints."""
    pk = movement_world["movement"].pk
    for endpoint in ("coverage", "results"):
        seen = answers(people, f"/movements/{pk}/dashboard/", f"{API}/movements/{pk}/{endpoint}")
        assert_parity(seen, allowed=EVERY_STAFF)


def test_registration(people, movement_world):
    pk, rid = movement_world["movement"].pk, movement_world["registration"].pk
    seen = answers(
        people,
        f"/movements/{pk}/registrations/{rid}/",
        f"{API}/movements/{pk}/registrations/{rid}",
    )
    assert_parity(seen, allowed=STAFF_OF_CITY | {"ward_leader", "ward_officer"})


def test_report(people, movement_world):
    pk, rid = movement_world["movement"].pk, movement_world["report"].pk
    seen = answers(people, f"/movements/{pk}/reports/{rid}/", f"{API}/movements/{pk}/reports/{rid}")
    assert_parity(seen, allowed=STAFF_OF_CITY | {"ward_leader", "ward_officer"})


def test_practice(people, tree, field):
    practice = practices.record_practice(
        people["ward_officer"], owner_unit=tree["bo_de"], title="Tuyến phố văn minh", field=field
    )
    seen = answers(people, f"/practices/{practice.pk}/", f"{API}/practices/{practice.pk}")
    assert_parity(seen, allowed=STAFF_OF_CITY | {"ward_leader", "ward_officer"})


def test_practice_coverage(people, tree):
    """The other pair that had drifted: the default root of the coverage page and endpoint.
    A superuser holds no grant: both open on the root in force."""
    seen = answers(people, "/practices/coverage/", f"{API}/practices/coverage")
    assert_parity(seen, allowed=EVERY_STAFF)
    unit = tree["long_bien"].pk
    seen = answers(
        people,
        f"/practices/coverage/?unit={unit}",
        f"{API}/practices/coverage?kind=ward&unit_id={unit}",
    )
    assert_parity(seen, allowed=STAFF_OF_CITY)


def test_exemplar(people, tree):
    exemplar = practices.propose_exemplar(
        people["ward_officer"],
        owner_unit=tree["bo_de"],
        kind="person",
        name="Nguyễn Thị Hoa",
        deeds="Vận động 120 hộ tham gia mô hình phân loại rác tại nguồn.",
    )
    seen = answers(
        people, f"/practices/exemplars/{exemplar.pk}/", f"{API}/practices/exemplars/{exemplar.pk}"
    )
    assert_parity(seen, allowed=STAFF_OF_CITY | {"ward_leader", "ward_officer"})


@pytest.fixture
def council(tree, superuser, people):
    members = [UserFactory(username=f"parity-member-{i}") for i in range(3)]
    return initiatives.create_council(
        superuser,
        owner_unit=tree["city"],
        name="Hội đồng sáng kiến",
        members=[
            {"user": members[0], "role": "chair"},
            {"user": members[1], "role": "secretary"},
            {"user": members[2], "role": "member"},
        ],
    )


def test_call_progress(people, tree, superuser, council, field):
    today = timezone.localdate()
    call = initiatives.create_call(
        superuser,
        owner_unit=tree["city"],
        council=council,
        title="Sáng kiến vì cộng đồng 2026",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        fields=[field],
        award_levels=[("Giải Nhất", Decimal("5000000"))],
        reviews_per_submission=2,
        blind=True,
        recognition_share=Decimal("0.5"),
        strictly_more=True,
    )
    initiatives.set_call_status(superuser, call=call, status=Call.Status.OPEN)
    seen = answers(
        people,
        f"/initiatives/{call.pk}/progress/",
        f"{API}/initiatives/calls/{call.pk}/progress",
    )
    assert_parity(seen, allowed={"admin", "city_leader"})


@pytest.fixture
def city_round(tree, superuser, council):
    ensure_kinds()
    ensure_catalogue()
    awards = list(AwardType.objects.filter(code__in=["bang-khen", "chien-si-thi-dua-co-so"]))
    round_ = honors.create_round(
        superuser,
        title="Khen thưởng thường xuyên 2024–2026",
        kind="regular",
        owner_unit=tree["city"],
        opens_on=dt.date(2024, 1, 1),
        closes_on=timezone.localdate() + dt.timedelta(days=365),
        award_types=awards,
        council=council,
    )
    return round_


def test_round(people, city_round):
    pk = city_round.pk
    seen = answers(people, f"/honors/rounds/{pk}/", f"{API}/honors/rounds/{pk}")
    assert_parity(seen, allowed=EVERY_STAFF - {"council_member"})


def test_nomination(people, tree, city_round):
    pdf = b"%PDF-1.4\n% test\n%%EOF\n"
    nomination = honors.nominate(
        people["ward_officer"],
        round=city_round,
        award_type=AwardType.objects.get(code="bang-khen"),
        unit=tree["bo_de"],
        nominee_kind="person",
        nominee_name="Nguyễn Thị Hoa",
        achievements="Vận động 120 hộ tham gia mô hình phân loại rác.",
        documents=[
            (kind, SimpleUploadedFile(f"{kind}.pdf", pdf, content_type="application/pdf"))
            for kind in DocumentKind.values
            if kind != DocumentKind.OTHER
        ],
        gender="female",
        is_direct_worker=True,
        birth_year=1980,
    )
    pk = nomination.pk
    seen = answers(people, f"/honors/nominations/{pk}/", f"{API}/honors/nominations/{pk}")
    assert_parity(seen, allowed={"admin", "city_leader", "ward_leader", "ward_officer"})


# --- initiatives: the applicant's status, the staff's submission, the reviewer's assignment ------


@pytest.fixture
def call_world(people, tree, superuser, council, field):
    """An open call whose one initiative, from Bồ Đề, is screened in and assigned to a member."""
    call = open_call(superuser, owner_unit=tree["city"], council=council, fields={"env": field})
    submission = to_review(
        superuser,
        call,
        {
            "title": "Nước sạch cho tổ dân phố",
            "summary": "Lọc nước mưa cho các hộ dân.",
            "description": "Bể lọc ba tầng đặt ở nhà văn hoá.",
            "expected_benefit": "Tiết kiệm 30% tiền nước.",
            "field": field,
            "unit": tree["bo_de"],
            "applicant_kind": Submission.ApplicantKind.PERSON,
            "applicant_name": "Nguyễn Văn An",
            "applicant_email": "an@example.org",
        },
        reviewers=[council.members.get(role="member")],
    )
    assignment = submission.assignments.get()
    return {"call": call, "submission": submission, "assignment": assignment}


def test_applicant_status(people, call_world):
    """Whoever holds the token reads the initiative's status, signed in or not."""
    token = call_world["submission"].token
    seen = answers(people, f"/p/submissions/{token}/", f"{API}/initiatives/submissions/{token}")
    assert_parity(seen, allowed=set(ROLES))


def test_submission_staff_view(people, call_world):
    """The secretariat's page of one initiative and the endpoint listing the call's initiatives."""
    call, submission = call_world["call"], call_world["submission"]
    seen = answers(
        people,
        f"/initiatives/{call.pk}/submissions/{submission.pk}/",
        f"{API}/initiatives/calls/{call.pk}/submissions",
    )
    assert_parity(seen, allowed={"admin", "city_leader"})


def test_assignment(people, call_world):
    """The reviewer's scoring page of their assignment and the assignment endpoint: only the
    reviewer (and the superuser) open either."""
    call, submission = call_world["call"], call_world["submission"]
    assignment = call_world["assignment"]
    people = {**people, "reviewer": assignment.reviewer.user}
    seen = answers(
        people,
        f"/initiatives/{call.pk}/submissions/{submission.pk}/review/",
        f"{API}/initiatives/assignments/{assignment.pk}",
        roles=[*ROLES, "reviewer"],
    )
    assert_parity(seen, allowed={"reviewer"})


# --- honours: the decision ----------------------------------------------------------------------


def test_decision(people, tree, council, city_round):
    officer, ward_leader = people["ward_officer"], people["ward_leader"]
    district_leader = UserFactory(username="parity-district-leader")
    grant(district_leader, "leader", tree["long_bien"])
    nomination = honors.nominate(
        officer,
        round=city_round,
        award_type=AwardType.objects.get(code="bang-khen"),
        unit=tree["bo_de"],
        nominee_kind="person",
        nominee_name="Nguyễn Thị Hoa",
        achievements="Vận động 120 hộ tham gia mô hình phân loại rác.",
        documents=[
            (kind, SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf"))
            for kind in DocumentKind.values
            if kind != DocumentKind.OTHER
        ],
        gender="female",
        is_direct_worker=True,
        birth_year=1980,
    )
    honors.submit_nomination(officer, nomination=nomination)
    honors.endorse_nomination(ward_leader, nomination=nomination)
    honors.endorse_nomination(district_leader, nomination=nomination)
    members = [m.user for m in council.members.order_by("pk")]
    for member in members:
        honors.cast_vote(member, nomination=nomination, choice="yes")
    secretary = council.members.get(role="secretary").user
    honors.close_vote(secretary, nomination=nomination)
    decision = honors.issue_decision(
        people["city_leader"],
        round=city_round,
        number="12/QĐ-MTTQ",
        signed_on=dt.date(2026, 3, 1),
        signer="Nguyễn Văn A",
        nominations=[nomination],
    )
    seen = answers(
        people, f"/honors/decisions/{decision.pk}/", f"{API}/honors/decisions/{decision.pk}"
    )
    assert_parity(seen, allowed={"admin", "city_leader"})
