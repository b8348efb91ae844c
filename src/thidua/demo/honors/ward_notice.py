"""The demo ward's cultural residential areas, proposed, approved and on public notice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from thidua.core.policy import can
from thidua.demo.honors.common import Actors, _documents, _grant_council_role, _secretary, _vote
from thidua.demo.honors.data import PASSWORD, WARD_ROUND
from thidua.honors import services
from thidua.honors.models import (
    AwardType,
    Round,
)
from thidua.honors.services.notices import comment_on_notice, publish_notice
from thidua.initiatives.services import create_council
from thidua.org.models import Unit
from thidua.shared.models import CouncilMember

# --- the ward's cultural residential areas, on public notice ----------------------------------

WARD_COUNCIL = "Hội đồng Thi đua – Khen thưởng Ủy ban MTTQ Việt Nam phường Bồ Đề"
WARD_SEATS = (  # username, full name, role; `lanhdao.bode` and `canbo` are seed_demo's users
    ("lanhdao.bode", "Phạm Minh Đức", CouncilMember.Role.CHAIR),
    ("canbo", "Lê Thị Hoa", CouncilMember.Role.SECRETARY),
    ("tdkt.bode1", "Đặng Văn Quý", CouncilMember.Role.MEMBER),
    ("tdkt.bode2", "Phan Thị Mai", CouncilMember.Role.MEMBER),
    ("tdkt.bode3", "Ngô Quang Huy", CouncilMember.Role.MEMBER),
)
CULTURAL_AREAS = 3  # residential areas proposed, all approved, now on public notice
PUBLIC_COMMENT = (
    "Tôi là người dân tổ dân phố, xác nhận khu dân cư giữ gìn vệ sinh tốt, "
    "các hộ đoàn kết, tích cực tham gia các hoạt động chung."
)


def _seed_ward_notice(
    bo_de: Unit, awards: dict[str, AwardType], actors: Actors, today: dt.date
) -> dict[str, Any]:
    """Phường Bồ Đề recognises its cultural residential areas of the year: its own council of
    five has approved three, and the list is on public notice (the rule asks for ten days),
    with one comment from a resident; the decision waits for the notice to end."""
    User = get_user_model()  # noqa: N806
    existing = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in WARD_SEATS])}
    members = []
    for username, full_name, role in WARD_SEATS:
        user = existing.get(username)
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=PASSWORD,
                email=f"{username}@demo.thidua.local",
                full_name=full_name,
            )
            _grant_council_role(actors.admin, user, bo_de)
        members.append({"user": user, "role": role})
    council = create_council(actors.admin, owner_unit=bo_de, name=WARD_COUNCIL, members=members)
    seats = {
        m.user.username: m
        for m in CouncilMember.objects.filter(council=council).select_related("user")
    }
    award = awards["khu-dan-cu-van-hoa"]
    round_ = services.create_round(
        actors.admin,
        title=WARD_ROUND,
        kind=Round.Kind.REGULAR,
        owner_unit=bo_de,
        opens_on=today - dt.timedelta(days=45),
        closes_on=today + dt.timedelta(days=30),
        award_types=[award],
        council=council,
    )
    areas = list(
        Unit.objects.filter(parent=bo_de, valid_to__isnull=True).order_by("code")[:CULTURAL_AREAS]
    )
    officer = actors.officer if can(actors.officer, "unit.enter_data", bo_de) else actors.admin
    leader = actors.ward_leader if can(actors.ward_leader, "unit.approve", bo_de) else actors.admin
    nominations = []
    for index, area in enumerate(areas):
        on = today - dt.timedelta(days=20 - index)
        nomination = services.nominate(
            officer,
            round=round_,
            award_type=award,
            nominee_kind="collective",
            nominee_name=f"Khu dân cư {area.name}",
            unit=area,
            proposing_unit=bo_de,
            achievements=(
                "Ba năm liền đạt khu dân cư văn hóa; trên 90% hộ đạt gia đình văn hóa; không có "
                "tội phạm, tệ nạn xã hội; đường ngõ sạch, có điện chiếu sáng."
            ),
            documents=_documents(award, on, f"kdcvh-{index + 1}"),
            women_share=Decimal("0.52"),
            on=on,
        )
        services.submit_nomination(officer, nomination=nomination)
        services.endorse_nomination(leader, nomination=nomination)
        _vote(nomination, seats, actors.admin)
        nominations.append(nomination)
    secretary = _secretary(seats, actors.admin)
    notice = publish_notice(secretary, round=round_, today=today - dt.timedelta(days=2))
    comment_on_notice(
        notice=notice,
        nomination_id=nominations[0].pk,
        name="Nguyễn Văn Tâm",
        contact="0912 345 678",
        text=PUBLIC_COMMENT,
        client="seed_honors",
    )
    return {"nominations": len(nominations), "notice_until": notice.ends_on}
