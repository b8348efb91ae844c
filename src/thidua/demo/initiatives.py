"""Demo initiatives: Hà Nội's 2024 call (512 submissions, 119 recognised) and an open call.

The source document says that since 2020 an evaluation council of the Hà Nội Front reviews and
proposes recognition of initiatives and new ideas: more than 500 applications, 119 selected,
awarded and published. `seed_initiatives()` writes that year as the product would have held it:

- the council: nine members (a chair, a vice chair, a secretary, six members), among them the demo
  user `hoidong`; the others are created here (`hoidong1` … `hoidong8`, password
  "thidua-demo-2026"); their home units are wards of the 2024 tree and of today's, which the
  conflict rule uses (nobody reviews an initiative of their own ward);
- the 2024 call of Thành phố Hà Nội (open 2024-03-01 – 2024-06-30, decided 2024-09-15) with the
  four Vietnamese recognition criteria and four award levels;
- 512 submissions across the six fields of the demo movements (same codes), titles and summaries
  composed from the catalogues below, from the 2024 wards and communes of Hà Nội, by persons and
  collectives;
- 20 screened out with their reasons, three declared conflicts, the rest assigned to two reviewers
  each by the balanced assigner, 984 submitted reviews (two amended with a reason), one meeting on
  2024-09-10 with eight of nine members present, which votes on the initiatives whose mean score
  reaches 65 points (every member, the absent one by written opinion), and decision
  245/QĐ-MTTQ-BTT signed by the chair on 2024-09-15: exactly 119 recognised by the rule (more than
  half of all nine members voting yes), with award levels A/B/C/Khuyến khích; the others are not
  recognised;
- a small call open today with ten submissions at every stage (awaiting email confirmation,
  waiting for screening, screened out, screened in, under review with a draft review of
  `hoidong`, withdrawn), so the staff pages have live work.

One way in, with one exception. `services.submit_initiative` accepts a submission only while the
call is open on today's date, so no service can write a 2024 submission in 2026: the 512
submissions and their "submitted" events are written directly with the ORM, and one audit event
("initiatives.seed_history") says so. Everything after the submission (screening, conflicts,
assignment, reviews, meeting, votes, decision) goes through the services with the council members
as actors. The services stamp rows with today's clock, so at the end the seed moves the
timestamps of those rows (submission events, assignments, reviews, votes, the meeting, the
decision) to their 2024 dates; the audit chain is not touched and records when the seed ran.

Figures come from random generators seeded with constant strings: two databases hold the same
2024 data. Idempotent: a council, call or user that exists (same owner and name, same username)
is left as it is, with everything that hangs from it.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from thidua.accounts import services as account_services
from thidua.accounts.models import RoleGrant
from thidua.core import audit
from thidua.core.actors import SystemActor
from thidua.core.policy import can
from thidua.core.roles import Role
from thidua.demo import datafiles
from thidua.initiatives import duplicates, selectors, services
from thidua.initiatives.models import (
    Assignment,
    Call,
    Conflict,
    Decision,
    Meeting,
    Review,
    Submission,
    SubmissionEvent,
    Vote,
)
from thidua.org.models import Unit
from thidua.org.selectors import normalise_search
from thidua.shared.models import Council, CouncilMember, Field

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


# --- entry point ------------------------------------------------------------------------------


def seed_initiatives(*, stdout: TextIO | None = None) -> dict[str, Any]:
    """Create the demo council and its two calls (skipping what exists); return what was done."""
    started = time.perf_counter()
    hanoi = Unit.objects.filter(
        code=HANOI_CODE, kind__code="province", valid_to__isnull=True
    ).first()
    if hanoi is None:
        raise DemoDataMissing("Thành phố Hà Nội is missing: run `manage.py seed_demo` first.")
    legacy = list(
        Unit.objects.filter(path__startswith=hanoi.path, kind__code="ward")
        .exclude(valid_to__isnull=True)
        .valid_on(LEGACY_DAY)
        .order_by("code")
    )
    current = list(
        Unit.objects.filter(parent=hanoi, kind__code="ward", valid_to__isnull=True).order_by("code")
    )
    if not legacy or not current:
        raise DemoDataMissing("The Hà Nội wards are missing: run `manage.py seed_demo` first.")
    organiser = _organiser()
    fields = _fields()
    summary: dict[str, Any] = {"created": [], "skipped": [], "calls": {}}

    with transaction.atomic():
        council, created = _council(hanoi, organiser, fields, legacy, current)
    (summary["created"] if created else summary["skipped"]).append(council.name)
    seats = {
        m.user.get_username(): m
        for m in council.members.select_related("user", "unit").order_by("pk")
    }

    for title, seed in ((CALL_2024, _seed_2024), (CALL_OPEN, _seed_open_call)):
        call = Call.objects.filter(owner_unit=hanoi, title=title).first()
        if call is not None:
            summary["skipped"].append(title)
        else:
            with transaction.atomic():
                call = seed(hanoi, organiser, council, seats, fields, legacy, current)
            summary["created"].append(title)
        summary["calls"][title] = counts = call_counts(call)
        if stdout is not None:
            verb = "created" if title in summary["created"] else "exists"
            figures = ", ".join(f"{k} {v}" for k, v in counts.items())
            stdout.write(f"{title} ({verb}): {figures}\n")
    # screen every submission for near-duplicates (in the background worker; at once in tests)
    summary["duplicates_queued"] = duplicates.schedule_backfill()
    summary["seconds"] = round(time.perf_counter() - started, 2)
    if stdout is not None:
        stdout.write(
            f"Council: {council.name} ({council.members.count()} members). Calls created: "
            f"{sum(t in summary['created'] for t in (CALL_2024, CALL_OPEN))}, already there: "
            f"{sum(t in summary['skipped'] for t in (CALL_2024, CALL_OPEN))} "
            f"({summary['seconds']} s)\n"
        )
    return summary


def call_counts(call: Call) -> dict[str, int]:
    statuses = dict(
        Submission.objects.filter(call=call)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reviews = Review.objects.filter(assignment__submission__call=call)
    return {
        "submissions": sum(statuses.values()),
        **{status: statuses[status] for status in S.values if statuses.get(status)},
        "reviews submitted": reviews.filter(status=Review.Status.SUBMITTED).count(),
        "reviews draft": reviews.filter(status=Review.Status.DRAFT).count(),
        "votes": Vote.objects.filter(meeting__call=call).count(),
    }


# --- people, fields, council ------------------------------------------------------------------


def _organiser() -> Any:
    """The demo superuser `admin` where it exists, a system actor otherwise."""
    admin = get_user_model().objects.filter(username="admin", is_active=True).first()
    if admin is None or not admin.is_superuser:
        return SystemActor("seed_initiatives")
    return admin


def _fields() -> dict[str, Field]:
    """The fields of work (reference data, not edited if they exist)."""
    out = {}
    for code, vi, en, id_ in FIELDS:
        out[code], _created = Field.objects.get_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "name_id": id_}
        )
    return out


def _home(seat: Seat, legacy: list[Unit], current: list[Unit]) -> Unit | None:
    units = legacy if seat.legacy else current
    return next((u for u in units if u.name == seat.home), None)


def _council(
    hanoi: Unit,
    organiser: Any,
    fields: dict[str, Field],
    legacy: list[Unit],
    current: list[Unit],
) -> tuple[Council, bool]:
    council = Council.objects.filter(owner_unit=hanoi, name=COUNCIL_NAME).first()
    if council is not None:
        return council, False
    users = get_user_model().objects
    members = []
    for seat in SEATS:
        user = users.filter(username=seat.username).first()
        if user is None:
            user = users.create_user(
                username=seat.username,
                password=PASSWORD,
                email=f"{seat.username}@{EMAIL_DOMAIN}",
                full_name=seat.full_name,
            )
        # The demo administrator grants the council role over the city, as `seed_demo` does
        # for `hoidong` (a system actor cannot be recorded as the grantor).
        if (
            isinstance(organiser, get_user_model())
            and not RoleGrant.objects.filter(
                user=user, role=Role.COUNCIL_MEMBER, unit=hanoi
            ).exists()
        ):
            account_services.grant_role(
                organiser,
                user=user,
                role=Role.COUNCIL_MEMBER,
                unit=hanoi,
                valid_from=GRANTS_FROM,
            )
        members.append(
            {
                "user": user,
                "role": seat.role,
                "unit": _home(seat, legacy, current),
                "expertise": [fields[code] for code in seat.expertise],
            }
        )
    council = services.create_council(
        organiser, owner_unit=hanoi, name=COUNCIL_NAME, members=members
    )
    Council.objects.filter(pk=council.pk).update(created_at=_at(dt.date(2024, 2, 20), 9))
    return council, True


# --- writing submissions ----------------------------------------------------------------------


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _lower(name: str) -> str:
    """A name inside a sentence: "Phường Bồ Đề" -> "phường Bồ Đề"."""
    return name[:1].lower() + name[1:]


def _person(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"


# A place in a title that only a commune (xã) has, or only a ward (phường) has.
RURAL = ("thôn", "ngoại thành", "làng", "các xã", "nông nghiệp")
URBAN = ("tổ dân phố", "tập thể", "chung cư", "đô thị mới", "ngõ", "nhà trọ")


def _fits(field_code: str, combo: tuple[int, int], unit: Unit) -> bool:
    place = IDEAS[field_code][0][combo[1]]
    rural = any(word in place for word in RURAL)
    urban = any(word in place for word in URBAN)
    if rural == urban:
        return True
    return unit.name.startswith("Xã") == rural


def _numbers(rng: random.Random) -> dict[str, int]:
    return {
        "h": rng.randrange(40, 420, 5),
        "p": rng.randrange(15, 65),
        "n": rng.randint(3, 28),
        "kg": rng.randrange(120, 2400, 10),
        "v": rng.randrange(8, 260),
        "s": rng.randrange(4, 60),
        "m": rng.randrange(60, 900, 10),
    }


def _compose(
    rng: random.Random, field_code: str, combo: tuple[int, int], unit: Unit
) -> dict[str, Any]:
    """Title, texts and applicant of one submission, in Vietnamese."""
    places, ideas = IDEAS[field_code]
    idea, place = ideas[combo[0]], places[combo[1]]
    numbers = _numbers(rng)
    result = idea.result.format(**numbers)
    months = rng.randint(3, 14)
    ward = _lower(unit.name)
    area = (
        f"thôn {rng.choice(VILLAGES)}"
        if unit.name.startswith("Xã")
        else f"tổ dân phố số {rng.randint(1, 24)}"
    )
    summary = (
        f"{idea.problem}. Giải pháp: {idea.solution}. Sau {months} tháng áp dụng thử tại {area}, "
        f"{ward}, {result}."
    )
    description = "\n\n".join(
        [
            f"Thực trạng: {idea.problem} tại {area}, {ward}.",
            f"Nội dung giải pháp: {idea.solution[:1].upper()}{idea.solution[1:]}.",
            f"Tổ chức thực hiện: {rng.choice(ORGANISATION)}",
            f"Kết quả sau {months} tháng: {result}.",
            f"Khả năng nhân rộng: {rng.choice(SPREAD)}",
        ]
    )
    if rng.random() < 0.6:
        kind = Submission.ApplicantKind.PERSON
        name = _person(rng)
        co_authors = "\n".join(_person(rng) for _ in range(rng.choice([0, 0, 1, 2, 3])))
    else:
        kind = Submission.ApplicantKind.COLLECTIVE
        template = rng.choice(COLLECTIVES)
        name = template.format(area=area, ward=ward)
        co_authors = ""
    return {
        "title": f"{idea.title} {place}",
        "summary": summary,
        "description": description,
        "expected_benefit": rng.choice(BENEFITS).format(**numbers),
        "applicant_kind": kind,
        "applicant_name": name,
        "applicant_phone": f"09{rng.randrange(10**8):08d}",
        "co_authors": co_authors,
        "publish_names": rng.random() < 0.94,
    }


def _plan(rng: random.Random, count: int) -> list[tuple[str, tuple[int, int]]]:
    """`count` distinct (field, idea × place) combinations, spread evenly over the fields."""
    codes = list(IDEAS)
    pools = {}
    for code in codes:
        places, ideas = IDEAS[code]
        pool = [(i, p) for i in range(len(ideas)) for p in range(len(places))]
        rng.shuffle(pool)
        pools[code] = pool
    plan = [
        (codes[k % len(codes)], pools[codes[k % len(codes)]][k // len(codes)]) for k in range(count)
    ]
    rng.shuffle(plan)
    return plan


# --- the 2024 call ----------------------------------------------------------------------------


def _seed_2024(
    hanoi: Unit,
    organiser: Any,
    council: Council,
    seats: dict[str, CouncilMember],
    fields: dict[str, Field],
    legacy: list[Unit],
    current: list[Unit],
) -> Call:
    rng = random.Random(f"{SEED}:2024")
    chair, secretary = _role(seats, R.CHAIR), _role(seats, R.SECRETARY)
    call = services.create_call(
        organiser,
        owner_unit=hanoi,
        title=CALL_2024,
        description=CALL_2024_TEXT,
        opens_on=OPENS_2024,
        closes_on=CLOSES_2024,
        council=council,
        fields=list(fields.values()),
        award_levels=[(name, prize) for name, prize, _n in AWARDS],
        influence=Call.Influence.PROVINCIAL,
        reviews_per_submission=2,
        blind=True,
        recognition_share=Decimal("0.5"),
        strictly_more=True,
        review_deadline=REVIEWS_DUE,
    )
    services.set_call_status(organiser, call=call, status=Call.Status.OPEN)
    submissions = _write_history(call, organiser, hanoi, fields, legacy, rng)
    services.set_call_status(organiser, call=call, status=Call.Status.CLOSED)

    # Screening by the council's secretary.
    out = set(rng.sample(range(len(submissions)), SCREENED_OUT_2024))
    for index, submission in enumerate(submissions):
        services.screen(
            secretary.user,
            submission=submission,
            accept=index not in out,
            reason=SCREENING_REASONS[index % len(SCREENING_REASONS)] if index in out else "",
        )
    screened_in = [s for i, s in enumerate(submissions) if i not in out]

    # Declared conflicts, then the balanced assigner (which respects them and the home units).
    for (username, reason), submission in zip(
        CONFLICTS, rng.sample(screened_in, len(CONFLICTS)), strict=True
    ):
        services.declare_conflict(seats[username].user, submission=submission, reason=reason)
    services.auto_assign(secretary.user, call=call)

    _review(call, rng)
    meeting, ranked = _deliberate(call, seats, secretary, rng)
    recognised = _vote(meeting, ranked, seats, secretary, rng)
    levels = list(call.award_levels.order_by("order"))
    awards, start = {}, 0
    for level, (_name, _prize, n) in zip(levels, AWARDS, strict=True):
        for row in recognised[start : start + n]:
            awards[row.submission.pk] = level
        start += n
    services.finalise_decision(
        chair.user,
        call=call,
        number=DECISION_NUMBER,
        decided_on=DECIDED_ON,
        meeting=meeting,
        awards=awards,
    )
    _backdate_2024(call, meeting, rng)
    return call


def _role(seats: dict[str, CouncilMember], role: str) -> CouncilMember:
    return next(m for m in seats.values() if m.role == role)


def _write_history(
    call: Call,
    organiser: Any,
    hanoi: Unit,
    fields: dict[str, Field],
    legacy: list[Unit],
    rng: random.Random,
) -> list[Submission]:
    """The 512 submissions of 2024, written directly: `services.submit_initiative` accepts a
    submission only while the call is open today, so no service can write history. Entered by
    the wards' Fronts from paper dossiers (no email, so nobody is notified of the later steps)."""
    # wards weigh twice as much as communes: more initiatives come from the urban districts
    weights = [2 if u.name.startswith("Phường") else 1 for u in legacy]
    span = (CLOSES_2024 - OPENS_2024).days
    rows = []
    for field_code, combo in _plan(rng, SUBMISSIONS_2024):
        unit = rng.choices(legacy, weights=weights)[0]
        while not _fits(field_code, combo, unit):
            unit = rng.choices(legacy, weights=weights)[0]
        text = _compose(rng, field_code, combo, unit)
        # more dossiers come in as the deadline nears
        day = OPENS_2024 + dt.timedelta(days=round(rng.triangular(0, span, span * 0.85)))
        rows.append((_at(day, rng.randint(8, 16), rng.randint(0, 59)), unit, field_code, text))
    rows.sort(key=lambda row: row[0])
    submissions = [
        Submission(
            call=call,
            number=number,
            field=fields[field_code],
            unit=unit,
            status=S.SUBMITTED,
            submitted_at=at,
            search_text=normalise_search(f"{text['title']} {text['summary']}"),
            **text,
        )
        for number, (at, unit, field_code, text) in enumerate(rows, start=1)
    ]
    Submission.objects.bulk_create(submissions, batch_size=500)
    submissions = list(Submission.objects.filter(call=call).select_related("unit", "call"))
    for submission in submissions:
        submission.created_at = submission.submitted_at
    Submission.objects.bulk_update(submissions, ["created_at"], batch_size=500)
    SubmissionEvent.objects.bulk_create(
        [
            SubmissionEvent(
                submission=s,
                status=S.SUBMITTED,
                note=f"Hồ sơ nộp qua Ủy ban MTTQ {_lower(s.unit.name)}",
            )
            for s in submissions
        ],
        batch_size=500,
    )
    events = list(
        SubmissionEvent.objects.filter(submission__call=call).select_related("submission")
    )
    for event in events:
        event.at = event.submission.submitted_at
    SubmissionEvent.objects.bulk_update(events, ["at"], batch_size=500)
    audit.record(
        organiser,
        "initiatives.seed_history",
        call,
        {
            "submissions": len(submissions),
            "from": OPENS_2024,
            "to": CLOSES_2024,
            "note": "Demo history written directly: submit_initiative only accepts a call open "
            "today. Screening, reviews, votes and the decision went through the services.",
        },
        unit=hanoi,
    )
    return submissions


