"""The /api/v1/practices/ endpoints: the same services and scope rules as the pages, in JSON."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, grant, make_unit
from thidua.core.models import AuditEvent
from thidua.practices import services
from thidua.practices.models import (
    Checkpoint,
    Exemplar,
    NurturePlan,
    Practice,
    Stage,
    StageChange,
    Summary,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/practices/"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def user_with(role, unit, username):
    """The user of that name, holding the role on the unit (granted once)."""
    user = UserFactory(username=username)
    if not user.role_grants.filter(role=role, unit=unit).exists():
        grant(user, role, unit)
    return user


@pytest.fixture
def group_officer(tree):
    return user_with("officer", tree["group"], "tdp-officer")


@pytest.fixture
def ward_leader(tree):
    return user_with("leader", tree["bo_de"], "bode-leader")


@pytest.fixture
def ward_editor(tree):
    return user_with("editor", tree["bo_de"], "bode-editor")


@pytest.fixture
def outsider(tree):
    """An officer of Tây Hồ: Long Biên's discovered practices are none of their business."""
    return user_with("officer", tree["tay_ho"], "tayho-officer")


@pytest.fixture
def practice(tree, group_officer, fields):
    return services.record_practice(
        group_officer,
        owner_unit=tree["group"],
        title="Tuyến phố văn minh, không rác thải",
        field=fields["environment"],
        description="Các hộ tự quản vệ sinh trước nhà.",
        started_on=dt.date(2025, 9, 1),
    )


def summarise(practice, leader, tree):
    services.set_nurture_plan(
        leader,
        practice=practice,
        mentoring_unit=tree["bo_de"],
        checkpoints=[("Ra quân lần đầu", dt.date(2025, 10, 1))],
    )
    services.move_stage(leader, practice=practice, to_stage=Stage.NURTURED)
    services.write_summary(
        leader,
        practice=practice,
        results="48 hộ cam kết",
        lessons="Làm gương trước",
        how_to_replicate="Họp dân, chọn tuyến điểm",
    )
    return services.move_stage(leader, practice=practice, to_stage=Stage.SUMMARISED)


@pytest.fixture
def exemplar(tree, group_officer):
    return services.propose_exemplar(
        group_officer,
        owner_unit=tree["group"],
        kind=Exemplar.Kind.PERSON,
        name="Bà Nguyễn Thị Thu Hà",
        deeds="Khởi xướng tuyến phố văn minh",
        story="Sáng nào bà cũng nhặt rác trên phố.",
    )


WRITTEN = (Practice, StageChange, NurturePlan, Checkpoint, Summary, Exemplar, AuditEvent)


def written() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in WRITTEN}
    counts["stages"] = list(Practice.objects.order_by("pk").values_list("stage", "is_active"))
    counts["exemplars"] = list(
        Exemplar.objects.order_by("pk").values_list("status", "is_featured", "put_forward")
    )
    return counts


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("post", ""),
        ("get", "1"),
        ("post", "1/stage"),
        ("post", "1/plan"),
        ("post", "1/summary"),
        ("post", "1/active"),
        ("get", "1/replications"),
        ("post", "1/replications"),
        ("get", "coverage"),
        ("get", "exemplars"),
        ("post", "exemplars"),
        ("get", "exemplars/1"),
        ("post", "exemplars/1/verify"),
        ("post", "exemplars/1/feature"),
    ],
)
def test_anonymous_gets_401(client, tree, method, path):
    response = getattr(client, method)(API + path, content_type="application/json")
    assert response.status_code == 401


# --- the life of a practice ---------------------------------------------------------------------


