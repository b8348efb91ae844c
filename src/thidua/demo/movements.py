"""Demo movements: the six movements of the source document, launched by Thành phố Hà Nội.

`seed_movements()` writes them through the services (create, launch, register, works, reports and
the parent's decisions), with the demo users as actors: `admin` launches and enters data, `canbo`
enters Phường Bồ Đề's data, `lanhdao` (leader of Hà Nội) accepts and returns. Without the demo
users (only `import_vietnam` was run) a system actor does everything.

Not every ward takes part: every legacy ward of Long Biên and Tây Hồ reports on the 2024 tree (until
2025-06-30), and about thirty current wards and communes (Phường Bồ Đề, the successors of those
wards and a spread of others) report from 2025-Q3. Some units never register, some registrations
and reports are returned with a reason (most corrected and submitted again), the last period
holds drafts and reports waiting for a decision, and Phường Bồ Đề owes one report due soon.

Figures come from a random generator seeded per movement, unit and period, so two databases seeded
on the same day hold the same data; which periods are reported depends on the day (only periods
that have ended). Idempotent: a movement that exists (same launching unit and title) is skipped.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from thidua.core.actors import SystemActor
from thidua.core.policy import can
from thidua.movements import services
from thidua.movements.models import Indicator, Movement, Period, Registration, Report, Work
from thidua.org.models import Lineage, Unit, UnitKind
from thidua.shared.models import Field

HANOI_CODE = "01"
LEGACY_DISTRICTS = ("004", "003")  # Quận Long Biên, Quận Tây Hồ
BO_DE = "Phường Bồ Đề"
CURRENT_SAMPLE = 30
STARTS_ON = dt.date(2024, 1, 1)
ENDS_ON = dt.date(2026, 12, 31)
LAUNCHED_ON = dt.date(2024, 1, 10)
SEED = "thidua-demo"
RECENT = dt.timedelta(days=60)  # reports due since then are still being decided
# what happens to a ward's report (cumulative probability, outcome)
RECENT_OUTCOMES = [
    (0.08, "missing"),
    (0.16, "draft"),
    (0.20, "returned"),  # sent back, not corrected yet
    (0.40, "pending"),  # submitted, waiting for the decision
    (1.00, "accepted"),
]
PAST_OUTCOMES = [(0.05, "missing"), (0.065, "corrected"), (1.00, "accepted")]

SUM = Indicator.Aggregation.SUM
RATIO = Indicator.Aggregation.RATIO
COUNT = Indicator.Aggregation.COUNT

# code, Vietnamese, English, Indonesian
FIELDS = [
    (
        "my-quan-do-thi-moi-truong",
        "Mỹ quan đô thị – môi trường",
        "Urban beauty and environment",
        "Keindahan kota dan lingkungan hidup",
    ),
    ("an-sinh-xa-hoi", "An sinh xã hội", "Social security", "Jaminan sosial"),
    ("van-hoa-xa-hoi", "Văn hóa – xã hội", "Culture and society", "Budaya dan kemasyarakatan"),
    ("kinh-te-tieu-dung", "Kinh tế – tiêu dùng", "Economy and consumption", "Ekonomi dan konsumsi"),
    (
        "an-ninh-trat-tu",
        "An ninh – trật tự",
        "Security and public order",
        "Keamanan dan ketertiban",
    ),
    (
        "sang-kien-sang-tao",
        "Sáng kiến – sáng tạo",
        "Initiatives and innovation",
        "Inisiatif dan inovasi",
    ),
]

REGISTRATION_RETURN_REASONS = [
    "Chỉ tiêu đăng ký thấp hơn kết quả đã đạt năm trước; đề nghị rà soát, đăng ký lại.",
    "Bản đăng ký chưa nêu công trình, phần việc chào mừng Đại hội; đề nghị bổ sung.",
    "Chưa có chữ ký của Chủ tịch Ủy ban MTTQ; đề nghị hoàn thiện hồ sơ đăng ký.",
]


@dataclass(frozen=True)
class Profile:
    """What a ward's figures are drawn from."""

    households: int
    groups: int
    urban: bool


