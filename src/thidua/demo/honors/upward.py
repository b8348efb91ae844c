"""The demo's proposals upward ("khen cao") from the annual 2024 round of Thành phố Hà Nội.

The round also offered two awards the Front cannot confer itself. The city council approved
four nominees for them in December 2024, and in January 2025 the Standing Committee proposed:

1. three nominees to the city People's Committee for the certificate of merit of its Chairman
   (proposal 05/TTr-MTTQ-BTT): sent through the document exchange system, received, and decided
   by decision 452/QĐ-UBND of 20/02/2025, recorded with its file; the three honours are in the
   registry with the committee as the conferring authority (no certificate of ours);
2. one nominee to the Government for the Prime Minister's certificate of merit (proposal
   06/TTr-MTTQ-BTT): returned for completion with a reason, completed and sent again; it is still
   waiting, past its follow-up date, in the inbox of the leader who sent it.

Everything goes through the services; their timestamps are then moved back to the dates above
(timestamp columns only, one `honors.demo_backdated` audit event says so), as for the round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thidua.core import audit
from thidua.demo.honors.common import Actors, _age_band, _at, _documents, _pdf, _vote
from thidua.demo.honors.data import OPENS_2024, SIGNER
from thidua.honors import services
from thidua.honors.models import (
    AwardType,
    Nomination,
    NominationDocument,
    NominationEvent,
    OutsideBody,
    OutsideDecision,
    Round,
    UpwardDocument,
    UpwardEvent,
    UpwardProposal,
)
from thidua.honors.services import upward
from thidua.org.models import Unit
from thidua.shared.models import CouncilMember

UBND = "bang-khen-chu-tich-ubnd-tp"
TTG = "bang-khen-thu-tuong"
OUTSIDE_AWARDS = [UBND, TTG]
PROPOSED_ON = dt.date(2025, 1, 6)
RETURN_REASON = (
    "Bổ sung báo cáo thành tích có xác nhận của cấp trình và bản sao các hình thức khen thưởng "
    "đã được tặng."
)


@dataclass(frozen=True)
class UpwardNominee:
    name: str
    gender: str
    birth_year: int
    award: str
    ward: int
    achievements: str
    direct: bool = False


UPWARD_NOMINEES_2024 = [
    UpwardNominee(
        "Nguyễn Thị Thu Hà",
        "female",
        1972,
        UBND,
        0,
        "15 năm làm Trưởng ban công tác Mặt trận, vận động xây dựng 3 tuyến phố văn minh.",
        direct=True,
    ),
    UpwardNominee(
        "Lê Văn Thắng",
        "male",
        1965,
        UBND,
        1,
        "Vận động nhân dân hiến 1.200 m² đất mở rộng ngõ xóm; mô hình tổ tự quản an ninh.",
    ),
    UpwardNominee(
        "Phạm Thị Minh Nguyệt",
        "female",
        1980,
        UBND,
        2,
        "Khởi xướng quỹ khuyến học của khu dân cư, hỗ trợ 86 học sinh khó khăn trong 5 năm.",
        direct=True,
    ),
    UpwardNominee(
        "Hoàng Văn Quý",
        "male",
        1958,
        TTG,
        3,
        "Hai mươi năm liền dẫn đầu phong trào \u201cToàn dân đoàn kết xây dựng đời sống văn "
        "hóa\u201d của quận; 3 lần được tặng Bằng khen của Chủ tịch UBND Thành phố.",
    ),
]


def _nominate(
    round_: Round, wards: list[Unit], awards: dict[str, AwardType], actors: Actors
) -> list[Nomination]:
    admin = actors.admin
    nominations = []
    for index, spec in enumerate(UPWARD_NOMINEES_2024):
        on = OPENS_2024 + dt.timedelta(days=30 + index)
        nomination = services.nominate(
            admin,
            round=round_,
            award_type=awards[spec.award],
            nominee_kind="person",
            nominee_name=spec.name,
            unit=wards[spec.ward],
            achievements=spec.achievements,
            documents=_documents(awards[spec.award], on, f"khen-cao-{index + 1}"),
            birth_year=spec.birth_year,
            gender=spec.gender,
            is_direct_worker=spec.direct,
            age_band=_age_band(spec.birth_year, 2024),
            on=on,
        )
        services.submit_nomination(admin, nomination=nomination)
        services.endorse_nomination(admin, nomination=nomination)  # ward -> district
        services.endorse_nomination(admin, nomination=nomination)  # district -> city
        nominations.append(nomination)
    return nominations


def seed_upward_2024(
    round_: Round,
    hanoi: Unit,
    wards: list[Unit],
    awards: dict[str, AwardType],
    seats: dict[str, CouncilMember],
    actors: Actors,
) -> dict[str, int]:
    """Called by the 2024 round's seeder while the round is open (see the module docstring)."""
    admin, leader = actors.admin, actors.leader
    nominations = _nominate(round_, wards, awards, actors)
    for nomination in nominations:
        _vote(nomination, seats, admin)
    by_award = {
        code: [n for n in nominations if n.award_type.code == code] for code in OUTSIDE_AWARDS
    }
    committee = OutsideBody.objects.get(code="ubnd-tp-ha-noi")
    government = OutsideBody.objects.get(code="chinh-phu")

    city = upward.create_upward_proposal(
        admin,
        unit=hanoi,
        body=committee,
        award_type=awards[UBND],
        number="05/TTr-MTTQ-BTT",
        dated=PROPOSED_ON,
        signer=SIGNER,
        summary="Đề nghị khen thưởng các cá nhân tiêu biểu trong phong trào thi đua năm 2024.",
        nominations=by_award[UBND],
    )
    upward.add_upward_document(
        admin, proposal=city, kind="vote_minutes", file=_pdf("vote_minutes", "khen-cao-ubnd")
    )
    upward.send_upward_proposal(
        leader,
        proposal=city,
        sent_on=dt.date(2025, 1, 8),
        channel="document_system",
        reference="VB-2025-000118",
    )
    upward.acknowledge_upward_proposal(admin, proposal=city, on=dt.date(2025, 1, 10))
    upward.record_outside_decision(
        leader,
        proposal=city,
        number="452/QĐ-UBND",
        signed_on=dt.date(2025, 2, 20),
        signer="Chủ tịch UBND Thành phố Hà Nội",
        honoured=by_award[UBND],
        file=_pdf("decision", "452-qd-ubnd"),
    )

    government_proposal = upward.create_upward_proposal(
        admin,
        unit=hanoi,
        body=government,
        award_type=awards[TTG],
        number="06/TTr-MTTQ-BTT",
        dated=PROPOSED_ON,
        signer=SIGNER,
        nominations=by_award[TTG],
    )
    upward.add_upward_document(
        admin,
        proposal=government_proposal,
        kind="vote_minutes",
        file=_pdf("vote_minutes", "khen-cao-ttg"),
    )
    upward.send_upward_proposal(
        leader,
        proposal=government_proposal,
        sent_on=dt.date(2025, 1, 9),
        channel="post",
        reference="EA 2025 0109 VN",
    )
    upward.return_upward_proposal(
        admin, proposal=government_proposal, on=dt.date(2025, 2, 14), reason=RETURN_REASON
    )
    entry = government_proposal.entries.get()
    upward.add_upward_document(
        admin,
        proposal=government_proposal,
        kind="achievement_report",
        file=_pdf("achievement_report", "khen-cao-ttg-xac-nhan"),
        entry=entry,
    )
    upward.add_upward_document(
        admin, proposal=government_proposal, kind="other", file=_pdf("other", "ban-sao-bang-khen")
    )
    upward.send_upward_proposal(
        leader,
        proposal=government_proposal,
        sent_on=dt.date(2025, 3, 3),
        channel="post",
        reference="EA 2025 0303 VN",
    )
    _backdate(nominations, [city, government_proposal])
    audit.record(
        admin,
        "honors.demo_backdated",
        city,
        {
            "why": "The services stamp history with the current time; the demo's proposals "
            "upward were moved back to their 2025 dates (timestamps only).",
            "proposals": [city.number, government_proposal.number],
        },
        unit=hanoi,
    )
    return {"nominations": len(nominations), "proposals": 2}


