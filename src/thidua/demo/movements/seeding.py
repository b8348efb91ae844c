"""Writing one demo movement through the services: units, actors, registrations, works, reports."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum

from thidua.core.actors import SystemActor
from thidua.core.policy import can
from thidua.demo.movements.specs import (
    BO_DE,
    CURRENT_SAMPLE,
    ENDS_ON,
    FIELDS,
    LAUNCHED_ON,
    PAST_OUTCOMES,
    RECENT,
    RECENT_OUTCOMES,
    REGISTRATION_RETURN_REASONS,
    SEED,
    STARTS_ON,
    MovementSpec,
    Profile,
    Values,
)
from thidua.movements import services
from thidua.movements.models import Movement, Period, Registration, Report, Work
from thidua.org.models import Lineage, Unit, UnitKind
from thidua.shared.models import Field


@dataclass
class Cohort:
    """Wards of one tree and the congress they welcome."""

    units: list[Unit]
    term: str
    work_year: int


@dataclass
class Actors:
    admin: Any
    leader: Any
    officer: Any  # Phường Bồ Đề's officer
    bo_de: Unit | None

    def entering(self, unit: Unit) -> Any:
        return self.officer if self.bo_de is not None and unit.pk == self.bo_de.pk else self.admin


# --- setup ----------------------------------------------------------------------------------


def _current_sample(legacy: list[Unit], current_all: list[Unit]) -> list[Unit]:
    """The current wards that carry the legacy sample, Phường Bồ Đề among them, plus a seeded
    spread of other wards and communes, CURRENT_SAMPLE in all."""
    carriers = set(
        Lineage.objects.filter(predecessor__in=legacy).values_list("successor_id", flat=True)
    )
    chosen = [u for u in current_all if u.pk in carriers or u.name == BO_DE]
    others = [u for u in current_all if u not in chosen]
    random.Random(f"{SEED}:sample").shuffle(others)
    chosen += others[: max(0, CURRENT_SAMPLE - len(chosen))]
    return sorted(chosen, key=lambda u: u.code)


def _actors(hanoi: Unit, bo_de: Unit | None) -> Actors:
    """The demo users where they hold the roles the seed needs, a system actor otherwise."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["admin", "lanhdao", "canbo"], is_active=True
        )
    }
    admin = users.get("admin")
    if admin is None or not admin.is_superuser:
        admin = SystemActor("seed_movements")
    leader = users.get("lanhdao")
    if leader is None or not can(leader, "unit.approve", hanoi):
        leader = admin
    officer = users.get("canbo")
    if officer is None or bo_de is None or not can(officer, "unit.enter_data", bo_de):
        officer = admin
    return Actors(admin=admin, leader=leader, officer=officer, bo_de=bo_de)


def _profiles(legacy: list[Unit], current: list[Unit]) -> dict[int, Profile]:
    """Households and residential areas of each ward: the generated residential groups where
    there are some, seeded figures otherwise (the 2024 wards have none)."""
    areas = {
        row["parent_id"]: (row["households"] or 0, row["n"])
        for row in Unit.objects.filter(parent__in=current, kind__code="residential_area")
        .values("parent_id")
        .annotate(households=Sum("households"), n=Count("pk"))
        .order_by()
    }
    profiles = {}
    for unit in [*legacy, *current]:
        rng = random.Random(f"{SEED}:profile:{unit.code}")
        households, groups = areas.get(unit.pk, (0, 0))
        if not households or not groups:
            households, groups = rng.randint(2200, 6500), rng.randint(10, 32)
        profiles[unit.pk] = Profile(households, groups, not unit.name.startswith("Xã"))
    return profiles


def _fields() -> dict[str, Field]:
    """The fields of work (reference data, not edited if they exist)."""
    out = {}
    for code, vi, en, id_ in FIELDS:
        out[code], _created = Field.objects.get_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "name_id": id_}
        )
    return out


# --- one movement ---------------------------------------------------------------------------


