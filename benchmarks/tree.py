"""The unit tree at national scale on PostgreSQL: listings, ancestors and roll-ups.

Builds (or reuses) a benchmark database holding the real Vietnamese tree (the 2024 legacy tree and
the 2025 reform, `import_vietnam`), about 100,000 generated residential units and millions of
measure rows, then times the selectors of `thidua.org.selectors` and compares every roll-up with
the same figures computed by one hand-written SQL query (the floor), in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench \
        .venv/bin/python benchmarks/tree.py [--rows 5000000] [--residential 100000] \
        [--repeat 30] [--reuse]

The database named in DATABASE_URL is dropped and recreated, unless --reuse finds it already
loaded with the same sizes. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
os.environ["DEBUG"] = "false"  # no query log in memory while timing

LEGACY_DAY = dt.date(2024, 6, 30)  # a day of the legacy tree
REFORM_DATE = dt.date(2025, 7, 1)
RESIDENTIAL_KIND = "residential_area"
# Share of each year's rows recorded on each level (the rest on residential units).
LEVEL_SHARES = {"province": 0.01, "district": 0.03, "ward": 0.16}
HANOI = "01"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000, help="measure rows (half per year)")
    parser.add_argument("--residential", type=int, default=100_000, help="generated units")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per operation")
    parser.add_argument("--reuse", action="store_true", help="keep a database already loaded")
    parser.add_argument(
        "--index",
        choices=sorted(INDEXES),
        default="covering",
        help="bench_measure's index on unit_id: covering (INCLUDE value; the default) or plain",
    )
    parser.add_argument(
        "--only", nargs="*", metavar="WORD", help="time only operations naming a word ('Hà Nội')"
    )
    return parser.parse_args()


def database_settings() -> dict[str, Any]:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("Set DATABASE_URL=postgres://…/thidua_bench; this benchmark refuses SQLite.")
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"This benchmark runs on PostgreSQL only, not {config['ENGINE']}.")
    return config


# --- database ------------------------------------------------------------------------------------


def server_connection(config: dict[str, Any]):
    """A connection to the server's maintenance database, to drop and create the bench one."""
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    )


def loaded_info(config: dict[str, Any]) -> dict[str, str] | None:
    """What an earlier run loaded into the bench database, or None if it is missing or partial."""
    import psycopg

    with server_connection(config) as server:
        exists = server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
    if not exists:
        return None
    with psycopg.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    ) as conn:
        has_table = conn.execute("SELECT to_regclass('bench_info')").fetchone()[0]
        if has_table is None:
            return None
        return dict(conn.execute("SELECT key, value FROM bench_info").fetchall())


def recreate_database(config: dict[str, Any]) -> None:
    name = config["NAME"]
    with server_connection(config) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


# --- loading -------------------------------------------------------------------------------------


class Timer:
    def __init__(self) -> None:
        self.steps: dict[str, float] = {}

    def run(self, label: str, fn: Callable[[], Any]) -> Any:
        print(f"  {label}…", end="", flush=True)
        start = time.perf_counter()
        result = fn()
        self.steps[label] = time.perf_counter() - start
        print(f" {self.steps[label]:.1f} s", flush=True)
        return result


def migrate(*app_labels: str) -> None:
    from django.core.management import call_command

    call_command("migrate", *app_labels, verbosity=0)


def import_country() -> None:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("import_vietnam", stdout=out)
    for line in out.getvalue().splitlines():
        print(f"    {line}")


def _weight(code: str) -> int:
    """A stable 1..9 weight per ward, so wards get different numbers of residential units."""
    return 1 + int(hashlib.sha256(code.encode()).hexdigest()[:8], 16) % 9


