"""Commendation benchmarks (PostgreSQL for the registry search).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench_honors \
        .venv/bin/python benchmarks/honors.py [--honours 1000000] [--certificates 1000]

1. Certificates: issues `--certificates` certificates in one decision, then generates them all
   as one background batch would (`honors.batches.run_batch`: each PDF rendered with its QR
   code and stored, then one ZIP), reporting the time per certificate of each step. The PDFs go
   to a temporary MEDIA_ROOT, removed at the end.
2. Registry: loads `--honours` honours with one INSERT … SELECT generate_series, then times
   `selectors.registry(...)` (first page + statistics) for 30 searches; reports p50/p95.
The database named in DATABASE_URL is migrated, not dropped; rows are added to it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

MEDIA = tempfile.mkdtemp(prefix="thidua-bench-")
settings.MEDIA_ROOT = MEDIA

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tests.factories import make_unit  # noqa: E402
from thidua.honors import batches, selectors, services  # noqa: E402
from thidua.honors.catalogue import ensure_catalogue  # noqa: E402
from thidua.honors.models import AwardType, CertificateBatch, Nomination, Round  # noqa: E402
from thidua.org.models import Unit  # noqa: E402

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLES = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Đức", "Ngọc", "Quang"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hoa", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Tâm", "Yến"]


def setup():
    call_command("migrate", verbosity=0)
    ensure_catalogue()
    from thidua.accounts.models import User

    admin, _ = User.objects.get_or_create(username="bench-root", defaults={"is_superuser": True})
    admin.is_superuser = True
    admin.save()
    root = Unit.objects.filter(code="BENCH-01").first() or make_unit(
        "Thành phố Benchmark", code="BENCH-01", kind_code="province"
    )
    ward = Unit.objects.filter(code="BENCH-01-W").first() or make_unit(
        "Phường Benchmark", parent=root, code="BENCH-01-W", kind_code="ward"
    )
    return admin, root, ward


def bench_certificates(admin, root, ward, count: int) -> None:
    award = AwardType.objects.get(code="giay-khen")
    round_ = Round.objects.create(
        title="Benchmark",
        kind="regular",
        owner_unit=ward,
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 12, 31),
    )
    nominations = Nomination.objects.bulk_create(
        Nomination(
            round=round_,
            award_type=award,
            nominee_kind="person",
            nominee_name=f"Người số {i}",
            search_name=f"nguoi so {i}",
            unit=ward,
            proposing_unit=ward,
            current_unit=ward,
            achievements="…",
            nominated_on=dt.date(2026, 3, 1),
            status="approved",
        )
        for i in range(count)
    )
    started = time.perf_counter()
    decision = services.issue_decision(
        admin,
        round=round_,
        number=f"BENCH-{time.time_ns()}",
        signed_on=dt.date(2026, 3, 2),
        signer="Benchmark",
        nominations=nominations,
    )
    issued = time.perf_counter() - started
    batch = CertificateBatch.objects.create(decision=decision, created_by=admin)
    started = time.perf_counter()
    status = batches.run_batch(batch.pk, base_url="https://thidua.example.vn")
    rendered = time.perf_counter() - started
    batch.refresh_from_db()
    assert status == "done" and batch.processed == count, (status, batch.processed)
    size = os.path.getsize(batch.archive.path)
    print(
        f"certificates: {count} issued in {issued:.2f}s ({1000 * issued / count:.1f} ms each); "
        f"batch of {count} PDFs + ZIP ({size / 1e6:.1f} MB) in {rendered:.1f}s "
        f"({1000 * rendered / count:.1f} ms each, {count / rendered:.1f} a second)"
    )


def load_honours(ward, award, count: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO honors_honour (recipient_kind, recipient_name, search_name, recipient_key,
                unit_id, unit_path, award_type_id, kind, conferred_on, gender, is_direct_worker,
                is_ethnic_minority, age_band, cash)
            SELECT 'person', n, n, n || '||' || %s, %s, %s, %s, 'merit',
                   DATE '2015-01-01' + (g %% 4000),
                   CASE WHEN g %% 2 = 0 THEN 'female' ELSE 'male' END,
                   g %% 3 = 0, g %% 10 = 0, '', 0
            FROM (
                SELECT g, (%s::text[])[1 + g %% 10] || ' ' || (%s::text[])[1 + (g / 10) %% 8]
                       || ' ' || (%s::text[])[1 + (g / 80) %% 12] || ' ' || g AS n
                FROM generate_series(1, %s) AS g
            ) AS names
            """,
            [
                ward.pk,
                ward.pk,
                ward.path,
                award.pk,
                [s.lower() for s in SURNAMES],
                [m.lower() for m in MIDDLES],
                [g.lower() for g in GIVEN],
                count,
            ],
        )
        cursor.execute("ANALYZE honors_honour")


def bench_search(admin, count: int) -> None:
    queries = ["nguyen thi hoa", "tran van", "le minh nam", "hoang", "bui ngoc lan 4711"] * 6
    timings = []
    for query in queries:
        started = time.perf_counter()
        honours = selectors.registry(admin, query=query)
        list(honours[:50])
        timings.append(time.perf_counter() - started)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"registry search over {count:,} honours: p50 {1000 * statistics.median(timings):.1f} ms, "
        f"p95 {1000 * p95:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--honours", type=int, default=1_000_000)
    parser.add_argument("--certificates", type=int, default=1000)
    args = parser.parse_args()
    admin, root, ward = setup()
    try:
        bench_certificates(admin, root, ward, args.certificates)
    finally:
        shutil.rmtree(MEDIA, ignore_errors=True)
    if not args.honours:
        return
    if connection.vendor != "postgresql":
        print("registry search: PostgreSQL only (set DATABASE_URL)")
        return
    load_honours(ward, AwardType.objects.get(code="lao-dong-tien-tien"), args.honours)
    bench_search(admin, args.honours)


if __name__ == "__main__":
    main()