def _seed_one(
    spec: MovementSpec,
    hanoi: Unit,
    ward: UnitKind,
    fields: dict[str, Field],
    cohorts: list[Cohort],
    actors: Actors,
    profiles: dict[int, Profile],
    today: dt.date,
) -> Movement:
    movement = services.create_movement(
        actors.admin,
        title=spec.title,
        owner_unit=hanoi,
        kind=spec.kind,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        schedule=spec.schedule,
        description=spec.description,
        fields=[fields[code] for code in spec.fields],
        scope_kinds=[ward],
        indicators=[
            {
                "name": i.name,
                "unit_of_measure": i.unit_of_measure,
                "aggregation": i.aggregation,
                "targets": {"ward": i.target},
            }
            for i in spec.indicators
        ],
    )
    services.launch_movement(actors.admin, movement=movement, on=LAUNCHED_ON)
    seeder = _Seeder(spec, movement, fields[spec.fields[0]], actors, profiles, today)
    for cohort in cohorts:
        for unit in cohort.units:
            seeder.unit(unit, cohort)
    return movement


class _Seeder:
    def __init__(
        self,
        spec: MovementSpec,
        movement: Movement,
        field: Field,
        actors: Actors,
        profiles: dict[int, Profile],
        today: dt.date,
    ) -> None:
        self.spec = spec
        self.movement = movement
        self.field = field
        self.actors = actors
        self.profiles = profiles
        self.today = today
        self.indicators = list(movement.indicators.all())
        self.periods = list(movement.periods.all())
        self.ended = [p for p in self.periods if p.ends_on < today]
        self.running = next((p for p in self.periods if p.starts_on <= today <= p.ends_on), None)

    def rng(self, *parts: object) -> random.Random:
        return random.Random(":".join([SEED, self.spec.key, *map(str, parts)]))

    def is_bo_de(self, unit: Unit) -> bool:
        return self.actors.bo_de is not None and unit.pk == self.actors.bo_de.pk

    # registrations and works

    def unit(self, unit: Unit, cohort: Cohort) -> None:
        rng = self.rng("registration", unit.code)
        draw = rng.random()
        bo_de = self.is_bo_de(unit)
        never = 1 - self.spec.reach
        if not bo_de and draw < never:
            return  # never registered
        officer, leader = self.actors.entering(unit), self.actors.leader
        profile = self.profiles[unit.pk]
        targets = {
            indicator.pk: spec.pledge(profile)
            for indicator, spec in zip(self.indicators, self.spec.indicators, strict=True)
            if spec.pledge is not None
        }
        note = (
            f"Ủy ban MTTQ {_lower(unit.name)} đăng ký thi đua thực hiện “{self.spec.title}”, "
            f"phấn đấu hoàn thành các chỉ tiêu và công trình chào mừng Đại hội nhiệm kỳ "
            f"{cohort.term}."
        )
        low = {pk: max(0, round(v * 0.7)) for pk, v in targets.items()}
        left_returned = not bo_de and draw < never + 0.03
        returned = left_returned or (not bo_de and rng.random() < 0.08)
        registration = services.register(
            officer,
            movement=self.movement,
            unit=unit,
            note=note,
            targets=low if returned else targets,
        )
        if returned:
            services.return_registration(
                leader, registration=registration, reason=rng.choice(REGISTRATION_RETURN_REASONS)
            )
            if left_returned:
                return  # returned, not corrected yet: counts as not registered
            registration = services.register(
                officer, movement=self.movement, unit=unit, note=note, targets=targets
            )
        pending = not bo_de and cohort.work_year > 2024 and rng.random() < 0.12
        if not pending:
            services.accept_registration(leader, registration=registration)
        self.works(registration, unit, cohort, rng)
        self.reports(unit, officer, profile)

    def works(
        self, registration: Registration, unit: Unit, cohort: Cohort, rng: random.Random
    ) -> None:
        officer = self.actors.entering(unit)
        area = "tổ dân phố" if self.profiles[unit.pk].urban else "thôn"
        n_groups = self.profiles[unit.pk].groups
        pledged = []
        if self.is_bo_de(unit) or rng.random() < 0.88:
            title = rng.choice(self.spec.works).format(area=area, n=rng.randint(1, n_groups))
            pledged.append(
                (
                    f"{title} – chào mừng Đại hội đại biểu MTTQ Việt Nam {_lower(unit.name)} "
                    f"nhiệm kỳ {cohort.term}",
                    True,
                )
            )
        if rng.random() < 0.35:
            title = rng.choice(self.spec.works).format(area=area, n=rng.randint(1, n_groups))
            pledged.append((title, False))
        for title, congress in pledged:
            month = rng.randint(3, 10)
            deadline = dt.date(cohort.work_year, month, 28)
            work = services.add_work(
                officer,
                registration=registration,
                title=title,
                field=self.field,
                deadline=deadline,
                # no budget: services.add_work refuses every one (see the seed's report)
                is_congress_work=congress,
            )
            if deadline < self.today:
                status = Work.Status.DONE if rng.random() < 0.9 else Work.Status.IN_PROGRESS
            else:
                status = rng.choice([Work.Status.PLANNED, Work.Status.IN_PROGRESS])
            if status != Work.Status.PLANNED:
                services.set_work_status(officer, work=work, status=status)

    # reports

    def reports(self, unit: Unit, officer: Any, profile: Profile) -> None:
        periods = [p for p in self.ended if unit.is_valid_on(p.ends_on)]
        bo_de = self.is_bo_de(unit)
        for index, period in enumerate(periods):
            rng = self.rng("report", unit.code, period.label)
            # the latest periods, still being decided: drafts, waiting, returned, missing
            recent = unit.valid_to is None and period.due_on >= self.today - RECENT
            draw = rng.random()
            if bo_de:
                outcome = "corrected" if index == 0 else ("pending" if recent else "accepted")
            elif recent:
                outcome = _pick(draw, RECENT_OUTCOMES)
            else:
                outcome = _pick(draw, PAST_OUTCOMES)
            if outcome != "missing":
                self.report(unit, period, officer, profile, rng, outcome)
        if (
            bo_de
            and self.running is not None
            and self.running.ends_on <= self.today + dt.timedelta(days=30)
        ):
            # Started, not submitted: what the ward officer's home page lists as due soon.
            rng = self.rng("report", unit.code, self.running.label)
            values = self.spec.values(rng, profile, _months(self.running))
            values = [v if i == 0 else None for i, v in enumerate(values)]
            note = f"Số liệu đến ngày {self.today:%d/%m/%Y}; đang tổng hợp."
            self.save(unit, self.running, officer, values, note, submit=False)

    def report(
        self,
        unit: Unit,
        period: Period,
        officer: Any,
        profile: Profile,
        rng: random.Random,
        outcome: str,
    ) -> None:
        leader = self.actors.leader
        values = self.spec.values(rng, profile, _months(period))
        narrative = (
            f"Ban Thường trực Ủy ban MTTQ {_lower(unit.name)} báo cáo kết quả thực hiện "
            f"“{self.spec.title}” kỳ {period.label}: các Ban công tác Mặt trận khu dân cư "
            f"{rng.choice(['tích cực triển khai', 'duy trì hiệu quả', 'tổ chức sơ kết'])} "
            "các mô hình, phần việc đã đăng ký."
        )
        if outcome == "draft":
            self.save(unit, period, officer, values, narrative, submit=False)
            return
        if outcome in ("corrected", "returned"):
            wrong = list(values)
            value, base = wrong[self.spec.wrong] or (0, None)
            mistyped = self.spec.mistake(value)
            wrong[self.spec.wrong] = None if mistyped is None else (mistyped, base)
            report = self.save(unit, period, officer, wrong, narrative, submit=True)
            services.return_report(leader, report=report, reason=self.spec.return_reason)
            if outcome == "returned":
                return
            narrative += " Đã rà soát, điều chỉnh số liệu theo ý kiến của Ban Thường trực."
        report = self.save(unit, period, officer, values, narrative, submit=True)
        if outcome != "pending":
            services.accept_report(leader, report=report)

    def save(
        self,
        unit: Unit,
        period: Period,
        officer: Any,
        values: Values,
        narrative: str,
        *,
        submit: bool,
    ) -> Report:
        numbers, bases = {}, {}
        for indicator, entry in zip(self.indicators, values, strict=True):
            if entry is None:
                continue
            numbers[indicator.pk], base = entry
            if base is not None:
                bases[indicator.pk] = base
        return services.save_report(
            officer,
            movement=self.movement,
            unit=unit,
            period=period,
            values=numbers,
            bases=bases,
            narrative=narrative,
            submit=submit,
        )


def _pick(draw: float, outcomes: list[tuple[float, str]]) -> str:
    return next(outcome for limit, outcome in outcomes if draw < limit)


def _months(period: Period) -> int:
    return (
        (period.ends_on.year - period.starts_on.year) * 12
        + (period.ends_on.month - period.starts_on.month)
        + 1
    )


def _lower(name: str) -> str:
    """A name inside a sentence: "Phường Bồ Đề" -> "phường Bồ Đề"."""
    return name[:1].lower() + name[1:]
