"""The demo's recent rounds: an ad hoc award for a good deed and a thematic round of a movement."""

from __future__ import annotations

import datetime as dt

from thidua.core.policy import can
from thidua.demo.honors.common import Actors, _age_band, _documents, _vote
from thidua.demo.honors.data import ABSENT, ADHOC_TITLE, BK, LIVE, SIGNER, THEMATIC_TITLE
from thidua.honors import services
from thidua.honors.models import (
    AwardType,
    Round,
)
from thidua.movements.models import Movement
from thidua.org.models import Unit
from thidua.practices.models import Exemplar
from thidua.shared.models import Council, CouncilMember

# --- the ad hoc award -----------------------------------------------------------------------


def _seed_ad_hoc(
    hanoi: Unit,
    bo_de: Unit,
    awards: dict[str, AwardType],
    council: Council,
    seats: dict[str, CouncilMember],
    actors: Actors,
    today: dt.date,
) -> str:
    exemplar = (
        Exemplar.objects.filter(
            kind="person", status="verified", owner_unit__path__startswith=bo_de.path
        )
        .order_by("-put_forward", "-is_featured", "id")
        .first()
    )
    if exemplar is not None:
        name = exemplar.name
        for honorific in ("Bà ", "Ông ", "Chị ", "Anh "):
            name = name.removeprefix(honorific)
        unit, deeds = exemplar.owner_unit, exemplar.deeds
        gender = "female" if exemplar.name.startswith(("Bà ", "Chị ")) else "male"
    else:
        name, unit, gender, exemplar = "Nguyễn Văn Mạnh", bo_de, "male", None
        deeds = "Dũng cảm phá cửa cứu ba người mắc kẹt trong đám cháy nhà dân ở tổ dân phố 6."
    proposing = unit if unit.kind.code == "ward" else unit.parent
    round_ = services.create_round(
        actors.admin,
        title=ADHOC_TITLE,
        kind=Round.Kind.AD_HOC,
        owner_unit=hanoi,
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=335),
        award_types=[awards[BK]],
        council=council,
        deadline_days=5,
    )
    on = today - dt.timedelta(days=20)
    officer = actors.officer if can(actors.officer, "unit.enter_data", proposing) else actors.admin
    leader = (
        actors.ward_leader if can(actors.ward_leader, "unit.approve", proposing) else actors.admin
    )
    nomination = services.nominate(
        officer,
        round=round_,
        award_type=awards[BK],
        nominee_kind="person",
        nominee_name=name,
        unit=unit,
        proposing_unit=proposing,
        achievements=f"Người tốt, việc tốt: {deeds}",
        documents=_documents(awards[BK], on, "dot-xuat"),
        gender=gender,
        age_band="" if exemplar is not None else "30_45",
        exemplar=exemplar,
        on=on,
    )
    services.submit_nomination(officer, nomination=nomination)
    # An outstanding deed: the short path, straight from the ward to the city council.
    services.endorse_nomination(leader, nomination=nomination, straight=True)
    _vote(nomination, seats, actors.admin, absent=ABSENT)
    number = "215/QĐ-MTTQ-BTT"
    services.issue_decision(
        actors.leader,
        round=round_,
        number=number,
        signed_on=today - dt.timedelta(days=3),
        signer=SIGNER,
        nominations=[nomination],
    )
    return name


# --- the thematic round ---------------------------------------------------------------------


def _seed_thematic(
    hanoi: Unit,
    bo_de: Unit,
    movement: Movement,
    awards: dict[str, AwardType],
    council: Council,
    seats: dict[str, CouncilMember],
    actors: Actors,
    today: dt.date,
) -> dict[str, int]:
    round_ = services.create_round(
        actors.admin,
        title=THEMATIC_TITLE.format(movement=movement.title),
        kind=Round.Kind.THEMATIC,
        owner_unit=hanoi,
        opens_on=today - dt.timedelta(days=40),
        closes_on=today + dt.timedelta(days=60),
        award_types=[awards[BK]],
        council=council,
        movement=movement,
    )
    wards = {
        u.name: u
        for u in Unit.objects.filter(
            parent=hanoi,
            kind__code="ward",
            valid_to__isnull=True,
            name__in={spec.ward for spec in LIVE},
        )
    }
    states: dict[str, int] = {}
    voters = {u for u in sorted(seats) if u not in {"lanhdao", "hoidong"}}
    for index, spec in enumerate(LIVE):
        ward = wards.get(spec.ward, bo_de)
        at_bo_de = ward.pk == bo_de.pk
        officer = actors.officer if at_bo_de else actors.admin
        leader = actors.ward_leader if at_bo_de else actors.admin
        on = today - dt.timedelta(days=12 - index)
        nomination = services.nominate(
            officer,
            round=round_,
            award_type=awards[BK],
            nominee_kind=spec.kind,
            nominee_name=spec.name,
            unit=ward,
            achievements=spec.achievements,
            documents=_documents(awards[BK], on, f"chuyen-de-{index + 1}"),
            birth_year=spec.birth_year,
            gender=spec.gender,
            women_share=spec.women_share,
            is_direct_worker=spec.direct,
            is_ethnic_minority=spec.ethnic,
            age_band=_age_band(spec.birth_year, today.year),
            on=on,
        )
        if spec.state != "draft":
            services.submit_nomination(officer, nomination=nomination)
        if spec.state == "returned":
            services.return_nomination(leader, nomination=nomination, reason=spec.reason)
        if spec.state == "at_council":
            services.endorse_nomination(leader, nomination=nomination)
            # Votes under way: some members have voted, `lanhdao` and `hoidong` have not yet.
            _vote(nomination, seats, actors.admin, only=voters, close=False)
        states[spec.state] = states.get(spec.state, 0) + 1
    return states
