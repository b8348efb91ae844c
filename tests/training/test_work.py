import datetime as dt

from django.urls import reverse

from thidua.core.work import WorkFilter, inbox
from thidua.training import services
from thidua.training.models import TargetRole
from thidua.training.work import COURSE_TO_FINISH, courses_to_finish


def test_an_ended_course_waits_until_its_certificates_are_issued(
    client, city_officer, outsider, tree
):
    course = services.create_course(
        city_officer,
        owner_unit=tree["city"],
        title="Lớp đã kết thúc",
        level="city",
        starts_on=dt.date(2025, 12, 1),
        ends_on=dt.date(2025, 12, 1),
    )
    session = services.add_session(
        city_officer, course=course, title="Nghiệp vụ", held_on=course.starts_on
    )
    head = services.record_officer(
        city_officer, unit=tree["group"], full_name="Tổ trưởng", role=TargetRole.AREA_HEAD
    )
    (enrolment,) = services.enrol(city_officer, course=course, officers=[head])
    services.record_attendance(city_officer, course=course, session=session, present=[enrolment])

    assert courses_to_finish(city_officer).count(WorkFilter()).total == 1
    assert courses_to_finish(outsider).count(WorkFilter()).total == 0
    (item,) = inbox(city_officer, work_filter=WorkFilter(kinds=frozenset({COURSE_TO_FINISH}))).page
    assert item.url == reverse("training:detail", args=[course.pk])
    assert item.overdue

    services.close_course(city_officer, course=course)
    assert courses_to_finish(city_officer).count(WorkFilter()).total == 1
    services.issue_certificates(city_officer, course=course)
    assert courses_to_finish(city_officer).count(WorkFilter()).total == 0
