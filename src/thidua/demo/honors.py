"""Demo commendation data for Hà Nội: the annual 2024 round, an ad hoc award for a good deed, and
a thematic round tied to a movement with nominations in progress today.

1. **The annual 2024 round** of Thành phố Hà Nội (Bằng khen, Lao động tiên tiến, Chiến sĩ thi đua
   cơ sở: the awards the catalogue lets a province confer; Giấy khen is a district/ward award).
   25 nominations come from the 2024 wards of Quận Long Biên and Quận Tây Hồ (the legacy tree,
   true to 2024), travel ward -> district -> city, one is returned with a reason and sent again,
   one is rejected, the council of the city votes (a written opinion of an absent member, a secret
   ballot for Chiến sĩ thi đua cơ sở), one is not approved, decision 1568/QĐ-MTTQ-BTT of
   27/12/2024 confers the rest with certificates, and one certificate is revoked with a reason.
   Nominees for Chiến sĩ thi đua cơ sở hold a 2023 Lao động tiên tiến, entered with
   `record_honour` (the prerequisite the rule asks for).
2. **An ad hoc award** ("người tốt, việc tốt"): the exemplar of `seed_practices` put forward for
   commendation (a named person when there is none), proposed by Phường Bồ Đề, endorsed, voted
   and conferred by the city a few days ago.
3. **A thematic round** on the movement "Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân
   cư", open now, with nominations in progress: drafts and submissions waiting for the leader of
   Phường Bồ Đề (`lanhdao.bode`), one returned, and two before the council with votes under way.

Everything goes through `thidua.honors.services` (eligibility, permissions, thresholds, hashes).
The services stamp history with the current time (`auto_now_add`, `timezone.now()`, a level's due
date counted from today), so a 2024 round written today would read as if it had all happened
today: the history of the 2024 round is therefore moved back to its 2024 dates afterwards by
direct updates of the timestamp columns only (nomination events, ballots, votes, documents,
decision, certificates, the revocation), in the order the services wrote them, and one audit
event `honors.demo_backdated` records that this was done. The audit chain itself is never
rewritten. The round is then closed (no service closes a round).

Idempotent: a round that exists (same organising unit, same title) is skipped with everything
that hangs from it; the council and its users are created once.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from thidua.accounts import services as account_services
from thidua.core import audit
from thidua.core.actors import SystemActor
from thidua.core.policy import can
from thidua.demo import datafiles
from thidua.honors import services
from thidua.honors.catalogue import ensure_catalogue
from thidua.honors.models import (
    AwardType,
    Ballot,
    Certificate,
    Decision,
    Honour,
    Nomination,
    NominationDocument,
    NominationEvent,
    Round,
    Vote,
)
from thidua.honors.services.notices import comment_on_notice, publish_notice
from thidua.initiatives.services import create_council
from thidua.movements.models import Movement
from thidua.org.models import Unit
from thidua.practices.models import Exemplar
from thidua.shared.models import Council, CouncilMember

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


# --- helpers --------------------------------------------------------------------------------


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _pdf(kind: str, label: str) -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return SimpleUploadedFile(f"{kind}-{label}.pdf", body, content_type="application/pdf")


def _documents(award: AwardType, on: dt.date, label: str) -> list[tuple[str, Any]]:
    rule = services.rule_in_force(award, on)
    kinds = rule.required_documents if rule else []
    return [(kind, _pdf(kind, label)) for kind in kinds]


def _age_band(birth_year: int | None, year: int) -> str:
    if birth_year is None:
        return ""
    age = year - birth_year
    return "under_30" if age < 30 else "30_45" if age <= 45 else "46_60" if age <= 60 else "over_60"


@dataclass
class Actors:
    admin: Any
    leader: Any  # signs/approves at the city
    officer: Any  # enters data at Phường Bồ Đề
    ward_leader: Any  # endorses at Phường Bồ Đề


def _actors(hanoi: Unit, bo_de: Unit) -> Actors:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["admin", "lanhdao", "canbo", "lanhdao.bode"], is_active=True
        )
    }
    admin = users.get("admin")
    if admin is None or not admin.is_superuser:
        admin = SystemActor("seed_honors")

    def pick(username: str, action: str, unit: Unit) -> Any:
        user = users.get(username)
        return user if user is not None and can(user, action, unit) else admin

    return Actors(
        admin=admin,
        leader=pick("lanhdao", "unit.approve", hanoi),
        officer=pick("canbo", "unit.enter_data", bo_de),
        ward_leader=pick("lanhdao.bode", "unit.approve", bo_de),
    )


def _places() -> tuple[Unit, Unit, list[Unit]]:
    hanoi = Unit.objects.filter(
        code=HANOI_CODE, kind__code="province", valid_to__isnull=True
    ).first()
    if hanoi is None:
        raise DemoDataMissing("Thành phố Hà Nội is missing: run `manage.py seed_demo` first.")
    bo_de = Unit.objects.filter(
        parent=hanoi, name=BO_DE, kind__code="ward", valid_to__isnull=True
    ).first()
    if bo_de is None:
        raise DemoDataMissing(f"{BO_DE} is missing: run `manage.py seed_demo` first.")
    legacy = list(
        Unit.objects.filter(
            parent__parent=hanoi,
            parent__code__in=LEGACY_DISTRICTS,
            kind__code="ward",
            valid_to__isnull=False,
        )
        .select_related("parent")
        .order_by("parent__code", "code")
    )
    needed = max(n.ward for n in NOMINEES_2024) + 1
    if len(legacy) < needed:
        raise DemoDataMissing("The 2024 wards of Long Biên and Tây Hồ are missing: run seed_demo.")
    # Alternate the two districts so both send dossiers.
    by_district: dict[int, list[Unit]] = {}
    for ward in legacy:
        by_district.setdefault(ward.parent_id, []).append(ward)
    mixed = [w for pair in zip(*by_district.values(), strict=False) for w in pair]
    mixed += [w for w in legacy if w not in mixed]
    return hanoi, bo_de, mixed


def _council(hanoi: Unit, actors: Actors) -> tuple[Council, dict[str, CouncilMember]]:
    """The city's emulation-commendation council: demo users where they exist, plus its own."""
    User = get_user_model()  # noqa: N806
    council = Council.objects.filter(owner_unit=hanoi, name=COUNCIL_NAME).first()
    if council is None:
        existing = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in SEATS])}
        members = []
        for username, full_name, role in SEATS:
            user = existing.get(username)
            if user is None and username in OWN_USERS:
                user = User.objects.create_user(
                    username=username,
                    password=PASSWORD,
                    email=f"{username}@demo.thidua.local",
                    full_name=full_name,
                )
                _grant_council_role(actors.admin, user, hanoi)
            if user is not None:
                members.append({"user": user, "role": role})
        if not any(m["role"] == CouncilMember.Role.CHAIR for m in members):
            members[0]["role"] = CouncilMember.Role.CHAIR  # `lanhdao` is missing
        council = services_create_council(actors.admin, hanoi, members)
        # The council was founded before the 2024 round it examines.
        Council.objects.filter(pk=council.pk).update(created_at=_at(dt.date(2024, 9, 20)))
    seats = {
        m.user.username: m
        for m in CouncilMember.objects.filter(council=council, is_active=True).select_related(
            "user"
        )
    }
    return council, seats


