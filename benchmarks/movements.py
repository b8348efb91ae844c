"""Movements at city scale on PostgreSQL: the dashboard over 100,000 reports, and the offline
Excel import against django-import-export on the same file, in the same run.

Builds (or reuses) the database `thidua_bench_movements` on the server named by DATABASE_URL:
Hà Nội's real tree (`import_vietnam --province 01`: the 2024 tree and the 2025 reform), the
residential areas of its 2024 wards (`org.services.generate_residential_areas`, closed by the
reform and carried 1:1 into today's wards), a quarterly movement over Hà Nội 2024-01-01 –
2026-12-31 with three indicators, and 100,000 accepted reports (units of the 2024 tree for the
periods before the reform, today's units after it). Then:

1. times the `movements:dashboard` page through Django's test client, logged in as a superuser,
   for Hà Nội: the whole movement, a 2024 period and a 2026 period, each under the tree of then
   and of now (median and p95 of --repeat requests after a warm-up; target p95 < 300 ms);
2. writes 50,000 filled report rows into an offline template (`offline.write_template`) and
   imports that file with `offline.import_reports` (three times) and with django-import-export
   (configured as `die_resource` below says, twice: as documented, and with cached foreign-key
   lookups) into the same emptied movement, checking every run wrote the same; target: our
   rows/s at least 20 times django-import-export's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python benchmarks/movements.py [--reports 100000] [--import-rows 50000] \
        [--repeat 30] [--reuse] [--part all|dashboard|import] [--database thidua_bench_movements]

Only the server of DATABASE_URL is used: the benchmark always works in `thidua_bench_movements`
(or --database), which it drops and recreates unless --reuse finds it loaded with the same sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
os.environ["DEBUG"] = "false"  # no query log in memory while timing

from _pg import (  # noqa: E402  benchmarks/_pg.py
    HANOI,
    Timer,
    analyse,
    bench_admin,
    database_settings,
    import_hanoi,
    loaded_info,
    migrate,
    record_info,
    recreate_database,
    stable,
)

BENCH_DB = "thidua_bench_movements"
STARTS, ENDS = dt.date(2024, 1, 1), dt.date(2026, 12, 31)
REFORM_DATE = dt.date(2025, 7, 1)
DASHBOARD_TITLE = "Bench: Toàn dân đoàn kết xây dựng đời sống văn hóa"
IMPORT_TITLE = "Bench: offline import target"
INDICATORS = [
    {"name": "Households reached", "unit_of_measure": "hộ", "aggregation": "sum"},
    {"name": "Average satisfaction", "unit_of_measure": "1–10", "aggregation": "average"},
    {"name": "Cultural households", "unit_of_measure": "hộ", "aggregation": "ratio"},
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000, help="accepted reports")
    parser.add_argument("--import-rows", type=int, default=50_000, help="rows in the Excel file")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per dashboard view")
    parser.add_argument("--reuse", action="store_true", help="keep a database already loaded")
    parser.add_argument(
        "--database",
        default=BENCH_DB,
        help=f"the database to build or reuse (dropped and recreated!), default {BENCH_DB}",
    )
    parser.add_argument(
        "--part", choices=["all", "dashboard", "import"], default="all", help="what to time"
    )
    parser.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="leave the loaded objects in the collector's generations (wsgi.py freezes them)",
    )
    return parser.parse_args()


# --- loading -------------------------------------------------------------------------------------


def residential_areas() -> dict[str, int]:
    """The 2024 wards' residential areas from the service, closed on the reform's eve and carried
    1:1 into the ward that took their ward over (its default successor), with lineage."""
    from django.db import transaction

    from thidua.core.actors import SystemActor
    from thidua.org.models import Lineage, Restructuring, Unit, UnitKind
    from thidua.org.services import generate_residential_areas, place_units

    hanoi = Unit.objects.get(code=HANOI, kind__code="province")
    legacy_wards = list(
        Unit.objects.filter(kind__code="ward", path__startswith=hanoi.path)
        .valid_on(dt.date(2024, 6, 30))
        .order_by("code")
    )
    actor = SystemActor("benchmarks/movements")
    generate_residential_areas(actor, wards=legacy_wards, valid_from=STARTS)
    kind = UnitKind.objects.get(code="residential_area")
    eve = REFORM_DATE - dt.timedelta(days=1)
    successor = dict(
        Lineage.objects.filter(predecessor__in=legacy_wards, is_default=True).values_list(
            "predecessor_id", "successor_id"
        )
    )
    with transaction.atomic():
        restructuring = Restructuring.objects.create(
            effective_date=REFORM_DATE,
            title="Benchmark: residential areas follow their ward",
            operations=[{"op": "benchmark_residential"}],
        )
        legacy = list(
            Unit.objects.filter(parent__in=legacy_wards, kind=kind).order_by("parent_id", "code")
        )
        Unit.objects.filter(pk__in=[u.pk for u in legacy]).update(
            valid_to=eve, closed_by_restructuring=restructuring
        )
        wards_now = {u.pk: u for u in Unit.objects.filter(pk__in=set(successor.values()))}
        numbers: dict[int, int] = {}
        carried: list[tuple[Unit, Unit]] = []
        for old in legacy:
            ward = wards_now.get(successor.get(old.parent_id))
            if ward is None:
                continue
            numbers[ward.pk] = numbers.get(ward.pk, 0) + 1
            new = Unit(
                code=f"{ward.code}-{numbers[ward.pk]:03d}",
                name=old.name,
                kind=kind,
                parent=ward,
                valid_from=REFORM_DATE,
                households=old.households,
                population=old.population,
                created_by_restructuring=restructuring,
            )
            carried.append((old, new))
        place_units([new for _old, new in carried])
        Lineage.objects.bulk_create(
            [
                Lineage(
                    restructuring=restructuring,
                    predecessor=old,
                    successor=new,
                    share=Decimal(1),
                    is_default=True,
                )
                for old, new in carried
            ],
            batch_size=5000,
        )
    return {"residential 2024": len(legacy), "residential today": len(carried)}


def create_movement(title: str):
    from thidua.movements import services
    from thidua.movements.models import Movement
    from thidua.org.models import Unit

    admin = bench_admin()
    hanoi = Unit.objects.get(code=HANOI, kind__code="province")
    movement = services.create_movement(
        admin,
        title=title,
        owner_unit=hanoi,
        kind=Movement.Kind.PERIODIC,
        starts_on=STARTS,
        ends_on=ENDS,
        schedule=Movement.Schedule.QUARTERLY,
        indicators=INDICATORS,
    )
    return services.launch_movement(admin, movement=movement, on=STARTS)


def unit_periods(movement) -> list[tuple[int, int]]:
    """Every (unit, period) that owes a report: participants in force on each period's end."""
    from thidua.movements import selectors

    pairs = []
    for period in movement.periods.all():
        units = selectors.participants(movement, on=period.ends_on).order_by("path")
        pairs += [(unit_id, period.pk) for unit_id in units.values_list("pk", flat=True)]
    return pairs


