"""Demo movements: the six movements of the source document, launched by Thành phố Hà Nội.

`seed_movements()` writes them through the services (create, launch, register, works, reports and
the parent's decisions), with the demo users as actors: `admin` launches and enters data, `canbo`
enters Phường Bồ Đề's data, `lanhdao` (leader of Hà Nội) accepts and returns. Without the demo
users (only `import_vietnam` was run) a system actor does everything.

Not every ward takes part: every legacy ward of Long Biên and Tây Hồ reports on the 2024 tree (until
2025-06-30), and about thirty current wards and communes (Phường Bồ Đề, the successors of those
wards and a spread of others) report from 2025-Q3. Some units never register, some registrations
and reports are returned with a reason (most corrected and submitted again), the last period
holds drafts and reports waiting for a decision, and Phường Bồ Đề owes one report due soon.

Figures come from a random generator seeded per movement, unit and period, so two databases seeded
on the same day hold the same data; which periods are reported depends on the day (only periods
that have ended). Idempotent: a movement that exists (same launching unit and title) is skipped.

The seeder is split by topic: `specs` (what the movements are and the figures units report) and
`seeding` (writing one movement through the services); `seed` below is the `seed_demo` step.
"""

from __future__ import annotations

import time
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from thidua.demo.movements.local import seed_local_2025
from thidua.demo.movements.seeding import (
    Cohort,
    _actors,
    _current_sample,
    _fields,
    _profiles,
    _seed_one,
)
from thidua.demo.movements.specs import (
    BO_DE,
    COUNT,
    CURRENT_SAMPLE,
    ENDS_ON,
    FIELDS,
    HANOI_CODE,
    LAUNCHED_ON,
    LEGACY_DISTRICTS,
    MOVEMENTS,
    PAST_OUTCOMES,
    RATIO,
    RECENT,
    RECENT_OUTCOMES,
    REGISTRATION_RETURN_REASONS,
    SEED,
    STARTS_ON,
    SUM,
    DemoDataMissing,
    IndicatorSpec,
    MovementSpec,
    Profile,
    Values,
)
from thidua.movements.models import Movement, Registration, Report, Work
from thidua.org.models import Unit, UnitKind


def seed_movements(*, stdout: TextIO | None = None) -> dict:
    """Create the six demo movements (skipping those that exist); return what was done."""
    started = time.perf_counter()
    today = timezone.localdate()
    hanoi = Unit.objects.filter(
        code=HANOI_CODE, kind__code="province", valid_to__isnull=True
    ).first()
    if hanoi is None:
        raise DemoDataMissing("Thành phố Hà Nội is missing: run `manage.py seed_demo` first.")
    legacy = list(
        Unit.objects.filter(
            parent__parent=hanoi, parent__code__in=LEGACY_DISTRICTS, kind__code="ward"
        )
        .exclude(valid_to__isnull=True)
        .order_by("code")
    )
    current_all = list(
        Unit.objects.filter(parent=hanoi, kind__code="ward", valid_to__isnull=True).order_by("code")
    )
    if not legacy or not current_all:
        raise DemoDataMissing("The Hà Nội wards are missing: run `manage.py seed_demo` first.")
    current = _current_sample(legacy, current_all)
    actors = _actors(hanoi, next((u for u in current if u.name == BO_DE), None))
    profiles = _profiles(legacy, current)
    fields = _fields()
    ward = UnitKind.objects.get(code="ward")
    cohorts = [
        Cohort(legacy, "2024 – 2029", 2024),
        Cohort(current, "2026 – 2031", 2026),
    ]
    summary: dict[str, Any] = {"created": [], "skipped": [], "movements": {}}
    for spec in MOVEMENTS:
        movement = Movement.objects.filter(owner_unit=hanoi, title=spec.title).first()
        if movement is not None:
            summary["skipped"].append(spec.title)
        else:
            with transaction.atomic():
                movement = _seed_one(spec, hanoi, ward, fields, cohorts, actors, profiles, today)
            summary["created"].append(spec.title)
        summary["movements"][spec.title] = counts = movement_counts(movement)
        if stdout is not None:
            verb = "created" if spec.title in summary["created"] else "exists"
            figures = ", ".join(f"{k} {v}" for k, v in counts.items())
            stdout.write(f"{spec.title} ({verb}): {figures}\n")
    # the wards' own drives launched in 2025, for the statutory statistics of that year
    wards = sorted(current, key=lambda u: (u.name != BO_DE, u.code))
    summary["local_2025"] = [m.title for m in seed_local_2025(wards, actors.admin)]
    summary["seconds"] = round(time.perf_counter() - started, 2)
    if stdout is not None:
        stdout.write(
            f"Movements created: {len(summary['created'])}, already there: "
            f"{len(summary['skipped'])} ({summary['seconds']} s)\n"
        )
    return summary


def movement_counts(movement: Movement) -> dict[str, int]:
    registrations = dict(
        Registration.objects.filter(movement=movement)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    reports = dict(
        Report.objects.filter(movement=movement)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    works = Work.objects.filter(movement=movement)
    return {
        "periods": movement.periods.count(),
        "registrations": sum(registrations.values()),
        "registrations accepted": registrations.get(Registration.Status.ACCEPTED, 0),
        "registrations submitted": registrations.get(Registration.Status.SUBMITTED, 0),
        "registrations returned": registrations.get(Registration.Status.RETURNED, 0),
        "reports": sum(reports.values()),
        "reports accepted": reports.get(Report.Status.ACCEPTED, 0),
        "reports submitted": reports.get(Report.Status.SUBMITTED, 0),
        "reports returned": reports.get(Report.Status.RETURNED, 0),
        "reports draft": reports.get(Report.Status.DRAFT, 0),
        "works": works.count(),
        "congress works": works.filter(is_congress_work=True).count(),
    }


def seed(*, stdout: TextIO | None = None) -> dict:
    """The `seed_demo` step (and `manage.py seed_movements`); a CommandError without the tree."""
    try:
        return seed_movements(stdout=stdout)
    except DemoDataMissing as error:
        raise CommandError(str(error)) from error


__all__ = [
    "BO_DE",
    "COUNT",
    "CURRENT_SAMPLE",
    "Cohort",
    "DemoDataMissing",
    "ENDS_ON",
    "FIELDS",
    "HANOI_CODE",
    "IndicatorSpec",
    "LAUNCHED_ON",
    "LEGACY_DISTRICTS",
    "MOVEMENTS",
    "MovementSpec",
    "PAST_OUTCOMES",
    "Profile",
    "RATIO",
    "RECENT",
    "RECENT_OUTCOMES",
    "REGISTRATION_RETURN_REASONS",
    "SEED",
    "STARTS_ON",
    "SUM",
    "Values",
    "movement_counts",
    "seed",
    "seed_movements",
]