def _review(call: Call, rng: random.Random) -> None:
    """Every reviewer scores every assignment and submits; two amend a review with a reason."""
    criteria = list(call.criteria.all())
    assignments = list(
        Assignment.objects.filter(submission__call=call)
        .select_related("reviewer__user", "submission__call", "submission__unit")
        .order_by("submission__number", "reviewer_id")
    )
    leniency = {m: rng.uniform(-6, 6) for m in {a.reviewer_id for a in assignments}}
    quality: dict[int, float] = {}
    twist: dict[int, float] = {}
    for assignment in assignments:
        sid = assignment.submission_id
        if sid not in quality:
            quality[sid] = min(95.0, max(22.0, rng.gauss(60, 13)))
            # about one in twenty-five: the two reviewers see it very differently
            twist[sid] = rng.choice([-30, 30]) if rng.random() < 0.04 else 0.0
            twisted = True
        else:
            twisted = False
        base = quality[sid] + leniency[assignment.reviewer_id] + (twist[sid] if twisted else 0)
        scores = {}
        for criterion in criteria:
            raw = (base + rng.gauss(0, 7)) / 100 * criterion.max_score
            scores[criterion.pk] = Decimal(
                str(min(criterion.max_score, max(0, round(raw * 2) / 2)))
            )
        mean = services.weighted_score(scores, criteria) or Decimal(0)
        if mean >= 68:
            recommendation = Review.Recommendation.RECOGNISE
        elif mean >= 55:
            recommendation = rng.choice(
                [Review.Recommendation.UNSURE, Review.Recommendation.RECOGNISE]
            )
        else:
            recommendation = Review.Recommendation.REJECT
        services.save_review(
            assignment.reviewer.user,
            assignment=assignment,
            scores=scores,
            recommendation=recommendation,
            comment=rng.choice(REVIEW_COMMENTS[recommendation]),
            submit=True,
        )
    for assignment, reason in zip(
        rng.sample(assignments, len(AMENDMENTS)), AMENDMENTS, strict=True
    ):
        review = assignment.review
        scores = {
            s.criterion_id: s.score + 1 if s.score <= 9 else s.score for s in review.scores.all()
        }
        services.save_review(
            assignment.reviewer.user,
            assignment=assignment,
            scores=scores,
            recommendation=review.recommendation,
            comment=review.comment,
            amend_reason=reason,
        )


