"""The inbox ("Việc của tôi") of a city leader on PostgreSQL, at two data sizes: its time and its
query count must not grow with the number of items.

Builds the database `thidua_bench_inbox` on the server named by DATABASE_URL (dropped and
recreated each run): a city of 126 wards and 2,054 residential groups (the 2025 Hà Nội shape,
generated: the inbox reads the tree only through paths), a leader on the city and on one ward in
three (so the groups and wards of the other two thirds forward their items to the city), a
monthly movement over wards and groups since 2023 and a commendation round. Then it loads, in
two steps, the small size (--reports/10 reports, --nominations/10 dossiers) and the full size
(default 100,000 reports, one in ten waiting for a decision, and 5,000 dossiers waiting at every
level with time limits around today), and at each size times, logged in as the city leader
through Django's test client (median and p95 of --repeat requests after a warm-up; target
p95 < 300 ms), with the number of SQL queries of one request:

- `/work/` (the inbox page: counts per kind and the first page, overdue first),
- `/work/?due=overdue&kind=honors.nomination` (a filtered page),
- `/work/?page=40` (a deep page),
- `/api/v1/work/`, `/work/badge/` (the header's counts) and `/staff/` (the staff home).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/inbox.py [--reports 100000] [--nominations 5000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
os.environ["DEBUG"] = "false"  # no query log in memory while timing

from _pg import (  # noqa: E402  benchmarks/_pg.py
    Timer,
    analyse,
    database_settings,
    migrate,
    recreate_database,
    stable,
)

BENCH_DB = "thidua_bench_inbox"
WARDS, GROUPS = 126, 2054
STARTS = dt.date(2023, 1, 1)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000, help="reports at the full size")
    parser.add_argument("--nominations", type=int, default=5_000, help="dossiers at full size")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    return parser.parse_args()


def build_tree():
    from thidua.org.models import Unit, UnitKind
    from thidua.org.services import place_units

    kinds = {k.code: k for k in UnitKind.objects.all()}
    city = place_units(
        [Unit(code="01", name="Thành phố Hà Nội", kind=kinds["province"], valid_from=STARTS)]
    )[0]
    wards = place_units(
        [
            Unit(
                code=f"W{i:03}",
                name=f"Phường {i}",
                kind=kinds["ward"],
                parent=city,
                valid_from=STARTS,
            )
            for i in range(WARDS)
        ]
    )
    groups = place_units(
        [
            Unit(
                code=f"G{i:04}",
                name=f"Tổ dân phố {i % 30 + 1}",  # ~30 names shared, as in Hà Nội
                kind=kinds["residential_area"],
                parent=wards[i % WARDS],
                valid_from=STARTS,
            )
            for i in range(GROUPS)
        ]
    )
    return city, wards, groups


def people(city, wards):
    from thidua.accounts.models import RoleGrant, User

    leader = User.objects.create(username="bench-city-leader", full_name="Lãnh đạo thành phố")
    grants = [RoleGrant(user=leader, role="leader", unit=city, valid_from=STARTS)]
    for index, ward in enumerate(wards):
        if index % 3 == 0:
            user = User.objects.create(username=f"bench-ward-leader-{index}")
            grants.append(RoleGrant(user=user, role="leader", unit=ward, valid_from=STARTS))
    RoleGrant.objects.bulk_create(grants)
    return leader


def movement_and_round(leader, city):
    from django.utils import timezone

    from thidua.honors.catalogue import ensure_catalogue
    from thidua.honors.models import AwardType, Round
    from thidua.movements import services
    from thidua.movements.models import Movement
    from thidua.org.models import UnitKind

    today = timezone.localdate()
    movement = services.create_movement(
        leader,
        title="Bench: Toàn dân đoàn kết xây dựng đời sống văn hóa",
        owner_unit=city,
        kind=Movement.Kind.STANDING,
        starts_on=STARTS,
        ends_on=today + dt.timedelta(days=365),
        schedule=Movement.Schedule.MONTHLY,
        scope_kinds=list(UnitKind.objects.filter(code__in=["ward", "residential_area"])),
        indicators=[{"name": "Hộ tham gia", "aggregation": "sum"}],
    )
    movement = services.launch_movement(leader, movement=movement)
    ensure_catalogue()
    award = AwardType.objects.get(code="giay-khen")
    round_ = Round.objects.create(
        title="Bench: khen thưởng",
        kind=Round.Kind.REGULAR,
        owner_unit=city,
        opens_on=STARTS,
        closes_on=today + dt.timedelta(days=365),
        created_by=leader,
    )
    round_.award_types.add(award)
    return movement, round_, award


def load_reports(movement, units, start: int, stop: int) -> None:
    """Reports `start`..`stop` of the deterministic sequence: unit by unit, month by month; one
    in ten submitted (waiting for a decision), the others accepted."""
    from django.utils import timezone

    from thidua.movements.models import Report

    periods = list(
        movement.periods.filter(starts_on__lte=timezone.localdate()).order_by("starts_on")
    )
    now = timezone.now()
    batch = []
    for index in range(start, stop):
        unit = units[index % len(units)]
        period = periods[(index // len(units)) % len(periods)]
        waiting = stable("report", index) % 10 == 0
        batch.append(
            Report(
                movement=movement,
                period=period,
                unit=unit,
                status=Report.Status.SUBMITTED if waiting else Report.Status.ACCEPTED,
                submitted_at=now,
                decided_at=None if waiting else now,
            )
        )
        if len(batch) == 10_000:
            Report.objects.bulk_create(batch)
            batch = []
    Report.objects.bulk_create(batch)


def load_nominations(round_, award, city, wards, groups, start: int, stop: int) -> None:
    """Dossiers waiting at a group (60 %), a ward (35 %) or the city (5 %), due from 30 days
    ago to 30 days ahead."""
    from django.utils import timezone

    from thidua.honors.models import Nomination

    today = timezone.localdate()
    batch = []
    for index in range(start, stop):
        roll = stable("nomination", index) % 100
        unit = groups[index % len(groups)]
        level = unit if roll < 60 else unit.parent if roll < 95 else city
        name = f"Nguyễn Văn {index}"
        batch.append(
            Nomination(
                round=round_,
                award_type=award,
                nominee_kind="person",
                nominee_name=name,
                search_name=name.lower(),
                nominee_key=f"bench-{index}",  # one live dossier per nominee, award and round
                unit=unit,
                proposing_unit=unit,
                current_unit=level,
                achievements="Bench",
                nominated_on=today,
                status=Nomination.Status.SUBMITTED,
                level_due_on=today + dt.timedelta(days=stable("due", index) % 61 - 30),
            )
        )
    Nomination.objects.bulk_create(batch, batch_size=5_000)


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


PAGES = [
    ("/work/", {}),
    ("/work/ overdue dossiers", {"due": "overdue", "kind": "honors.nomination"}),
    ("/work/ page 40", {"page": 40}),
    ("/api/v1/work/", {}),
    ("/work/badge/", {}),
    ("/staff/", {}),
]


class QueryCounter:
    """Counts the SQL statements run while it is installed (`connection.execute_wrapper`)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(leader, repeat: int) -> list[tuple[str, list[float], int, int]]:
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(leader)
    rows = []
    for label, query in PAGES:
        url = label.split(" ")[0]
        first = client.get(url, query)  # warm-up
        assert first.status_code == 200, (label, first.status_code)
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(url, query)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url, query)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        rows.append((label, times, queries.count, len(first.content)))
    return rows


