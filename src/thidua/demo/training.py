"""Demo of officers' training: a central class of 12 days for 150 learners modelled on the central
Front training centre's "lớp 2, khóa VIII" (all completed, 30 proposed for commendation, with a
final assessment), a city course of 3 days for 125 learners modelled on a provincial Front
training (its topic list), and commune classes for the heads of residential Front Work
Committees of Bồ Đề, Long Biên and Việt Hưng wards in December 2025. Idempotent; everything goes
through the services."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from thidua.org.models import Unit
from thidua.training import services
from thidua.training.models import Course, Officer, TargetRole

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE_F = ["Thị", "Thu", "Minh", "Ngọc", "Thanh"]
MIDDLE_M = ["Văn", "Đức", "Quang", "Minh", "Hữu"]
GIVEN_F = ["Lan", "Hoa", "Hương", "Mai", "Hạnh", "Nga", "Thảo", "Yến", "Trang", "Huyền", "Loan"]
GIVEN_M = ["Hùng", "Dũng", "Bình", "Tuấn", "Sơn", "Hải", "Long", "Thắng", "Nam", "Cường", "Phong"]

CITY_TITLE = "Tập huấn nghiệp vụ công tác Mặt trận năm 2026"
CITY_TOPICS = [
    "Chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
    "Nhiệm vụ trọng tâm của công tác Mặt trận năm 2026",
    "Cuộc vận động xây dựng nông thôn mới, đô thị văn minh",
    "Công tác dân tộc, tôn giáo",
    "Tổng hợp ý kiến, kiến nghị của cử tri và Nhân dân",
    "Giám sát và phản biện xã hội",
    "Ban Thanh tra nhân dân và Ban Giám sát đầu tư của cộng đồng",
    "Công tác đối ngoại nhân dân",
]
CENTRAL_TITLE = "Bồi dưỡng nghiệp vụ công tác Mặt trận, lớp 2 khóa X"
CENTRAL_TOPICS = [
    "Quan điểm của Đảng về đại đoàn kết toàn dân tộc",
    "Điều lệ Mặt trận Tổ quốc Việt Nam và tổ chức bộ máy sau sắp xếp",
    "Công tác thi đua, khen thưởng trong hệ thống Mặt trận",
    "Kỹ năng vận động, tập hợp Nhân dân",
    "Giám sát và phản biện xã hội của Mặt trận",
    "Tham gia góp ý xây dựng Đảng, xây dựng chính quyền",
    "Công tác dân tộc, tôn giáo",
    "Vận động xây dựng nông thôn mới, đô thị văn minh",
    "Quỹ Vì người nghèo và công tác an sinh xã hội",
    "Công tác đối ngoại nhân dân",
    "Kỹ năng tổ chức hội nghị, viết báo cáo",
    "Nghiên cứu thực tế tại địa phương",
]
CENTRAL_COMMENDED = 30
COMMUNE_TITLE = "Tập huấn Trưởng ban công tác Mặt trận ở khu dân cư tháng 12/2025"
COMMUNE_TOPICS = [
    "Bầu cử đại biểu Quốc hội và Hội đồng nhân dân năm 2026",
    "Nghị quyết Đại hội Mặt trận Tổ quốc thành phố nhiệm kỳ 2025–2030",
    "Xây dựng nông thôn mới, đô thị văn minh giai đoạn 2026–2030",
]


def _name(n: int) -> tuple[str, str]:
    female = n % 5 in (0, 2, 3)
    middle = (MIDDLE_F if female else MIDDLE_M)[n // 7 % 5]
    given = (GIVEN_F if female else GIVEN_M)[n // 3 % 11]
    return f"{FAMILY[n % 12]} {middle} {given}", "female" if female else "male"


def _city_course(admin, city: Unit, stdout: TextIO | None) -> None:
    if Course.objects.filter(owner_unit=city, title=CITY_TITLE).exists():
        return
    wards = list(
        Unit.objects.filter(
            kind__code="ward", path__startswith=city.path, valid_to__isnull=True
        ).order_by("path")[:63]
    )
    positions = [
        ("Chủ tịch Ủy ban MTTQ", TargetRole.COMMUNE_STANDING, True),
        ("Phó Chủ tịch Ủy ban MTTQ", TargetRole.COMMUNE_STANDING, True),
        ("Cán bộ chuyên trách", TargetRole.STAFF, False),
    ]
    officers = []
    for n in range(125):
        name, gender = _name(n)
        position, role, payroll = positions[n % 3]
        officers.append(
            services.record_officer(
                admin,
                unit=wards[n % len(wards)],
                full_name=name,
                position=position,
                role=role,
                on_payroll=payroll,
                gender=gender,
            )
        )
    course = services.create_course(
        admin,
        owner_unit=city,
        title=CITY_TITLE,
        level=Course.Level.CITY,
        starts_on=dt.date(2026, 10, 13),
        ends_on=dt.date(2026, 10, 15),
        place="Hội trường Ủy ban MTTQ Việt Nam thành phố Hà Nội",
        target_roles=[TargetRole.COMMUNE_STANDING, TargetRole.STAFF],
        capacity=130,
    )
    sessions = [
        services.add_session(
            admin,
            course=course,
            title=topic,
            held_on=dt.date(2026, 10, 13 + index // 3),
            hours=3,
            presenter="Ban Thường trực Ủy ban MTTQ thành phố",
        )
        for index, topic in enumerate(CITY_TOPICS)
    ]
    enrolments = services.enrol(admin, course=course, officers=officers)
    for index, session in enumerate(sessions):
        present = enrolments[:120] if index >= 3 else enrolments
        services.record_attendance(admin, course=course, session=session, present=present)
    services.close_course(admin, course=course)
    issued = services.issue_certificates(admin, course=course, issued_on=dt.date(2026, 10, 15))
    if stdout:
        stdout.write(f"City course: 125 learners, {len(issued)} certificates")


def _central_class(admin, city: Unit, stdout: TextIO | None) -> None:
    """150 learners, 12 days of one topic each (the last a field study), a final assessment;
    every learner completes and the best 30 are proposed for commendation."""
    if Course.objects.filter(owner_unit=city, title=CENTRAL_TITLE).exists():
        return
    wards = list(
        Unit.objects.filter(
            kind__code="ward", path__startswith=city.path, valid_to__isnull=True
        ).order_by("path")
    )
    if not wards:
        return
    positions = [
        ("Phó Chủ tịch Ủy ban MTTQ", TargetRole.COMMUNE_STANDING, True),
        ("Ủy viên Ban Thường trực Ủy ban MTTQ", TargetRole.COMMUNE_STANDING, True),
        ("Cán bộ chuyên trách", TargetRole.STAFF, True),
        ("Cán bộ không chuyên trách", TargetRole.STAFF, False),
    ]
    officers = []
    for n in range(150):
        name, gender = _name(n + 1000)
        position, role, payroll = positions[n % 4]
        officers.append(
            services.record_officer(
                admin,
                unit=wards[(n * 7) % len(wards)],
                full_name=name,
                position=position,
                role=role,
                on_payroll=payroll,
                gender=gender,
            )
        )
    start = dt.date(2026, 9, 7)
    course = services.create_course(
        admin,
        owner_unit=city,
        title=CENTRAL_TITLE,
        level=Course.Level.CENTRAL,
        starts_on=start,
        ends_on=start + dt.timedelta(days=11),
        place="Trung tâm Bồi dưỡng cán bộ và Nghiên cứu khoa học MTTQ Việt Nam",
        target_roles=[TargetRole.COMMUNE_STANDING, TargetRole.STAFF],
        capacity=150,
        has_assessment=True,
        max_score=10,
        pass_mark=5,
    )
    sessions = [
        services.add_session(
            admin,
            course=course,
            title=topic,
            held_on=start + dt.timedelta(days=index),
            hours=7,
            presenter="Trung tâm Bồi dưỡng cán bộ MTTQ Việt Nam",
        )
        for index, topic in enumerate(CENTRAL_TOPICS)
    ]
    enrolments = services.enrol(admin, course=course, officers=officers)
    for index, session in enumerate(sessions):
        # a few learners miss one day each (all still reach 80 % of the hours)
        absent = {n for n in range(index * 3, index * 3 + 3)}
        present = [e for n, e in enumerate(enrolments) if n not in absent]
        services.record_attendance(admin, course=course, session=session, present=present)
    services.excuse_absence(
        admin,
        session=sessions[0],
        enrolment=enrolments[0],
        reason="Ốm, có giấy xác nhận của cơ sở y tế",
    )
    services.record_scores(
        admin,
        course=course,
        scores={e: f"{6 + (n * 37 % 39) / 10:.1f}" for n, e in enumerate(enrolments)},
    )
    services.close_course(admin, course=course)
    issued = services.issue_certificates(admin, course=course, issued_on=course.ends_on)
    if course.ends_on < timezone.localdate():
        services.propose_top_learners(admin, course=course, count=CENTRAL_COMMENDED)
    if stdout:
        stdout.write(f"Central class: 150 learners, {len(issued)} certificates")


COMMUNE_WARDS = ["Phường Bồ Đề", "Phường Long Biên", "Phường Việt Hưng"]


def _commune_class(admin, ward_name: str, offset: int, stdout: TextIO | None) -> None:
    ward = Unit.objects.filter(name=ward_name, valid_to__isnull=True).first()
    if ward is None or Course.objects.filter(owner_unit=ward, title=COMMUNE_TITLE).exists():
        return
    areas = list(
        Unit.objects.filter(
            path__startswith=ward.path, kind__code="residential_area", valid_to__isnull=True
        ).order_by("path")
    )
    heads = []
    for n, area in enumerate(areas):
        if Officer.objects.filter(unit=area, role=TargetRole.AREA_HEAD).exists():
            continue
        name, gender = _name(n + 500 + offset)
        heads.append(
            services.record_officer(
                admin,
                unit=area,
                full_name=name,
                position="Trưởng ban công tác Mặt trận",
                role=TargetRole.AREA_HEAD,
                on_payroll=False,
                gender=gender,
                phone=f"0912 {n:03d} {(n * 37) % 1000:03d}",
            )
        )
    course = services.create_course(
        admin,
        owner_unit=ward,
        title=COMMUNE_TITLE,
        level=Course.Level.COMMUNE,
        starts_on=dt.date(2025, 12, 30),
        ends_on=dt.date(2025, 12, 30),
        place="Hội trường Ủy ban nhân dân phường " + ward.name.removeprefix("Phường "),
        target_roles=[TargetRole.AREA_HEAD],
    )
    sessions = [
        services.add_session(admin, course=course, title=topic, held_on=course.starts_on, hours=2)
        for topic in COMMUNE_TOPICS
    ]
    enrolments = services.enrol_area_heads(admin, course=course, unit=ward)
    attending = enrolments[: len(enrolments) * 7 // 10]
    for session in sessions:
        services.record_attendance(admin, course=course, session=session, present=attending)
    services.close_course(admin, course=course)
    issued = services.issue_certificates(admin, course=course, issued_on=dt.date(2025, 12, 30))
    if stdout:
        stdout.write(f"Commune class: {len(enrolments)} heads, {len(issued)} certificates")


def seed(*, stdout: TextIO | None = None) -> None:
    admin = get_user_model().objects.filter(username="admin", is_active=True).first()
    city = Unit.objects.filter(code="01", kind__code="province", valid_to__isnull=True).first()
    if admin is None or city is None:
        return
    _central_class(admin, city, stdout)
    _city_course(admin, city, stdout)
    for index, ward_name in enumerate(COMMUNE_WARDS):
        _commune_class(admin, ward_name, index * 97, stdout)