Values = list[tuple[int | Decimal, int | None] | None]  # per indicator: (value, base) or blank


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    unit_of_measure: str
    aggregation: str
    target: str  # per ward
    pledge: Callable[[Profile], int] | None = None  # pledged on registration (sums only)


@dataclass(frozen=True)
class MovementSpec:
    key: str
    title: str
    description: str
    kind: str
    schedule: str
    fields: tuple[str, ...]
    indicators: tuple[IndicatorSpec, ...]
    values: Callable[[random.Random, Profile, int], Values]
    works: tuple[str, ...]  # "{area}" is "tổ dân phố" or "thôn", "{n}" a number
    return_reason: str  # why a report is sent back
    wrong: int  # the indicator mistyped in a report that is sent back…
    mistake: Callable[[Any], Any]  # …and how (None: left blank)
    reach: float = 0.9  # share of the sampled wards that register


def _culture(rng: random.Random, p: Profile, months: int) -> Values:
    families = round(p.households * rng.uniform(0.86, 0.96))
    groups = round(p.groups * rng.uniform(0.72, 0.97))
    return [(families, None), (families, p.households), (groups, None)]


def _civilised(rng: random.Random, p: Profile, months: int) -> Values:
    models = rng.choice([0, 1, 1, 2, 2, 3]) * months // 3
    workdays = round(p.households * rng.uniform(0.06, 0.18) * months / 3)
    with_model = min(p.groups, round(p.groups * rng.uniform(0.55, 0.98)))
    return [(models, None), (workdays, None), (with_model, p.groups)]


def _vietnamese_goods(rng: random.Random, p: Profile, months: int) -> Values:
    meetings = rng.randint(1, 6)
    fairs = rng.choice([0, 0, 1, 1, 2])
    visitors = fairs * rng.randint(300, 1500)
    return [(meetings, None), (fairs, None), (visitors, None)]


def _poor(rng: random.Random, p: Profile, months: int) -> Values:
    helped = round(p.households * rng.uniform(0.004, 0.015))
    fund = Decimal(round(p.households * rng.uniform(0.02, 0.08) * 2)) / 2  # triệu đồng
    houses = rng.choice([0, 0, 0, 1, 1, 2])
    return [(helped, None), (fund, None), (houses, None)]


def _security(rng: random.Random, p: Profile, months: int) -> Values:
    received = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6])
    resolved = received - rng.randint(0, min(2, received))
    tips = rng.randint(0, 4)
    return [(resolved, None), (tips, None), (resolved, received) if received else None]


def _creative(rng: random.Random, p: Profile, months: int) -> Values:
    filed = rng.randint(0, 6)
    recognised = min(filed, rng.randint(0, 2))
    models = (rng.randint(1, 3), None) if rng.random() < 0.6 else None
    return [(filed, None), (recognised, None), models]


def _tenfold(value: Any) -> Any:
    return value * 10 + 1


def _plus_three(value: Any) -> Any:
    return value + 3


def _blank(value: Any) -> Any:
    return None


