"""Demo: the yearly cultural families of Phường Bồ Đề — 30 residential groups, about 9,000
households with generated names, 86 % titled by the ward chairman's decision; one group late
(its list still posted after 25 November), one household contested (a resident's comment changed
its result and the list was reissued).

Idempotent: a ward that already has its round is left alone. Fast: households, assessments and
honours are written with bulk inserts; only the two lists people are most likely to open (the
late group's and the contested one's) get their notice-board PDF rendered.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from thidua.accounts.models import User
from thidua.core.services import posting
from thidua.cultural_titles import services
from thidua.cultural_titles.models import AreaAssessment, HouseholdAssessment, TitleRound
from thidua.cultural_titles.services.postings import _entries, posting_title
from thidua.honors import selectors as honor_selectors
from thidua.honors import services as honors
from thidua.org.models import Household, Unit, UnitKind
from thidua.org.services import create_unit
from thidua.org.services.households import import_households
from thidua.shared.models import Council

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Thị Thu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng",
         "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân",
         "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Việt", "Yến"]  # fmt: skip
STREETS = ["Nguyễn Văn Cừ", "Ngọc Lâm", "Bồ Đề", "Long Biên 2", "Hồng Tiến", "Lâm Du"]
GROUPS = 30
LATE_GROUP = 27  # meets on 20/11: its posting runs past the 25/11 deadline
CONTESTED_GROUP = 5
SHARE = 0.86
PROPOSED = 24  # groups proposed as cultural groups


def _year(today: dt.date) -> int:
    """The last round whose deadline has passed."""
    return today.year if today >= dt.date(today.year, 11, 26) else today.year - 1


def seed(*, stdout: Any) -> None:
    admin = User.objects.filter(username="admin").first()
    ward = (
        Unit.objects.filter(name="Phường Bồ Đề", kind__code="ward", valid_to__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    if admin is None or ward is None:
        stdout.write("Cultural titles: Phường Bồ Đề or the admin login is missing, skipped.")
        return
    year = _year(timezone.localdate())
    if TitleRound.objects.filter(commune=ward, year=year).exists():
        stdout.write("Cultural titles: already seeded.")
        return
    kind = UnitKind.objects.get(code="residential_area")
    groups = list(
        Unit.objects.filter(parent=ward, kind=kind, valid_to__isnull=True).order_by("code")
    )
    for number in range(len(groups) + 1, GROUPS + 1):
        groups.append(
            create_unit(
                admin,
                code=f"{ward.code}-{number:02d}",
                name=f"Tổ dân phố {number}",
                kind=kind,
                parent=ward,
                valid_from=ward.valid_from,
            )
        )
    groups = groups[:GROUPS]
    rng = random.Random(86)
    rows = []
    for index, group in enumerate(groups, start=1):
        for number in range(1, 280 + rng.randrange(41)):
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            rows.append(
                {
                    "code": f"BD{index:02d}-{number:04d}",
                    "area_code": group.code,
                    "head_name": name,
                    "address": f"Số {rng.randrange(1, 200)} ngõ {rng.randrange(1, 90)} "
                    f"phố {rng.choice(STREETS)}",
                    "members": str(rng.randrange(1, 8)),
                }
            )
    import_households(
        admin, commune=ward, rows=rows, effective_on=dt.date(year, 1, 1), source="demo"
    )
    round_ = services.open_round(admin, commune=ward, year=year)
    criteria = [item["code"] for item in round_.criteria.mandatory]
    registers: dict[int, list[Household]] = {}
    for household in Household.objects.filter(unit__in=groups).order_by("code"):
        registers.setdefault(household.unit_id, []).append(household)
    areas = {a.area_id: a for a in round_.areas.select_related("area")}
    with transaction.atomic():
        results = []
        for group in groups:
            assessment = areas[group.pk]
            eligible_count = 0
            for household in registers[group.pk]:
                eligible = rng.random() < SHARE
                answers = {code: True for code in criteria}
                if not eligible:
                    answers[rng.choice(criteria)] = False
                eligible_count += eligible
                results.append(
                    HouseholdAssessment(
                        assessment=assessment,
                        household=household,
                        code=household.code,
                        head_name=household.head_name,
                        address=household.address,
                        answers=answers,
                        eligible=eligible,
                        reason="" if eligible else "Chưa đạt tiêu chí bắt buộc",
                    )
                )
            assessment.assessed = len(registers[group.pk])
            assessment.eligible = eligible_count
        HouseholdAssessment.objects.bulk_create(results, batch_size=2000)
        AreaAssessment.objects.bulk_update(areas.values(), ["assessed", "eligible"])
    for number, group in enumerate(groups, start=1):
        assessment = areas[group.pk]
        meeting = (
            dt.date(year, 11, 20) if number == LATE_GROUP else dt.date(year, 11, 3 + number % 8)
        )
        services.record_meeting(
            admin,
            assessment=assessment,
            meeting_on=meeting,
            chair=f"Tổ trưởng tổ dân phố {number}",
            co_chair=f"Trưởng ban công tác Mặt trận tổ {number}",
            attendees=40 + number,
        )
        posted_on = meeting + dt.timedelta(days=1)
        if number in (LATE_GROUP, CONTESTED_GROUP):
            services.post_list(admin, assessment=assessment, today=posted_on)
        else:  # the notice-board PDF of the others is rendered on demand in a real year
            _post_without_pdf(admin, assessment, posted_on, posting)
        assessment.refresh_from_db()
        if number == CONTESTED_GROUP:
            _contest(admin, assessment, posted_on, services)
            assessment.refresh_from_db()
        if number != LATE_GROUP:
            services.file_dossier(
                admin,
                assessment=assessment,
                today=assessment.posting_ends_on + dt.timedelta(days=1),
            )
    decided = services.decide_families(
        admin,
        round=round_,
        number=f"312/QĐ-UBND-{year}",
        signed_on=dt.date(year, 11, 24),
        signer="Phạm Minh Đức",
    )
    proposed = _propose_areas(admin, round_, ward, year)
    stdout.write(
        f"Cultural titles {year}: {len(rows)} households in {len(groups)} groups, "
        f"{decided.households} titled by decision {decided.decision.number}, "
        f"group {LATE_GROUP} late, one household contested in group {CONTESTED_GROUP}, "
        f"{proposed} of {len(groups)} groups proposed as cultural groups."
    )


def _propose_areas(admin, round_: TitleRound, ward: Unit, year: int) -> int:
    """24 of the 30 groups proposed for "Tổ dân phố văn hóa" (80 %, Hà Nội's target is 75 %):
    the commune proposes the groups whose dossier is filed and whose share of cultural families
    is highest; the late group (its dossier not filed) and the five with the lowest share are
    not proposed this year, as happens when a group misses a criterion of Appendix II."""
    award = next(a for a in honor_selectors.catalogue() if a.code == "khu-dan-cu-van-hoa")
    council = Council.objects.filter(owner_unit=ward).order_by("id").first()
    honors_round = honors.create_round(
        admin,
        title=f"Tổ dân phố văn hóa năm {year}",
        kind="regular",
        owner_unit=ward,
        opens_on=dt.date(year, 11, 1),
        closes_on=dt.date(year, 12, 31),
        award_types=[award],
        council=council,
    )
    filed = [
        a
        for a in round_.areas.select_related("area").order_by("area__code")
        if a.filed_on is not None
    ]
    chosen = sorted(filed, key=lambda a: (-(a.share or 0), a.area.code))[:PROPOSED]
    for assessment in sorted(chosen, key=lambda a: a.area.code):
        services.propose_area(
            admin,
            round=round_,
            area=assessment.area,
            honors_round_id=honors_round.pk,
            report=(
                f"Năm {year}, {assessment.area.name} có {assessment.eligible} trên "
                f"{assessment.assessed} hộ đạt danh hiệu Gia đình văn hóa; nhà văn hóa sinh "
                "hoạt thường xuyên, không có tệ nạn xã hội, vệ sinh môi trường được giữ gìn."
            ),
            evidence="I. Không phát sinh hộ nghèo mới. II. 12 buổi sinh hoạt văn hóa, thể thao. "
            "III. Không có khiếu kiện vượt cấp. IV. 100 % hộ phân loại rác tại nguồn.",
        )
    return len(chosen)


def _post_without_pdf(admin, assessment, posted_on: dt.date, posting) -> None:
    created = posting.publish(
        admin,
        key=assessment.posting_key,
        unit=assessment.area,
        title=posting_title(assessment),
        starts_on=posted_on,
        days=assessment.round.posting_days,
        columns=["STT", "Chủ hộ", "Địa chỉ"],
        entries=_entries(assessment),
        verb="cultural_titles.post_list",
    )
    assessment.status = assessment.Status.POSTED
    assessment.posting = created
    assessment.posted_on = created.starts_on
    assessment.posting_ends_on = created.ends_on
    assessment.save(update_fields=["status", "posting", "posted_on", "posting_ends_on"])


def _contest(admin, assessment, posted_on: dt.date, services) -> None:
    row = assessment.households.filter(eligible=True).order_by("code")[7]
    comment = services.comment(
        None,
        assessment=assessment,
        name="Trần Văn Dũng",
        contact="0912 345 678",
        about=row.code,
        text="Hộ này xây dựng lấn chiếm lối đi chung của ngõ, chưa khắc phục.",
        today=posted_on + dt.timedelta(days=2),
    )
    services.resolve(
        admin,
        assessment=assessment,
        comment=comment,
        resolution="Tổ đã xác minh tại chỗ: phản ánh đúng, hộ chưa đạt danh hiệu năm nay.",
        household_code=row.code,
        eligible=False,
        today=posted_on + dt.timedelta(days=3),
    )
