"""What the six demo movements are: fields, indicators, how units fare, the figures they report."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from thidua.movements.models import Indicator, Movement

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