def _deliberate(
    call: Call, seats: dict[str, CouncilMember], secretary: CouncilMember, rng: random.Random
) -> tuple[Meeting, list[selectors.RankedRow]]:
    """The meeting, and the shortlist it votes on (best first)."""
    ranked = selectors.ranked_table(call)
    floor = min(FLOOR, Decimal(int(ranked[SHORTLIST_MIN - 1].mean or FLOOR)))
    shortlist = [row for row in ranked if row.mean is not None and row.mean >= floor]
    present = [m for name, m in seats.items() if name != ABSENT]
    meeting = services.record_meeting(
        secretary.user,
        call=call,
        held_on=MEETING_ON,
        present=present,
        notes=MEETING_NOTES.format(n=len(shortlist), floor=f"{floor:.0f}"),
    )
    return meeting, shortlist


def _vote(
    meeting: Meeting,
    ranked: list[selectors.RankedRow],
    seats: dict[str, CouncilMember],
    secretary: CouncilMember,
    rng: random.Random,
) -> list[selectors.RankedRow]:
    """Every member votes on every initiative of the shortlist (the absent one in writing). The
    council follows the scores, except that two pairs near the line change places: exactly
    RECOGNISED_2024 reach the share of all members. Returns the recognised, best first."""
    chosen = list(range(RECOGNISED_2024))
    for inside, outside in (
        (RECOGNISED_2024 - 2, RECOGNISED_2024 + 1),
        (RECOGNISED_2024 - 5, RECOGNISED_2024 + 4),
    ):
        chosen[chosen.index(inside)] = outside
    chosen_set = set(chosen)
    members = list(seats.values())
    needed = services.required_yes(meeting.call, len(members))
    yes_votes: dict[int, int] = {}
    for rank, row in enumerate(ranked):
        if rank in chosen_set:
            if rank < 30:
                yes = rng.choice([len(members), len(members), len(members) - 1])
            elif rank < 90:
                yes = rng.randint(needed + 1, len(members))
            else:
                yes = rng.randint(needed, needed + 2)
        elif rank < RECOGNISED_2024 + 50:
            yes = rng.randint(needed - 3, needed - 1)
        else:
            yes = rng.choice([0, 0, 1, 1, 2])
        saying_yes = set(rng.sample(range(len(members)), yes))
        for index, member in enumerate(members):
            choice = "yes" if index in saying_yes else rng.choice(["no"] * 6 + ["abstain"])
            if member.user.get_username() == ABSENT:
                services.cast_vote(
                    secretary.user,
                    meeting=meeting,
                    submission=row.submission,
                    choice=choice,
                    member=member,
                    written=True,
                )
            else:
                services.cast_vote(
                    member.user, meeting=meeting, submission=row.submission, choice=choice
                )
        yes_votes[row.submission.pk] = yes
    recognised = [ranked[rank] for rank in sorted(chosen_set)]
    recognised.sort(key=lambda r: (-yes_votes[r.submission.pk], -(r.mean or 0)))
    return recognised