def test_practice_from_discovery_to_replication(
    client, tree, fields, group_officer, ward_leader, outsider
):
    client.force_login(group_officer)
    response = post(
        client,
        API,
        {
            "owner_unit_id": tree["group"].pk,
            "title": "  Tuyến phố văn minh, không rác thải ",
            "field": "environment",
            "description": "Các hộ tự quản vệ sinh trước nhà.",
            "started_on": "2025-09-01",
            "note": "Ban công tác Mặt trận đăng ký",
        },
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["title"] == "Tuyến phố văn minh, không rác thải"
    assert created["stage"] == "discovered"
    assert created["field"] == {"code": "environment", "name": "Mỹ quan đô thị – môi trường"}
    assert created["owner_unit"]["code"] == tree["group"].code
    assert [h["to_stage"] for h in created["history"]] == ["discovered"]
    assert created["history"][0]["note"] == "Ban công tác Mặt trận đăng ký"
    assert created["plan"] is None and created["summary"] is None
    url = f"{API}{created['id']}"

    client.force_login(ward_leader)
    response = post(
        client,
        f"{url}/plan",
        {
            "mentoring_unit_id": tree["long_bien"].pk,  # above the leader's own ward
            "goals": "Nhân rộng ra cả phường",
            "checkpoints": [{"title": "Ra quân lần đầu", "due_on": "2025-10-01"}],
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["mentoring_unit"]["id"] == tree["long_bien"].pk
    assert response.json()["checkpoints"] == [
        {"title": "Ra quân lần đầu", "due_on": "2025-10-01", "done_on": None}
    ]
    response = post(client, f"{url}/stage", {"to_stage": "nurtured", "note": "Bồi dưỡng"})
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "nurtured"
    response = post(
        client,
        f"{url}/summary",
        {"results": "48 hộ", "lessons": "Làm gương", "how_to_replicate": "Họp dân"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["results"] == "48 hộ"
    response = post(client, f"{url}/stage", {"to_stage": "summarised"})
    assert response.json()["stage"] == "summarised"

    # Summarised: Tây Hồ's officer sees it now and adopts it for Phường Quảng An.
    client.force_login(outsider)
    response = post(
        client,
        f"{url}/replications",
        {
            "adopting_unit_id": tree["quang_an"].pk,
            "started_on": "2026-02-01",
            "adaptations": "Theo phường",
        },
    )
    assert response.status_code == 201, response.json()
    replica = response.json()
    assert replica["source_id"] == created["id"] == replica["origin_id"]
    assert replica["owner_unit"]["id"] == tree["quang_an"].pk
    assert replica["adaptations"] == "Theo phường"

    client.force_login(ward_leader)
    detail = client.get(url).json()
    assert detail["stage"] == "replicated"
    assert [h["to_stage"] for h in detail["history"]] == [
        "discovered",
        "nurtured",
        "summarised",
        "replicated",
    ]
    assert detail["history"][1]["actor"] == str(ward_leader)
    assert detail["plan"]["goals"] == "Nhân rộng ra cả phường"
    assert detail["summary"]["lessons"] == "Làm gương"
    assert detail["reach"]["total"] == 2
    assert detail["reach"]["by_kind"] == {
        "province": 1,
        "district": 2,
        "ward": 2,
        "residential_area": 1,
    }
    assert {u["id"] for u in detail["reach"]["units"]} == {tree["group"].pk, tree["quang_an"].pk}


def test_replication_tree_is_nested(client, tree, practice, ward_leader, admin_user):
    summarise(practice, ward_leader, tree)
    first = services.replicate(admin_user, source=practice, adopting_unit=tree["quang_an"])
    summarise(first, admin_user, tree)
    services.replicate(admin_user, source=first, adopting_unit=tree["phuc_loi"])
    services.replicate(admin_user, source=practice, adopting_unit=tree["bo_de"])
    client.force_login(admin_user)
    # asked from any member, the tree starts at the original
    response = client.get(f"{API}{first.pk}/replications")
    assert response.status_code == 200
    root = response.json()
    assert root["id"] == practice.pk and root["stage"] == "replicated"
    assert [child["owner_unit"]["name"] for child in root["children"]] == [
        "Phường Quảng An",
        "Phường Bồ Đề",
    ]
    assert [c["owner_unit"]["name"] for c in root["children"][0]["children"]] == ["Phường Phúc Lợi"]
    assert root["children"][0]["children"][0]["children"] == []


def test_going_back_is_an_audited_override(client, tree, practice, ward_leader):
    summarise(practice, ward_leader, tree)
    client.force_login(ward_leader)
    response = post(
        client,
        f"{API}{practice.pk}/stage",
        {"to_stage": "discovered", "override_reason": "Tạm dừng do thi công"},
    )
    assert response.status_code == 200, response.json()
    last = response.json()["history"][-1]
    assert last["is_override"] and last["reason"] == "Tạm dừng do thi công"
    assert AuditEvent.objects.filter(verb="practices.override_stage").count() == 1


def test_a_leader_overrides_replication_before_summary(client, tree, practice, admin_user):
    leader = user_with("leader", tree["phuc_loi"], "pl-leader")
    client.force_login(leader)
    response = post(
        client,
        f"{API}{practice.pk}/replications",
        {"adopting_unit_id": tree["phuc_loi"].pk, "override_reason": "Thí điểm sớm"},
    )
    # Discovered practices of Bồ Đề are not Phúc Lợi's to see: the source is a 404 first.
    assert response.status_code == 404
    client.force_login(admin_user)
    response = post(
        client,
        f"{API}{practice.pk}/replications",
        {"adopting_unit_id": tree["phuc_loi"].pk, "override_reason": "Thí điểm sớm"},
    )
    assert response.status_code == 201, response.json()
    event = AuditEvent.objects.get(verb="practices.replicate")
    assert event.data["override_reason"] == "Thí điểm sớm"


def test_pause_and_resume(client, tree, practice, ward_leader):
    client.force_login(ward_leader)
    response = post(client, f"{API}{practice.pk}/active", {"active": False})
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert not Practice.objects.get(pk=practice.pk).is_active


def test_list_filters(client, tree, fields, admin_user, practice):
    services.record_practice(
        admin_user,
        owner_unit=tree["quang_an"],
        title="Bữa cơm nghĩa tình",
        field=fields["social"],
        started_on=dt.date(2025, 1, 1),
    )
    client.force_login(admin_user)

    def titles(**params):
        response = client.get(API, params)
        assert response.status_code == 200, response.json()
        return sorted(item["title"] for item in response.json()["items"])

    both = ["Bữa cơm nghĩa tình", "Tuyến phố văn minh, không rác thải"]
    assert titles() == both
    assert titles(field="social-security") == ["Bữa cơm nghĩa tình"]
    assert titles(unit_id=tree["long_bien"].pk) == ["Tuyến phố văn minh, không rác thải"]
    assert titles(unit_id=tree["city"].pk) == both
    assert titles(unit_id=999_999) == []
    assert titles(q="cơm") == ["Bữa cơm nghĩa tình"]
    assert titles(stage="discovered") == both
    assert titles(stage="summarised") == []
    assert client.get(API, {"stage": "forgotten"}).status_code == 422
    response = client.get(API, {"field": "no-such-field"})
    assert response.status_code == 422
    assert "field" in response.json()["detail"]


def test_a_unit_sees_its_subtree_and_summarised_practices_elsewhere(
    client, tree, fields, admin_user, practice, outsider, ward_leader
):
    tay_ho_practice = services.record_practice(
        admin_user,
        owner_unit=tree["quang_an"],
        title="Tủ sách cộng đồng",
        field=fields["social"],
    )
    client.force_login(outsider)
    listed = [item["id"] for item in client.get(API).json()["items"]]
    assert listed == [tay_ho_practice.pk]
    summarise(practice, ward_leader, tree)
    listed = {item["id"] for item in client.get(API).json()["items"]}
    assert listed == {tay_ho_practice.pk, practice.pk}


def test_coverage_by_residential_group(client, tree, practice, officer, fields):
    second = make_unit("Tổ dân phố 2", parent=tree["bo_de"], code="00127-02")
    client.force_login(officer)
    response = client.get(f"{API}coverage", {"unit_id": tree["long_bien"].pk})
    assert response.status_code == 200, response.json()
    cover = response.json()
    assert cover["root"]["id"] == tree["long_bien"].pk
    assert cover["kind"] == "residential_area"
    assert {f["code"] for f in cover["fields"]} == {"environment", "social-security"}
    rows = {row["unit"]["code"]: row["fields"] for row in cover["rows"]}
    assert rows == {tree["group"].code: {"environment": 1}, second.code: {}}
    assert [u["code"] for u in cover["gaps"]["environment"]] == [second.code]
    assert len(cover["gaps"]["social-security"]) == 2
    assert cover["complete"] == 0
    assert cover["stages"] == {"environment": {"discovered": 1}}
    # only the fields asked for
    response = client.get(
        f"{API}coverage", {"unit_id": tree["long_bien"].pk, "field": ["environment"]}
    )
    assert [f["code"] for f in response.json()["fields"]] == ["environment"]
    assert list(response.json()["gaps"]) == ["environment"]
    # by ward; and the caller's own unit when none is given
    response = client.get(f"{API}coverage", {"kind": "ward"})
    assert response.status_code == 200
    assert response.json()["root"]["id"] == tree["long_bien"].pk
    assert {row["unit"]["name"] for row in response.json()["rows"]} == {
        "Phường Bồ Đề",
        "Phường Phúc Lợi",
    }


# --- exemplars ----------------------------------------------------------------------------------


def test_exemplar_proposed_verified_and_featured(
    client, tree, practice, group_officer, ward_leader
):
    client.force_login(group_officer)
    response = post(
        client,
        f"{API}exemplars",
        {
            "owner_unit_id": tree["group"].pk,
            "kind": "collective",
            "name": "Ban công tác Mặt trận Tổ dân phố 1",
            "deeds": "Ba năm liền tổ dân phố văn hóa",
            "story": "Họp dân mỗi tháng.",
            "practice_ids": [practice.pk],
        },
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "proposed" and created["practice_ids"] == [practice.pk]
    url = f"{API}exemplars/{created['id']}"

    client.force_login(ward_leader)
    response = post(client, f"{url}/verify", {"accept": True})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "verified"
    assert response.json()["verified_by"] == str(ward_leader)

    editor = user_with("editor", tree["city"], "city-editor")
    client.force_login(editor)
    response = post(client, f"{url}/feature", {"featured": True})
    assert response.status_code == 200, response.json()
    assert response.json()["is_featured"] is True

    client.force_login(ward_leader)
    response = post(client, f"{url}/feature", {"featured": True, "put_forward": True})
    assert response.status_code == 200, response.json()
    assert response.json()["put_forward"] is True

    response = client.get(f"{API}exemplars", {"status": "verified", "featured": "true"})
    assert [item["id"] for item in response.json()["items"]] == [created["id"]]
    assert client.get(f"{API}exemplars", {"kind": "person"}).json()["count"] == 0
    assert client.get(f"{API}exemplars", {"unit_id": tree["bo_de"].pk}).json()["count"] == 1
    assert client.get(f"{API}exemplars", {"unit_id": tree["tay_ho"].pk}).json()["count"] == 0


def test_exemplar_returned_with_a_reason(client, tree, exemplar, ward_leader):
    client.force_login(ward_leader)
    response = post(
        client, f"{API}exemplars/{exemplar.pk}/verify", {"accept": False, "reason": "Thiếu ảnh"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "returned"
    assert response.json()["return_reason"] == "Thiếu ảnh"


# --- refused: every write by a user who may not make it -----------------------------------------


@pytest.fixture
def summarised(tree, fields, admin_user):
    practice = services.record_practice(
        admin_user, owner_unit=tree["bo_de"], title="Bữa cơm nghĩa tình", field=fields["social"]
    )
    return summarise(practice, admin_user, tree)


@pytest.fixture
def verified(tree, exemplar, ward_leader):
    return services.verify_exemplar(ward_leader, exemplar=exemplar, accept=True)


REFUSED = [
    # (who, what, url, payload, status)
    ("ward_editor", "record", "", {"owner_unit_id": "bo_de", "field": "environment"}, 403),
    ("outsider", "record", "", {"owner_unit_id": "bo_de", "field": "environment"}, 404),
    ("citizen", "record", "", {"owner_unit_id": "bo_de", "field": "environment"}, 404),
    ("group_officer", "stage", "{practice}/stage", {"to_stage": "nurtured"}, 403),
    ("outsider", "stage", "{practice}/stage", {"to_stage": "nurtured"}, 404),
    ("outsider", "stage", "{summarised}/stage", {"to_stage": "replicated"}, 403),
    ("group_officer", "plan", "{practice}/plan", {"mentoring_unit_id": "bo_de"}, 403),
    ("outsider", "plan", "{summarised}/plan", {"mentoring_unit_id": "tay_ho"}, 403),
    ("ward_editor", "summary", "{practice}/summary", {"results": "a", "lessons": "b"}, 403),
    ("outsider", "summary", "{practice}/summary", {"results": "a", "lessons": "b"}, 404),
    ("group_officer", "active", "{practice}/active", {"active": False}, 403),
    ("outsider", "active", "{summarised}/active", {"active": False}, 403),
    (
        "phuc_loi_officer",
        "replicate",
        "{practice}/replications",
        {"adopting_unit_id": "phuc_loi", "override_reason": "Xin làm trước"},
        404,
    ),
    (
        "group_officer",
        "replicate",
        "{practice}/replications",
        {"adopting_unit_id": "bo_de", "override_reason": "Xin làm trước"},
        404,  # the ward is above the officer's residential group: not theirs to see
    ),
    (  # an officer may not override the rule "summarised first"
        "ward_officer",
        "replicate",
        "{practice}/replications",
        {"adopting_unit_id": "bo_de", "override_reason": "Xin làm trước"},
        403,
    ),
    ("ward_editor", "replicate", "{summarised}/replications", {"adopting_unit_id": "group"}, 403),
    ("outsider", "replicate", "{summarised}/replications", {"adopting_unit_id": "group"}, 404),
    ("ward_editor", "propose", "exemplars", {"owner_unit_id": "group", "kind": "person"}, 403),
    ("outsider", "propose", "exemplars", {"owner_unit_id": "group", "kind": "person"}, 404),
    ("group_officer", "verify", "exemplars/{verified}/verify", {"accept": True}, 403),
    ("ward_officer", "verify", "exemplars/{verified}/verify", {"accept": True}, 403),
    ("outsider", "verify", "exemplars/{verified}/verify", {"accept": True}, 404),
    ("group_officer", "feature", "exemplars/{verified}/feature", {"featured": True}, 403),
    ("ward_leader", "feature", "exemplars/{verified}/feature", {"featured": True}, 403),
    (
        "ward_editor",
        "feature",
        "exemplars/{verified}/feature",
        {"featured": True, "put_forward": True},
        403,
    ),
    ("outsider", "feature", "exemplars/{verified}/feature", {"featured": True}, 404),
]


@pytest.mark.parametrize(
    ("who", "url", "payload", "status"),
    [case[:1] + case[2:] for case in REFUSED],
    ids=[f"{case[0]}-{case[1]}-{case[4]}" for case in REFUSED],
)
def test_refused_writes_write_nothing(
    client, tree, fields, practice, summarised, verified, who, url, payload, status
):
    users = {
        "ward_editor": lambda: user_with("editor", tree["bo_de"], "bode-editor"),
        "outsider": lambda: user_with("officer", tree["tay_ho"], "tayho-officer"),
        "citizen": lambda: user_with("citizen", tree["bo_de"], "bode-citizen"),
        "group_officer": lambda: user_with("officer", tree["group"], "tdp-officer"),
        "ward_officer": lambda: user_with("officer", tree["bo_de"], "bode-officer"),
        "ward_leader": lambda: user_with("leader", tree["bo_de"], "bode-leader"),
        "phuc_loi_officer": lambda: user_with("officer", tree["phuc_loi"], "pl-officer"),
    }
    body = {
        "title": "Mô hình mới",
        "name": "Ông Trần Văn Bình",
        "deeds": "Lắp camera",
        "how_to_replicate": "c",
        **payload,
    }
    for key in ("owner_unit_id", "adopting_unit_id", "mentoring_unit_id"):
        if key in body:
            body[key] = tree[body[key]].pk
    client.force_login(users[who]())
    before = written()
    path = url.format(practice=practice.pk, summarised=summarised.pk, verified=verified.pk)
    response = post(client, API + path, body)
    assert response.status_code == status, response.json()
    assert "detail" in response.json()
    assert written() == before


def test_an_unchanged_feature_request_is_refused_too(client, tree, verified, group_officer):
    client.force_login(group_officer)
    before = AuditEvent.objects.count()
    response = post(client, f"{API}exemplars/{verified.pk}/feature", {"featured": False})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


# --- outside the caller's part of the tree: 404, like a missing object -------------------------


def test_objects_outside_scope_are_404_like_missing_ones(
    client, tree, practice, exemplar, outsider
):
    client.force_login(outsider)
    for outside_url, missing_url in (
        (f"{API}{practice.pk}", f"{API}999999"),
        (f"{API}{practice.pk}/replications", f"{API}999999/replications"),
        (f"{API}exemplars/{exemplar.pk}", f"{API}exemplars/999999"),
    ):
        outside, missing = client.get(outside_url), client.get(missing_url)
        assert outside.status_code == missing.status_code == 404
        assert outside.json() == missing.json()
    assert client.get(f"{API}coverage", {"unit_id": tree["long_bien"].pk}).status_code == 404
    assert client.get(f"{API}exemplars").json()["count"] == 0


# --- bad input: 422 with the field named, and nothing written -----------------------------------


BAD = [
    # (what, url, payload, the field named in the error)
    ("no field", "", {"owner_unit_id": "group", "title": "Ngõ xanh"}, "field"),
    ("unknown field", "", {"owner_unit_id": "group", "title": "Ngõ xanh", "field": "x"}, "field"),
    ("no title", "", {"owner_unit_id": "group", "title": " ", "field": "environment"}, "title"),
    ("unknown stage", "{practice}/stage", {"to_stage": "celebrated"}, "to_stage"),
    ("same stage", "{practice}/stage", {"to_stage": "discovered"}, "to_stage"),
    ("skip", "{practice}/stage", {"to_stage": "summarised"}, "override_reason"),
    ("no plan", "{practice}/stage", {"to_stage": "nurtured"}, "__all__"),
    ("unknown mentor", "{practice}/plan", {"mentoring_unit_id": 999_999}, "mentoring_unit_id"),
    (
        "untitled checkpoint",
        "{practice}/plan",
        {"mentoring_unit_id": "bo_de", "checkpoints": [{"title": " ", "due_on": "2026-01-01"}]},
        "checkpoints",
    ),
    ("empty summary", "{practice}/summary", {"results": "Tốt"}, "lessons"),
    (
        "into its own unit",
        "{practice}/replications",
        {"adopting_unit_id": "group"},
        "adopting_unit",
    ),
    (
        "own unit, with a reason",
        "{practice}/replications",
        {"adopting_unit_id": "group", "override_reason": "x"},
        "adopting_unit",
    ),
    ("not summarised", "{practice}/replications", {"adopting_unit_id": "phuc_loi"}, "__all__"),
    (
        "unknown kind",
        "exemplars",
        {"owner_unit_id": "group", "kind": "saint", "name": "A", "deeds": "B"},
        "kind",
    ),
    (
        "no deeds",
        "exemplars",
        {"owner_unit_id": "group", "kind": "person", "name": "A", "deeds": ""},
        "deeds",
    ),
    (
        "unknown practice",
        "exemplars",
        {
            "owner_unit_id": "group",
            "kind": "person",
            "name": "A",
            "deeds": "B",
            "practice_ids": [0],
        },
        "practice_ids",
    ),
    ("return without reason", "exemplars/{exemplar}/verify", {"accept": False}, "reason"),
    ("feature unverified", "exemplars/{exemplar}/feature", {"featured": True}, "__all__"),
]


@pytest.mark.parametrize(
    ("url", "payload", "field"), [case[1:] for case in BAD], ids=[case[0] for case in BAD]
)
def test_bad_input_is_422_and_writes_nothing(
    client, tree, fields, practice, exemplar, admin_user, url, payload, field
):
    body = dict(payload)
    for key in ("owner_unit_id", "adopting_unit_id", "mentoring_unit_id"):
        if isinstance(body.get(key), str):
            body[key] = tree[body[key]].pk
    client.force_login(admin_user)
    before = written()
    response = post(client, API + url.format(practice=practice.pk, exemplar=exemplar.pk), body)
    assert response.status_code == 422, response.json()
    assert field in response.json()["detail"], response.json()
    assert written() == before


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "hamlet"}, "kind"),
        ({"kind": "ward", "unit_id": "bo_de"}, "kind"),
        ({"field": ["environment", "forestry"]}, "field"),
    ],
)
def test_coverage_needs_a_known_kind_below_the_unit_and_known_fields(
    client, tree, fields, admin_user, params, field
):
    params = {**params}
    if "unit_id" in params:
        params["unit_id"] = tree[params["unit_id"]].pk
    client.force_login(admin_user)
    response = client.get(f"{API}coverage", params)
    assert response.status_code == 422
    assert field in response.json()["detail"]


# --- query counts: the same with one item and with three ----------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()["count"]


def _add_practice(tree, fields, n):
    services.record_practice(
        UserFactory(username="root-adder", is_superuser=True),
        owner_unit=(tree["group"], tree["bo_de"], tree["phuc_loi"])[n],
        title=f"Mô hình {n}",
        field=(fields["environment"], fields["social"], fields["environment"])[n],
    )


def _add_exemplar(tree, fields, n):
    actor = UserFactory(username="root-adder", is_superuser=True)
    exemplar = services.propose_exemplar(
        actor,
        owner_unit=(tree["group"], tree["bo_de"], tree["phuc_loi"])[n],
        kind=Exemplar.Kind.PERSON,
        name=f"Người tốt {n}",
        deeds="Việc tốt",
    )
    services.verify_exemplar(actor, exemplar=exemplar, accept=True)


@pytest.mark.parametrize(("path", "add"), [("", _add_practice), ("exemplars", _add_exemplar)])
def test_list_query_count_does_not_grow_with_items(client, tree, fields, officer, path, add):
    url = API + path
    client.force_login(officer)  # a scoped user: the scope filter is part of the query
    add(tree, fields, 0)
    client.get(url)  # warm per-process caches (content types, translations)
    one, count = _count_queries(client, url)
    assert count == 1
    add(tree, fields, 1)
    add(tree, fields, 2)
    three, count = _count_queries(client, url)
    assert count == 3
    assert one == three