def services_create_council(actor: Any, hanoi: Unit, members: list[dict]) -> Council:
    return create_council(actor, owner_unit=hanoi, name=COUNCIL_NAME, members=members)


def _grant_council_role(admin: Any, user: Any, hanoi: Unit) -> None:
    if not getattr(admin, "pk", None):
        return  # a system actor cannot be recorded as the grantor
    account_services.grant_role(
        admin, user=user, role="council_member", unit=hanoi, valid_from=dt.date(2024, 9, 20)
    )


def _secretary(seats: dict[str, CouncilMember], admin: Any) -> Any:
    for seat in seats.values():
        if seat.role == CouncilMember.Role.SECRETARY:
            return seat.user
    return admin


def _vote(
    nomination: Nomination,
    seats: dict[str, CouncilMember],
    admin: Any,
    *,
    no: int = 0,
    absent: str | None = None,
    only: set[str] | None = None,
    close: bool = True,
) -> None:
    """Every seat votes (the first `no` seats in reverse order vote no); an absent member's
    written opinion is recorded by the secretary; `only` limits the voters (a vote under way)."""
    secretary = _secretary(seats, admin)
    names = sorted(seats)
    naysayers = set(names[::-1][:no])
    for username in names:
        if only is not None and username not in only:
            continue
        choice = "no" if username in naysayers else "yes"
        if username == absent:
            services.cast_vote(
                secretary,
                nomination=nomination,
                choice=choice,
                member=seats[username],
                written=True,
            )
        else:
            services.cast_vote(seats[username].user, nomination=nomination, choice=choice)
    if close:
        services.close_vote(secretary, nomination=nomination)


# --- the 2024 round -------------------------------------------------------------------------