def _backdate_2024(call: Call, meeting: Meeting, rng: random.Random) -> None:
    """The services stamp today's clock; move the 2024 rows to their dates (not the audit
    chain, which records when the seed ran)."""
    events = SubmissionEvent.objects.filter(submission__call=call)
    events.filter(status__in=[S.SCREENED_IN, S.SCREENED_OUT]).update(at=_at(SCREENED_ON, 10))
    events.filter(status=S.UNDER_REVIEW).update(at=_at(ASSIGNED_ON, 14))
    events.filter(status__in=[S.RECOGNISED, S.NOT_RECOGNISED]).update(at=_at(DECIDED_ON, 15))
    Conflict.objects.filter(submission__call=call).update(declared_at=_at(ASSIGNED_ON, 8))
    Assignment.objects.filter(submission__call=call).update(created_at=_at(ASSIGNED_ON, 14))
    span = (REVIEWS_DUE - REVIEWS_FROM).days
    reviews = list(Review.objects.filter(assignment__submission__call=call).order_by("pk"))
    for review in reviews:
        day = REVIEWS_FROM + dt.timedelta(days=rng.randint(0, span))
        review.submitted_at = review.updated_at = _at(day, rng.randint(8, 21), rng.randint(0, 59))
    Review.objects.bulk_update(reviews, ["submitted_at", "updated_at"], batch_size=500)
    Vote.objects.filter(meeting=meeting, written=True).update(cast_at=_at(MEETING_ON, 8))
    Vote.objects.filter(meeting=meeting, written=False).update(cast_at=_at(MEETING_ON, 10, 30))
    Meeting.objects.filter(pk=meeting.pk).update(created_at=_at(MEETING_ON, 16))
    Decision.objects.filter(call=call).update(created_at=_at(DECIDED_ON, 15))
    Call.objects.filter(pk=call.pk).update(created_at=_at(OPENS_2024 - dt.timedelta(days=5), 9))


