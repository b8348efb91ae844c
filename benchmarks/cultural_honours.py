"""`Honour` at 10⁵ rows a year: is the registry table light enough for the cultural families of
a district, or do they need a lighter table? (Issue #18, "benchmark `Honour` at 10⁵ rows a year
before choosing a lighter table".)

Builds the database named by --database on the server of DATABASE_URL (dropped and recreated):
a city, --wards wards of 30 residential groups, and one chairman's decision per ward written
through `honors.services.issue_bulk_decision` (the path of `cultural_titles.decide_families`)
until --honours honours (and as many certificates) exist for the year. Then it reports:

- the seconds of each ward's bulk write and the rows per second;
- the table sizes of honours and certificates (bytes per row, indexes included);
- the reads cultural titles make, median and p95 of --repeat runs each: one decision's annex,
  one area's certificates to print, a certificate's verification by serial and check code, and
  the registry searched by a name.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/cultural_honours.py [--honours 100000] [--wards 12] \\
        [--repeat 30] [--database thidua_cultural_honours]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
os.environ["DEBUG"] = "false"

from _pg import Timer, analyse, database_settings, migrate, recreate_database  # noqa: E402

YEAR = 2026
GROUPS = 30


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--honours", type=int, default=100_000)
    parser.add_argument("--wards", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database", default="thidua_cultural_honours")
    return parser.parse_args()


def build(wards: int):
    from thidua.accounts.models import User
    from thidua.honors.catalogue import ensure_catalogue
    from thidua.org.models import Unit, UnitKind
    from thidua.org.services import place_units

    ensure_catalogue()
    kinds = {k.code: k for k in UnitKind.objects.all()}
    since = dt.date(2025, 7, 1)
    city = place_units([Unit(code="01", name="Thành phố Hà Nội", kind=kinds["province"],
                             valid_from=since)])[0]  # fmt: skip
    placed = place_units(
        [
            Unit(
                code=f"W{w:03d}",
                name=f"Phường {w}",
                kind=kinds["ward"],
                parent=city,
                valid_from=since,
            )  # fmt: skip
            for w in range(1, wards + 1)
        ]
    )
    groups = {}
    for ward in placed:
        groups[ward.pk] = place_units(
            [
                Unit(
                    code=f"{ward.code}-{g:02d}",
                    name=f"Tổ dân phố {g}",
                    kind=kinds["residential_area"],
                    parent=ward,
                    valid_from=since,
                )  # fmt: skip
                for g in range(1, GROUPS + 1)
            ]
        )
    admin = User.objects.create(username="bench-admin", is_superuser=True, is_staff=True)
    return admin, placed, groups


def timed(repeat: int, fn) -> tuple[float, float]:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def main() -> None:
    args = parse_args()
    config = database_settings(args.database)
    recreate_database(config, args.database)
    import django

    django.setup()
    from django.db import connection

    from thidua.honors import selectors
    from thidua.honors import services as honors
    from thidua.honors.models import Certificate, Honour

    timer = Timer()
    print(f"Database {args.database}: migrate and build {args.wards} wards × {GROUPS} groups")
    timer.run("migrate", migrate)
    admin, wards, groups = timer.run("tree", lambda: build(args.wards))
    per_ward = -(-args.honours // args.wards)
    written = 0
    writes = []
    for index, ward in enumerate(wards, start=1):
        count = min(per_ward, args.honours - written)
        if count <= 0:
            break
        recipients = [
            honors.BulkRecipient(
                name=f"Nguyễn Văn Hộ {index}-{n}", unit=groups[ward.pk][n % GROUPS]
            )
            for n in range(count)
        ]
        started = time.perf_counter()
        honors.issue_bulk_decision(
            admin,
            unit=ward,
            award_code="gia-dinh-van-hoa",
            number=f"{index}/QĐ-UBND",
            signed_on=dt.date(YEAR, 11, 30),
            signer="Chủ tịch",
            recipients=recipients,
        )
        writes.append(time.perf_counter() - started)
        written += count
    print(f"  bulk writes: {written} honours in {sum(writes):.1f} s "
          f"({written / sum(writes):.0f} rows/s; one ward of {per_ward}: "
          f"median {statistics.median(writes):.1f} s)")  # fmt: skip
    analyse()
    with connection.cursor() as cursor:
        sizes = {}
        for table in ("honors_honour", "honors_certificate"):
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            sizes[table] = cursor.fetchone()[0]
    for table, size in sizes.items():
        print(f"  {table}: {size / 1e6:.1f} MB, {size / max(1, written):.0f} bytes a row")
    decision = Honour.objects.order_by("-id").first().decision
    area = groups[decision.unit_id][0]
    certificate = Certificate.objects.filter(honour__decision=decision).first()
    reads = {
        "annex of one decision (all rows)": lambda: len(list(selectors.annex(decision))),
        "one area's certificates to print": lambda: selectors.printable_certificates(
            decision.pk, unit_id=area.pk
        ),
        "verification by serial and check code": lambda: selectors.verify_certificate(
            certificate.serial, certificate.check_code
        ),
        "registry searched by a name (first 50)": lambda: list(
            selectors.registry(admin, query="Nguyễn Văn Hộ 3-1234")[:50]
        ),
        "titled households per area, the whole year": lambda: list(
            Honour.objects.filter(conferred_on__year=YEAR)
            .values("unit_id")
            .annotate(n=django.db.models.Count("id"))
        ),
    }
    print()
    print(f"Reads at {Honour.objects.count()} honours ({args.repeat} runs each):")
    for label, fn in reads.items():
        median, p95 = timed(args.repeat, fn)
        print(f"  {label}: median {median:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
