"""Opening a commune's yearly round: its criteria, its timeline and one row per residential area.

Rules enforced here: one round per commune and year; the deadline defaults to 25 November of the
year (Decree 86/2023 Art. 6) and the rest of the timeline follows from it; every residential
area in force on the deadline gets its assessment row (opening again adds areas that are
missing, and changes nothing else).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.core import audit
from thidua.core.policy import require
from thidua.cultural_titles.models import AreaAssessment, CriteriaSet, TitleKind, TitleRound
from thidua.org.models import Unit

# Appendix I of Decree 86/2023 (families): the three groups are mandatory; the province's detail
# items are dated data, editable in the criteria set.
FAMILY_ITEMS = [
    {
        "code": "I",
        "mandatory": True,
        "label": "Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước",
    },
    {
        "code": "II",
        "mandatory": True,
        "label": "Tích cực tham gia các phong trào thi đua lao động sản xuất, học tập, "
        "bảo vệ an ninh",
    },
    {
        "code": "III",
        "mandatory": True,
        "label": "Gia đình no ấm, tiến bộ, hạnh phúc, văn minh; tương trợ cộng đồng",
    },
    {
        "code": "I.1",
        "mandatory": False,
        "label": "Thành viên chấp hành pháp luật; cưới, tang, lễ hội văn minh",
    },
    {
        "code": "I.2",
        "mandatory": False,
        "label": "Giữ gìn an ninh trật tự, phòng cháy; vệ sinh môi trường",
    },
    {
        "code": "II.1",
        "mandatory": False,
        "label": "Người trong độ tuổi lao động có việc làm; trẻ em đi học đúng độ tuổi",
    },
    {
        "code": "III.1",
        "mandatory": False,
        "label": "Thực hiện bộ quy tắc ứng xử trong gia đình; bình đẳng giới",
    },
]
AREA_ITEMS = [
    {"code": "I", "mandatory": True, "label": "Đời sống kinh tế ổn định và từng bước phát triển"},
    {"code": "II", "mandatory": True, "label": "Đời sống văn hóa, tinh thần lành mạnh, phong phú"},
    {"code": "III", "mandatory": True, "label": "Môi trường cảnh quan sạch đẹp"},
    {
        "code": "IV",
        "mandatory": True,
        "label": "Chấp hành chủ trương, chính sách, pháp luật; tinh thần đoàn kết",
    },
]
LEGAL_BASIS = "Nghị định 86/2023/NĐ-CP"


def criteria_in_force(kind: str, on: dt.date) -> CriteriaSet:
    """The criteria set of a kind in force on a date (the Decree's headings when none is)."""
    found = (
        CriteriaSet.objects.filter(kind=kind, valid_from__lte=on).order_by("-valid_from").first()
    )
    if found is not None:
        return found
    items = FAMILY_ITEMS if kind == TitleKind.FAMILY else AREA_ITEMS
    title = (
        "Tiêu chuẩn danh hiệu Gia đình văn hóa (Phụ lục I)"
        if kind == TitleKind.FAMILY
        else "Tiêu chuẩn danh hiệu Thôn, tổ dân phố văn hóa (Phụ lục II)"
    )
    return CriteriaSet.objects.create(
        kind=kind,
        title=title,
        legal_basis=LEGAL_BASIS,
        valid_from=dt.date(2024, 1, 30),
        items=items,
    )


def open_round(
    actor: Any,
    *,
    commune: Unit,
    year: int,
    deadline: dt.date | None = None,
    posting_days: int = 10,
    decision_days: int = 10,
) -> TitleRound:
    """Open (or complete) the commune's round of a year with one row per residential area."""
    require(actor, "cultural_titles.manage", commune)
    deadline = deadline or dt.date(year, 11, 25)
    if deadline.year != year:
        raise ValidationError({"deadline": _("The deadline must fall in the round's year.")})
    with transaction.atomic():
        round_, created = TitleRound.objects.get_or_create(
            commune=commune,
            year=year,
            defaults={
                "criteria": criteria_in_force(TitleKind.FAMILY, deadline),
                "deadline": deadline,
                "meetings_from": dt.date(year, 11, 1),
                "posting_days": posting_days,
                "decision_days": decision_days,
                "created_by": actor if getattr(actor, "pk", None) else None,
            },
        )
        areas = Unit.objects.filter(parent=commune).valid_on(round_.deadline)
        have = set(round_.areas.values_list("area_id", flat=True))
        AreaAssessment.objects.bulk_create(
            [AreaAssessment(round=round_, area=a) for a in areas if a.pk not in have]
        )
        if created:
            audit.record(actor, "cultural_titles.open_round", round_, {"year": year})
    return round_


def timeline(round_: TitleRound) -> list[tuple[str, dt.date, dt.date | None]]:
    """The year's steps as dated data: (step, from, to)."""
    return [
        (_("Area meetings"), round_.meetings_from, round_.last_meeting_day),
        (
            _("Posting for comments (%(days)s days)") % {"days": round_.posting_days},
            round_.meetings_from,
            round_.deadline - dt.timedelta(days=5),
        ),
        (_("Dossiers to the commune"), round_.deadline, None),
        (
            _("Chairman's decision (within %(days)s days)") % {"days": round_.decision_days},
            round_.deadline,
            round_.decision_due,
        ),
        (_("Certificates and public list"), round_.decision_due, dt.date(round_.year, 12, 31)),
    ]