def pick(pairs: list[Any], count: int, salt: str) -> list[Any]:
    """`count` of the pairs, spread over all of them, in their order, the same on every run."""
    if count > len(pairs):
        sys.exit(f"Only {len(pairs):,} unit-periods owe a report; cannot place {count:,}.")
    ranked = sorted(range(len(pairs)), key=lambda i: stable(salt, pairs[i]))[:count]
    return [pairs[i] for i in sorted(ranked)]


def sample_values(key: Any) -> tuple[int, Decimal, int, int]:
    h = stable("values", key)
    households = 60 + h % 240
    satisfaction = Decimal(50 + h % 51) / 10
    cultural = households * (70 + (h >> 8) % 30) // 100
    return households, satisfaction, cultural, households


def load_reports(movement, count: int) -> int:
    """Accepted reports with their three values, generated in bulk (not through the service:
    this is data, what is timed is reading it); the movement's roll-up table is rebuilt from
    them in the same transaction, as any bulk writer of accepted reports must."""
    from django.db import connection, transaction
    from django.utils import timezone

    from thidua.movements.models import Report, ReportValue
    from thidua.movements.services.totals import rebuild_totals

    chosen = pick(unit_periods(movement), count, "dashboard")
    households, satisfaction, cultural = movement.indicators.order_by("order")
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, len(chosen), 10_000):
            batch = chosen[start : start + 10_000]
            reports = Report.objects.bulk_create(
                Report(
                    movement=movement,
                    unit_id=unit_id,
                    period_id=period_id,
                    status=Report.Status.ACCEPTED,
                    submitted_at=now,
                    decided_at=now,
                )
                for unit_id, period_id in batch
            )
            with connection.cursor() as cursor:
                table = ReportValue._meta.db_table
                with cursor.cursor.copy(
                    f'COPY "{table}" (report_id, indicator_id, value, base) FROM STDIN'
                ) as copy:
                    for report, key in zip(reports, batch, strict=True):
                        reached, score, good, base = sample_values(key)
                        copy.write_row((report.pk, households.pk, reached, None))
                        copy.write_row((report.pk, satisfaction.pk, score, None))
                        copy.write_row((report.pk, cultural.pk, good, base))
        rebuild_totals(bench_admin(), movement=movement)
    return len(chosen)