def _seed_2024(
    hanoi: Unit,
    wards: list[Unit],
    awards: dict[str, AwardType],
    council: Council,
    seats: dict[str, CouncilMember],
    actors: Actors,
) -> dict[str, int]:
    admin = actors.admin
    round_ = services.create_round(
        admin,
        title=ROUND_2024,
        kind=Round.Kind.REGULAR,
        owner_unit=hanoi,
        opens_on=OPENS_2024,
        closes_on=CLOSES_2024,
        award_types=[awards[BK], awards[LDTT], awards[CSTD]],
        council=council,
    )
    nominations: list[tuple[Nomination, Nominee]] = []
    for index, spec in enumerate(NOMINEES_2024):
        ward = wards[spec.ward]
        on = OPENS_2024 + dt.timedelta(days=6 + index % 19)
        if spec.award == CSTD:
            # The prerequisite: Lao động tiên tiến of 2023, entered as a past honour.
            services.record_honour(
                admin,
                award_type=awards[LDTT],
                recipient_name=spec.name,
                unit=ward,
                conferred_on=dt.date(2023, 12, 22),
                birth_year=spec.birth_year,
                gender=spec.gender,
                is_direct_worker=spec.direct,
                is_ethnic_minority=spec.ethnic,
                age_band=_age_band(spec.birth_year, 2023),
            )
        nomination = services.nominate(
            admin,
            round=round_,
            award_type=awards[spec.award],
            nominee_kind="person",
            nominee_name=spec.name,
            unit=ward,
            achievements=spec.achievements,
            documents=_documents(awards[spec.award], on, f"2024-{index + 1:02d}"),
            birth_year=spec.birth_year,
            gender=spec.gender,
            is_direct_worker=spec.direct,
            is_ethnic_minority=spec.ethnic,
            age_band=_age_band(spec.birth_year, 2024),
            on=on,
        )
        services.submit_nomination(admin, nomination=nomination)
        services.endorse_nomination(admin, nomination=nomination)  # ward -> district
        if spec.outcome == "rejected":
            services.reject_nomination(admin, nomination=nomination, reason=spec.reason)
        else:
            if spec.outcome == "returned":
                services.return_nomination(admin, nomination=nomination, reason=spec.reason)
                services.submit_nomination(admin, nomination=nomination)
                services.endorse_nomination(admin, nomination=nomination)
            services.endorse_nomination(admin, nomination=nomination)  # district -> city
        nominations.append((nomination, spec))

    for index, (nomination, spec) in enumerate(nominations):
        if spec.outcome == "rejected":
            continue
        # Mostly unanimous, one "no" now and then; 3 yes of 7 is short of a majority of all.
        no = 4 if spec.outcome == "not_approved" else int(index % 3 == 0)
        _vote(nomination, seats, admin, no=no, absent=ABSENT)
    approved = [n for n, _spec in nominations if n.status == Nomination.Status.APPROVED]
    decision = services.issue_decision(
        actors.leader,
        round=round_,
        number=DECISION_2024,
        signed_on=SIGNED_2024,
        signer=SIGNER,
        nominations=approved,
    )
    revoked = [n for n, spec in nominations if spec.revoked]
    for nomination in revoked:
        certificate = Certificate.objects.get(honour__nomination=nomination)
        services.revoke_certificate(admin, certificate=certificate, reason=REVOCATION_REASON)
    _backdate_2024(round_, decision, nominations)
    audit.record(
        admin,
        "honors.demo_backdated",
        round_,
        {
            "why": "The services stamp history with the current time; the demo's 2024 history "
            "was moved back to its 2024 dates (timestamps only).",
            "nominations": len(nominations),
            "decision": DECISION_2024,
            "signed_on": SIGNED_2024,
            "revoked_on": REVOKED_2024,
        },
        unit=hanoi,
    )
    return {"nominations": len(nominations), "conferred": len(approved)}


