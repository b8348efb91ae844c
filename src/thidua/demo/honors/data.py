"""What the demo commendation data is made of: places, council seats, nominees, dates, wording."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thidua.demo import datafiles
from thidua.shared.models import CouncilMember

# the literal tables: src/thidua/demo/data/honors.json
DATA = datafiles.load("honors.json")

HANOI_CODE = "01"
LEGACY_DISTRICTS = ("004", "003")  # Quận Long Biên, Quận Tây Hồ (the 2024 tree)
BO_DE = "Phường Bồ Đề"
PASSWORD = "thidua-demo-2026"  # the demo password of `seed_demo`

COUNCIL_NAME = "Hội đồng Thi đua – Khen thưởng Ủy ban MTTQ Việt Nam thành phố Hà Nội"
WARD_ROUND = "Công nhận Khu dân cư văn hóa năm 2026 – phường Bồ Đề"
ROUND_2024 = "Khen thưởng tổng kết công tác Mặt trận và phong trào thi đua năm 2024"
ADHOC_TITLE = "Khen thưởng đột xuất “Người tốt, việc tốt”"
THEMATIC_MOVEMENT = "Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư"
THEMATIC_TITLE = "Khen thưởng chuyên đề phong trào “{movement}”"

DECISION_2024 = "1568/QĐ-MTTQ-BTT"
SIGNED_2024 = dt.date(2024, 12, 27)
VOTED_2024 = dt.date(2024, 12, 18)
OPENS_2024, CLOSES_2024 = dt.date(2024, 10, 1), dt.date(2024, 12, 31)
REVOKED_2024 = dt.date(2025, 3, 14)
REVOCATION_REASON = (
    "Thu hồi theo Quyết định số 87/QĐ-MTTQ-BTT ngày 14/3/2025: sau khi khen thưởng, cơ quan chức "
    "năng xác định người được khen đang bị xem xét kỷ luật từ trước thời điểm đề nghị."
)
SIGNER = "TM. Ban Thường trực – Chủ tịch Trần Thị Lan"

BK, LDTT, CSTD = "bang-khen", "lao-dong-tien-tien", "chien-si-thi-dua-co-so"

# Council seats: username, full name, role; existing demo users first, then the council's own.
SEATS = (
    ("lanhdao", "Trần Thị Lan", CouncilMember.Role.CHAIR),
    ("tdkt.thuky", "Nguyễn Thị Thanh Tâm", CouncilMember.Role.SECRETARY),
    ("hoidong", "Vũ Đình Hùng", CouncilMember.Role.MEMBER),
    ("tdkt1", "Lường Văn Khánh", CouncilMember.Role.VICE_CHAIR),
    ("tdkt2", "Phan Thị Thu Thủy", CouncilMember.Role.MEMBER),
    ("tdkt3", "Trịnh Quốc Bảo", CouncilMember.Role.MEMBER),
    ("tdkt4", "Hà Thị Ngọc Ánh", CouncilMember.Role.MEMBER),
)
OWN_USERS = {"tdkt.thuky", "tdkt1", "tdkt2", "tdkt3", "tdkt4"}
ABSENT = "tdkt3"  # away on the day of the 2024 meeting: a written opinion


@dataclass(frozen=True)
class Nominee:
    name: str
    gender: str  # "female" / "male"
    birth_year: int
    award: str
    ward: int  # index into the sorted 2024 wards of the two districts
    achievements: str
    direct: bool = False
    ethnic: bool = False
    outcome: str = "conferred"  # conferred, returned (then conferred), rejected, not_approved
    reason: str = ""
    revoked: bool = False


NOMINEES_2024: tuple[Nominee, ...] = datafiles.build(tuple[Nominee, ...], DATA["nominees_2024"])


@dataclass(frozen=True)
class Live:
    """A nomination of the thematic round, in progress today."""

    name: str
    kind: str  # person / collective
    ward: str
    state: str  # draft, submitted, returned, at_council
    achievements: str
    gender: str = ""
    birth_year: int | None = None
    direct: bool = False
    ethnic: bool = False
    women_share: str | None = None
    reason: str = ""


LIVE: tuple[Live, ...] = datafiles.build(tuple[Live, ...], DATA["live"])


class DemoDataMissing(Exception):
    """The unit tree or the data the demo needs is not there (run `seed_demo`)."""