MOVEMENTS: tuple[MovementSpec, ...] = (
    MovementSpec(
        key="van-hoa",
        title="Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư",
        description=(
            "Cuộc vận động do Mặt trận Tổ quốc Việt Nam chủ trì, lấy khu dân cư làm địa bàn, hộ "
            "gia đình làm nòng cốt: xây dựng gia đình văn hóa, tổ dân phố, thôn văn hóa; giữ gìn "
            "nếp sống văn minh, đoàn kết, giúp nhau phát triển kinh tế. Kết quả là số hộ được "
            "công nhận “Gia đình văn hóa” và số khu dân cư đạt danh hiệu văn hóa, bình xét hằng "
            "năm trước ngày 25/11."
        ),
        kind=Movement.Kind.STANDING,
        schedule=Movement.Schedule.YEARLY,
        fields=("van-hoa-xa-hoi",),
        indicators=(
            IndicatorSpec(
                "Hộ được công nhận “Gia đình văn hóa”",
                "hộ",
                SUM,
                "2500",
                lambda p: round(p.households * 0.9),
            ),
            IndicatorSpec("Tỷ lệ hộ đạt danh hiệu “Gia đình văn hóa”", "tỷ lệ", RATIO, "0.90"),
            IndicatorSpec(
                "Tổ dân phố, thôn đạt danh hiệu văn hóa",
                "khu dân cư",
                SUM,
                "15",
                lambda p: round(p.groups * 0.85),
            ),
        ),
        values=_culture,
        works=(
            "Chỉnh trang nhà văn hóa {area} số {n}",
            "Sân chơi cộng đồng cho thiếu nhi tại {area} số {n}",
            "Tủ sách khu dân cư tại nhà văn hóa {area} số {n}",
        ),
        return_reason=(
            "Số hộ được công nhận không khớp với quyết định công nhận của Chủ tịch UBND; đề nghị "
            "đối chiếu và gửi lại."
        ),
        wrong=0,
        mistake=_tenfold,
    ),
    MovementSpec(
        key="ntm-dtvm",
        title="Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh",
        description=(
            "Phong trào thi đua gắn với xây dựng nông thôn mới và chỉnh trang đô thị văn minh: "
            "mỗi Ban công tác Mặt trận khu dân cư có ít nhất một mô hình “Tuyến phố, ngõ xóm xanh "
            "– sạch – đẹp – văn minh”; vận động Nhân dân góp ngày công, kinh phí giữ gìn vệ sinh "
            "môi trường và mỹ quan đô thị."
        ),
        kind=Movement.Kind.STANDING,
        schedule=Movement.Schedule.QUARTERLY,
        fields=("my-quan-do-thi-moi-truong", "an-sinh-xa-hoi"),
        indicators=(
            IndicatorSpec(
                "Mô hình “Tuyến phố, ngõ xóm xanh – sạch – đẹp” mới",
                "mô hình",
                SUM,
                "4",
                lambda p: max(2, p.groups // 6),
            ),
            IndicatorSpec(
                "Ngày công lao động vệ sinh môi trường",
                "ngày công",
                SUM,
                "1500",
                lambda p: round(p.households * 0.4),
            ),
            IndicatorSpec(
                "Tỷ lệ khu dân cư có mô hình tự quản về môi trường", "tỷ lệ", RATIO, "0.80"
            ),
        ),
        values=_civilised,
        works=(
            "Tuyến phố văn minh, xanh – sạch – đẹp tại {area} số {n}",
            "Vẽ tranh bích họa, trồng hoa trên tuyến ngõ {area} số {n}",
            "Cải tạo bãi rác tự phát thành vườn hoa tại {area} số {n}",
        ),
        return_reason=(
            "Số ngày công tăng đột biến so với quý trước; đề nghị kiểm tra lại số liệu và gửi kèm "
            "danh sách các đợt ra quân."
        ),
        wrong=1,
        mistake=_tenfold,
    ),
    MovementSpec(
        key="hang-viet",
        title="Người Việt Nam ưu tiên dùng hàng Việt Nam",
        description=(
            "Cuộc vận động nâng cao nhận thức của người tiêu dùng và doanh nghiệp, ưu tiên sử dụng "
            "sản phẩm, dịch vụ trong nước và sản phẩm OCOP của Thủ đô: tuyên truyền ở khu dân cư, "
            "tổ chức phiên chợ hàng Việt, điểm giới thiệu và bán sản phẩm Việt."
        ),
        kind=Movement.Kind.STANDING,
        schedule=Movement.Schedule.QUARTERLY,
        fields=("kinh-te-tieu-dung",),
        indicators=(
            IndicatorSpec(
                "Hội nghị, buổi tuyên truyền về hàng Việt", "buổi", SUM, "12", lambda p: 12
            ),
            IndicatorSpec("Phiên chợ hàng Việt về khu dân cư", "phiên", SUM, "2", lambda p: 2),
            IndicatorSpec("Lượt người tham gia phiên chợ hàng Việt", "lượt", SUM, "2000"),
        ),
        values=_vietnamese_goods,
        works=(
            "Phiên chợ hàng Việt về khu dân cư",
            "Điểm giới thiệu, bán sản phẩm OCOP tại nhà văn hóa {area} số {n}",
        ),
        return_reason=(
            "Có phiên chợ nhưng chưa ghi số lượt người tham gia; đề nghị bổ sung số liệu."
        ),
        wrong=2,
        mistake=_blank,
    ),
    MovementSpec(
        key="vi-nguoi-ngheo",
        title="Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau",
        description=(
            "Phong trào thi đua vận động Quỹ “Vì người nghèo”, hỗ trợ hộ nghèo, hộ cận nghèo về "
            "sinh kế, y tế, giáo dục; xây mới, sửa chữa nhà Đại đoàn kết; mỗi khu dân cư có mô "
            "hình chia sẻ, giúp đỡ người có hoàn cảnh khó khăn."
        ),
        kind=Movement.Kind.STANDING,
        schedule=Movement.Schedule.QUARTERLY,
        fields=("an-sinh-xa-hoi",),
        indicators=(
            IndicatorSpec(
                "Hộ nghèo, hộ cận nghèo được hỗ trợ",
                "hộ",
                SUM,
                "40",
                lambda p: round(p.households * 0.02),
            ),
            IndicatorSpec(
                "Kinh phí vận động Quỹ “Vì người nghèo”",
                "triệu đồng",
                SUM,
                "500",
                lambda p: round(p.households * 0.15),
            ),
            IndicatorSpec("Nhà Đại đoàn kết được xây mới, sửa chữa", "căn", SUM, "2", lambda p: 2),
        ),
        values=_poor,
        works=(
            "Trao tặng nhà Đại đoàn kết cho hộ nghèo tại {area} số {n}",
            "Tủ bánh mì, gạo nghĩa tình cho người khó khăn",
            "Quỹ học bổng “Tiếp sức đến trường” cho học sinh hộ nghèo",
        ),
        return_reason=(
            "Số hộ được hỗ trợ chưa khớp danh sách hộ nghèo, cận nghèo kèm theo; đề nghị đối "
            "chiếu lại."
        ),
        wrong=0,
        mistake=_tenfold,
    ),
    MovementSpec(
        key="an-ninh",
        title="Toàn dân bảo vệ an ninh Tổ quốc",
        description=(
            "Phong trào “Toàn dân bảo vệ an ninh Tổ quốc” ở khu dân cư: phát huy vai trò tự quản "
            "của Nhân dân, xây dựng mô hình tự quản về an ninh trật tự, hòa giải mâu thuẫn từ cơ "
            "sở, tiếp nhận tin báo, tố giác tội phạm. Báo cáo hằng tháng."
        ),
        kind=Movement.Kind.STANDING,
        schedule=Movement.Schedule.MONTHLY,
        fields=("an-ninh-trat-tu",),
        indicators=(
            IndicatorSpec("Vụ việc mâu thuẫn được hòa giải thành", "vụ", SUM, "20", lambda p: 20),
            IndicatorSpec("Tin báo, tố giác tội phạm từ Nhân dân", "tin", SUM, "10"),
            IndicatorSpec("Tỷ lệ hòa giải thành", "tỷ lệ", RATIO, "0.85"),
        ),
        values=_security,
        works=(
            "Mô hình “Camera an ninh khu dân cư” tại {area} số {n}",
            "Tổ tự quản an ninh trật tự “Ngõ phố bình yên” tại {area} số {n}",
        ),
        return_reason=(
            "Số vụ hòa giải thành lớn hơn số vụ việc tiếp nhận trong biên bản; đề nghị kiểm tra "
            "lại."
        ),
        wrong=0,
        mistake=_plus_three,
        reach=0.6,
    ),
    MovementSpec(
        key="doan-ket-sang-tao",
        title="Đoàn kết sáng tạo",
        description=(
            "Phong trào thi đua “Đoàn kết sáng tạo” trong Mặt trận các cấp: phát hiện, đăng ký và "
            "nhân rộng sáng kiến, ý tưởng mới, cách làm hay. Từ năm 2020 Hội đồng thẩm định của "
            "Thành phố xem xét, đề nghị công nhận sáng kiến: hơn 500 hồ sơ, 119 sáng kiến, ý tưởng "
            "mới được tuyển chọn, khen thưởng và in ấn tuyên truyền."
        ),
        kind=Movement.Kind.PERIODIC,
        schedule=Movement.Schedule.YEARLY,
        fields=("sang-kien-sang-tao",),
        indicators=(
            IndicatorSpec(
                "Sáng kiến, ý tưởng mới được đăng ký", "sáng kiến", SUM, "3", lambda p: 3
            ),
            IndicatorSpec("Sáng kiến được Hội đồng thẩm định công nhận", "sáng kiến", SUM, "1"),
            IndicatorSpec("Đơn vị có mô hình mới, cách làm hay", "đơn vị", COUNT, "1"),
        ),
        values=_creative,
        works=(
            "Số hóa sổ theo dõi hộ gia đình của Ban công tác Mặt trận {area} số {n}",
            "Tuyển tập sáng kiến, cách làm hay của khu dân cư",
        ),
        return_reason=(
            "Số sáng kiến được công nhận lớn hơn số sáng kiến đăng ký; đề nghị kiểm tra lại."
        ),
        wrong=1,
        mistake=_plus_three,
    ),
)


class DemoDataMissing(Exception):
    """The unit tree the demo needs is not there (run `seed_demo` or `import_vietnam`)."""


@dataclass
class Cohort:
    """Wards of one tree and the congress they welcome."""

    units: list[Unit]
    term: str
    work_year: int


@dataclass
class Actors:
    admin: Any
    leader: Any
    officer: Any  # Phường Bồ Đề's officer
    bo_de: Unit | None

    def entering(self, unit: Unit) -> Any:
        return self.officer if self.bo_de is not None and unit.pk == self.bo_de.pk else self.admin


def seed_movements(*, stdout: TextIO | None = None) -> dict:
    """Create the six demo movements (skipping those that exist); return what was done."""
    started = time.perf_counter()
    today = timezone.localdate()
    hanoi = Unit.objects.filter(
        code=HANOI_CODE, kind__code="province", valid_to__isnull=True
    ).first()
    if hanoi is None:
        raise DemoDataMissing("Thành phố Hà Nội is missing: run `manage.py seed_demo` first.")
    legacy = list(
        Unit.objects.filter(
            parent__parent=hanoi, parent__code__in=LEGACY_DISTRICTS, kind__code="ward"
        )
        .exclude(valid_to__isnull=True)
        .order_by("code")
    )
    current_all = list(
        Unit.objects.filter(parent=hanoi, kind__code="ward", valid_to__isnull=True).order_by("code")
    )
    if not legacy or not current_all:
        raise DemoDataMissing("The Hà Nội wards are missing: run `manage.py seed_demo` first.")
    current = _current_sample(legacy, current_all)
    actors = _actors(hanoi, next((u for u in current if u.name == BO_DE), None))
    profiles = _profiles(legacy, current)
    fields = _fields()
    ward = UnitKind.objects.get(code="ward")
    cohorts = [
        Cohort(legacy, "2024 – 2029", 2024),
        Cohort(current, "2026 – 2031", 2026),
    ]
    summary: dict[str, Any] = {"created": [], "skipped": [], "movements": {}}
    for spec in MOVEMENTS:
        movement = Movement.objects.filter(owner_unit=hanoi, title=spec.title).first()
        if movement is not None:
            summary["skipped"].append(spec.title)
        else:
            with transaction.atomic():
                movement = _seed_one(spec, hanoi, ward, fields, cohorts, actors, profiles, today)
            summary["created"].append(spec.title)
        summary["movements"][spec.title] = counts = movement_counts(movement)
        if stdout is not None:
            verb = "created" if spec.title in summary["created"] else "exists"
            figures = ", ".join(f"{k} {v}" for k, v in counts.items())
            stdout.write(f"{spec.title} ({verb}): {figures}\n")
    summary["seconds"] = round(time.perf_counter() - started, 2)
    if stdout is not None:
        stdout.write(
            f"Movements created: {len(summary['created'])}, already there: "
            f"{len(summary['skipped'])} ({summary['seconds']} s)\n"
        )
    return summary


def movement_counts(movement: Movement) -> dict[str, int]:
    registrations = dict(
        Registration.objects.filter(movement=movement)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reports = dict(
        Report.objects.filter(movement=movement)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    works = Work.objects.filter(movement=movement)
    return {
        "periods": movement.periods.count(),
        "registrations": sum(registrations.values()),
        "registrations accepted": registrations.get(Registration.Status.ACCEPTED, 0),
        "registrations submitted": registrations.get(Registration.Status.SUBMITTED, 0),
        "registrations returned": registrations.get(Registration.Status.RETURNED, 0),
        "reports": sum(reports.values()),
        "reports accepted": reports.get(Report.Status.ACCEPTED, 0),
        "reports submitted": reports.get(Report.Status.SUBMITTED, 0),
        "reports returned": reports.get(Report.Status.RETURNED, 0),
        "reports draft": reports.get(Report.Status.DRAFT, 0),
        "works": works.count(),
        "congress works": works.filter(is_congress_work=True).count(),
    }


# --- setup ----------------------------------------------------------------------------------


def _current_sample(legacy: list[Unit], current_all: list[Unit]) -> list[Unit]:
    """The current wards that carry the legacy sample, Phường Bồ Đề among them, plus a seeded
    spread of other wards and communes, CURRENT_SAMPLE in all."""
    carriers = set(
        Lineage.objects.filter(predecessor__in=legacy).values_list("successor_id", flat=True)
    )
    chosen = [u for u in current_all if u.pk in carriers or u.name == BO_DE]
    others = [u for u in current_all if u not in chosen]
    random.Random(f"{SEED}:sample").shuffle(others)
    chosen += others[: max(0, CURRENT_SAMPLE - len(chosen))]
    return sorted(chosen, key=lambda u: u.code)


def _actors(hanoi: Unit, bo_de: Unit | None) -> Actors:
    """The demo users where they hold the roles the seed needs, a system actor otherwise."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["admin", "lanhdao", "canbo"], is_active=True
        )
    }
    admin = users.get("admin")
    if admin is None or not admin.is_superuser:
        admin = SystemActor("seed_movements")
    leader = users.get("lanhdao")
    if leader is None or not can(leader, "unit.approve", hanoi):
        leader = admin
    officer = users.get("canbo")
    if officer is None or bo_de is None or not can(officer, "unit.enter_data", bo_de):
        officer = admin
    return Actors(admin=admin, leader=leader, officer=officer, bo_de=bo_de)


def _profiles(legacy: list[Unit], current: list[Unit]) -> dict[int, Profile]:
    """Households and residential areas of each ward: the generated residential groups where
    there are some, seeded figures otherwise (the 2024 wards have none)."""
    areas = {
        row["parent_id"]: (row["households"] or 0, row["n"])
        for row in Unit.objects.filter(parent__in=current, kind__code="residential_area")
        .values("parent_id")
        .annotate(households=Sum("households"), n=Count("pk"))
        .order_by()
    }
    profiles = {}
    for unit in [*legacy, *current]:
        rng = random.Random(f"{SEED}:profile:{unit.code}")
        households, groups = areas.get(unit.pk, (0, 0))
        if not households or not groups:
            households, groups = rng.randint(2200, 6500), rng.randint(10, 32)
        profiles[unit.pk] = Profile(households, groups, not unit.name.startswith("Xã"))
    return profiles


def _fields() -> dict[str, Field]:
    """The fields of work (reference data, not edited if they exist)."""
    out = {}
    for code, vi, en, id_ in FIELDS:
        out[code], _created = Field.objects.get_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "name_id": id_}
        )
    return out


# --- one movement ---------------------------------------------------------------------------


def _seed_one(
    spec: MovementSpec,
    hanoi: Unit,
    ward: UnitKind,
    fields: dict[str, Field],
    cohorts: list[Cohort],
    actors: Actors,
    profiles: dict[int, Profile],
    today: dt.date,
) -> Movement:
    movement = services.create_movement(
        actors.admin,
        title=spec.title,
        owner_unit=hanoi,
        kind=spec.kind,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        schedule=spec.schedule,
        description=spec.description,
        fields=[fields[code] for code in spec.fields],
        scope_kinds=[ward],
        indicators=[
            {
                "name": i.name,
                "unit_of_measure": i.unit_of_measure,
                "aggregation": i.aggregation,
                "targets": {"ward": i.target},
            }
            for i in spec.indicators
        ],
    )
    services.launch_movement(actors.admin, movement=movement, on=LAUNCHED_ON)
    seeder = _Seeder(spec, movement, fields[spec.fields[0]], actors, profiles, today)
    for cohort in cohorts:
        for unit in cohort.units:
            seeder.unit(unit, cohort)
    return movement


class _Seeder:
    def __init__(
        self,
        spec: MovementSpec,
        movement: Movement,
        field: Field,
        actors: Actors,
        profiles: dict[int, Profile],
        today: dt.date,
    ) -> None:
        self.spec = spec
        self.movement = movement
        self.field = field
        self.actors = actors
        self.profiles = profiles
        self.today = today
        self.indicators = list(movement.indicators.all())
        self.periods = list(movement.periods.all())
        self.ended = [p for p in self.periods if p.ends_on < today]
        self.running = next((p for p in self.periods if p.starts_on <= today <= p.ends_on), None)

    def rng(self, *parts: object) -> random.Random:
        return random.Random(":".join([SEED, self.spec.key, *map(str, parts)]))

    def is_bo_de(self, unit: Unit) -> bool:
        return self.actors.bo_de is not None and unit.pk == self.actors.bo_de.pk

    # registrations and works

    def unit(self, unit: Unit, cohort: Cohort) -> None:
        rng = self.rng("registration", unit.code)
        draw = rng.random()
        bo_de = self.is_bo_de(unit)
        never = 1 - self.spec.reach
        if not bo_de and draw < never:
            return  # never registered
        officer, leader = self.actors.entering(unit), self.actors.leader
        profile = self.profiles[unit.pk]
        targets = {
            indicator.pk: spec.pledge(profile)
            for indicator, spec in zip(self.indicators, self.spec.indicators, strict=True)
            if spec.pledge is not None
        }
        note = (
            f"Ủy ban MTTQ {_lower(unit.name)} đăng ký thi đua thực hiện “{self.spec.title}”, "
            f"phấn đấu hoàn thành các chỉ tiêu và công trình chào mừng Đại hội nhiệm kỳ "
            f"{cohort.term}."
        )
        low = {pk: max(0, round(v * 0.7)) for pk, v in targets.items()}
        left_returned = not bo_de and draw < never + 0.03
        returned = left_returned or (not bo_de and rng.random() < 0.08)
        registration = services.register(
            officer,
            movement=self.movement,
            unit=unit,
            note=note,
            targets=low if returned else targets,
        )
        if returned:
            services.return_registration(
                leader, registration=registration, reason=rng.choice(REGISTRATION_RETURN_REASONS)
            )
            if left_returned:
                return  # returned, not corrected yet: counts as not registered
            registration = services.register(
                officer, movement=self.movement, unit=unit, note=note, targets=targets
            )
        pending = not bo_de and cohort.work_year > 2024 and rng.random() < 0.12
        if not pending:
            services.accept_registration(leader, registration=registration)
        self.works(registration, unit, cohort, rng)
        self.reports(unit, officer, profile)

    def works(
        self, registration: Registration, unit: Unit, cohort: Cohort, rng: random.Random
    ) -> None:
        officer = self.actors.entering(unit)
        area = "tổ dân phố" if self.profiles[unit.pk].urban else "thôn"
        n_groups = self.profiles[unit.pk].groups
        pledged = []
        if self.is_bo_de(unit) or rng.random() < 0.88:
            title = rng.choice(self.spec.works).format(area=area, n=rng.randint(1, n_groups))
            pledged.append(
                (
                    f"{title} – chào mừng Đại hội đại biểu MTTQ Việt Nam {_lower(unit.name)} "
                    f"nhiệm kỳ {cohort.term}",
                    True,
                )
            )
        if rng.random() < 0.35:
            title = rng.choice(self.spec.works).format(area=area, n=rng.randint(1, n_groups))
            pledged.append((title, False))
        for title, congress in pledged:
            month = rng.randint(3, 10)
            deadline = dt.date(cohort.work_year, month, 28)
            work = services.add_work(
                officer,
                registration=registration,
                title=title,
                field=self.field,
                deadline=deadline,
                # no budget: services.add_work refuses every one (see the seed's report)
                is_congress_work=congress,
            )
            if deadline < self.today:
                status = Work.Status.DONE if rng.random() < 0.9 else Work.Status.IN_PROGRESS
            else:
                status = rng.choice([Work.Status.PLANNED, Work.Status.IN_PROGRESS])
            if status != Work.Status.PLANNED:
                services.set_work_status(officer, work=work, status=status)

    # reports

    def reports(self, unit: Unit, officer: Any, profile: Profile) -> None:
        periods = [p for p in self.ended if unit.is_valid_on(p.ends_on)]
        bo_de = self.is_bo_de(unit)
        for index, period in enumerate(periods):
            rng = self.rng("report", unit.code, period.label)
            # the latest periods, still being decided: drafts, waiting, returned, missing
            recent = unit.valid_to is None and period.due_on >= self.today - RECENT
            draw = rng.random()
            if bo_de:
                outcome = "corrected" if index == 0 else ("pending" if recent else "accepted")
            elif recent:
                outcome = _pick(draw, RECENT_OUTCOMES)
            else:
                outcome = _pick(draw, PAST_OUTCOMES)
            if outcome != "missing":
                self.report(unit, period, officer, profile, rng, outcome)
        if (
            bo_de
            and self.running is not None
            and self.running.ends_on <= self.today + dt.timedelta(days=30)
        ):
            # Started, not submitted: what the ward officer's home page lists as due soon.
            rng = self.rng("report", unit.code, self.running.label)
            values = self.spec.values(rng, profile, _months(self.running))
            values = [v if i == 0 else None for i, v in enumerate(values)]
            note = f"Số liệu đến ngày {self.today:%d/%m/%Y}; đang tổng hợp."
            self.save(unit, self.running, officer, values, note, submit=False)

    def report(
        self,
        unit: Unit,
        period: Period,
        officer: Any,
        profile: Profile,
        rng: random.Random,
        outcome: str,
    ) -> None:
        leader = self.actors.leader
        values = self.spec.values(rng, profile, _months(period))
        narrative = (
            f"Ban Thường trực Ủy ban MTTQ {_lower(unit.name)} báo cáo kết quả thực hiện "
            f"“{self.spec.title}” kỳ {period.label}: các Ban công tác Mặt trận khu dân cư "
            f"{rng.choice(['tích cực triển khai', 'duy trì hiệu quả', 'tổ chức sơ kết'])} "
            "các mô hình, phần việc đã đăng ký."
        )
        if outcome == "draft":
            self.save(unit, period, officer, values, narrative, submit=False)
            return
        if outcome in ("corrected", "returned"):
            wrong = list(values)
            value, base = wrong[self.spec.wrong] or (0, None)
            mistyped = self.spec.mistake(value)
            wrong[self.spec.wrong] = None if mistyped is None else (mistyped, base)
            report = self.save(unit, period, officer, wrong, narrative, submit=True)
            services.return_report(leader, report=report, reason=self.spec.return_reason)
            if outcome == "returned":
                return
            narrative += " Đã rà soát, điều chỉnh số liệu theo ý kiến của Ban Thường trực."
        report = self.save(unit, period, officer, values, narrative, submit=True)
        if outcome != "pending":
            services.accept_report(leader, report=report)

    def save(
        self,
        unit: Unit,
        period: Period,
        officer: Any,
        values: Values,
        narrative: str,
        *,
        submit: bool,
    ) -> Report:
        numbers, bases = {}, {}
        for indicator, entry in zip(self.indicators, values, strict=True):
            if entry is None:
                continue
            numbers[indicator.pk], base = entry
            if base is not None:
                bases[indicator.pk] = base
        return services.save_report(
            officer,
            movement=self.movement,
            unit=unit,
            period=period,
            values=numbers,
            bases=bases,
            narrative=narrative,
            submit=submit,
        )


def _pick(draw: float, outcomes: list[tuple[float, str]]) -> str:
    return next(outcome for limit, outcome in outcomes if draw < limit)


def _months(period: Period) -> int:
    return (
        (period.ends_on.year - period.starts_on.year) * 12
        + (period.ends_on.month - period.starts_on.month)
        + 1
    )


def _lower(name: str) -> str:
    """A name inside a sentence: "Phường Bồ Đề" -> "phường Bồ Đề"."""
    return name[:1].lower() + name[1:]


def seed(*, stdout: TextIO | None = None) -> dict:
    """The `seed_demo` step (and `manage.py seed_movements`); a CommandError without the tree."""
    try:
        return seed_movements(stdout=stdout)
    except DemoDataMissing as error:
        raise CommandError(str(error)) from error
