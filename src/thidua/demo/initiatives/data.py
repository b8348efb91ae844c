"""What the demo initiatives are made of: council seats, the two calls, the words of submissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from thidua.demo import datafiles
from thidua.initiatives.models import (
    Review,
    Submission,
)
from thidua.shared.models import CouncilMember

# the literal tables: src/thidua/demo/data/initiatives.json
DATA = datafiles.load("initiatives.json")

HANOI_CODE = "01"
SEED = "thidua-demo-initiatives"
PASSWORD = "thidua-demo-2026"  # the demo password of `seed_demo`
EMAIL_DOMAIN = "demo.thidua.local"
LEGACY_DAY = dt.date(2024, 6, 30)  # a day of the 2024 tree
GRANTS_FROM = dt.date(2024, 1, 1)

COUNCIL_NAME = "Hội đồng thẩm định sáng kiến, ý tưởng mới Thành phố Hà Nội"

S = Submission.Status
R = CouncilMember.Role


@dataclass(frozen=True)
class Seat:
    username: str
    full_name: str
    role: str
    home: str  # a ward's name…
    legacy: bool  # …in the 2024 tree (True) or today's
    expertise: tuple[str, ...]


# `hoidong` is the demo council member of `seed_demo` (created here with the same name if the demo
# users are not loaded). Home units mix 2024 wards (the member's ward at the time of the call) and
# today's wards.
SEATS = (
    Seat(
        "hoidong1", "Nguyễn Quang Minh", R.CHAIR, "Phường Hoàn Kiếm", False, ("sang-kien-sang-tao",)
    ),
    Seat(
        "hoidong2",
        "Trần Thị Thu Hà",
        R.VICE_CHAIR,
        "Phường Dịch Vọng",
        True,
        ("van-hoa-xa-hoi", "an-sinh-xa-hoi"),
    ),
    Seat("hoidong3", "Lê Văn Thành", R.SECRETARY, "Phường Ba Đình", False, ("sang-kien-sang-tao",)),
    Seat(
        "hoidong",
        "Vũ Đình Hùng",
        R.MEMBER,
        "Phường Long Biên",
        False,
        ("my-quan-do-thi-moi-truong",),
    ),
    Seat("hoidong4", "Phạm Thị Ngọc Lan", R.MEMBER, "Phường Kim Liên", True, ("an-sinh-xa-hoi",)),
    Seat("hoidong5", "Đặng Văn Khoa", R.MEMBER, "Xã Bát Tràng", True, ("kinh-te-tieu-dung",)),
    Seat("hoidong6", "Bùi Thị Hương", R.MEMBER, "Phường Hà Đông", False, ("van-hoa-xa-hoi",)),
    Seat("hoidong7", "Ngô Minh Tuấn", R.MEMBER, "Phường Hàng Bạc", True, ("an-ninh-trat-tu",)),
    Seat(
        "hoidong8",
        "Hoàng Thị Mai",
        R.MEMBER,
        "Xã Sóc Sơn",
        False,
        ("kinh-te-tieu-dung", "my-quan-do-thi-moi-truong"),
    ),
)
ABSENT = "hoidong5"  # away on the day of the meeting; sends a written opinion
BO_DE = "Phường Bồ Đề"

# Same codes and names as the fields of the demo movements (`thidua.demo.movements.FIELDS`).
FIELDS = (
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
)

# --- the 2024 call ----------------------------------------------------------------------------

CALL_2024 = "Sáng kiến, ý tưởng mới trong công tác Mặt trận và phong trào thi đua năm 2024"
CALL_2024_TEXT = (
    "Ủy ban MTTQ Việt Nam thành phố Hà Nội phát động các tập thể, cá nhân trên địa bàn Thủ đô "
    "đăng ký sáng kiến, ý tưởng mới trong thực hiện các cuộc vận động, phong trào thi đua do Mặt "
    "trận chủ trì. Sáng kiến được công nhận khi có tính mới trong phạm vi đơn vị, đã được áp dụng "
    "hoặc áp dụng thử có kết quả và mang lại lợi ích kinh tế – xã hội. Hồ sơ nộp qua Ủy ban MTTQ "
    "các phường, xã, thị trấn. Các sáng kiến được công nhận được khen thưởng và giới thiệu trên "
    "Cổng thông tin và bản tin “Dân chủ và Đoàn kết”."
)
OPENS_2024, CLOSES_2024 = dt.date(2024, 3, 1), dt.date(2024, 6, 30)
SCREENED_ON = dt.date(2024, 7, 8)
ASSIGNED_ON = dt.date(2024, 7, 15)
REVIEWS_FROM, REVIEWS_DUE = dt.date(2024, 7, 18), dt.date(2024, 8, 20)
MEETING_ON = dt.date(2024, 9, 10)
DECIDED_ON = dt.date(2024, 9, 15)
DECISION_NUMBER = "245/QĐ-MTTQ-BTT"
SUBMISSIONS_2024 = 512
SCREENED_OUT_2024 = 20
RECOGNISED_2024 = 119
# name, prize (VND), how many of the recognised
AWARDS = (
    ("Giải A", Decimal(10_000_000), 10),
    ("Giải B", Decimal(7_000_000), 20),
    ("Giải C", Decimal(5_000_000), 35),
    ("Giải Khuyến khích", Decimal(2_000_000), 54),
)
assert sum(n for _name, _prize, n in AWARDS) == RECOGNISED_2024

SCREENING_REASONS = (
    "Giải pháp trùng với sáng kiến đã được Hội đồng công nhận năm 2023.",
    "Hồ sơ chưa có báo cáo kết quả áp dụng hoặc áp dụng thử tại đơn vị.",
    "Nội dung là nhiệm vụ thường xuyên đã được quy định, không phải giải pháp mới.",
    "Hồ sơ mới nêu kiến nghị, chưa trình bày giải pháp cụ thể và cách tổ chức thực hiện.",
    "Giải pháp đã được phổ biến, áp dụng rộng rãi trên địa bàn thành phố từ trước.",
    "Hồ sơ thiếu xác nhận của Ủy ban MTTQ cấp xã nơi áp dụng; đã quá hạn bổ sung.",
)
CONFLICTS = (
    ("hoidong4", "Người đề xuất là người thân trong gia đình tôi."),
    ("hoidong6", "Tôi đã tham gia góp ý xây dựng hồ sơ của tập thể đề xuất."),
    ("hoidong8", "Tôi là đồng tác giả của giải pháp ở giai đoạn áp dụng thử."),
)
AMENDMENTS = (
    "Điều chỉnh điểm sau khi Ban Thư ký cung cấp biên bản nghiệm thu kết quả áp dụng thử.",
    "Chấm lại tiêu chí phạm vi ảnh hưởng: giải pháp đã được hai phường lân cận học tập.",
)
# The council puts to the vote the initiatives whose mean score reaches the floor (at least
# SHORTLIST_MIN of them); the others are not recognised without a vote.
FLOOR = Decimal(65)
SHORTLIST_MIN = RECOGNISED_2024 + 30
MEETING_NOTES = (
    "Phiên họp thẩm định sáng kiến, ý tưởng mới năm 2024 tại trụ sở Ủy ban MTTQ Việt Nam thành "
    "phố Hà Nội. Có mặt 8/9 thành viên; đồng chí Đặng Văn Khoa vắng mặt có lý do và gửi phiếu ý "
    "kiến bằng văn bản. Hội đồng nghe Ban Thư ký báo cáo kết quả chấm điểm, thảo luận các sáng "
    "kiến có chênh lệch điểm lớn giữa hai thành viên chấm và thống nhất biểu quyết {n} sáng kiến "
    "có điểm trung bình từ {floor} điểm trở lên; các sáng kiến còn lại không đạt điểm sàn."
)

# --- the open call --------------------------------------------------------------------------

CALL_OPEN = (
    "Sáng kiến, ý tưởng mới chào mừng Đại hội đại biểu Mặt trận Tổ quốc Việt Nam các cấp, "
    "nhiệm kỳ 2026 – 2031"
)
CALL_OPEN_TEXT = (
    "Hưởng ứng Đại hội đại biểu MTTQ Việt Nam các cấp nhiệm kỳ 2026 – 2031, Ủy ban MTTQ Việt Nam "
    "thành phố Hà Nội mời các tập thể, cá nhân gửi sáng kiến, ý tưởng mới đã áp dụng ở khu dân cư "
    "theo địa giới hành chính mới. Có thể nộp trực tuyến hoặc qua Ủy ban MTTQ phường, xã."
)
OPEN_SINCE, OPEN_FOR = dt.timedelta(days=40), dt.timedelta(days=50)
# what happens to each of the ten submissions of the open call
OPEN_PLAN = (
    "draft",
    "submitted",
    "submitted",
    "submitted",
    "screened_out",
    "screened_in",
    "review_draft",  # hoidong's draft review, the other reviewer has submitted
    "review_todo",  # assigned to hoidong, not started
    "reviewed",  # both reviews submitted
    "withdrawn",
)

# --- what the submissions say -----------------------------------------------------------------


@dataclass(frozen=True)
class Idea:
    title: str
    problem: str
    solution: str
    result: str  # {h} households, {p} percent, {n} count, {kg}, {v} / {s} million VND, {m} m²


IDEAS: dict[str, tuple[tuple[str, ...], tuple[Idea, ...]]] = datafiles.build(
    dict[str, tuple[tuple[str, ...], tuple[Idea, ...]]], DATA["ideas"]
)

ORGANISATION = (
    "Ban công tác Mặt trận chủ trì, phối hợp với tổ trưởng dân phố và các chi hội đoàn thể; "
    "kinh phí chủ yếu do Nhân dân tự nguyện đóng góp.",
    "Ủy ban MTTQ phường, xã hướng dẫn; các chi hội đoàn thể phân công hội viên phụ trách từng "
    "nhóm hộ; có sổ theo dõi và sơ kết hằng quý.",
    "Thực hiện theo phương châm “dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân "
    "thụ hưởng”; quy chế do hội nghị khu dân cư thông qua.",
    "Đoàn Thanh niên làm nòng cốt, có sự đồng hành của doanh nghiệp và nhà hảo tâm trên địa bàn.",
)
SPREAD = (
    "Cách làm đơn giản, chi phí thấp, có thể nhân rộng ra các khu dân cư có điều kiện tương tự.",
    "Đã được hai khu dân cư lân cận đến học tập và áp dụng.",
    "Có thể áp dụng ở các phường, xã nội thành và ngoại thành với điều chỉnh nhỏ.",
)
BENEFITS = (
    "Tiết kiệm khoảng {s} triệu đồng mỗi năm; nâng cao ý thức tự quản của Nhân dân.",
    "Tăng sự gắn kết trong cộng đồng; {p}% hộ được hỏi hài lòng với kết quả.",
    "Góp phần thực hiện tiêu chí khu dân cư văn hóa, đô thị văn minh, nông thôn mới.",
    "Lợi ích xã hội rõ rệt: {h} lượt người được hưởng lợi trực tiếp.",
)
FAMILY: tuple[str, ...] = datafiles.build(tuple[str, ...], DATA["family"])
MIDDLE_MALE = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Mạnh")
MIDDLE_FEMALE = ("Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Hồng", "Kim")
GIVEN_MALE: tuple[str, ...] = datafiles.build(tuple[str, ...], DATA["given_male"])
GIVEN_FEMALE: tuple[str, ...] = datafiles.build(tuple[str, ...], DATA["given_female"])
# "{area}" is "tổ dân phố số 7" or "thôn Đoài", "{ward}" the ward in a sentence
COLLECTIVES = (
    "Ban công tác Mặt trận {area}, {ward}",
    "Chi hội Phụ nữ {area}, {ward}",
    "Chi đoàn Thanh niên {area}, {ward}",
    "Chi hội Cựu chiến binh {area}, {ward}",
    "Câu lạc bộ Người cao tuổi {area}, {ward}",
    "Tổ tự quản {area}, {ward}",
    "Ủy ban MTTQ Việt Nam {ward}",
)
VILLAGES = ("Đông", "Đoài", "Thượng", "Hạ", "Trung", "Nam", "Bắc", "Tiền", "Hậu", "Cầu")
REVIEW_COMMENTS = {
    Review.Recommendation.RECOGNISE: (
        "Giải pháp có tính mới trong phạm vi đơn vị, đã áp dụng có kết quả rõ ràng; đề nghị "
        "công nhận.",
        "Hồ sơ đầy đủ, số liệu thuyết phục, có khả năng nhân rộng; đề nghị công nhận.",
        "Cách làm sáng tạo, chi phí thấp, được Nhân dân đồng tình; đề nghị công nhận.",
    ),
    Review.Recommendation.UNSURE: (
        "Giải pháp có ý nghĩa nhưng số liệu hiệu quả chưa đủ thuyết phục; cần bổ sung minh chứng.",
        "Thời gian áp dụng thử còn ngắn, khó đánh giá tính bền vững; đề nghị Hội đồng thảo luận.",
    ),
    Review.Recommendation.REJECT: (
        "Nội dung chủ yếu là cách làm đã phổ biến, chưa thể hiện tính mới.",
        "Hiệu quả chưa được chứng minh bằng số liệu cụ thể; phạm vi ảnh hưởng hẹp.",
    ),
}


class DemoDataMissing(Exception):
    """The unit tree the demo needs is not there (run `seed_demo` or `import_vietnam`)."""
