"""The /api/v1/movements/ endpoints: the same services and scope rules as the pages, in JSON."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, make_unit
from thidua.core.models import AuditEvent
from thidua.movements import services
from thidua.movements.models import (
    Movement,
    PledgedTarget,
    Registration,
    Report,
    ReportEvent,
    ReportValue,
    Work,
)
from thidua.shared.models import Field

pytestmark = pytest.mark.django_db

API = "/api/v1/movements/"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def movement_payload(tree, **overrides):
    return {
        "title": "Toàn dân đoàn kết xây dựng đời sống văn hóa",
        "owner_unit_id": tree["city"].pk,
        "kind": "periodic",
        "schedule": "quarterly",
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "indicators": [
            {"name": "Gia đình văn hóa", "unit_of_measure": "hộ", "targets": {"ward": "100"}},
            {"name": "Hộ dùng nước sạch", "aggregation": "ratio"},
        ],
        **overrides,
    }


def launched_movement(actor, tree, title="Phong trào", owner="city", **extra):
    movement = services.create_movement(
        actor,
        title=title,
        owner_unit=tree[owner],
        kind="periodic",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        schedule="quarterly",
        indicators=[{"name": "Gia đình văn hóa", "targets": {"ward": 100}}],
        **extra,
    )
    return services.launch_movement(actor, movement=movement)


def indicator_id(movement):
    return movement.indicators.get().pk


def q1(movement):
    return movement.periods.get(label="2025-Q1")


@pytest.fixture
def ward_officer(tree):
    user = UserFactory(username="bd-officer", roles=[("officer", tree["bo_de"])])
    return user


@pytest.fixture
def district_leader(tree):
    user = UserFactory(username="lb-leader", roles=[("leader", tree["long_bien"])])
    return user


@pytest.fixture
def movement(admin_user, tree):
    return launched_movement(admin_user, tree)


@pytest.fixture
def submitted_report(movement, tree, ward_officer):
    return services.save_report(
        ward_officer,
        movement=movement,
        unit=tree["bo_de"],
        period=q1(movement),
        values={indicator_id(movement): 42},
        submit=True,
    )


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("post", ""),
        ("get", "1"),
        ("post", "1/launch"),
        ("get", "1/registrations"),
        ("post", "1/registrations"),
        ("get", "1/reports/1"),
        ("get", "1/results"),
    ],
)
def test_anonymous_gets_401(client, tree, method, path):
    response = getattr(client, method)(API + path, content_type="application/json")
    assert response.status_code == 401


# --- the whole journey --------------------------------------------------------------------------


def test_full_flow_from_draft_to_results(client, tree, admin_user, ward_officer, district_leader):
    Field.objects.create(
        code="moi-truong", name_vi="Môi trường", name_en="Environment", name_id="Lingkungan"
    )
    client.force_login(admin_user)
    response = post(client, API, movement_payload(tree, field_codes=["moi-truong"]))
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "draft" and created["periods"] == []
    assert created["field_codes"] == ["moi-truong"]
    culture, water = created["indicators"]
    assert culture["targets"] == {"ward": "100.00"}
    assert water["aggregation"] == "ratio"
    movement_url = f"{API}{created['id']}"

    response = post(client, f"{movement_url}/launch")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "launched"
    assert [p["label"] for p in response.json()["periods"]] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
    ]

    client.force_login(ward_officer)
    response = post(
        client,
        f"{movement_url}/registrations",
        {"unit_id": tree["bo_de"].pk, "note": "Cam kết", "targets": {culture["id"]: 120}},
    )
    assert response.status_code == 200, response.json()
    registration = response.json()
    assert registration["status"] == "submitted"
    assert registration["targets"] == {str(culture["id"]): "120.00"}

    response = post(
        client,
        f"{movement_url}/works",
        {
            "registration_id": registration["id"],
            "title": "Tuyến phố văn minh",
            "field": "moi-truong",
            "deadline": "2025-11-18",
            "is_congress_work": True,
        },
    )
    assert response.status_code == 201, response.json()
    work = response.json()
    assert work["is_congress_work"] and work["field"] == "moi-truong"
    response = client.patch(
        f"{movement_url}/works/{work['id']}/status",
        {"status": "in_progress"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "in_progress"

    report_body = {
        "unit_id": tree["bo_de"].pk,
        "period": "2025-Q1",
        "values": {culture["id"]: "40", water["id"]: "900"},
        "bases": {water["id"]: "1000"},
        "narrative": "Quý I",
    }
    response = post(client, f"{movement_url}/reports", report_body)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "draft" and response.json()["history"] == []
    report_body["values"][culture["id"]] = "42"
    response = post(client, f"{movement_url}/reports", {**report_body, "submit": True})
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["status"] == "submitted"
    assert [h["status"] for h in report["history"]] == ["submitted"]

    client.force_login(district_leader)
    response = post(client, f"{movement_url}/registrations/{registration['id']}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    response = post(client, f"{movement_url}/reports/{report['id']}/accept")
    assert response.status_code == 200, response.json()
    assert [h["status"] for h in response.json()["history"]] == ["submitted", "accepted"]

    client.force_login(admin_user)
    response = client.get(f"{movement_url}/results", {"period": "2025-Q1", "tree": "then"})
    assert response.status_code == 200, response.json()
    results = response.json()
    assert results["root"]["id"] == tree["city"].pk and results["tree"] == "then"
    by_name = {row["indicator"]["name"]: row for row in results["indicators"]}
    culture_result = by_name["Gia đình văn hóa"]
    assert culture_result["value"] == "42.00"
    # Pledges are for the whole movement: one period is not compared with them.
    assert culture_result["target"] is None
    whole = client.get(f"{movement_url}/results", {"tree": "then"}).json()
    whole_culture = {row["indicator"]["name"]: row for row in whole["indicators"]}
    assert Decimal(whole_culture["Gia đình văn hóa"]["target"]) == 120
    assert {c["unit"]["id"]: c["value"] for c in culture_result["by_child"]}[
        tree["long_bien"].pk
    ] == "42.00"
    assert by_name["Hộ dùng nước sạch"]["value"] == "0.9000"

    response = client.get(
        f"{movement_url}/coverage", {"unit_id": tree["long_bien"].pk, "period": "2025-Q1"}
    )
    assert response.status_code == 200, response.json()
    coverage = response.json()
    # Long Biên's participants: itself, Bồ Đề, Phúc Lợi and the residential group in Bồ Đề
    assert coverage["total"]["expected"] == 4
    assert coverage["total"]["registered"] == coverage["total"]["reported"] == 1
    assert tree["bo_de"].pk not in [u["id"] for u in coverage["no_congress"]]


def test_work_with_a_budget(client, tree, movement, ward_officer):
    registration = services.register(ward_officer, movement=movement, unit=tree["bo_de"])
    client.force_login(ward_officer)
    response = post(
        client,
        f"{API}{movement.pk}/works",
        {"registration_id": registration.pk, "title": "Nhà văn hóa", "budget": "50000000"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["budget"] == "50000000"


def test_results_under_todays_tree(client, tree, admin_user, movement, submitted_report):
    services.accept_report(admin_user, report=submitted_report)
    client.force_login(admin_user)
    response = client.get(f"{API}{movement.pk}/results", {"tree": "now"})
    assert response.status_code == 200, response.json()
    assert response.json()["indicators"][0]["value"] == "42.00"


def test_roll_ups_below_a_unit_of_the_callers_own(client, tree, movement, ward_officer):
    client.force_login(ward_officer)
    url = f"{API}{movement.pk}"
    # the launching unit (the city) is above the ward officer: without a unit asked for, the
    # roll-up opens on their own ward, as the dashboard page does
    default = client.get(f"{url}/coverage")
    assert default.status_code == 200
    assert default.json()["root"]["id"] == tree["bo_de"].pk
    assert client.get(f"{url}/results").status_code == 200
    response = client.get(f"{url}/coverage", {"unit_id": tree["bo_de"].pk})
    assert response.status_code == 200
    assert response.json()["total"]["expected"] == 2  # the ward and its residential group
    assert client.get(f"{url}/results", {"unit_id": tree["bo_de"].pk}).status_code == 200
    other_ward = client.get(f"{url}/coverage", {"unit_id": tree["phuc_loi"].pk})
    assert other_ward.status_code == 404


def test_results_under_todays_tree_need_a_unit_in_force(client, tree, admin_user, movement):
    closed = make_unit(
        "Phường cũ", parent=tree["long_bien"], code="00130", valid_to=dt.date(2025, 6, 30)
    )
    client.force_login(admin_user)
    url = f"{API}{movement.pk}/results"
    response = client.get(url, {"unit_id": closed.pk, "tree": "now"})
    assert response.status_code == 422 and "tree" in response.json()["detail"]
    assert client.get(url, {"unit_id": closed.pk, "tree": "then"}).status_code == 200
    assert client.get(url, {"tree": "sometime"}).status_code == 422


def test_create_refuses_unknown_kind_code_and_writes_nothing(client, tree, admin_user):
    client.force_login(admin_user)
    payload = movement_payload(tree)
    payload["indicators"][0]["targets"] = {"hamlet": 5}
    response = post(client, API, payload)
    assert response.status_code == 422
    assert "indicators" in response.json()["detail"]
    assert not Movement.objects.exists()


def test_create_refuses_end_before_start(client, tree, admin_user):
    client.force_login(admin_user)
    response = post(client, API, movement_payload(tree, ends_on="2024-12-31"))
    assert response.status_code == 422
    assert not Movement.objects.exists()


def test_movement_for_a_unit_outside_the_tree_is_404(client, tree, officer):
    client.force_login(officer)
    response = post(client, API, movement_payload(tree, owner_unit_id=tree["tay_ho"].pk))
    assert response.status_code == 404
    assert not Movement.objects.exists()


def test_only_a_manager_of_the_launching_unit_may_launch(client, tree, admin_user, ward_officer):
    movement = launched_movement(admin_user, tree)
    client.force_login(ward_officer)  # sees the city's movement, cannot manage it
    response = post(client, f"{API}{movement.pk}/close")
    assert response.status_code == 403
    movement.refresh_from_db()
    assert movement.status == Movement.Status.LAUNCHED


def test_list_filters_by_status(client, tree, admin_user):
    launched_movement(admin_user, tree, title="Đang chạy")
    services.create_movement(
        admin_user,
        title="Bản nháp",
        owner_unit=tree["city"],
        kind="thematic",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 6, 30),
        schedule="monthly",
    )
    client.force_login(admin_user)
    response = client.get(API, {"status": "draft"})
    assert response.status_code == 200
    assert [m["title"] for m in response.json()["items"]] == ["Bản nháp"]
    assert response.json()["count"] == 1


# --- registrations ----------------------------------------------------------------------------


def test_unit_outside_the_movement_scope_cannot_register(client, tree, admin_user, officer):
    movement = launched_movement(admin_user, tree, scope_kinds=[tree["bo_de"].kind])
    client.force_login(officer)  # Long Biên's officer, registering the district itself
    before = AuditEvent.objects.count()
    response = post(
        client,
        f"{API}{movement.pk}/registrations",
        {"unit_id": tree["long_bien"].pk, "targets": {indicator_id(movement): 5}},
    )
    assert response.status_code == 422
    assert "unit" in response.json()["detail"]
    assert not Registration.objects.exists() and not PledgedTarget.objects.exists()
    assert AuditEvent.objects.count() == before


def test_unit_outside_the_callers_tree_cannot_register(client, tree, admin_user, officer):
    movement = launched_movement(admin_user, tree)
    client.force_login(officer)
    response = post(client, f"{API}{movement.pk}/registrations", {"unit_id": tree["quang_an"].pk})
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_registrations_list_shows_the_callers_part_of_the_tree(
    client, tree, admin_user, movement, ward_officer
):
    for name in ("bo_de", "phuc_loi", "quang_an"):
        services.register(admin_user, movement=movement, unit=tree[name])
    client.force_login(ward_officer)
    response = client.get(f"{API}{movement.pk}/registrations")
    assert response.status_code == 200
    assert [r["unit"]["id"] for r in response.json()["items"]] == [tree["bo_de"].pk]


def test_a_unit_registers_once(client, tree, movement, ward_officer):
    services.register(ward_officer, movement=movement, unit=tree["bo_de"], note="Lần đầu")
    client.force_login(ward_officer)
    response = post(
        client, f"{API}{movement.pk}/registrations", {"unit_id": tree["bo_de"].pk, "note": "Lại"}
    )
    assert response.status_code == 422
    assert Registration.objects.get().note == "Lần đầu"


def test_bad_pledged_target_is_a_field_error(client, tree, movement, ward_officer):
    client.force_login(ward_officer)
    response = post(
        client,
        f"{API}{movement.pk}/registrations",
        {"unit_id": tree["bo_de"].pk, "targets": {indicator_id(movement): "nhiều"}},
    )
    assert response.status_code == 422 and "targets" in response.json()["detail"]
    assert not Registration.objects.exists()


def test_return_of_a_registration_needs_a_reason(client, tree, movement, ward_officer):
    registration = services.register(ward_officer, movement=movement, unit=tree["bo_de"])
    leader = UserFactory(username="lb-leader", roles=[("leader", tree["long_bien"])])
    client.force_login(leader)
    url = f"{API}{movement.pk}/registrations/{registration.pk}/return"
    response = post(client, url, {"reason": "  "})
    assert response.status_code == 422 and "reason" in response.json()["detail"]
    response = post(client, url, {"reason": "Chỉ tiêu quá thấp"})
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["return_reason"] == "Chỉ tiêu quá thấp"


# --- reports ----------------------------------------------------------------------------------


def test_returned_report_keeps_its_history(
    client, tree, movement, submitted_report, ward_officer, district_leader
):
    url = f"{API}{movement.pk}/reports"
    client.force_login(district_leader)
    response = post(client, f"{url}/{submitted_report.pk}/return", {"reason": "Thiếu số liệu"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "returned"

    client.force_login(ward_officer)
    response = post(
        client,
        url,
        {
            "unit_id": tree["bo_de"].pk,
            "period_id": q1(movement).pk,
            "values": {indicator_id(movement): 44},
            "submit": True,
        },
    )
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == submitted_report.pk

    response = client.get(f"{url}/{submitted_report.pk}")
    assert response.status_code == 200
    history = response.json()["history"]
    assert [h["status"] for h in history] == ["submitted", "returned", "submitted"]
    assert history[1]["reason"] == "Thiếu số liệu"
    assert history[1]["actor_id"] == district_leader.pk
    assert [v["value"] for v in response.json()["values"]] == ["44.00"]


def test_second_report_for_the_same_period_is_refused(
    client, tree, movement, submitted_report, ward_officer
):
    client.force_login(ward_officer)
    response = post(
        client,
        f"{API}{movement.pk}/reports",
        {
            "unit_id": tree["bo_de"].pk,
            "period": "2025-Q1",
            "values": {indicator_id(movement): 99},
            "submit": True,
        },
    )
    assert response.status_code == 422
    assert Report.objects.count() == 1
    submitted_report.refresh_from_db()
    assert submitted_report.status == Report.Status.SUBMITTED
    assert list(ReportValue.objects.values_list("value", flat=True)) == [42]
    assert ReportEvent.objects.count() == 1


def test_unknown_period_is_a_field_error(client, tree, movement, ward_officer):
    client.force_login(ward_officer)
    response = post(
        client,
        f"{API}{movement.pk}/reports",
        {"unit_id": tree["bo_de"].pk, "period": "2031-Q9", "values": {}},
    )
    assert response.status_code == 422
    assert "period" in response.json()["detail"]
    assert not Report.objects.exists()


def test_units_own_leader_cannot_accept_its_report(client, tree, movement, submitted_report):
    own_leader = UserFactory(username="bd-leader", roles=[("leader", tree["bo_de"])])
    client.force_login(own_leader)
    response = post(client, f"{API}{movement.pk}/reports/{submitted_report.pk}/accept")
    assert response.status_code == 403
    submitted_report.refresh_from_db()
    assert submitted_report.status == Report.Status.SUBMITTED
    assert ReportEvent.objects.count() == 1


def test_reports_list_filters(client, tree, admin_user, movement, submitted_report):
    services.save_report(
        admin_user,
        movement=movement,
        unit=tree["phuc_loi"],
        period=q1(movement),
        values={indicator_id(movement): 7},
    )
    client.force_login(admin_user)
    url = f"{API}{movement.pk}/reports"
    assert client.get(url).json()["count"] == 2
    assert client.get(url, {"status": "draft"}).json()["items"][0]["unit"]["id"] == (
        tree["phuc_loi"].pk
    )
    assert client.get(url, {"unit_id": tree["bo_de"].pk}).json()["count"] == 1
    assert client.get(url, {"period": "2025-Q2"}).json()["count"] == 0


# --- scope: objects outside the caller's part of the tree answer 404, like missing ones ------


def test_movement_outside_scope_is_404_like_a_missing_one(client, tree, admin_user):
    movement = launched_movement(admin_user, tree, owner="long_bien")
    tay_ho_officer = UserFactory(username="th-officer", roles=[("officer", tree["tay_ho"])])
    client.force_login(tay_ho_officer)
    for path in ("", "/registrations", "/reports", "/works", "/coverage", "/results"):
        outside = client.get(f"{API}{movement.pk}{path}")
        missing = client.get(f"{API}999999{path}")
        assert outside.status_code == missing.status_code == 404, path
        assert outside.json() == missing.json()
    for path in ("/launch", "/close"):
        assert post(client, f"{API}{movement.pk}{path}").status_code == 404
    assert movement.title not in client.get(API).content.decode()


def test_report_outside_scope_is_404_like_a_missing_one(client, tree, movement, submitted_report):
    phuc_loi_officer = UserFactory(username="pl-officer", roles=[("officer", tree["phuc_loi"])])
    client.force_login(phuc_loi_officer)
    url = f"{API}{movement.pk}/reports"
    requests = [
        lambda pk: client.get(f"{url}/{pk}"),
        lambda pk: post(client, f"{url}/{pk}/accept"),
        lambda pk: post(client, f"{url}/{pk}/return", {"reason": "x"}),
    ]
    for request in requests:
        outside, missing = request(submitted_report.pk), request(999_999)
        assert outside.status_code == missing.status_code == 404
        assert outside.json() == missing.json()
    assert client.get(url).json()["count"] == 0
    submitted_report.refresh_from_db()
    assert submitted_report.status == Report.Status.SUBMITTED


def test_registration_and_work_outside_scope_are_404(client, tree, admin_user, movement):
    registration = services.register(admin_user, movement=movement, unit=tree["bo_de"])
    work = services.add_work(admin_user, registration=registration, title="Công trình")
    phuc_loi_officer = UserFactory(username="pl-officer", roles=[("officer", tree["phuc_loi"])])
    client.force_login(phuc_loi_officer)
    base = f"{API}{movement.pk}"
    for url, body in [
        (f"{base}/registrations/{registration.pk}/accept", None),
        (f"{base}/registrations/{registration.pk}/return", {"reason": "x"}),
        (f"{base}/works/{work.pk}/status", {"status": "done"}),
        (f"{base}/works", {"registration_id": registration.pk, "title": "Lén"}),
    ]:
        assert post(client, url, body).status_code == 404, url
    assert client.get(f"{base}/registrations/{registration.pk}").status_code == 404
    assert client.get(f"{base}/works").json()["count"] == 0
    work.refresh_from_db()
    assert work.status == Work.Status.PLANNED and Work.objects.count() == 1
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED


# --- query counts: the same with one item and with three ----------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()["count"]


def _add_movement(admin_user, tree, n, movement):
    launched_movement(admin_user, tree, title=f"Phong trào {n}")


def _add_registration(admin_user, tree, n, movement):
    unit = tree[("bo_de", "phuc_loi", "quang_an")[n]]
    services.register(admin_user, movement=movement, unit=unit, targets={indicator_id(movement): 1})


def _add_work(admin_user, tree, n, movement):
    registration = Registration.objects.filter(movement=movement, unit=tree["bo_de"]).first()
    if registration is None:
        registration = services.register(admin_user, movement=movement, unit=tree["bo_de"])
    field = Field.objects.create(code=f"f{n}", name_vi=f"F{n}", name_en=f"F{n}", name_id=f"F{n}")
    services.add_work(admin_user, registration=registration, title=f"Work {n}", field=field)


def _add_report(admin_user, tree, n, movement):
    unit = tree[("bo_de", "phuc_loi", "quang_an")[n]]
    services.save_report(
        admin_user,
        movement=movement,
        unit=unit,
        period=q1(movement),
        values={indicator_id(movement): n + 1},
        submit=True,
    )


@pytest.mark.parametrize(
    ("path", "add"),
    [
        ("", _add_movement),
        ("{id}/registrations", _add_registration),
        ("{id}/works", _add_work),
        ("{id}/reports", _add_report),
    ],
)
def test_list_query_count_does_not_grow_with_items(client, tree, admin_user, path, add):
    movement = None
    if path:
        movement = launched_movement(admin_user, tree, title="Đo truy vấn")
    url = API + path.format(id=movement.pk if movement else "")

    client.force_login(admin_user)
    add(admin_user, tree, 0, movement)
    client.get(url)  # warm per-process caches (content types, translations)
    one, count = _count_queries(client, url)
    assert count == 1
    add(admin_user, tree, 1, movement)
    add(admin_user, tree, 2, movement)
    three, count = _count_queries(client, url)
    assert count == 3
    assert one == three