def _backdate_2024(round_: Round, decision: Decision, nominations: list) -> None:
    """Direct updates of timestamp columns only (see the module docstring for why)."""
    Round.objects.filter(pk=round_.pk).update(
        created_at=_at(OPENS_2024 - dt.timedelta(days=6)), status=Round.Status.CLOSED
    )
    for index, (nomination, _spec) in enumerate(nominations):
        on = nomination.nominated_on
        Nomination.objects.filter(pk=nomination.pk).update(
            created_at=_at(on, 8, index), level_due_on=None
        )
        NominationDocument.objects.filter(nomination=nomination).update(uploaded_at=_at(on, 8))
        step = 0
        for event in NominationEvent.objects.filter(nomination=nomination).order_by("id"):
            if event.action == NominationEvent.Action.VOTED:
                at = _at(VOTED_2024, 16, 30)
            elif event.action == NominationEvent.Action.CONFERRED:
                at = _at(SIGNED_2024, 10)
            else:
                at = _at(on + dt.timedelta(days=4 * step), 9 + step % 6)
                step += 1
            NominationEvent.objects.filter(pk=event.pk).update(at=at)
        Ballot.objects.filter(vote__nomination=nomination).update(cast_at=_at(VOTED_2024, 15))
        Vote.objects.filter(nomination=nomination).update(closed_at=_at(VOTED_2024, 16, 30))
    Decision.objects.filter(pk=decision.pk).update(created_at=_at(SIGNED_2024, 10))
    Certificate.objects.filter(honour__decision=decision).update(issued_at=_at(SIGNED_2024, 10))
    revoked_at = _at(REVOKED_2024, 14)
    revoked = Certificate.objects.filter(honour__decision=decision, revoked_at__isnull=False)
    Honour.objects.filter(certificate__in=revoked).update(revoked_at=revoked_at)
    revoked.update(revoked_at=revoked_at)


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


# --- entry point ----------------------------------------------------------------------------


def _progress(stdout: TextIO | None, title: str, started: float) -> None:
    """One line per round as it is created: the whole seed takes minutes."""
    if stdout is not None:
        stdout.write(f"  {title}: created ({time.perf_counter() - started:.1f} s)\n")
        stdout.flush()


def seed_honors(*, stdout: TextIO | None = None) -> dict[str, Any]:
    """Create the three demo rounds (skipping those that exist); return what was done."""
    started = time.perf_counter()
    today = timezone.localdate()
    ensure_catalogue()
    awards = {a.code: a for a in AwardType.objects.all()}
    hanoi, bo_de, wards = _places()
    movement = Movement.objects.filter(owner_unit=hanoi, title=THEMATIC_MOVEMENT).first()
    if movement is None:
        raise DemoDataMissing(
            f"The movement “{THEMATIC_MOVEMENT}” is missing: run `manage.py seed_movements`."
        )
    actors = _actors(hanoi, bo_de)
    summary: dict[str, Any] = {"created": [], "skipped": []}
    with transaction.atomic():
        council, seats = _council(hanoi, actors)
    existing = set(Round.objects.filter(owner_unit=hanoi).values_list("title", flat=True))
    thematic_title = THEMATIC_TITLE.format(movement=movement.title)

    if ROUND_2024 in existing:
        summary["skipped"].append(ROUND_2024)
    else:
        with transaction.atomic():
            summary["round_2024"] = _seed_2024(hanoi, wards, awards, council, seats, actors)
        summary["created"].append(ROUND_2024)
        _progress(stdout, ROUND_2024, started)
    if ADHOC_TITLE in existing:
        summary["skipped"].append(ADHOC_TITLE)
    else:
        with transaction.atomic():
            summary["ad_hoc"] = _seed_ad_hoc(hanoi, bo_de, awards, council, seats, actors, today)
        summary["created"].append(ADHOC_TITLE)
        _progress(stdout, ADHOC_TITLE, started)
    if thematic_title in existing:
        summary["skipped"].append(thematic_title)
    else:
        with transaction.atomic():
            summary["thematic"] = _seed_thematic(
                hanoi, bo_de, movement, awards, council, seats, actors, today
            )
        summary["created"].append(thematic_title)
        _progress(stdout, thematic_title, started)

    if WARD_ROUND in set(Round.objects.filter(owner_unit=bo_de).values_list("title", flat=True)):
        summary["skipped"].append(WARD_ROUND)
    else:
        with transaction.atomic():
            summary["ward_notice"] = _seed_ward_notice(bo_de, awards, actors, today)
        summary["created"].append(WARD_ROUND)
        _progress(stdout, WARD_ROUND, started)

    summary["honours"] = Honour.objects.count()
    summary["certificates"] = Certificate.objects.count()
    summary["seconds"] = round(time.perf_counter() - started, 2)
    if stdout is not None:
        stdout.write(
            f"Commendation rounds created: {len(summary['created'])}, already there: "
            f"{len(summary['skipped'])}\n"
            f"Council: {council.name} ({len(seats)} members)\n"
            f"Honours in the registry: {summary['honours']}, certificates: "
            f"{summary['certificates']} ({summary['seconds']} s)\n"
        )
    return summary


def seed(*, stdout: TextIO | None = None) -> dict:
    """The `seed_demo` step (and `manage.py seed_honors`); a CommandError without the tree."""
    try:
        return seed_honors(stdout=stdout)
    except DemoDataMissing as error:
        raise CommandError(str(error)) from error
