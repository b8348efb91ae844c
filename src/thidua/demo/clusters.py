"""Demo of the emulation clusters: Hà Nội's wards and communes in 12 geographic clusters of 10–11
(an invented grouping, labelled as a demo grouping: the city's real clusters after 1/7/2025 are
not known to us), the block no. 4 of the city Front's five member organisations (the city Front
itself is the organising unit, Thành phố Hà Nội, so it cannot be its own member), a five-group
score table of 100 points with up to 10 bonus points (and a three-group one for the block), and
the 2025 review: cluster 1 published, cluster 2 with its sheets at every stage (one returned with
its reason), cluster 3 self-assessing, Phường Bồ Đề's sheet waiting for its officer, block no. 4
with two sheets submitted and the others self-assessing. Idempotent; everything goes through the
services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from thidua.clusters import services
from thidua.clusters.models import Cluster, Criterion, ScoreSheet, Step
from thidua.demo import organisations as demo_organisations
from thidua.org.models import Unit

YEAR = 2025
DEMO_NOTE = "Nhóm mẫu (demo), không phải phân cụm chính thức của thành phố"
BLOCK_4 = "Khối thi đua số 4: Ủy ban MTTQ và các tổ chức chính trị - xã hội thành phố"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# group code, title, [(code, title, max points, bonus, evidence required)]
TABLE = [
    ("I", "Công tác tổ chức, cán bộ", [
        ("1.1", "Kiện toàn tổ chức Ủy ban MTTQ và Ban công tác Mặt trận", 8, 0, True),
        ("1.2", "Bồi dưỡng, tập huấn cán bộ Mặt trận", 6, 0, False),
        ("1.3", "Chế độ thông tin, báo cáo đúng hạn", 6, 1, False),
    ]),
    ("II", "Phong trào thi đua, cuộc vận động", [
        ("2.1", "Cuộc vận động \"Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh\"",
         10, 2, True),
        ("2.2", "Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư", 8, 1, False),
        ("2.3", "Phong trào \"Người tốt, việc tốt\"", 7, 1, False),
    ]),
    ("III", "Giám sát và phản biện xã hội", [
        ("3.1", "Giám sát theo chương trình phối hợp", 10, 1, True),
        ("3.2", "Phản biện xã hội, tổng hợp ý kiến cử tri", 10, 1, False),
    ]),
    ("IV", "Vận động nguồn lực xã hội", [
        ("4.1", "Quỹ \"Vì người nghèo\", an sinh xã hội", 10, 2, True),
        ("4.2", "Công khai thu, chi các cuộc vận động", 5, 0, False),
    ]),
    ("V", "Đổi mới, chuyển đổi số và báo cáo", [
        ("5.1", "Mô hình mới, cách làm hay", 10, 1, False),
        ("5.2", "Ứng dụng công nghệ thông tin, chuyển đổi số", 10, 0, False),
    ]),
]  # fmt: skip


# the block's own table: the organisations' work, not a ward Front's
BLOCK_TABLE = [
    ("I", "Xây dựng tổ chức, đoàn viên, hội viên", [
        ("1.1", "Phát triển đoàn viên, hội viên mới", 15, 2, True),
        ("1.2", "Bồi dưỡng cán bộ hội, đoàn các cấp", 15, 0, False),
    ]),
    ("II", "Phối hợp thực hiện các cuộc vận động của Mặt trận", [
        ("2.1", "Phong trào \"Người tốt, việc tốt\" trong đoàn viên, hội viên", 20, 2, True),
        ("2.2", "Tham gia Quỹ \"Vì người nghèo\" và an sinh xã hội", 20, 2, False),
    ]),
    ("III", "Giám sát, phản biện xã hội và chuyển đổi số", [
        ("3.1", "Giám sát, phản biện theo chương trình phối hợp", 15, 1, False),
        ("3.2", "Ứng dụng công nghệ thông tin trong hoạt động", 15, 0, False),
    ]),
]  # fmt: skip


def _deadline(group_order: int) -> dt.date:
    """The criteria's deadlines, ahead of the day the demo is seeded (so its members can still
    self-assess): the first group's in a week, the others' in a month."""
    return timezone.localdate() + dt.timedelta(days=7 if group_order == 1 else 30)


def _table(admin, city: Unit, *, title: str = "", groups: list | None = None):
    table = services.create_table(
        admin,
        owner_unit=city,
        year=YEAR,
        title=title or "Bảng chấm điểm thi đua cụm phường, xã năm 2025",
    )
    for code, title, criteria in groups or TABLE:
        group = services.add_group(admin, table=table, code=code, title=title)
        for c_code, c_title, points, bonus, evidence in criteria:
            services.add_criterion(
                admin,
                group=group,
                code=c_code,
                title=c_title,
                max_points=Decimal(points),
                bonus_max=Decimal(bonus),
                evidence_required=evidence,
                deadline=_deadline(group.order),
                scoring_guide="Đạt đầy đủ: điểm tối đa; đạt một phần: trừ theo mức độ.",
            )
    return table


def _self_assess(user, sheet: ScoreSheet, criteria: list[Criterion], seed: int) -> None:
    for n, criterion in enumerate(criteria):
        if criterion.evidence_required:
            services.add_evidence(
                user,
                sheet=sheet,
                criterion=criterion,
                file=ContentFile(PDF, name=f"minh-chung-{criterion.code}.pdf"),
            )
        # each member its own total (no two alike in a cluster, as in a real review)
        deduction = Decimal((seed * 3 + n) % (2 + seed % 4)) / 2
        if n == 0:
            deduction += Decimal(seed % 7) / 2
        value = criterion.max_points - deduction
        services.record_score(user, sheet=sheet, criterion=criterion, value=max(value, 0))
    services.submit_sheet(user, sheet=sheet)


def _walk(sheet: ScoreSheet, to: str, people: dict) -> None:
    actors = {
        Step.SUBMITTED: people["specialist"],
        Step.SPECIALIST_REVIEW: people["specialist"],
        Step.BOARD_REVIEW: people["board"],
        Step.COUNCIL_REVIEW: people["council"],
    }
    while sheet.status != to:
        services.forward_sheet(actors[sheet.status], sheet=sheet)


def _block_4(admin, city: Unit) -> None:
    """Block no. 4: the five member organisations, their term and pledge, their own table and
    the 2025 review (two sheets submitted, the others self-assessing)."""
    members = demo_organisations.seed()
    block = services.create_cluster(
        admin,
        owner_unit=city,
        name=BLOCK_4,
        kind=Cluster.Kind.BLOCK,
        note="Khối chức năng: các tổ chức chính trị - xã hội thành phố",
    )
    if len(members) < block.min_members:
        return
    services.add_members(admin, cluster=block, units=members, joined_on=dt.date(YEAR, 7, 1))
    services.open_term(
        admin, cluster=block, year=YEAR, head=members[0], deputy=members[1],
        rotation_order=members,
    )  # fmt: skip
    pledge = services.record_pledge(
        admin,
        cluster=block,
        year=YEAR,
        title=f"Giao ước thi đua năm {YEAR} của Khối thi đua số 4",
        content="Các tổ chức thành viên thống nhất ký kết giao ước thi đua năm 2025, hưởng ứng "
        'phong trào "Người tốt, việc tốt" của thành phố.',
        signed_on=dt.date(YEAR, 7, 20),
    )
    for unit in members[:3]:
        services.add_pledge_target(
            admin,
            pledge=pledge,
            unit=unit,
            description="Giới thiệu gương người tốt, việc tốt",
            value=Decimal(10),
            measure="gương",
        )
    table = _table(
        admin,
        city,
        title="Bảng chấm điểm thi đua Khối thi đua số 4 năm 2025",
        groups=BLOCK_TABLE,
    )
    criteria = list(Criterion.objects.filter(table=table).order_by("group__order", "order"))
    review = services.open_review(
        admin, cluster=block, year=YEAR, table=table, meeting_on=dt.date(YEAR, 12, 22)
    )
    for n, sheet in enumerate(review.sheets.order_by("unit__name")[:2]):
        _self_assess(admin, sheet, criteria, n)


def seed(*, stdout: TextIO | None = None) -> None:
    users = get_user_model().objects
    admin = users.filter(username="admin", is_active=True).first()
    city = Unit.objects.filter(code="01", kind__code="province", valid_to__isnull=True).first()
    if admin is None or city is None:
        return
    if Cluster.objects.filter(owner_unit=city, note=DEMO_NOTE).exists():
        return
    people = {
        "specialist": admin,
        "board": users.filter(username="lanhdao").first() or admin,
        "council": users.filter(username="hoidong").first() or admin,
    }
    wards = list(
        Unit.objects.filter(kind__code="ward", parent=city, valid_to__isnull=True).order_by("path")
    )
    table = _table(admin, city)
    criteria = [c for c in Criterion.objects.filter(table=table).order_by("group__order", "order")]
    size = max(len(wards) // 12, 5)
    chunks = [wards[i * size : (i + 1) * size] for i in range(12)]
    chunks[-1] += wards[12 * size :]
    clusters = []
    for number, members in enumerate(chunks, start=1):
        if len(members) < 5:
            continue
        cluster = services.create_cluster(
            admin,
            owner_unit=city,
            name=f"Cụm thi đua phường, xã số {number}",
            note=DEMO_NOTE,
        )
        services.add_members(admin, cluster=cluster, units=members, joined_on=dt.date(YEAR, 7, 1))
        services.open_term(
            admin, cluster=cluster, year=YEAR, head=members[0], deputy=members[1],
            rotation_order=members,
        )  # fmt: skip
        pledge = services.record_pledge(
            admin,
            cluster=cluster,
            year=YEAR,
            title=f"Giao ước thi đua năm {YEAR} của Cụm thi đua phường, xã số {number}",
            content="Các đơn vị thành viên thống nhất ký kết giao ước thi đua năm 2025.",
            signed_on=dt.date(YEAR, 7, 15),
        )
        for n, unit in enumerate(members[:3]):
            services.add_pledge_target(
                admin,
                pledge=pledge,
                unit=unit,
                description="Xây dựng, sửa chữa nhà Đại đoàn kết",
                value=Decimal(3 + n),
                measure="nhà",
            )
        clusters.append(cluster)
    _block_4(admin, city)
    reviews = [
        services.open_review(
            admin,
            cluster=c,
            year=YEAR,
            table=table,
            flag_quota=1,
            meeting_on=dt.date(YEAR, 12, 20),
        )  # fmt: skip
        for c in clusters
    ]
    # cluster 1: published
    published = reviews[0]
    sheets = list(published.sheets.order_by("unit__name"))
    for n, sheet in enumerate(sheets):
        _self_assess(admin, sheet, criteria, n)
        _walk(sheet, Step.STANDING_REVIEW, people)
    services.record_score(
        people["council"] if sheets[0].status == Step.COUNCIL_REVIEW else people["board"],
        sheet=sheets[0],
        criterion=criteria[1],
        value=criteria[1].max_points - 2,
        comment="Chưa tổ chức đủ lớp bồi dưỡng theo kế hoạch",
    )
    services.publish_review(people["board"], review=published)
    # cluster 2: a sheet at every stage, one returned with its reason
    stages = [
        Step.SELF_ASSESSING,
        Step.SUBMITTED,
        Step.SPECIALIST_REVIEW,
        Step.BOARD_REVIEW,
        Step.COUNCIL_REVIEW,
        Step.STANDING_REVIEW,
    ]
    for n, sheet in enumerate(reviews[1].sheets.order_by("unit__name")):
        stage = stages[n % len(stages)]
        if stage == Step.SELF_ASSESSING:
            continue
        _self_assess(admin, sheet, criteria, n)
        _walk(sheet, stage, people)
    at_board = list(reviews[1].sheets.filter(status=Step.BOARD_REVIEW).order_by("unit__name"))
    if at_board:
        services.return_sheet(
            people["board"],
            sheet=at_board[-1],
            reason="Bổ sung minh chứng về giám sát theo chương trình phối hợp",
        )
    # cluster 3 and the others: self-assessing (Phường Bồ Đề's officer has hers to do)
    if stdout is not None:
        stdout.write(
            f"Emulation clusters: {len(clusters)} demo groupings and block no. 4; "
            f"{sum(r.sheets.count() for r in reviews)} score sheets of {YEAR}"
        )