def load(args: argparse.Namespace, config: dict[str, Any]) -> dict[str, str]:
    import django

    timer = Timer()
    print(f"Building {BENCH_DB} (dropped and recreated):")
    timer.run("create database", lambda: recreate_database(config, BENCH_DB))
    django.setup()
    timer.run("migrate", migrate)
    timer.run("import_vietnam --province 01", import_hanoi)
    sizes = timer.run("residential areas (2024 and carried to today)", residential_areas)
    dashboard = timer.run("dashboard movement", lambda: create_movement(DASHBOARD_TITLE))
    target = timer.run("import target movement", lambda: create_movement(IMPORT_TITLE))
    loaded = timer.run(
        f"{args.reports:,} accepted reports", lambda: load_reports(dashboard, args.reports)
    )
    timer.run("VACUUM ANALYZE", analyse)
    info = {
        "reports": loaded,
        "dashboard_movement": dashboard.pk,
        "import_movement": target.pk,
        **sizes,
        **{f"time {key}": f"{seconds:.1f}" for key, seconds in timer.steps.items()},
    }
    record_info(info)
    return {key: str(value) for key, value in info.items()}


# --- timing --------------------------------------------------------------------------------------


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def time_dashboard(movement, repeat: int) -> list[tuple[str, list[float], int]]:
    from django.test import Client
    from django.urls import reverse

    from thidua.org.models import Unit

    client = Client()
    client.force_login(bench_admin())
    hanoi = Unit.objects.get(code=HANOI, kind__code="province")
    url = reverse("movements:dashboard", args=[movement.pk])
    then_period = movement.periods.get(label="2024-Q4")
    now_period = movement.periods.get(label="2026-Q2")
    cases = [
        ("whole movement, tree of then", {"tree": "then"}),
        ("whole movement, tree of now", {"tree": "now"}),
        (f"period {then_period.label}, tree of then", {"period": then_period.pk, "tree": "then"}),
        (f"period {then_period.label}, tree of now", {"period": then_period.pk, "tree": "now"}),
        (f"period {now_period.label}, tree of then", {"period": now_period.pk, "tree": "then"}),
        (f"period {now_period.label}, tree of now", {"period": now_period.pk, "tree": "now"}),
    ]
    rows = []
    for label, params in cases:
        query = {"unit": hanoi.pk, **params}
        first = client.get(url, query)  # warm-up
        assert first.status_code == 200, first.status_code
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url, query)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        rows.append((label, times, len(first.content)))
    return rows


# --- the import: ours and django-import-export ---------------------------------------------------


def write_import_file(movement, count: int, path: Path) -> int:
    """An offline template of `movement` for Hà Nội with `count` rows, every one filled in."""
    from thidua.movements import offline
    from thidua.org.models import Unit

    hanoi = Unit.objects.get(code=HANOI, kind__code="province")
    rows = pick(offline.template_rows(movement, unit=hanoi), count, "import")
    households, satisfaction, cultural = movement.indicators.order_by("order")
    for number, row in enumerate(rows):
        reached, score, good, base = sample_values((row.unit_code, row.period))
        row.values = {
            households.pk: (Decimal(reached), None),
            satisfaction.pk: (score, None),
            cultural.pk: (Decimal(good), Decimal(base)),
        }
        row.narrative = f"Ghi chú {number}" if number % 10 == 0 else ""
    offline.write_template(movement, unit=hanoi, rows=rows).save(path)
    return len(rows)


