"""Helpers of the demo initiatives: the organiser, fields and council; writing submissions."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from thidua.accounts import services as account_services
from thidua.accounts.models import RoleGrant
from thidua.core.actors import SystemActor
from thidua.core.roles import Role
from thidua.demo.initiatives.data import (
    BENEFITS,
    COLLECTIVES,
    COUNCIL_NAME,
    EMAIL_DOMAIN,
    FAMILY,
    FIELDS,
    GIVEN_FEMALE,
    GIVEN_MALE,
    GRANTS_FROM,
    IDEAS,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    ORGANISATION,
    PASSWORD,
    SEATS,
    SPREAD,
    VILLAGES,
    Seat,
)
from thidua.initiatives import services
from thidua.initiatives.models import (
    Submission,
)
from thidua.org.models import Unit
from thidua.shared.models import Council, Field

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