def counts(leader) -> tuple[int, int]:
    from thidua.core import work

    user = type(leader).objects.get(pk=leader.pk)
    inbox = work.inbox(user)
    return inbox.total, inbox.overdue


def main() -> None:
    args = parse_args()
    config = database_settings(BENCH_DB)
    recreate_database(config, BENCH_DB)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    timer = Timer()
    print(f"Loading {BENCH_DB}:")
    timer.run("migrate", migrate)
    city, wards, groups = timer.run("tree (1 city, 126 wards, 2,054 groups)", build_tree)
    leader = timer.run("leaders (city, one ward in three)", lambda: people(city, wards))
    movement, round_, award = timer.run(
        "movement and round", lambda: movement_and_round(leader, city)
    )
    reporting = [*wards, *groups]
    sizes = [(args.reports // 10, args.nominations // 10), (args.reports, args.nominations)]
    loaded_reports = loaded_nominations = 0
    results = []
    for reports, nominations in sizes:
        timer.run(
            f"reports up to {reports:,}",
            lambda r=reports, s=loaded_reports: load_reports(movement, reporting, s, r),
        )
        timer.run(
            f"dossiers up to {nominations:,}",
            lambda n=nominations, s=loaded_nominations: load_nominations(
                round_, award, city, wards, groups, s, n
            ),
        )
        loaded_reports, loaded_nominations = reports, nominations
        timer.run("VACUUM ANALYZE", analyse)
        total, overdue = counts(leader)
        print(f"  the city leader's inbox: {total:,} items, {overdue:,} overdue", flush=True)
        results.append(((reports, nominations, total), measure(leader, args.repeat)))
    print(f"\nLoad average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for (reports, nominations, total), rows in results:
        print(
            f"\n{reports:,} reports, {nominations:,} dossiers; {total:,} items in the city"
            f" leader's inbox ({args.repeat} requests each)"
        )
        print(f"{'page':<28} median ms   p95 ms  queries   target")
        for label, times, queries, _length in rows:
            verdict = "ok" if p95(times) < 300 else "OVER"
            print(
                f"{label:<28} {statistics.median(times):9.1f} {p95(times):8.1f} {queries:8}"
                f"   p95<300 {verdict}"
            )
    small, full = ([q for _l, _t, q, _n in rows] for _size, rows in results)
    same = "the same" if small == full else "DIFFERENT"
    print(f"\nQuery counts at the two sizes: {same} ({small} vs {full}).")


if __name__ == "__main__":
    main()