def generate_residential(total: int) -> tuple[int, int]:
    """Half the units under the legacy wards (in force 2024-01-01 to 2025-06-30, carried by a
    bench restructuring to their ward's default successor), half under today's wards."""
    from django.db import transaction
    from django.utils import timezone

    from thidua.org.models import Lineage, Restructuring, Unit, UnitKind
    from thidua.org.services import place_units

    kind = UnitKind.objects.get(code=RESIDENTIAL_KIND)
    today = timezone.localdate()
    legacy_wards = list(Unit.objects.filter(kind__code="ward").valid_on(LEGACY_DAY).order_by("id"))
    current_wards = list(Unit.objects.filter(kind__code="ward").valid_on(today).order_by("id"))
    closing_day = REFORM_DATE - dt.timedelta(days=1)

    def units_under(wards: list[Unit], count: int, valid_to: dt.date | None) -> list[Unit]:
        weights = [_weight(w.code) for w in wards]
        scale = count / sum(weights)
        batch: list[Unit] = []
        running = 0.0
        for ward, weight in zip(wards, weights, strict=True):
            urban = ward.name.startswith("Phường")
            label = "Tổ dân phố" if urban else "Thôn"
            # Cumulative rounding: the counts add up to exactly `count`.
            here = round(running + weight * scale) - round(running)
            running += weight * scale
            for number in range(1, here + 1):
                batch.append(
                    Unit(
                        code=f"{ward.code}-R{number:02d}",
                        name=f"{label} {number}",
                        kind=kind,
                        parent=ward,
                        valid_from=ward.valid_from,
                        valid_to=valid_to,
                        households=80 + (weight * number) % 220,
                    )
                )
        return batch

    with transaction.atomic():
        restructuring = Restructuring.objects.create(
            effective_date=REFORM_DATE,
            title="Benchmark: residential areas follow their ward",
            operations=[{"op": "benchmark_residential"}],
        )
        legacy = units_under(legacy_wards, total // 2, closing_day)
        for unit in legacy:
            unit.closed_by_restructuring = restructuring
        place_units(legacy)
        place_units(units_under(current_wards, total - total // 2, None))
        default_successor = dict(
            Lineage.objects.filter(predecessor__in=legacy_wards, is_default=True).values_list(
                "predecessor_id", "successor_id"
            )
        )
        links = [
            Lineage(
                restructuring=restructuring,
                predecessor_id=unit.pk,
                successor_id=default_successor[unit.parent_id],
                share=Decimal(1),
                is_default=True,
            )
            for unit in legacy
            if unit.parent_id in default_successor
        ]
        Lineage.objects.bulk_create(links, batch_size=5000)
    orphans = sum(1 for unit in legacy if unit.parent_id not in default_successor)
    return len(legacy), orphans


def create_measure_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_measure")
        cursor.execute(
            "CREATE TABLE bench_measure ("
            " id bigserial PRIMARY KEY,"
            " unit_id bigint NOT NULL,"
            " recorded_on date NOT NULL,"
            " value integer NOT NULL)"
        )


def load_measures(rows: int) -> dict[str, int]:
    """INSERT … SELECT generate_series, year by year and level by level, in date order (as rows
    arrive in life), each row on a pseudo-random unit of that level in force that year. A level
    a year lacks (no districts after the reform) leaves its rows to the residential units."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    years = {2024: (LEGACY_DAY, rows // 2), 2026: (today, rows - rows // 2)}
    loaded: dict[str, int] = {}
    with connection.cursor() as cursor:
        for year, (day, count) in years.items():
            start = dt.date(year, 1, 1)
            days = (dt.date(year + 1, 1, 1) - start).days
            left = count
            for level in [*LEVEL_SHARES, RESIDENTIAL_KIND]:
                cursor.execute("DROP TABLE IF EXISTS bench_pool")
                cursor.execute(
                    "CREATE TEMP TABLE bench_pool AS"
                    " SELECT (row_number() OVER (ORDER BY u.id) - 1) AS n, u.id"
                    " FROM org_unit u JOIN org_unitkind k ON k.id = u.kind_id"
                    " WHERE k.code = %s AND u.valid_from <= %s"
                    " AND (u.valid_to IS NULL OR u.valid_to >= %s)",
                    [level, day, day],
                )
                size = cursor.rowcount
                n = left if level == RESIDENTIAL_KIND else round(count * LEVEL_SHARES[level])
                if not size or not n:
                    continue
                left -= n
                cursor.execute("CREATE UNIQUE INDEX ON bench_pool (n)")
                # 2654435761 (Knuth's multiplicative hash) scatters consecutive rows over units.
                cursor.execute(
                    "INSERT INTO bench_measure (unit_id, recorded_on, value)"
                    " SELECT p.id, %s::date + (g::bigint * %s / %s)::int,"
                    " 1 + (g::bigint * 7919) %% 100"
                    " FROM generate_series(0, %s - 1) AS g"
                    " JOIN bench_pool p ON p.n = (g::bigint * 2654435761) %% %s"
                    " ORDER BY g",
                    [start, days, n, n, size],
                )
                loaded[f"{year} {level}"] = cursor.rowcount
        cursor.execute("DROP TABLE IF EXISTS bench_pool")
    return loaded


INDEXES = {
    # The index a measure table that is rolled up should have: the summed column rides along,
    # so a roll-up reads the index alone (an index-only scan) instead of a heap page per row.
    "covering": "CREATE INDEX bench_measure_unit_id ON bench_measure (unit_id) INCLUDE (value)",
    "plain": "CREATE INDEX bench_measure_unit_id ON bench_measure (unit_id)",
}


def index_and_analyse(kind: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS bench_measure_unit_id")
        cursor.execute(INDEXES[kind])
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        cursor.execute("VACUUM ANALYZE bench_measure")
        cursor.execute("VACUUM ANALYZE org_unit")
        cursor.execute("VACUUM ANALYZE org_lineage")


def record_info(info: dict[str, Any]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_info (key text PRIMARY KEY, value text)")
        for key, value in info.items():
            cursor.execute(
                "INSERT INTO bench_info (key, value) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, str(value)],
            )


def load(args: argparse.Namespace, config: dict[str, Any]) -> dict[str, str]:
    """Build the bench database from nothing; returns what was loaded and how long it took."""
    import django

    timer = Timer()
    print(f"Building {config['NAME']} (dropped and recreated):")
    timer.run("create database", lambda: recreate_database(config))
    django.setup()
    timer.run("migrate", migrate)
    timer.run("import_vietnam (whole country)", import_country)
    legacy, orphans = timer.run(
        f"generate {args.residential:,} residential units",
        lambda: generate_residential(args.residential),
    )
    timer.run("create bench_measure", create_measure_table)
    loaded = timer.run(f"insert {args.rows:,} measure rows", lambda: load_measures(args.rows))
    timer.run(
        f"{args.index} index on bench_measure(unit_id), VACUUM ANALYZE",
        lambda: index_and_analyse(args.index),
    )
    info = {
        "rows": args.rows,
        "residential": args.residential,
        "index": args.index,
        "legacy_residential": legacy,
        "residential_without_successor": orphans,
        **{f"rows {key}": value for key, value in loaded.items()},
        **{f"time {key}": f"{seconds:.1f}" for key, seconds in timer.steps.items()},
    }
    record_info(info)
    return {key: str(value) for key, value in info.items()}


# --- the measure model and the floors -----------------------------------------------------------


def measure_model():
    from django.db import models

    from thidua.org.models import Unit

    class BenchMeasure(models.Model):
        """A per-unit measure the roll-up knows nothing about; only this benchmark uses it."""

        unit = models.ForeignKey(
            Unit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
        )
        recorded_on = models.DateField()
        value = models.IntegerField()

        class Meta:
            app_label = "org"
            managed = False
            db_table = "bench_measure"

        def __str__(self) -> str:
            return f"{self.unit_id} {self.recorded_on} {self.value}"

    return BenchMeasure


FLOOR_THEN = """
SELECT split_part(substr(u.path, %(cut)s), '/', 1) AS segment, SUM(m.value), COUNT(*)
FROM bench_measure m JOIN org_unit u ON u.id = m.unit_id
WHERE u.path LIKE %(prefix)s
GROUP BY 1
"""

FLOOR_NOW = """
WITH RECURSIVE targets AS (
    SELECT id, split_part(substr(path, %(cut)s), '/', 1) AS segment
    FROM org_unit
    WHERE path LIKE %(prefix)s AND valid_from <= %(day)s
      AND (valid_to IS NULL OR valid_to >= %(day)s)
), carried (unit_id, segment, share) AS (
    SELECT id, segment, 1::numeric FROM targets
  UNION ALL
    SELECT l.predecessor_id, c.segment, c.share * l.share
    FROM carried c
    JOIN org_lineage l ON l.successor_id = c.unit_id
    JOIN org_unit p ON p.id = l.predecessor_id
    WHERE p.valid_to < %(day)s
), mapping AS MATERIALIZED (
    SELECT unit_id, segment, SUM(share) AS share FROM carried GROUP BY 1, 2
), per_unit AS (
    SELECT m.unit_id, SUM(m.value) AS total, COUNT(*) AS n
    FROM bench_measure m
    WHERE m.unit_id = ANY(ARRAY(SELECT unit_id FROM mapping))  -- a bitmap scan, in table order
    GROUP BY m.unit_id
)
SELECT mp.segment, SUM(pu.total * mp.share), SUM(pu.n * mp.share)
FROM per_unit pu JOIN mapping mp ON mp.unit_id = pu.unit_id
GROUP BY 1
"""


def floor(root, tree: str | dt.date) -> dict[str, Decimal]:
    """The roll-up by one hand-written query: {child segment ('' = the root itself): (total, n)}."""
    from django.db import connection, transaction

    params = {"cut": len(root.path) + 1, "prefix": root.path + "%"}
    sql = FLOOR_THEN
    if tree != "then":
        sql, params["day"] = FLOOR_NOW, tree
    # The recursive CTE's row estimate is huge, so PostgreSQL would JIT-compile the floor for
    # longer than it runs; a hand-tuned query switches that off.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return {seg: (Decimal(total), Decimal(n)) for seg, total, n in cursor.fetchall()}


def check_same(label: str, result, figures: dict[str, tuple[Decimal, Decimal]]) -> None:
    """The ORM roll-up and the floor agree on the total, the count and every child's figures."""
    from thidua.org.models import path_segment

    def close(a: Decimal, b: Decimal) -> bool:
        return abs(a - b) <= Decimal("1e-6") * max(abs(a), abs(b), Decimal(1))

    total = sum((t for t, _ in figures.values()), Decimal(0))
    count = sum((n for _, n in figures.values()), Decimal(0))
    problems = []
    if not close(result.total, total) or not close(result.count, count):
        problems.append(f"total {result.total}/{total}, count {result.count}/{count}")
    for child in result.children:
        want_total, want_n = figures.get(path_segment(child.pk)[:-1], (Decimal(0), Decimal(0)))
        got_total = result.by_child.get(child.pk, Decimal(0))
        got_n = result.count_by_child.get(child.pk, Decimal(0))
        if not close(got_total, want_total) or not close(got_n, want_n):
            problems.append(f"{child}: {got_total}/{want_total}, {got_n}/{want_n}")
    assert not problems, f"{label}: roll-up differs from the SQL floor: {problems[:5]}"


# --- timing --------------------------------------------------------------------------------------


def load_average() -> str:
    """The machine is shared: say how busy it was."""
    return "load average " + " / ".join(f"{x:.1f}" for x in os.getloadavg()) + " (1/5/15 min)"


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def bench(repeat: int, fn: Callable[[], Any], floor_fn: Callable[[], Any] | None = None):
    """Time fn (and its floor, alternating, so both see the same noise) after one warm-up run."""
    result, floor_result = fn(), floor_fn() if floor_fn else None
    times: list[float] = []
    floor_times: list[float] = []
    for _ in range(repeat):
        elapsed, result = timed(fn)
        times.append(elapsed)
        if floor_fn:
            elapsed, floor_result = timed(floor_fn)
            floor_times.append(elapsed)
    return times, floor_times, result, floor_result


def run(args: argparse.Namespace, info: dict[str, str]) -> None:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from thidua.org import selectors
    from thidua.org.models import Lineage, Unit

    measure = measure_model()
    today = timezone.localdate()
    nation = Unit.objects.get(code="VN", parent__isnull=True)
    hanoi = Unit.objects.filter(code=HANOI, kind__code="province").valid_on(today).get()
    # The current Hà Nội ward carrying the most legacy units, and its main legacy predecessor.
    ward_now = (
        Unit.objects.filter(parent=hanoi, kind__code="ward")
        .valid_on(today)
        .annotate(links=Count("predecessor_links"))
        .order_by("-links", "code")
        .first()
    )
    ward_then = (
        Lineage.objects.filter(successor=ward_now, predecessor__kind__code="ward")
        .select_related("predecessor")
        .order_by("-share", "predecessor__code")
        .first()
        .predecessor
    )
    residential = (
        Unit.objects.filter(parent=ward_then, kind__code=RESIDENTIAL_KIND).order_by("id").first()
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_measure")
        measure_rows = cursor.fetchone()[0]
    units = Unit.objects.count()
    print("\nSizes:")
    print(
        f"  units: {units:,} (in force today {Unit.objects.valid_on(today).count():,}, "
        f"on {LEGACY_DAY} {Unit.objects.valid_on(LEGACY_DAY).count():,})"
    )
    print(f"  lineage rows: {Lineage.objects.count():,}")
    print(f"  measure rows: {measure_rows:,} ({info.get('index', 'plain')} index on unit_id)")
    for key, value in info.items():
        if key.startswith("rows ") or key.startswith("residential_") or key == "legacy_residential":
            print(f"    {key}: {value}")
    print("Load times (s):")
    for key, value in info.items():
        if key.startswith("time "):
            print(f"  {key[5:]}: {value}")
    print(
        f"Roots: nation {nation.name}; Hà Nội {hanoi.name} ({hanoi.code}); "
        f"ward now {ward_now.name} ({ward_now.code}); ward 2024 {ward_then.name} "
        f"({ward_then.code}); residential {residential.name} ({residential.code})"
    )

    rows: list[tuple[str, list[float], list[float]]] = []

    def wanted(label: str) -> bool:
        return not args.only or any(word.lower() in label.lower() for word in args.only)

    def listing(label: str, root, day: dt.date) -> None:
        if not wanted(f"subtree {label}"):
            return
        times, _, result, _ = bench(args.repeat, lambda: list(selectors.subtree(root, as_of=day)))
        rows.append((f"subtree {label} ({len(result):,} units)", times, []))

    def roll(label: str, root, tree: str | dt.date) -> None:
        if not wanted(f"rollup {label}"):
            return
        queryset = measure.objects.all()
        times, floor_times, result, figures = bench(
            args.repeat,
            lambda: selectors.rollup(queryset, value="value", root=root, tree=tree),
            lambda: floor(root, tree),
        )
        check_same(label, result, figures)
        rows.append((f"rollup {label} (n={result.count:,.0f})", times, floor_times))

    print(f"\nTiming {args.repeat} runs of each after one warm-up; {load_average()}", flush=True)
    listing(f"nation {LEGACY_DAY}", nation, LEGACY_DAY)
    listing("nation today", nation, today)
    listing(f"Hà Nội {LEGACY_DAY}", hanoi, LEGACY_DAY)
    listing("Hà Nội today", hanoi, today)
    listing(f"ward {LEGACY_DAY}", ward_then, LEGACY_DAY)
    listing("ward today", ward_now, today)
    for label, unit in (("2024 residential", residential), ("today's ward", ward_now)):
        if not wanted(f"ancestors {label}"):
            continue
        times, _, _, _ = bench(args.repeat, lambda unit=unit: selectors.ancestors(unit))
        rows.append((f"ancestors {label}", times, []))
    roll("nation, then", nation, "then")
    roll("nation, today", nation, today)
    roll("Hà Nội, then", hanoi, "then")
    roll("Hà Nội, today", hanoi, today)
    roll("ward 2024, then", ward_then, "then")
    roll("ward today, today", ward_now, today)

    width = max((len(label) for label, *_ in rows), default=9)
    print(f"\n{'operation':<{width}}  median ms   p95 ms  floor med  floor p95  ratio")
    for label, times, floor_times in rows:
        line = f"{label:<{width}}  {statistics.median(times):9.1f} {p95(times):8.1f}"
        if floor_times:
            ratio = statistics.median(times) / statistics.median(floor_times)
            line += f"  {statistics.median(floor_times):9.1f} {p95(floor_times):10.1f}"
            line += f"  {ratio:5.2f}"
        print(line)
    print("ratio = median / floor median. Every roll-up matched its floor: total, count, children.")
    print(f"At the end: {load_average()}")


def main() -> None:
    args = parse_args()
    config = database_settings()
    info = loaded_info(config) if args.reuse else None
    wanted = {"rows": str(args.rows), "residential": str(args.residential)}
    if info is not None and all(info.get(key) == value for key, value in wanted.items()):
        import django

        print(f"Reusing {config['NAME']}: {args.rows:,} rows, {args.residential:,} residential.")
        django.setup()
        migrate("org")  # the tree's schema (and what it depends on) as the code expects it
        if info.get("index", "plain") != args.index:
            print(f"Replacing bench_measure's index by a {args.index} one…", flush=True)
            index_and_analyse(args.index)
            record_info({"index": args.index})
            info["index"] = args.index
    else:
        info = load(args, config)
    run(args, info)


if __name__ == "__main__":
    main()
