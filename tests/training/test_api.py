import pytest

from thidua.training import services
from thidua.training.models import Attendance, Course, Enrolment, TargetRole


@pytest.fixture
def heads(city_officer, tree):
    return [
        services.record_officer(
            city_officer, unit=tree["group"], full_name=f"Tổ trưởng {n}", role=TargetRole.AREA_HEAD
        )
        for n in range(2)
    ]


def test_courses_enrolments_and_attendance(client, city_officer, course, heads, tree):
    client.force_login(city_officer)
    listed = client.get("/api/v1/training/").json()
    assert [c["id"] for c in listed["items"]] == [course.pk]
    created = client.post(
        "/api/v1/training/",
        {
            "owner_unit_id": tree["bo_de"].pk,
            "title": "Lớp tổ trưởng",
            "level": "commune",
            "starts_on": "2025-12-20",
            "ends_on": "2025-12-20",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    response = client.post(
        f"/api/v1/training/{course.pk}/enrolments",
        {"unit_id": tree["bo_de"].pk},
        content_type="application/json",
    )
    assert response.status_code == 201 and len(response.json()) == 2
    session = course.sessions.first()
    first = Enrolment.objects.first()
    response = client.post(
        f"/api/v1/training/{course.pk}/sessions/{session.pk}/attendance",
        {"present_enrolment_ids": [first.pk]},
        content_type="application/json",
    )
    assert response.json() == {"session_id": session.pk, "present": 1}
    rows = client.get(f"/api/v1/training/{course.pk}/enrolments").json()
    hours = {r["full_name"]: r["hours_attended"] for r in rows}[first.officer.full_name]
    assert float(hours) == 8

    # attendance for a session of another course: 422, nothing written
    other = Course.objects.get(title="Lớp tổ trưởng")
    foreign = services.add_session(
        city_officer, course=other, title="Bầu cử", held_on=other.starts_on
    )
    before = Attendance.objects.count()
    response = client.post(
        f"/api/v1/training/{course.pk}/sessions/{foreign.pk}/attendance",
        {"present_enrolment_ids": [first.pk]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Attendance.objects.count() == before


def test_an_outsider_is_refused(client, outsider, course, tree):
    client.force_login(outsider)
    assert client.get(f"/api/v1/training/{course.pk}").status_code == 404
    assert client.get(f"/api/v1/training/{course.pk}/enrolments").status_code == 404
    response = client.post(
        "/api/v1/training/",
        {
            "owner_unit_id": tree["tay_ho"].pk,
            "title": "X",
            "level": "commune",
            "starts_on": "2025-12-20",
            "ends_on": "2025-12-20",
        },
        content_type="application/json",
    )
    assert response.status_code == 201  # their own unit
    response = client.post(
        f"/api/v1/training/{course.pk}/enrolments",
        {"unit_id": tree["tay_ho"].pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_a_citizen_cannot_list_courses(client, db, tree):
    from tests.factories import UserFactory, grant

    citizen = UserFactory(username="citizen-2")
    grant(citizen, "citizen", tree["bo_de"])
    client.force_login(citizen)
    assert client.get("/api/v1/training/").status_code == 403
