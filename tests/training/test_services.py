import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_unit
from thidua.core.models import AuditEvent
from thidua.training import selectors, services
from thidua.training.models import Attendance, Certificate, Course, Enrolment, TargetRole

Status = Enrolment.Status


def _officers(actor, unit, count, *, prefix="Học viên", on_payroll=False, role=TargetRole.STAFF):
    return [
        services.record_officer(
            actor,
            unit=unit,
            full_name=f"{prefix} {n + 1}",
            position="Phó Chủ tịch",
            role=role,
            on_payroll=on_payroll if n % 2 else not on_payroll,
            gender="female" if n % 3 else "male",
        )
        for n in range(count)
    ]


def test_125_enrolled_120_complete_with_sequential_certificates(city_officer, course, tree):
    officers = _officers(city_officer, tree["bo_de"], 125)
    enrolments = services.enrol(city_officer, course=course, officers=officers)
    assert len(enrolments) == 125
    sessions = list(course.sessions.all())
    attending, absent_twice = enrolments[:120], enrolments[120:]
    services.record_attendance(
        city_officer, course=course, session=sessions[0], present=attending + absent_twice
    )
    for session in sessions[1:]:
        services.record_attendance(city_officer, course=course, session=session, present=attending)
    assert services.close_course(city_officer, course=course) == {
        "completed": 120,
        "not_completed": 5,
    }
    certificates = services.issue_certificates(
        city_officer, course=course, issued_on=dt.date(2026, 11, 12)
    )
    assert [c.sequence for c in certificates] == list(range(1, 121))
    assert certificates[0].number == "0001/2026/GCN-TH"
    assert Certificate.objects.count() == 120
    not_completed = Enrolment.objects.filter(status=Status.NOT_COMPLETED)
    assert not_completed.count() == 5
    assert not Certificate.objects.filter(enrolment__in=not_completed).exists()
    # every certificate verifies by its code
    for certificate in certificates[:3]:
        found = selectors.certificate_by_code(certificate.code)
        assert found.enrolment.officer == certificate.enrolment.officer
    # the next course of the same organiser and year numbers on
    other = services.create_course(
        city_officer,
        owner_unit=tree["city"],
        title="Lớp bồi dưỡng lần 2",
        level=Course.Level.CITY,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 1),
    )
    session = services.add_session(
        city_officer, course=other, title="Giám sát", held_on=dt.date(2026, 12, 1)
    )
    (again,) = services.enrol(city_officer, course=other, officers=officers[:1])
    services.record_attendance(city_officer, course=other, session=session, present=[again])
    services.close_course(city_officer, course=other)
    (next_one,) = services.issue_certificates(
        city_officer, course=other, issued_on=dt.date(2026, 12, 1)
    )
    assert next_one.sequence == 121


def test_enrolment_beyond_capacity_is_refused_and_writes_nothing(city_officer, course, tree):
    officers = _officers(city_officer, tree["bo_de"], 131)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="130"):
        services.enrol(city_officer, course=course, officers=officers)
    assert not Enrolment.objects.exists()
    assert AuditEvent.objects.count() == before


def test_attendance_for_a_session_of_another_course_is_refused(city_officer, course, tree):
    (officer,) = _officers(city_officer, tree["bo_de"], 1)
    (enrolment,) = services.enrol(city_officer, course=course, officers=[officer])
    other = services.create_course(
        city_officer,
        owner_unit=tree["city"],
        title="Khác",
        level=Course.Level.CITY,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 1),
    )
    foreign = services.add_session(
        city_officer, course=other, title="Khác", held_on=dt.date(2026, 12, 1)
    )
    with pytest.raises(ValidationError, match="thuộc khóa tập huấn khác"):
        services.record_attendance(
            city_officer, course=course, session=foreign, present=[enrolment]
        )
    with pytest.raises(ValidationError, match="không phải học viên"):
        services.record_attendance(city_officer, course=other, session=foreign, present=[enrolment])
    assert not Attendance.objects.exists()


def test_no_certificate_for_a_person_who_did_not_complete(city_officer, course, tree):
    officers = _officers(city_officer, tree["bo_de"], 2)
    done, absent = services.enrol(city_officer, course=course, officers=officers)
    for session in course.sessions.all():
        services.record_attendance(city_officer, course=course, session=session, present=[done])
    services.close_course(city_officer, course=course)
    absent.refresh_from_db()
    done.refresh_from_db()
    with pytest.raises(ValidationError, match="chưa hoàn thành"):
        services.issue_certificates(city_officer, course=course, enrolments=[done, absent])
    assert not Certificate.objects.exists()