def _backdate(nominations: list[Nomination], proposals: list[UpwardProposal]) -> None:
    """Direct updates of timestamp columns only: the round's seeder does the same for its own."""
    for nomination in nominations:
        on = nomination.nominated_on
        Nomination.objects.filter(pk=nomination.pk).update(created_at=_at(on, 8), level_due_on=None)
        NominationDocument.objects.filter(nomination=nomination).update(uploaded_at=_at(on, 8))
        for step, event in enumerate(
            NominationEvent.objects.filter(nomination=nomination).order_by("id")
        ):
            if event.action == NominationEvent.Action.CONFERRED:
                at = _at(dt.date(2025, 2, 21), 9)
            elif event.action == NominationEvent.Action.VOTED:
                at = _at(dt.date(2024, 12, 18), 16, 30)
            else:
                at = _at(on + dt.timedelta(days=4 * step), 9 + step)
            NominationEvent.objects.filter(pk=event.pk).update(at=at)
    for proposal in proposals:
        UpwardProposal.objects.filter(pk=proposal.pk).update(created_at=_at(PROPOSED_ON, 9))
        for event in UpwardEvent.objects.filter(proposal=proposal):
            day = event.on or PROPOSED_ON
            if event.action == UpwardEvent.Action.DECIDED:
                day = dt.date(2025, 2, 21)  # recorded the day after it was signed
            UpwardEvent.objects.filter(pk=event.pk).update(at=_at(day, 10))
        UpwardDocument.objects.filter(proposal=proposal).update(uploaded_at=_at(PROPOSED_ON, 11))
    OutsideDecision.objects.filter(proposal__in=proposals).update(
        created_at=_at(dt.date(2025, 2, 21), 10)
    )
