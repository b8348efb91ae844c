"""Demo of officers' training: a city course of 3 days for 125 learners modelled on a provincial
Front training (its topic list), and a commune class for the heads of residential Front Work
Committees of Phường Bồ Đề in December 2025. Idempotent; everything goes through the services."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model

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


def _commune_class(admin, stdout: TextIO | None) -> None:
    ward = Unit.objects.filter(name="Phường Bồ Đề", valid_to__isnull=True).first()
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
        name, gender = _name(n + 500)
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
        place="Hội trường Ủy ban nhân dân phường Bồ Đề",
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
    _city_course(admin, city, stdout)
    _commune_class(admin, stdout)