def clear_reports(movement) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in (
            "DELETE FROM movements_reportvalue v USING movements_report r"
            " WHERE v.report_id = r.id AND r.movement_id = %s",
            "DELETE FROM movements_reportevent e USING movements_report r"
            " WHERE e.report_id = r.id AND r.movement_id = %s",
            "DELETE FROM movements_report WHERE movement_id = %s",
        ):
            cursor.execute(sql, [movement.pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE movements_report, movements_reportvalue, movements_reportevent"
        )


def written(movement) -> tuple:
    """What an import left: reports, values, their sums, events; to compare the two imports."""
    from django.db.models import Count, Sum

    from thidua.movements.models import Report, ReportEvent, ReportValue

    values = ReportValue.objects.filter(report__movement=movement).aggregate(
        n=Count("pk"), value=Sum("value"), base=Sum("base")
    )
    reports = Report.objects.filter(movement=movement)
    return (
        reports.filter(status=Report.Status.SUBMITTED).count(),
        values["n"],
        values["value"],
        values["base"],
        ReportEvent.objects.filter(report__movement=movement).count(),
        sum(len(n) for n in reports.values_list("narrative", flat=True)),
    )


def timed_run(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, this process's CPU seconds, result). CPU time leaves out PostgreSQL's own
    work and, mostly, other processes competing for the machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def run_ours(movement, path: Path) -> tuple[float, float]:
    from thidua.movements.services.offline import import_reports
    from thidua.org.models import Unit

    hanoi = Unit.objects.get(code=HANOI, kind__code="province")
    wall, cpu, result = timed_run(
        lambda: import_reports(bench_admin(), movement=movement, unit=hanoi, rows_or_path=path)
    )
    print(f"    ours: {result.created:,} reports in {wall:.2f} s (CPU {cpu:.2f} s)", flush=True)
    return wall, cpu


def die_resource(movement, *, cached: bool):
    """django-import-export, configured for a fast bulk import of new reports (its documented
    "Bulk imports" / performance settings):

    - a `ModelResource` for `Report`, fields: unit (the "Code" column), period (the "Period"
      column), narrative; the indicator columns are declared as extra `Field`s with a
      `DecimalWidget` (attribute-only: Report has no such fields) and become `ReportValue`s;
    - `use_bulk=True`, `batch_size=1000`: reports are saved with `bulk_create` per 1000 rows, and
      the overridden `bulk_create` writes that batch's values and events with `bulk_create` too;
    - `force_init_instance=True`: no instance loader query, every row is a new report;
    - `skip_diff=True`, `skip_html_diff=True`, `skip_unchanged=False`, `report_skipped=False`,
      `clean_model_instances=False` (no full_clean per row), `use_transactions=True` (one
      transaction), `import_data(dry_run=False, raise_errors=True)`;
    - foreign keys through `ForeignKeyWidget` with a row-dependent `get_queryset` (the pattern its
      docs give): the unit by code among Hà Nội's units in force on the row's period end, the
      period by label among the movement's; that is one query per key per row. With
      `cached=True` both widgets look up a dict loaded once instead (no query per row), the
      tuning its docs suggest for ForeignKeyWidget;
    - `before_save_instance` sets the movement, status submitted and submitted_at and applies the
      same value rules as ours (numbers ≥ 0, a positive base for a ratio);
    - the file is read by its own `formats.base_formats.XLSX().create_dataset` (openpyxl
      read-only), as its admin does.
    """
    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from import_export import fields, resources, widgets

    from thidua.movements import offline, selectors
    from thidua.movements.models import Period, Report, ReportEvent, ReportValue
    from thidua.org.models import Unit

    hanoi = Unit.objects.get(code=HANOI, kind__code="province")
    columns = {c.key: c.label for c in offline.template_columns(movement)}
    periods = {p.label: p for p in Period.objects.filter(movement=movement)}
    indicators = list(movement.indicators.order_by("order"))
    admin = bench_admin()
    now = timezone.now()

    class UnitWidget(widgets.ForeignKeyWidget):
        def __init__(self):
            super().__init__(Unit, field="code")
            self.cache: dict[tuple[str, str], Unit] | None = None

        def get_queryset(self, value, row, *args, **kwargs):
            period = periods[row[columns["period"]]]
            return selectors.participants(movement, root=hanoi, on=period.ends_on)

        def clean(self, value, row=None, **kwargs):
            if not cached:
                return super().clean(value, row, **kwargs)
            if self.cache is None:
                self.cache = {}
                for label, period in periods.items():
                    for unit in selectors.participants(movement, root=hanoi, on=period.ends_on):
                        self.cache[(unit.code, label)] = unit
            try:
                return self.cache[(str(value), row[columns["period"]])]
            except KeyError as error:
                raise ValueError(f"no unit {value}") from error

    class PeriodWidget(widgets.ForeignKeyWidget):
        def __init__(self):
            super().__init__(Period, field="label")

        def get_queryset(self, value, row, *args, **kwargs):
            return Period.objects.filter(movement=movement)

        def clean(self, value, row=None, **kwargs):
            if not cached:
                return super().clean(value, row, **kwargs)
            try:
                return periods[value]
            except KeyError as error:
                raise ValueError(f"no period {value}") from error

    declared = {
        "unit": fields.Field(
            attribute="unit", column_name=columns["unit_code"], widget=UnitWidget()
        ),
        "period": fields.Field(
            attribute="period", column_name=columns["period"], widget=PeriodWidget()
        ),
        "narrative": fields.Field(
            attribute="narrative", column_name=columns["narrative"], widget=widgets.CharWidget()
        ),
    }
    for indicator in indicators:
        for kind in ("value", "base"):
            key = f"{kind}:{indicator.pk}"
            if key in columns:
                declared[f"{kind}_{indicator.pk}"] = fields.Field(
                    attribute=f"{kind}_{indicator.pk}",
                    column_name=columns[key],
                    widget=widgets.DecimalWidget(),
                )

    class Meta:
        model = Report
        fields = tuple(declared)
        use_bulk = True
        batch_size = 1000
        force_init_instance = True
        skip_diff = True
        skip_html_diff = True
        skip_unchanged = False
        report_skipped = False
        clean_model_instances = False
        use_transactions = True

    def before_save_instance(self, instance, row, **kwargs):
        instance.movement = movement
        instance.status = Report.Status.SUBMITTED
        instance.submitted_at = now
        instance.narrative = instance.narrative or ""
        for indicator in indicators:
            value = getattr(instance, f"value_{indicator.pk}", None)
            base = getattr(instance, f"base_{indicator.pk}", None)
            if value is not None and value < 0:
                raise ValidationError("The value cannot be negative.")
            if indicator.aggregation == "ratio" and value is not None and not base:
                raise ValidationError("A ratio needs a positive base.")

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        batch = list(self.create_instances)
        resources.ModelResource.bulk_create(
            self, using_transactions, dry_run, raise_errors, batch_size, result
        )
        values, events = [], []
        for report in batch:
            snapshot = {}
            for indicator in indicators:
                value = getattr(report, f"value_{indicator.pk}", None)
                base = getattr(report, f"base_{indicator.pk}", None)
                if value is None:
                    continue
                value = value.quantize(Decimal("0.01"))
                base = base.quantize(Decimal("0.01")) if base is not None else None
                values.append(
                    ReportValue(report=report, indicator=indicator, value=value, base=base)
                )
                snapshot[str(indicator.pk)] = [str(value), str(base) if base else None]
            events.append(
                ReportEvent(report=report, status="submitted", actor=admin, values=snapshot)
            )
        ReportValue.objects.bulk_create(values, batch_size=batch_size)
        ReportEvent.objects.bulk_create(events, batch_size=batch_size)

    attributes = {
        **declared,
        "Meta": Meta,
        "before_save_instance": before_save_instance,
        "bulk_create": bulk_create,
        "__module__": __name__,
    }
    return type("DieReportResource", (resources.ModelResource,), attributes)()


def run_die(movement, path: Path, *, cached: bool) -> tuple[float, float]:
    from import_export.formats.base_formats import XLSX

    def run() -> Any:
        resource = die_resource(movement, cached=cached)
        dataset = XLSX().create_dataset(path.read_bytes())
        return resource.import_data(dataset, dry_run=False, raise_errors=True)

    wall, cpu, result = timed_run(run)
    assert not result.has_errors() and not result.has_validation_errors()
    name = "django-import-export" + (" (cached FKs)" if cached else "")
    print(
        f"    {name}: {result.totals['new']:,} reports in {wall:.2f} s (CPU {cpu:.2f} s)",
        flush=True,
    )
    return wall, cpu


def time_imports(movement, rows: int) -> tuple[int, dict[str, list[tuple[float, float]]]]:
    """Ours three times (before, between and after the two django-import-export runs, so a
    change in the machine's load shows), each django-import-export variant once; every run
    starts from an empty movement and must leave exactly what the first one left."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "offline-reports.xlsx"
        start = time.perf_counter()
        count = write_import_file(movement, rows, path)
        print(
            f"  wrote {count:,} filled rows to {path.name} ({path.stat().st_size / 1e6:.1f} MB)"
            f" in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        ours = "thidua offline.import_reports"
        documented = "django-import-export, bulk mode (as documented)"
        cached = "django-import-export, bulk mode + cached FK lookups"
        plan: list[tuple[str, Callable[[], tuple[float, float]]]] = [
            (ours, lambda: run_ours(movement, path)),
            (documented, lambda: run_die(movement, path, cached=False)),
            (ours, lambda: run_ours(movement, path)),
            (cached, lambda: run_die(movement, path, cached=True)),
            (ours, lambda: run_ours(movement, path)),
        ]
        results: dict[str, list[tuple[float, float]]] = {ours: [], documented: [], cached: []}
        expected = None
        for label, run in plan:
            clear_reports(movement)
            results[label].append(run())
            figures = written(movement)
            if expected is None:
                expected = figures
            assert figures == expected, f"{label} wrote {figures}, ours {expected}"
        clear_reports(movement)
    return count, results


def run(args: argparse.Namespace, info: dict[str, str]) -> None:
    from thidua.movements.models import Movement, Report, ReportValue
    from thidua.org.models import Unit

    dashboard = Movement.objects.get(pk=int(info["dashboard_movement"]))
    target = Movement.objects.get(pk=int(info["import_movement"]))
    print("\nSizes:")
    print(f"  units: {Unit.objects.count():,}")
    for key in ("residential 2024", "residential today"):
        print(f"  {key}: {info.get(key)}")
    print(f"  periods: {dashboard.periods.count()} quarters {STARTS} – {ENDS}")
    reports = Report.objects.filter(movement=dashboard)
    print(
        f"  reports (accepted): {reports.count():,};"
        f" values: {ReportValue.objects.filter(report__movement=dashboard).count():,}"
    )
    print("Load times (s):")
    for key, value in info.items():
        if key.startswith("time "):
            print(f"  {key[5:]}: {value}")

    dashboard_rows: list = []
    imports: dict = {}
    if args.part in ("all", "dashboard"):
        if not args.no_gc_freeze:
            import gc

            gc.freeze()  # as src/thidua/wsgi.py does once the application is loaded
        print(f"\nDashboard: {args.repeat} requests each (after one warm-up)…", flush=True)
        dashboard_rows = time_dashboard(dashboard, args.repeat)
    if args.part in ("all", "import"):
        print(f"\nImport of {args.import_rows:,} rows from Excel…", flush=True)
        count, imports = time_imports(target, args.import_rows)
    print(f"\nLoad average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")

    if dashboard_rows:
        width = max(len(label) for label, *_ in dashboard_rows) + 12
        print(f"\n{'movements:dashboard, Hà Nội':<{width}}  median ms   p95 ms   target")
        for label, times, _length in dashboard_rows:
            p = p95(times)
            verdict = "ok" if p < 300 else "OVER"
            print(f"{label:<{width}}  {statistics.median(times):9.1f} {p:8.1f}   p95<300 {verdict}")
    if not imports:
        return
    ours_wall = statistics.median(wall for wall, _cpu in imports[next(iter(imports))])
    ours_cpu = statistics.median(cpu for _wall, cpu in imports[next(iter(imports))])
    width = max(len(label) for label in imports)
    print(
        f"\n{'import of ' + format(count, ',') + ' rows':<{width}}"
        "   wall s     rows/s  ours ×   CPU s  ours × (CPU)"
    )
    for label, runs in imports.items():
        wall = statistics.median(w for w, _c in runs)
        cpu = statistics.median(c for _w, c in runs)
        print(
            f"{label:<{width}}  {wall:7.2f} {count / wall:10,.0f} {wall / ours_wall:7.1f}"
            f" {cpu:7.2f} {cpu / ours_cpu:8.1f}"
        )
    print(
        "ours: median of 3 runs (before, between and after the others); ours × = how many\n"
        "times our rows/s (target: ≥ 20). CPU = this process only (PostgreSQL's work excluded).\n"
        "Every import wrote the same reports, values, sums, events and narratives."
    )


def main() -> None:
    global BENCH_DB
    args = parse_args()
    if not args.database.replace("_", "").isalnum() or args.database in ("postgres", "template1"):
        sys.exit(f"Refusing to use {args.database!r} as the benchmark database.")
    BENCH_DB = args.database
    config = database_settings(BENCH_DB)
    info = loaded_info(config, BENCH_DB) if args.reuse else None
    if info is not None and info.get("reports") == str(args.reports):
        import django

        print(f"Reusing {BENCH_DB}: {args.reports:,} reports.")
        django.setup()
        migrate()
    else:
        info = load(args, config)
    run(args, info)


if __name__ == "__main__":
    main()
