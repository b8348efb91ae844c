"""Helpers of the demo commendation data: dates, documents, actors, places, the council, votes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thidua.accounts import services as account_services
from thidua.core.actors import SystemActor
from thidua.core.policy import can
from thidua.demo.honors.data import (
    BO_DE,
    COUNCIL_NAME,
    HANOI_CODE,
    LEGACY_DISTRICTS,
    NOMINEES_2024,
    OWN_USERS,
    PASSWORD,
    SEATS,
    DemoDataMissing,
)
from thidua.honors import services
from thidua.honors.models import (
    AwardType,
    Nomination,
)
from thidua.initiatives.services import create_council
from thidua.org.models import Unit
from thidua.shared.models import Council, CouncilMember

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
