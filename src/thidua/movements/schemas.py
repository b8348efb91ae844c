"""The shapes the movements API reads and writes (django-ninja schemas)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema

from thidua.api.schemas import UnitRef
from thidua.movements.models import (
    Indicator,
    Movement,
    Registration,
    Report,
    ReportEvent,
    Work,
)
from thidua.movements.selectors import Coverage, IndicatorResult

# A number as the client sends it: the services parse it and answer with a field message.
Number = Decimal | str | None


class MovementOut(Schema):
    id: int
    title: str
    slug: str
    description: str
    owner_unit: UnitRef
    parent_id: int | None
    kind: str
    schedule: str
    status: str
    starts_on: dt.date
    ends_on: dt.date
    launched_on: dt.date | None
    due_days: int
    reminder_days: int


class IndicatorOut(Schema):
    id: int
    name: str
    unit_of_measure: str
    aggregation: str
    targets: dict[str, Decimal]  # by unit kind code

    @staticmethod
    def resolve_targets(obj: Indicator) -> dict[str, Decimal]:
        return {target.unit_kind.code: target.target for target in obj.targets.all()}


class PeriodOut(Schema):
    id: int
    label: str
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date


class MovementDetailOut(MovementOut):
    field_codes: list[str]
    scope_kind_codes: list[str]
    indicators: list[IndicatorOut]
    periods: list[PeriodOut]

    @staticmethod
    def resolve_field_codes(obj: Movement) -> list[str]:
        return [field.code for field in obj.fields.all()]

    @staticmethod
    def resolve_scope_kind_codes(obj: Movement) -> list[str]:
        return [kind.code for kind in obj.scope_kinds.all()]


class IndicatorIn(Schema):
    name: str
    unit_of_measure: str = ""
    aggregation: Indicator.Aggregation = Indicator.Aggregation.SUM
    targets: dict[str, Number] = {}  # by unit kind code


class MovementIn(Schema):
    title: str
    owner_unit_id: int
    kind: Movement.Kind
    schedule: Movement.Schedule
    starts_on: dt.date
    ends_on: dt.date
    description: str = ""
    parent_id: int | None = None
    due_days: int = 10
    reminder_days: int = 3
    field_codes: list[str] = []
    scope_kind_codes: list[str] = []
    indicators: list[IndicatorIn] = []


class WorkOut(Schema):
    id: int
    registration_id: int | None
    owner_unit: UnitRef
    title: str
    field: str | None  # field code
    deadline: dt.date | None
    budget: Decimal | None
    status: str
    is_congress_work: bool

    @staticmethod
    def resolve_field(obj: Work) -> str | None:
        return obj.field.code if obj.field_id else None


class RegistrationOut(Schema):
    id: int
    movement_id: int
    unit: UnitRef
    status: str
    note: str
    return_reason: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    targets: dict[int, Decimal]  # pledged target by indicator id

    @staticmethod
    def resolve_targets(obj: Registration) -> dict[int, Decimal]:
        return {pledge.indicator_id: pledge.target for pledge in obj.pledged_targets.all()}


class RegistrationDetailOut(RegistrationOut):
    works: list[WorkOut]


class RegistrationIn(Schema):
    unit_id: int
    note: str = ""
    targets: dict[int, Number] = {}  # by indicator id


class WorkIn(Schema):
    registration_id: int
    title: str
    field: str | None = None  # field code
    deadline: dt.date | None = None
    budget: Number = None
    is_congress_work: bool = False


class WorkStatusIn(Schema):
    status: Work.Status


class ReportValueOut(Schema):
    indicator_id: int
    value: Decimal
    base: Decimal | None


class ReportOut(Schema):
    id: int
    movement_id: int
    unit: UnitRef
    period: str
    period_id: int
    status: str
    narrative: str
    return_reason: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    values: list[ReportValueOut]

    @staticmethod
    def resolve_period(obj: Report) -> str:
        return obj.period.label


class ReportEventOut(Schema):
    status: str
    actor_id: int | None
    actor: str | None
    reason: str
    values: dict[str, Any]
    at: dt.datetime

    @staticmethod
    def resolve_actor(obj: ReportEvent) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class ReportDetailOut(ReportOut):
    history: list[ReportEventOut]

    @staticmethod
    def resolve_history(obj: Report) -> list[ReportEvent]:
        return list(obj.events.all())


class ReportIn(Schema):
    unit_id: int
    period: str | int | None = None  # the period's label ("2025-Q1")…
    period_id: int | None = None  # …or its id
    values: dict[int, Number] = {}  # by indicator id
    bases: dict[int, Number] = {}  # by indicator id, for ratios
    narrative: str = ""
    submit: bool = False


class MovementCoverageRowOut(Schema):
    unit: UnitRef
    expected: int
    registered: int
    reported: int
    late: int
    without_congress_work: int
    registered_percent: int
    reported_percent: int


class MovementCoverageOut(Schema):
    root: UnitRef
    period: str | None
    day: dt.date
    total: MovementCoverageRowOut
    rows: list[MovementCoverageRowOut]
    missing: list[UnitRef]
    no_congress: list[UnitRef]

    @staticmethod
    def resolve_period(obj: Coverage) -> str | None:
        return obj.period.label if obj.period else None


class IndicatorRef(Schema):
    id: int
    name: str
    unit_of_measure: str
    aggregation: str


class ChildValueOut(Schema):
    unit: UnitRef
    value: Decimal | None


class IndicatorResultOut(Schema):
    indicator: IndicatorRef
    value: Decimal | None
    target: Decimal | None
    percent_of_target: int | None
    by_child: list[ChildValueOut]

    @staticmethod
    def resolve_by_child(obj: IndicatorResult) -> list[dict[str, Any]]:
        return [{"unit": unit, "value": value} for unit, value in obj.by_child]


class ResultsOut(Schema):
    root: UnitRef
    period: str | None
    tree: str
    indicators: list[IndicatorResultOut]