# --- the open call ----------------------------------------------------------------------------


def _resubmission(call: Call, field: Field, data: dict[str, Any]) -> bool:
    """Make `data` a lightly edited copy of a 2024 submission in the same field, as when a citizen
    sends last year's initiative again: the secretariat's duplicate screening should catch it."""
    earlier = (
        Submission.objects.filter(call__title=CALL_2024, field=field)
        .exclude(call=call)
        .order_by("number")
        .first()
    )
    if earlier is None:
        return False
    data.update(
        title=earlier.title,
        summary=f"{earlier.summary} Đã bổ sung kết quả áp dụng năm 2025.",
        description=earlier.description.replace("năm 2024", "các năm 2024 – 2025"),
    )
    return True


def _seed_open_call(
    hanoi: Unit,
    organiser: Any,
    council: Council,
    seats: dict[str, CouncilMember],
    fields: dict[str, Field],
    legacy: list[Unit],
    current: list[Unit],
) -> Call:
    """Ten submissions of a call open today, at every stage of the work."""
    rng = random.Random(f"{SEED}:open")
    today = timezone.localdate()
    secretary = _role(seats, R.SECRETARY)
    call = services.create_call(
        organiser,
        owner_unit=hanoi,
        title=CALL_OPEN,
        description=CALL_OPEN_TEXT,
        opens_on=today - OPEN_SINCE,
        closes_on=today + OPEN_FOR,
        council=council,
        fields=list(fields.values()),
        award_levels=[(name, prize) for name, prize, _n in AWARDS],
        influence=Call.Influence.PROVINCIAL,
        review_deadline=today + OPEN_FOR + dt.timedelta(days=30),
    )
    services.set_call_status(organiser, call=call, status=Call.Status.OPEN)
    me = seats["hoidong"]
    # hoidong reviews #7 and #8: not from the ward of his seat
    homes = {m.unit_id for m in seats.values() if m.unit_id}
    units = [u for u in current if u.pk not in homes]
    # The demo officer of Phường Bồ Đề (`seed_demo`), where there is one, enters one submission
    # on behalf of a citizen of the ward; the others come through the public form.
    officer = get_user_model().objects.filter(username="canbo", is_active=True).first()
    bo_de = next((u for u in current if u.name == BO_DE), None)
    if officer is None or bo_de is None or not can(officer, "unit.enter_data", bo_de):
        officer = None
    plan = _plan(rng, len(OPEN_PLAN))
    submissions = []
    resubmitted = False
    for (field_code, combo), fate in zip(plan, OPEN_PLAN, strict=True):
        unit = rng.choice([u for u in units if _fits(field_code, combo, u)])
        on_behalf = officer is not None and fate == "submitted" and _fits(field_code, combo, bo_de)
        if on_behalf:
            unit, officer = bo_de, None  # once
        data = _compose(rng, field_code, combo, unit)
        data.update(field=fields[field_code], unit=unit)
        if fate == "submitted" and not on_behalf and not resubmitted:
            resubmitted = _resubmission(call, fields[field_code], data)
        if on_behalf:
            actor = get_user_model().objects.get(username="canbo")
        else:
            actor = AnonymousUser()
            data["applicant_email"] = f"sangkien{len(submissions) + 1}@{EMAIL_DOMAIN}"
        submission = services.submit_initiative(actor, call=call, data=data)
        if submission.status == S.DRAFT and fate != "draft":
            submission = services.confirm_email(token=submission.token)
        submissions.append((submission, fate))

    others = [m for m in seats.values() if m.pk != me.pk and m.role == R.MEMBER]
    for submission, fate in submissions:
        if fate in ("submitted", "draft"):
            continue
        if fate == "withdrawn":
            services.withdraw(token=submission.token)
            continue
        services.screen(
            secretary.user,
            submission=submission,
            accept=fate != "screened_out",
            reason=SCREENING_REASONS[2] if fate == "screened_out" else "",
        )
        if fate == "screened_in" or fate == "screened_out":
            continue
        submission.refresh_from_db()
        pair = [me, others[0]] if fate in ("review_draft", "review_todo") else others[1:3]
        for member in pair:
            services.assign(secretary.user, submission=submission, member=member)
        submission.refresh_from_db()
        criteria = list(call.criteria.all())
        for member in pair:
            assignment = Assignment.objects.select_related("submission__call").get(
                submission=submission, reviewer=member
            )
            if member.pk == me.pk and fate == "review_todo":
                continue
            if member.pk == me.pk:  # hoidong has started: two criteria scored, not submitted
                services.save_review(
                    me.user,
                    assignment=assignment,
                    scores={c.pk: Decimal(rng.randint(6, 9)) for c in criteria[:2]},
                    comment="Cần xem biên bản áp dụng thử trước khi chấm hai tiêu chí còn lại.",
                )
                continue
            scores = {c.pk: Decimal(rng.randint(5, 9)) for c in criteria}
            services.save_review(
                member.user,
                assignment=assignment,
                scores=scores,
                recommendation=Review.Recommendation.RECOGNISE,
                comment=REVIEW_COMMENTS[Review.Recommendation.RECOGNISE][0],
                submit=True,
            )
    # spread the submissions over the weeks the call has been open
    for number, (submission, _fate) in enumerate(submissions, start=1):
        day = today - OPEN_SINCE + dt.timedelta(days=round(number * OPEN_SINCE.days * 0.8 / 10))
        at = _at(day, 9 + number % 8)
        Submission.objects.filter(pk=submission.pk).update(
            created_at=at, submitted_at=None if submission.status == S.DRAFT else at
        )
        SubmissionEvent.objects.filter(
            submission=submission, status__in=[S.DRAFT, S.SUBMITTED]
        ).update(at=at)
    return call


def seed(*, stdout: TextIO | None = None) -> dict:
    """The `seed_demo` step (and `manage.py seed_initiatives`); a CommandError without the tree."""
    try:
        return seed_initiatives(stdout=stdout)
    except DemoDataMissing as error:
        raise CommandError(str(error)) from error