def test_a_forbidden_user_cannot_create_or_enrol(outsider, course, tree):
    with pytest.raises(PermissionDenied):
        services.create_course(
            outsider,
            owner_unit=tree["city"],
            title="X",
            level=Course.Level.CITY,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.enrol(outsider, course=course, officers=[])


def test_commune_of_30_areas_with_18_heads_trained_shows_60_percent(city_officer, course, tree):
    ward = tree["phuc_loi"]
    heads = []
    for n in range(30):
        area = make_unit(f"Tổ dân phố {n + 1}", parent=ward, code=f"00118-{n + 1:02d}")
        heads += _officers(
            city_officer, area, 1, prefix=f"Tổ trưởng {n + 1}", role=TargetRole.AREA_HEAD
        )
    enrolled = services.enrol_area_heads(city_officer, course=course, unit=ward)
    assert len(enrolled) == 30
    for session in course.sessions.all():
        services.record_attendance(
            city_officer, course=course, session=session, present=enrolled[:18]
        )
    services.close_course(city_officer, course=course)
    result = selectors.coverage(unit=ward, since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31))
    assert (result.targets, result.trained, round(result.share * 100)) == (30, 18, 60)
    assert len(result.missing) == 12
    assert {o.pk for o in result.missing} == {e.officer_id for e in enrolled[18:]}

    # a person enrolled twice (and completing twice) counts once in the city roll-up
    second = services.create_course(
        city_officer,
        owner_unit=ward,
        title="Lớp tổ trưởng tháng 12",
        level=Course.Level.COMMUNE,
        starts_on=dt.date(2026, 12, 20),
        ends_on=dt.date(2026, 12, 20),
    )
    session = services.add_session(
        city_officer, course=second, title="Bầu cử", held_on=dt.date(2026, 12, 20)
    )
    twice = services.enrol(city_officer, course=second, officers=[e.officer for e in enrolled[:5]])
    services.record_attendance(city_officer, course=second, session=session, present=twice)
    services.close_course(city_officer, course=second)
    city = selectors.coverage(
        unit=tree["city"], since=dt.date(2026, 1, 1), until=dt.date(2026, 12, 31)
    )
    assert (city.targets, city.trained) == (30, 18)
    (row,) = city.rows
    assert (row.unit, row.targets, row.trained) == (tree["long_bien"], 30, 18)


def test_yearly_payroll_split_sums_to_enrolments(city_officer, course, tree):
    officers = _officers(city_officer, tree["bo_de"], 11, on_payroll=True)
    services.enrol(city_officer, course=course, officers=officers)
    split = selectors.yearly_split(unit=tree["city"], year=2026)
    assert sum(split["payroll"].values()) == Enrolment.objects.count() == 11
    assert split["payroll"] == {"on_payroll": 5, "off_payroll": 6}
    assert sum(split["gender"].values()) == 11
    assert split["level"] == {"city": 11}


def test_a_2024_course_in_a_ward_merged_in_2025_shows_under_the_new_commune(
    city_officer, admin_user, tree
):
    from thidua.org.models import Unit
    from thidua.org.services import apply_restructuring

    (officer,) = _officers(city_officer, tree["phuc_loi"], 1, prefix="Cán bộ")
    course = services.create_course(
        city_officer,
        owner_unit=tree["phuc_loi"],
        title="Tập huấn 2024",
        level=Course.Level.COMMUNE,
        starts_on=dt.date(2024, 10, 1),
        ends_on=dt.date(2024, 10, 1),
    )
    session = services.add_session(
        city_officer, course=course, title="Nghiệp vụ", held_on=dt.date(2024, 10, 1)
    )
    (enrolment,) = services.enrol(city_officer, course=course, officers=[officer])
    services.record_attendance(city_officer, course=course, session=session, present=[enrolment])
    services.close_course(city_officer, course=course)
    apply_restructuring(
        admin_user,
        effective_date=dt.date(2025, 7, 1),
        title="Sắp xếp 2025",
        operations=[
            {
                "op": "merge",
                "units": [tree["phuc_loi"].pk, tree["quang_an"].pk],
                "into": {"code": "X1", "name": "Phường Mới", "parent": tree["tay_ho"].pk},
            }
        ],
    )
    (row,) = selectors.history(officer)
    assert row.enrolment.unit == tree["phuc_loi"]
    assert row.enrolment.status == Status.COMPLETED
    assert row.unit_now == Unit.objects.get(name="Phường Mới")
